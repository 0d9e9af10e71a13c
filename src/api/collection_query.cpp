#include "api/collection_query.h"

#include <sodium.h>

#include <boost/json.hpp>
#include <algorithm>
#include <charconv>

#include "api/api_error.h"
#include "auth/privacy.h"
#include "registry/text_values.h"

namespace harvest::api {
namespace {

namespace json = boost::json;
using registry::FieldDef;
using registry::FieldType;

constexpr int64_t kMaxLimit = 1000;

// SPEC §10: a query's size is bounded before any of it reaches the store, so one request
// cannot make a statement of thousands of terms (a 500 once) or a sort of hundreds of keys.
constexpr size_t kMaxSortKeys = 5;
constexpr size_t kMaxFilters = 20;
constexpr size_t kMaxInValues = 100;
constexpr size_t kMaxNameBytes = 100;
constexpr size_t kMaxValueBytes = 2000;   // a name or free text is at most 2,000 characters
constexpr size_t kMaxCursorBytes = 8000;  // five sort values of up to 2,000 bytes, encoded

// Added to shared links by browsers and trackers; they say nothing about the query.
bool IgnoredParameter(std::string_view name) {
  return name.starts_with("utm_") || name == "fbclid" || name == "gclid" || name == "_";
}

struct OpName {
  std::string_view name;
  store::FilterOp op;
};
constexpr OpName kOps[] = {
    {"ne", store::FilterOp::kNe},
    {"gt", store::FilterOp::kGt},
    {"gte", store::FilterOp::kGte},
    {"lt", store::FilterOp::kLt},
    {"lte", store::FilterOp::kLte},
    {"in", store::FilterOp::kIn},
    {"contains", store::FilterOp::kContains},
    {"startswith", store::FilterOp::kStartsWith},
    {"isnull", store::FilterOp::kIsNull},
};

// A field the role may use in filters and sorts, or a 400 naming it.
int UsableField(const registry::DatasetDef& set, registry::Role role, std::string_view name,
                std::string_view parameter) {
  int index = set.FieldIndex(name);
  if (index < 0 || !auth::FieldVisible(set.fields[static_cast<size_t>(index)], role)) {
    throw BadParameter("unknown field '" + Shown(name) + "' in parameter '" + Shown(parameter) +
                       "' for " + set.name);
  }
  if (auth::FieldCoarsened(set.fields[static_cast<size_t>(index)], role)) {
    throw BadParameter("field '" + Shown(name) +
                       "' is published rounded at your access level and cannot be used in '" +
                       std::string(parameter) + "'");
  }
  return index;
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) {
      comma = text.size();
    }
    parts.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return parts;
}

store::Value FilterValue(const FieldDef& field, registry::Role role, const std::string& text,
                         const std::string& parameter, const registry::ValidationContext& context) {
  if (auth::FieldOpaque(field, role)) {
    std::optional<store::Value> stored = auth::Unpresent(field, role, text);
    if (!stored) {
      throw BadParameter("parameter '" + parameter + "': " + field.name +
                         " takes a farm id as this API shows it (32 hex digits), not '" + text +
                         "'");
    }
    return *stored;
  }
  store::Value value;
  // A date bounds a time as its midnight UTC: at__gte=2026-12-07 is the whole day on.
  std::string cell = field.type == registry::FieldType::kTimestamp && registry::IsIsoDate(text)
                         ? text + "T00:00:00Z"
                         : text;
  if (auto problem =
          registry::ConvertCell(field, registry::InputCell::Text(cell), context, value)) {
    throw BadParameter("parameter '" + Shown(parameter) + "': " + field.name + " " +
                       Shown(*problem, 500));
  }
  if (store::IsNull(value)) {
    throw BadParameter("parameter '" + Shown(parameter) + "' needs a value");
  }
  return value;
}

store::Filter ParseFilter(const registry::DatasetDef& set, registry::Role role,
                          const std::string& name, const std::string& text,
                          const registry::ValidationContext& context) {
  std::string field_name = name;
  store::FilterOp op = store::FilterOp::kEq;
  if (size_t sep = name.find("__"); sep != std::string::npos) {
    field_name = name.substr(0, sep);
    std::string op_name = name.substr(sep + 2);
    bool known = false;
    for (const OpName& candidate : kOps) {
      if (candidate.name == op_name) {
        op = candidate.op;
        known = true;
      }
    }
    if (!known) {
      throw BadParameter("unknown operator '" + Shown(op_name) + "' in parameter '" + Shown(name) +
                         "' (use ne, gt, gte, lt, lte, in, contains, startswith, isnull)");
    }
  }
  store::Filter filter;
  filter.field = UsableField(set, role, field_name, name);
  filter.op = op;
  const FieldDef& field = set.fields[static_cast<size_t>(filter.field)];
  if (auth::FieldOpaque(field, role) && op != store::FilterOp::kEq && op != store::FilterOp::kNe &&
      op != store::FilterOp::kIn && op != store::FilterOp::kIsNull) {
    // Ranges over the hidden numbers would give their order away.
    throw BadParameter("field '" + field.name + "' is an opaque id at your access level: '" + name +
                       "' can only test it for equality (=, __ne, __in, __isnull)");
  }
  switch (op) {
    case store::FilterOp::kIn: {
      std::vector<std::string> parts = SplitCommas(text);
      if (parts.size() > kMaxInValues) {
        throw BadParameter("parameter '" + Shown(name) + "' has " + std::to_string(parts.size()) +
                           " values; at most " + std::to_string(kMaxInValues));
      }
      for (const std::string& part : parts) {
        filter.values.push_back(FilterValue(field, role, part, name, context));
      }
      break;
    }
    case store::FilterOp::kContains:
    case store::FilterOp::kStartsWith:
      if (text.empty()) {
        throw BadParameter("parameter '" + Shown(name) + "' needs a value");
      }
      filter.values.push_back(text);
      break;
    case store::FilterOp::kIsNull: {
      auto flag = registry::ParseBool(text);
      if (!flag) {
        throw BadParameter("parameter '" + Shown(name) + "' must be true or false");
      }
      filter.values.push_back(static_cast<int64_t>(*flag ? 1 : 0));
      break;
    }
    default:
      filter.values.push_back(FilterValue(field, role, text, name, context));
  }
  return filter;
}

std::string SortSignature(const registry::DatasetDef& set,
                          const std::vector<store::SortKey>& sort) {
  std::string signature;
  for (const store::SortKey& key : sort) {
    signature += (key.descending ? "-" : "+") + set.fields[static_cast<size_t>(key.field)].name;
  }
  return signature;
}

int64_t ParseLimit(const std::string& text) {
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 1 || value > kMaxLimit) {
    throw BadParameter(
        "parameter 'limit' must be a whole number from 1 to 1000 (or 'all' with "
        "CSV and GeoJSON), not '" +
        Shown(text) + "'");
  }
  return value;
}

}  // namespace

