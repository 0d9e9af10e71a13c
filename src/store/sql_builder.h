// Turns a backend-neutral Selection into SQL text with bound parameters. Column and table
// names come only from the DatasetDef (never from input); every value is a parameter.
// Shared by the SQLite and PostgreSQL backends, which differ in placeholder style.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "registry/schema.h"
#include "store/store.h"

namespace harvest::store {

enum class Dialect { kSqlite, kPostgres };

struct SqlQuery {
  std::string sql;
  std::vector<Value> params;
};

// A shape of page the indexes serve on a registry-sized dataset: equality filters on
// `equal` (every one of them), rows in the order of `order` then the key (all one
// direction), optionally a range on the first of those columns. With `key_token`, the
// order ends in the key's stored token instead (Selection::key_token: partners' farms).
struct IndexPath {
  std::vector<std::string> equal;
  std::vector<std::string> order;
  bool key_token = false;
};

// The shapes served by an index on `set`, key order with no filter first; empty for the
// small datasets (aggregates, reference lists, officers), where any query is cheap.
const std::vector<IndexPath>& IndexPaths(const registry::DatasetDef& set);
// True for datasets that grow with the registry (and so are held to IndexPaths).
bool RegistrySized(const registry::DatasetDef& set);

// Why `selection` is not an index range scan of `set`, naming the filter or sort, or
// nullopt when it is. A `download` (every matching row, read in pages along an index) may
// also filter on what no index serves: its cost is that of the whole selection anyway.
std::optional<std::string> UnsupportedQuery(const registry::DatasetDef& set,
                                            const Selection& selection, bool download);

// Whether `field` of `set` may hold NULL: not the key, nor a required field or one with a
// fallback (the tables make those NOT NULL). Pages sort nulls as the smallest value, and say
// so (NULLS FIRST ascending) only for such a field, whose indexes keep them first too.
bool MayBeNull(const registry::DatasetDef& set, const registry::FieldDef& field);

// SELECT every field of the dataset, filtered, ordered (key as final tie-break), after the
// keyset cursor, limited.
SqlQuery BuildSelect(const registry::DatasetDef& set, const Selection& selection, Dialect dialect);
// SELECT count(*) with the same filters.
SqlQuery BuildCount(const registry::DatasetDef& set, const std::vector<Filter>& filters,
                    Dialect dialect);
// "a, b, c" over the dataset's fields.
// The fields' column names, comma-separated; empty `fields`: every field of the dataset.
std::string ColumnList(const registry::DatasetDef& set, const std::vector<int>& fields = {});

}  // namespace harvest::store
