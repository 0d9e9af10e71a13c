// JSON request bodies: a POST or PATCH body → api::ParseJsonBody → input cells → the row a
// write would store (registry::BuildRow, or ConvertCell and CheckRowRules on a merge), and that
// row written back as JSON for the admin.
#include <boost/json.hpp>
#include <string>

#include "api/api_error.h"
#include "api/responses.h"
#include "auth/privacy.h"
#include "fuzz_check.h"
#include "http/message.h"
#include "opendata/formats.h"
#include "registry/schema.h"
#include "registry/validate.h"

using namespace harvest;

namespace {

void CheckRow(const registry::DatasetDef& set, const store::Row& row) {
  FUZZ_CHECK(row.size() == set.fields.size());
  std::string out;
  opendata::AppendJsonRow(
      out, opendata::RowView{&set, registry::kAdmin, auth::VisibleFields(set, registry::kAdmin)},
      row);
  boost::json::error_code ec;
  boost::json::value back = boost::json::parse(out, ec);
  FUZZ_CHECK(!ec && back.is_object());
}

// POST: every object of the body (or of its array) as a new row.
void Create(const registry::DatasetDef& set, const boost::json::value& body,
            const registry::ValidationContext& context) {
  std::vector<const boost::json::object*> objects;
  if (body.is_array()) {
    for (const auto& v : body.as_array()) {
      objects.push_back(v.if_object());
    }
  } else {
    objects.push_back(body.if_object());
  }
  for (const boost::json::object* object : objects) {
    if (!object) {
      continue;
    }
    std::vector<registry::InputCell> cells(set.fields.size());
    for (const auto& [name, value] : *object) {
      int index = set.FieldIndex(name);
      if (index >= 0) {
        cells[static_cast<size_t>(index)] = api::CellFromJson(value);
      }
    }
    store::Row row;
    auto problems = registry::BuildRow(set, cells, context, row);
    for (const auto& p : problems) {
      FUZZ_CHECK(!p.message.empty());
    }
    if (problems.empty()) {
      CheckRow(set, row);
    }
  }
}

// PATCH: the object's fields converted one by one and merged into an empty row.
void Patch(const registry::DatasetDef& set, const boost::json::value& body,
           const registry::ValidationContext& context) {
  const boost::json::object* object = body.if_object();
  if (!object) {
    return;
  }
  store::Row merged(set.fields.size());
  for (const auto& [name, value] : *object) {
    const registry::FieldDef* field = set.Field(name);
    if (!field) {
      continue;
    }
    store::Value converted;
    if (!registry::ConvertCell(*field, api::CellFromJson(value), context, converted)) {
      merged[static_cast<size_t>(set.FieldIndex(name))] = std::move(converted);
    }
  }
  if (registry::CheckRowRules(set, merged).empty()) {
    CheckRow(set, merged);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = fuzz::Text(data, size);
  // The first byte picks the dataset, the rest is the body.
  if (text.empty()) {
    return 0;
  }
  auto sets = registry::Datasets();
  const registry::DatasetDef& set = sets[static_cast<unsigned char>(text.front()) % sets.size()];
  http::Request request;
  request.method = "POST";
  request.headers["Content-Type"] = "application/json";
  request.body = std::string(text.substr(1));
  boost::json::value body;
  try {
    body = api::ParseJsonBody(request);
  } catch (const api::ApiError& e) {
    FUZZ_CHECK(e.status() == 400);
    return 0;
  }
  registry::ValidationContext context;
  Create(set, body, context);
  Patch(set, body, context);
  return 0;
}
