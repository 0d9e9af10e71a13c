// Writers for rows in the published formats: JSON objects, CSV (RFC 4180) and GeoJSON
// features. A RowView fixes which fields are written and for which role, so the privacy
// rules are applied as the bytes are produced.
// Hand-written rather than Boost.JSON's serializer because open data needs numbers as
// people read them (1234.50, not 1.2345E3) and the hot paths build large bodies.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "registry/schema.h"
#include "store/value.h"

namespace harvest::opendata {

enum class Format { kJson, kCsv, kGeoJson };

struct RowView {
  const registry::DatasetDef* set = nullptr;
  registry::Role role = registry::kPublic;
  std::vector<int> fields;  // indices into set->fields, in output order
};

void AppendJsonString(std::string& out, std::string_view text);
// One field value in JSON (bool, money with 2 decimals, null...).
void AppendJsonValue(std::string& out, const registry::FieldDef& field, const store::Value& v);
// {"id": ..., "parish": "ELZ", "parish_name": "St. Elizabeth", ...}
void AppendJsonRow(std::string& out, const RowView& view, const store::Row& row);
void AppendCsvHeader(std::string& out, const RowView& view);
void AppendCsvRow(std::string& out, const RowView& view, const store::Row& row);
// A Feature with a Point from the row's lat/lon (null geometry when absent).
void AppendGeoJsonFeature(std::string& out, const RowView& view, const store::Row& row);

std::string_view ContentType(Format format);

// A value as CSV writes it (money with 2 decimals, true/false), unformatted.
std::string Plain(const registry::FieldDef& field, const store::Value& v);
// One cell of a row as CSV writes it for the view's role (after auth::Present: rounded,
// opaque): what a page shows in a table cell, so a page and its CSV agree.
std::string CellText(const RowView& view, int field, const store::Row& row);

}  // namespace harvest::opendata
