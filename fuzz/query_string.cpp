// The query string: URL decoding (http::ParseQueryString, PercentDecode/PercentEncode) and the
// collection query language (api::ParseCollectionQuery, cursors) for every dataset and role,
// down to the SQL the store would run.
#include <string>

#include "api/api_error.h"
#include "api/collection_query.h"
#include "fuzz_check.h"
#include "http/message.h"
#include "registry/schema.h"
#include "store/sql_builder.h"

using namespace harvest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = fuzz::Text(data, size);
  // The first byte picks the dataset and role, the rest is the query string.
  if (text.empty()) {
    return 0;
  }
  auto pick = static_cast<unsigned char>(text.front());
  text.remove_prefix(1);
  auto pairs = http::ParseQueryString(text);
  for (const auto& [key, value] : pairs) {
    FUZZ_CHECK(http::PercentDecode(http::PercentEncode(key), true) == key);
    FUZZ_CHECK(http::PercentDecode(http::PercentEncode(value), false) == value);
    FUZZ_CHECK(key.size() <= text.size() && value.size() <= text.size());
  }
  auto sets = registry::Datasets();
  const registry::DatasetDef& set = sets[pick % sets.size()];
  static constexpr registry::Role kRoles[] = {registry::kPublic, registry::kPartner,
                                              registry::kPolice, registry::kExtension,
                                              registry::kAdmin};
  registry::Role role = kRoles[(pick / sets.size()) % 5];
  registry::ValidationContext context;
  try {
    api::CollectionQuery query = api::ParseCollectionQuery(set, role, pairs, context);
    FUZZ_CHECK(query.page_size >= 0);
    for (int field : query.fields) {
      FUZZ_CHECK(field >= 0 && static_cast<size_t>(field) < set.fields.size());
    }
    store::SqlQuery select = store::BuildSelect(set, query.selection, store::Dialect::kSqlite);
    store::SqlQuery count =
        store::BuildCount(set, query.selection.filters, store::Dialect::kPostgres);
    FUZZ_CHECK(!select.sql.empty() && !count.sql.empty());
  } catch (const api::ApiError& e) {
    FUZZ_CHECK(e.status() >= 400 && e.status() < 500);
  }
  return 0;
}
