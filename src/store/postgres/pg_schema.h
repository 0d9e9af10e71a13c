// The PostgreSQL backend's tables, written from the schema every other layer reads
// (registry/schema.cpp) rather than by hand: one table per dataset with a column per field
// (its type, NOT NULL when required or given a fallback, CHECK of its choices, the key, the
// references), one index per page shape the API accepts (store::IndexPaths), and the
// uniqueness the stored-data rules lean on. Must not depend on libpq.
#pragma once

#include <string>
#include <vector>

namespace harvest::store::postgres {

// The statements that make an empty database into schema version 1, in order.
std::vector<std::string> SchemaStatements();

// The version SchemaStatements makes (kept in meta as schema_version).
inline constexpr int kSchemaVersion = 1;

}  // namespace harvest::store::postgres
