#include "opendata/formats.h"

#include <cstdio>

#include "auth/privacy.h"
#include "opendata/csv.h"
#include "registry/parish.h"

namespace harvest::opendata {
using registry::FieldType;

// Text of a value as CSV and JSON numbers show it.
std::string Plain(const registry::FieldDef& field, const store::Value& v) {
  if (field.type == FieldType::kMoney) {
    if (const auto* d = std::get_if<double>(&v)) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.2f", *d);
      return buf;
    }
  }
  if (field.type == FieldType::kBoolean && std::holds_alternative<int64_t>(v)) {
    return std::get<int64_t>(v) ? "true" : "false";
  }
  return store::ValueText(v);
}

std::string CellText(const RowView& view, int field, const store::Row& row) {
  const registry::FieldDef& def = view.set->fields[static_cast<size_t>(field)];
  return Plain(def, auth::Present(def, view.role, row[static_cast<size_t>(field)]));
}

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 15]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

void AppendJsonValue(std::string& out, const registry::FieldDef& field, const store::Value& v) {
  if (store::IsNull(v)) {
    out += "null";
  } else if (std::holds_alternative<std::string>(v)) {
    AppendJsonString(out, std::get<std::string>(v));
  } else {
    out += Plain(field, v);
  }
}

void AppendJsonRow(std::string& out, const RowView& view, const store::Row& row) {
  out.push_back('{');
  bool first = true;
  for (int index : view.fields) {
    const registry::FieldDef& field = view.set->fields[static_cast<size_t>(index)];
    const store::Value& raw = row[static_cast<size_t>(index)];
    if (!first) {
      out.push_back(',');
    }
    first = false;
    AppendJsonString(out, field.name);
    out.push_back(':');
    AppendJsonValue(out, field, auth::Present(field, view.role, raw));
    if (field.type == FieldType::kParish) {
      out += ",";
      AppendJsonString(out, field.name + "_name");
      out.push_back(':');
      if (const auto* code = std::get_if<std::string>(&raw)) {
        AppendJsonString(out, registry::ParishName(*code));
      } else {
        out += "null";
      }
    }
  }
  out.push_back('}');
}

void AppendCsvHeader(std::string& out, const RowView& view) {
  std::vector<std::string_view> names;
  for (int index : view.fields) {
    names.push_back(view.set->fields[static_cast<size_t>(index)].name);
  }
  csv::AppendRecord(out, names);
}

void AppendCsvRow(std::string& out, const RowView& view, const store::Row& row) {
  bool first = true;
  for (int index : view.fields) {
    const registry::FieldDef& field = view.set->fields[static_cast<size_t>(index)];
    if (!first) {
      out.push_back(',');
    }
    first = false;
    csv::AppendField(
        out, Plain(field, auth::Present(field, view.role, row[static_cast<size_t>(index)])));
  }
  out += "\r\n";
}

void AppendGeoJsonFeature(std::string& out, const RowView& view, const store::Row& row) {
  const registry::DatasetDef& set = *view.set;
  int lat = set.FieldIndex("lat");
  int lon = set.FieldIndex("lon");
  out += R"({"type":"Feature","geometry":)";
  store::Value y = lat < 0 ? store::Value{} : auth::Present(set.fields[lat], view.role, row[lat]);
  store::Value x = lon < 0 ? store::Value{} : auth::Present(set.fields[lon], view.role, row[lon]);
  if (std::holds_alternative<double>(x) && std::holds_alternative<double>(y)) {
    out += R"({"type":"Point","coordinates":[)" + store::ValueText(x) + "," + store::ValueText(y) +
           "]}";
  } else {
    out += "null";
  }
  out += R"(,"properties":)";
  AppendJsonRow(out, view, row);
  out.push_back('}');
}

std::string_view ContentType(Format format) {
  switch (format) {
    case Format::kCsv:
      return "text/csv; charset=utf-8";
    case Format::kGeoJson:
      return "application/geo+json";
    case Format::kJson:
      break;
  }
  return "application/json";
}

}  // namespace harvest::opendata
