// The collection query language of SPEC §4: filters (field=value, field__OP=value),
// sort, fields, limit, cursor and count, parsed against a dataset and the caller's role
// into a store::Selection. Fields the role cannot see do not exist for it.
// Must not depend on HTTP types beyond the decoded query pairs.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "opendata/formats.h"
#include "registry/schema.h"
#include "registry/validate.h"
#include "store/store.h"

namespace harvest::api {

struct CollectionQuery {
  store::Selection selection;  // limit is the page size + 1 (to know if there is a next page)
  int64_t page_size = 100;
  bool all = false;          // limit=all: a download of every matching row (CSV, GeoJSON)
  bool limit_given = false;  // a limit parameter was given (else JSON pages hold 100 rows)
  bool count = false;
  std::vector<int> fields;  // projection, visible fields only
  // The query pairs without cursor, to build the `next` link.
  std::vector<std::pair<std::string, std::string>> base_query;
};

using QueryPairs = std::vector<std::pair<std::string, std::string>>;

// Throws ApiError 400 naming the offending parameter.
CollectionQuery ParseCollectionQuery(const registry::DatasetDef& set, registry::Role role,
                                     const QueryPairs& query,
                                     const registry::ValidationContext& context);

// Opaque cursor for the row after which the next page starts. Values the role sees only as
// tokens (auth::FieldOpaque) are written as those tokens.
std::string EncodeCursor(const registry::DatasetDef& set, const std::vector<store::SortKey>& sort,
                         const store::Row& last, registry::Role role = registry::kAdmin);
// Throws ApiError 400 for a cursor that is malformed or made for another sort.
std::vector<store::Value> DecodeCursor(const registry::DatasetDef& set,
                                       const std::vector<store::SortKey>& sort,
                                       const std::string& cursor,
                                       registry::Role role = registry::kAdmin);

}  // namespace harvest::api