CollectionQuery ParseCollectionQuery(const registry::DatasetDef& set, registry::Role role,
                                     const QueryPairs& query,
                                     const registry::ValidationContext& context) {
  CollectionQuery out;
  out.selection.key_token = auth::PagesByKeyToken(set, role);
  const std::string* cursor = nullptr;
  std::vector<std::string_view> seen;
  for (const auto& [name, value] : query) {
    if (IgnoredParameter(name)) {
      continue;
    }
    if (name.size() > kMaxNameBytes) {
      throw BadParameter("parameter '" + Shown(name) + "' has too long a name (" +
                         std::to_string(name.size()) + " bytes; at most " +
                         std::to_string(kMaxNameBytes) + ")");
    }
    size_t most = name == "cursor" ? kMaxCursorBytes : kMaxValueBytes;
    if (value.size() > most) {
      throw BadParameter("parameter '" + Shown(name) + "' is too long (" +
                         std::to_string(value.size()) + " bytes; at most " + std::to_string(most) +
                         ")");
    }
    // Stored text is valid UTF-8 without control characters, so such a value matches
    // nothing: say so rather than answer an empty page.
    if (Shown(name, SIZE_MAX) != name || Shown(value, SIZE_MAX) != value) {
      throw BadParameter("parameter '" + Shown(name) + "' is not valid UTF-8 text: '" +
                         Shown(value) + "'");
    }
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      throw BadParameter("parameter '" + Shown(name) +
                         "' is given twice (use one, or __in with a comma list)");
    }
    seen.push_back(name);
    if (name == "cursor") {
      cursor = &value;
      continue;
    }
    out.base_query.emplace_back(name, value);
    if (name == "limit") {
      out.limit_given = true;
      if (value == "all") {
        out.all = true;
      } else {
        out.page_size = ParseLimit(value);
      }
    } else if (name == "count") {
      auto flag = registry::ParseBool(value);
      if (!flag) {
        throw BadParameter("parameter 'count' must be true or false");
      }
      out.count = *flag;
    } else if (name == "sort") {
      std::vector<std::string> parts = SplitCommas(value);
      if (parts.size() > kMaxSortKeys) {
        throw BadParameter("parameter 'sort' has " + std::to_string(parts.size()) +
                           " keys; at most " + std::to_string(kMaxSortKeys));
      }
      for (const std::string& part : parts) {
        bool descending = !part.empty() && part[0] == '-';
        std::string field_name =
            descending || (!part.empty() && part[0] == '+') ? part.substr(1) : part;
        int index = UsableField(set, role, field_name, "sort");
        if (auth::FieldOpaque(set.fields[static_cast<size_t>(index)], role)) {
          throw BadParameter("field '" + field_name +
                             "' is an opaque id at your access level and cannot be sorted on");
        }
        out.selection.sort.push_back({index, descending});
      }
    } else if (name == "fields") {
      for (const std::string& part : SplitCommas(value)) {
        int index = set.FieldIndex(part);
        if (index < 0 || !auth::FieldVisible(set.fields[static_cast<size_t>(index)], role)) {
          throw BadParameter("unknown field '" + Shown(part) + "' in parameter 'fields' for " +
                             set.name);
        }
        out.fields.push_back(index);
      }
    } else {
      if (out.selection.filters.size() == kMaxFilters) {
        throw BadParameter("too many filters: at most " + std::to_string(kMaxFilters) + " (at '" +
                           Shown(name) + "')");
      }
      out.selection.filters.push_back(ParseFilter(set, role, name, value, context));
    }
  }
  if (out.fields.empty()) {
    out.fields = auth::VisibleFields(set, role);
  }
  if (cursor) {
    out.selection.after = DecodeCursor(
        set, store::EffectiveSort(set, out.selection.sort, out.selection.key_token), *cursor, role);
  }
  out.selection.limit = out.all ? -1 : out.page_size + 1;
  return out;
}

