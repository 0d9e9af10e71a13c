// The published aggregates (SPEC §2: production, farmer-stats) kept by the SQLite backend:
// tables computed from the registry (the cells and their small-cell rule are
// registry/aggregates.h's, shared with PostgreSQL), so that open-data reads are index
// lookups rather than a GROUP BY over the whole registry.
//
// A rebuild is computed in a read snapshot (seconds on a national registry, without holding
// the write lock) and then written in one short transaction, labelled with the registry
// version it was computed from. Depends on the SQLite connection only.
#pragma once

#include <string>
#include <vector>

#include "registry/aggregates.h"
#include "store/sqlite/connection.h"

namespace harvest::store::sqlite {

// "registry_version/suppression_threshold": what the tables must be computed from to be
// current, as the connection's snapshot sees it.
std::string WantedAggregatesVersion(Connection& conn);
// The version the stored tables were computed from ("" before the first build).
std::string StoredAggregatesVersion(Connection& conn);

using registry::AggregateTables;

// Computes both tables from the connection's current snapshot (the caller holds a read
// transaction, so the version and the rows agree).
AggregateTables ComputeAggregates(Connection& conn);

// Replaces the stored tables inside the caller's write transaction, unless what is stored
// was computed from a later registry (another thread or process was quicker). Returns
// whether it wrote.
bool ReplaceAggregates(Connection& conn, const AggregateTables& tables);

}  // namespace harvest::store::sqlite
