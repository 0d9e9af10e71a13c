#include "store/sqlite/aggregates.h"

#include "store/sql_builder.h"

namespace harvest::store::sqlite {
namespace {

std::string MetaText(Connection& conn, const std::string& name, const std::string& otherwise) {
  Statement& stmt = conn.Prepare("SELECT value FROM meta WHERE name = ?");
  stmt.Bind(1, name);
  std::string value = stmt.Step() ? stmt.ColumnText(0) : otherwise;
  stmt.Reset();
  return value;
}

std::vector<Row> Rows(Connection& conn, const char* sql, int columns) {
  Statement& stmt = conn.Prepare(sql);
  std::vector<Row> rows;
  while (stmt.Step()) {
    Row& row = rows.emplace_back();
    for (int i = 0; i < columns; ++i) {
      row.push_back(stmt.Column(i));
    }
  }
  stmt.Reset();
  return rows;
}

void Insert(Connection& conn, const registry::DatasetDef& set, const std::vector<Row>& rows) {
  std::string marks;
  for (size_t i = 0; i < set.fields.size(); ++i) {
    marks += i ? ", ?" : "?";
  }
  Statement& stmt = conn.Prepare("INSERT INTO " + set.table + " (" + ColumnList(set) +
                                 ") VALUES (" + marks + ")");
  for (const Row& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      stmt.Bind(static_cast<int>(i + 1), row[i]);
    }
    stmt.Run();
    stmt.Reset();
  }
}

}  // namespace

std::string WantedAggregatesVersion(Connection& conn) {
  return registry::AggregatesVersion(MetaText(conn, "registry_version", "0"),
                                     MetaText(conn, "suppression_threshold", "5"));
}

std::string StoredAggregatesVersion(Connection& conn) {
  return MetaText(conn, "aggregates_version", "");
}

AggregateTables ComputeAggregates(Connection& conn) {
  return registry::PublishAggregates(Rows(conn, registry::kCropCellsSql, 6),
                                     Rows(conn, registry::kActivityCellsSql, 4),
                                     WantedAggregatesVersion(conn));
}

bool ReplaceAggregates(Connection& conn, const AggregateTables& tables) {
  if (!registry::AggregatesReplace(StoredAggregatesVersion(conn), tables.version)) {
    return false;
  }
  conn.Exec("DELETE FROM production; DELETE FROM farmer_stats;");
  Insert(conn, *registry::FindDataset("production"), tables.production);
  Insert(conn, *registry::FindDataset("farmer-stats"), tables.farmer_stats);
  conn.Prepare(
          "INSERT INTO meta (name, value) VALUES ('aggregates_version', ?) ON CONFLICT (name) DO "
          "UPDATE SET value = excluded.value")
      .Bind(1, tables.version)
      .Run();
  return true;
}

}  // namespace harvest::store::sqlite