std::string EncodeCursor(const registry::DatasetDef& set, const std::vector<store::SortKey>& sort,
                         const store::Row& last, registry::Role role) {
  json::array values;
  values.emplace_back(SortSignature(set, sort));
  for (const store::SortKey& key : sort) {
    const registry::FieldDef& field = set.fields[static_cast<size_t>(key.field)];
    const store::Value v = auth::Present(field, role, last[static_cast<size_t>(key.field)]);
    if (const auto* i = std::get_if<int64_t>(&v)) {
      values.emplace_back(*i);
    } else if (const auto* d = std::get_if<double>(&v)) {
      values.emplace_back(*d);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      values.emplace_back(*s);
    } else {
      values.emplace_back(nullptr);
    }
  }
  std::string text = json::serialize(values);
  std::string encoded(
      sodium_base64_encoded_len(text.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(),
                    reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  encoded.resize(encoded.size() - 1);  // the terminating NUL
  return encoded;
}

std::vector<store::Value> DecodeCursor(const registry::DatasetDef& set,
                                       const std::vector<store::SortKey>& sort,
                                       const std::string& cursor, registry::Role role) {
  auto bad = [] { return BadParameter("parameter 'cursor' is not a cursor this query gave out"); };
  std::string raw(cursor.size(), '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), cursor.data(),
                        cursor.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    throw bad();
  }
  raw.resize(length);
  json::error_code ec;
  json::value parsed = json::parse(raw, ec);
  if (ec || !parsed.is_array() || parsed.as_array().size() != sort.size() + 1 ||
      !parsed.as_array()[0].is_string() ||
      parsed.as_array()[0].as_string() != SortSignature(set, sort)) {
    throw bad();
  }
  std::vector<store::Value> values;
  for (size_t i = 0; i < sort.size(); ++i) {
    const json::value& v = parsed.as_array()[i + 1];
    const FieldDef& field = set.fields[static_cast<size_t>(sort[i].field)];
    if (auth::FieldOpaque(field, role)) {
      std::optional<store::Value> stored =
          v.is_string() ? auth::Unpresent(field, role, std::string(v.as_string())) : std::nullopt;
      if (!stored) {
        throw bad();
      }
      values.push_back(*stored);
      continue;
    }
    FieldType type = field.type;
    bool integer_field = type == FieldType::kInteger || type == FieldType::kBoolean;
    bool real_field = type == FieldType::kReal || type == FieldType::kMoney;
    if (v.is_null()) {
      values.emplace_back(std::monostate{});
    } else if (v.is_int64() && integer_field) {
      values.emplace_back(v.as_int64());
    } else if (v.is_number() && real_field) {
      values.emplace_back(v.to_number<double>());
    } else if (v.is_string() && !integer_field && !real_field) {
      values.emplace_back(std::string(v.as_string()));
    } else {
      throw bad();
    }
  }
  return values;
}

}  // namespace harvest::api
