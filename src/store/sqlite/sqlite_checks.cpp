// The SQLite backend's summaries of receipt checks for /checks (Store::CountChecksPerDay and
// its siblings). Each reads the time range of migration 11's covering index (a parish is
// filtered within it) and never the table; tests/unit/admin_query_plan_test.cpp checks it.
#include "store/sqlite/sqlite_store.h"

namespace harvest::store::sqlite {
namespace {

// An open end as the widest text range: every stored `at` is an RFC 3339 string, which sorts
// after "" (an open start) and before "~".
std::string To(const CheckSelection& s) {
  return s.to.empty() ? std::string("~") : s.to;
}

// The WHERE clause shared by every summary: ?1 from, ?2 to, ?3 verdict or "" for any,
// ?4 parish. The range is read from (at, parish, verdict, receipt).
std::string Where(const CheckSelection& s) {
  std::string where = s.parish.empty() ? " WHERE at >= ?1 AND at < ?2"
                                       : " WHERE at >= ?1 AND at < ?2 AND parish = ?4";
  if (!s.verdict.empty()) {
    where += " AND verdict = ?3";
  }
  return where;
}

Statement& Bound(Connection& conn, const std::string& sql, const CheckSelection& s) {
  Statement& stmt = conn.Prepare(sql);
  stmt.Bind(1, s.from).Bind(2, To(s));
  if (!s.verdict.empty()) {
    stmt.Bind(3, s.verdict);
  }
  if (!s.parish.empty()) {
    stmt.Bind(4, s.parish);
  }
  return stmt;
}

}  // namespace

std::string CheckSummarySql(const CheckSelection& s, int which) {
  switch (which) {
    case 0:
      return "SELECT substr(at, 1, 10) AS day, verdict, count(*) FROM verifications" + Where(s) +
             " GROUP BY day, verdict ORDER BY day, verdict";
    case 1:
      return "SELECT coalesce(parish, ''), sum(verdict = 'ALERT'), sum(verdict = 'CHECK') "
             "FROM verifications" +
             Where(s) +
             " AND verdict IN ('ALERT', 'CHECK') GROUP BY parish ORDER BY parish";
    default:
      return "SELECT receipt, count(*) AS n, count(DISTINCT parish), max(at) FROM verifications" +
             Where(s) + " GROUP BY receipt HAVING n > 1 ORDER BY n DESC, receipt LIMIT ?5";
  }
}

std::vector<DailyChecks> SqliteStore::CountChecksPerDay(const CheckSelection& selection) {
  Connection& conn = Conn();
  Statement& stmt = Bound(conn, CheckSummarySql(selection, 0), selection);
  std::vector<DailyChecks> out;
  StepWithinBudget(conn, stmt, [&](Statement& row) {
    out.push_back({row.ColumnText(0), row.ColumnText(1), row.ColumnInt(2)});
    return true;
  });
  return out;
}

std::vector<ParishChecks> SqliteStore::CountWarningsByParish(const CheckSelection& selection) {
  Connection& conn = Conn();
  Statement& stmt = Bound(conn, CheckSummarySql(selection, 1), selection);
  std::vector<ParishChecks> out;
  StepWithinBudget(conn, stmt, [&](Statement& row) {
    out.push_back({row.ColumnText(0), row.ColumnInt(1), row.ColumnInt(2)});
    return true;
  });
  return out;
}

std::vector<RecheckedReceipt> SqliteStore::MostRecheckedReceipts(const CheckSelection& selection,
                                                                 int64_t limit) {
  Connection& conn = Conn();
  Statement& stmt = Bound(conn, CheckSummarySql(selection, 2), selection);
  stmt.Bind(5, limit);
  std::vector<RecheckedReceipt> out;
  StepWithinBudget(conn, stmt, [&](Statement& row) {
    out.push_back({row.ColumnInt(0), row.ColumnInt(1), row.ColumnInt(2), row.ColumnText(3)});
    return true;
  });
  return out;
}

}  // namespace harvest::store::sqlite
