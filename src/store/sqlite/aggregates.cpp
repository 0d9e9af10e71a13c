#include "store/sqlite/aggregates.h"

#include <cstdlib>

namespace harvest::store::sqlite {
namespace {

std::string MetaText(Connection& conn, const std::string& name, const std::string& otherwise) {
  Statement& stmt = conn.Prepare("SELECT value FROM meta WHERE name = ?");
  stmt.Bind(1, name);
  std::string value = stmt.Step() ? stmt.ColumnText(0) : otherwise;
  stmt.Reset();
  return value;
}

std::vector<std::vector<Value>> Rows(Connection& conn, const std::string& sql, int columns,
                                     int64_t threshold) {
  Statement& stmt = conn.Prepare(sql);
  stmt.Bind(1, threshold);
  std::vector<std::vector<Value>> rows;
  while (stmt.Step()) {
    std::vector<Value>& row = rows.emplace_back();
    for (int i = 0; i < columns; ++i) {
      row.push_back(stmt.Column(i));
    }
  }
  stmt.Reset();
  return rows;
}

void Insert(Connection& conn, const std::string& sql, const std::vector<std::vector<Value>>& rows) {
  Statement& stmt = conn.Prepare(sql);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      stmt.Bind(static_cast<int>(i + 1), row[i]);
    }
    stmt.Run();
    stmt.Reset();
  }
}

// The registry version a label was computed from (the part before '/').
int64_t RegistryPart(const std::string& version) {
  return std::strtoll(version.c_str(), nullptr, 10);
}

}  // namespace

std::string WantedAggregatesVersion(Connection& conn) {
  return MetaText(conn, "registry_version", "0") + "/" +
         MetaText(conn, "suppression_threshold", "5");
}

std::string StoredAggregatesVersion(Connection& conn) {
  return MetaText(conn, "aggregates_version", "");
}

AggregateTables ComputeAggregates(Connection& conn) {
  AggregateTables tables;
  tables.version = WantedAggregatesVersion(conn);
  int64_t threshold =
      std::strtoll(tables.version.substr(tables.version.find('/') + 1).c_str(), nullptr, 10);
  // A cell counting fewer farmers than the threshold is published with null figures.
  tables.production = Rows(conn, R"SQL(
SELECT parish || ':' || crop, parish, crop,
       CASE WHEN small THEN NULL ELSE farms END,
       CASE WHEN small THEN NULL ELSE round(area, 2) END,
       CASE WHEN small THEN NULL ELSE round(volume, 1) END,
       small
FROM (SELECT f.parish AS parish, c.crop AS crop, count(DISTINCT f.id) AS farms,
             sum(c.area_ha) AS area, sum(c.expected_volume_kg) AS volume,
             count(DISTINCT f.farmer_id) < ?1 AS small
      FROM crops c JOIN farms f ON f.id = c.farm_id
      GROUP BY f.parish, c.crop))SQL",
                           7, threshold);
  tables.farmer_stats = Rows(conn, R"SQL(
SELECT parish || ':' || activity, parish, activity,
       CASE WHEN small THEN NULL ELSE farmers END,
       CASE WHEN small THEN NULL ELSE verified END,
       small
FROM (SELECT parish, coalesce(activity, 'Not stated') AS activity, count(*) AS farmers,
             sum(verified) AS verified, count(*) < ?1 AS small
      FROM farmers GROUP BY parish, coalesce(activity, 'Not stated')))SQL",
                             6, threshold);
  return tables;
}

bool ReplaceAggregates(Connection& conn, const AggregateTables& tables) {
  std::string stored = StoredAggregatesVersion(conn);
  if (stored == tables.version ||
      (!stored.empty() && RegistryPart(stored) > RegistryPart(tables.version))) {
    return false;
  }
  conn.Exec("DELETE FROM production; DELETE FROM farmer_stats;");
  Insert(conn,
         "INSERT INTO production (id, parish, crop, farms, area_ha, expected_volume_kg, "
         "suppressed) VALUES (?, ?, ?, ?, ?, ?, ?)",
         tables.production);
  Insert(conn,
         "INSERT INTO farmer_stats (id, parish, activity, farmers, verified, suppressed) "
         "VALUES (?, ?, ?, ?, ?, ?)",
         tables.farmer_stats);
  conn.Prepare(
          "INSERT INTO meta (name, value) VALUES ('aggregates_version', ?) ON CONFLICT (name) DO "
          "UPDATE SET value = excluded.value")
      .Bind(1, tables.version)
      .Run();
  return true;
}

}  // namespace harvest::store::sqlite
