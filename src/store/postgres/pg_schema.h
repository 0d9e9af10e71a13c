// The PostgreSQL backend's tables, written from the schema every other layer reads
// (registry/schema.cpp) rather than by hand: one table per dataset with a column per field
// (its type, NOT NULL when required or given a fallback, CHECK of its choices, the key, the
// references), one index per page shape the API accepts (store::IndexPaths), and the
// uniqueness the stored-data rules lean on. Must not depend on libpq.
#pragma once

#include <string>
#include <vector>

namespace harvest::store::postgres {

// The statements that make an empty database's tables, in order, as the latest version has
// them; the database is then marked version 1 and the upgrades after it run (those that
// remake what these already made change nothing).
std::vector<std::string> SchemaStatements();

// The page indexes with an order field that may be null, which keep its nulls first: DROP and
// CREATE statements that remake them (schema version 3; version 1 made them nulls last).
std::vector<std::string> NullsFirstPageIndexes();

// ALTER statements (one per table) that give every text column of the datasets the C collation (byte order,
// as SQLite compares), which version 4 brings databases made before it to.
std::vector<std::string> ByteOrderTextColumns();

// The version a database is brought to (kept in meta as schema_version): SchemaStatements
// make version 1, and the backend's upgrades (pg_store.cpp) each take it one further.
inline constexpr int kSchemaVersion = 6;

}  // namespace harvest::store::postgres
