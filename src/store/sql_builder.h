// Turns a backend-neutral Selection into SQL text with bound parameters. Column and table
// names come only from the DatasetDef (never from input); every value is a parameter.
// Shared by the SQLite and PostgreSQL backends, which differ in placeholder style.
#pragma once

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
