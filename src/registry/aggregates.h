// The published aggregates (SPEC §2: production, farmer-stats) and their small-cell rule
// (SPEC §3), once for every backend: a backend counts the cells with the two statements
// below (portable SQL: GROUP BY over the registry) and hands their rows here, which makes
// the published rows, a cell of fewer farmers than the threshold keeping only its key and
// `suppressed`. The tables are labelled with the registry version and threshold they were
// computed from, and a table computed from an older registry never replaces a newer one
// (two rebuilds racing). Depends on the schema and store values: no SQL is run here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "registry/schema.h"
#include "store/store.h"

namespace harvest::registry {

// parish, crop, farms, area, volume, farmers: one row per parish and crop grown.
inline constexpr const char* kCropCellsSql =
    "SELECT f.parish, c.crop, count(DISTINCT f.id), sum(c.area_ha), sum(c.expected_volume_kg), "
    "count(DISTINCT f.farmer_id) FROM crops c JOIN farms f ON f.id = c.farm_id "
    "GROUP BY f.parish, c.crop";
// parish, activity, farmers, verified: one row per parish and main activity.
inline constexpr const char* kActivityCellsSql =
    "SELECT parish, coalesce(activity, 'Not stated'), count(*), sum(verified) FROM farmers "
    "GROUP BY parish, coalesce(activity, 'Not stated')";

struct AggregateTables {
  std::string version;                   // AggregatesVersion of what they were computed from
  std::vector<store::Row> production;    // positional over the production dataset's fields
  std::vector<store::Row> farmer_stats;  // and over farmer-stats'
};

// Whether a write to `set` changes the aggregates (then the backend bumps registry_version
// in the write's transaction).
bool FeedsAggregates(const DatasetDef& set);

// "registry_version/threshold".
std::string AggregatesVersion(const std::string& registry_version, const std::string& threshold);

// The published tables from the rows of kCropCellsSql and kActivityCellsSql, computed at
// `version` (whose threshold applies).
AggregateTables PublishAggregates(const std::vector<store::Row>& crop_cells,
                                  const std::vector<store::Row>& activity_cells,
                                  std::string version);

// Whether tables computed at `computed` replace those stored at `stored` ("" before the first).
bool AggregatesReplace(const std::string& stored, const std::string& computed);

}  // namespace harvest::registry
