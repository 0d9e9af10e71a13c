// The /checks summaries are index range scans in SQLite's own words (EXPLAIN QUERY PLAN):
// each is a SEARCH of migration 11's covering index (the table is never read). The
// /admin audit page, newest first by entry number with or without filters, walks the table
// backwards (never a sort of the whole log), and from a cursor it seeks by entry number.
#include <gtest/gtest.h>

#include "store/sql_builder.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_store.h"
#include "temp_store.h"

namespace harvest::store {
namespace {

class AdminQueryPlan : public TempStoreTest {
 protected:
  std::string Plan(const std::string& sql, const std::vector<Value>& params) {
    sqlite::Connection conn(path_.string(), std::chrono::seconds(5));
    sqlite::Statement& stmt = conn.Prepare("EXPLAIN QUERY PLAN " + sql);
    for (size_t i = 0; i < params.size(); ++i) {
      stmt.Bind(static_cast<int>(i + 1), params[i]);
    }
    std::string plan;
    while (stmt.Step()) {
      plan += stmt.ColumnText(3) + "\n";
    }
    return plan + "  (" + sql + ")";
  }
};

TEST_F(AdminQueryPlan, EveryAuditPageWalksTheLogNewestFirst) {
  const registry::DatasetDef& audit = *registry::FindDataset("audit");
  int at = audit.FieldIndex("at");
  int checked = 0;
  for (const char* field : {"", "actor", "action", "dataset", "record"}) {
    for (bool with_time : {false, true}) {
      for (bool with_cursor : {false, true}) {
        Selection selection;
        selection.limit = 51;
        selection.sort.push_back(SortKey{audit.KeyIndex(), true});
        if (*field) {
          selection.filters.push_back(
              Filter{audit.FieldIndex(field), FilterOp::kEq, {std::string("read")}});
        }
        if (with_time) {
          selection.filters.push_back(
              Filter{at, FilterOp::kGte, {std::string("2026-12-01T00:00:00Z")}});
          selection.filters.push_back(
              Filter{at, FilterOp::kLt, {std::string("2026-12-08T00:00:00Z")}});
        }
        if (with_cursor) {
          selection.after = {int64_t{1000}};
        }
        SqlQuery query = BuildSelect(audit, selection, Dialect::kSqlite);
        std::string plan = Plan(query.sql, query.params);
        std::string walk = with_cursor ? "SEARCH audit USING INTEGER PRIMARY KEY" : "SCAN audit";
        EXPECT_NE(plan.find(walk), std::string::npos) << field << ": " << plan;
        EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 20);
}

TEST_F(AdminQueryPlan, CheckSummariesReadOneCoveringIndexRange) {
  for (int which : {0, 1, 2}) {
    for (bool parish : {false, true}) {
      for (bool verdict : {false, true}) {
        CheckSelection selection{"2026-12-01T00:00:00Z", "2026-12-08T00:00:00Z",
                                 parish ? "KIN" : "", verdict ? "ALERT" : ""};
        // Only the parameters the statement numbers (?3 and ?4 are left out with their filter).
        std::vector<Value> params{selection.from, selection.to};
        if (verdict || parish || which == 2) {
          params.push_back(selection.verdict);
        }
        if (parish || which == 2) {
          params.push_back(selection.parish);
        }
        if (which == 2) {
          params.push_back(int64_t{20});
        }
        std::string sql = sqlite::CheckSummarySql(selection, which);
        std::string plan = Plan(sql, params);
        std::string index = "verifications_at";
        EXPECT_NE(plan.find("SEARCH verifications USING COVERING INDEX " + index + " "),
                  std::string::npos)
            << plan;
        EXPECT_EQ(plan.find("SCAN verifications"), std::string::npos) << plan;
      }
    }
  }
}

// `at` is kept to the second: the checks of one second must follow each other in the index
// (by id), not spread over that second's range by parish and receipt, or every check of a
// commit writes a page of its own.
TEST_F(AdminQueryPlan, TheChecksOfOneSecondAreAppendedToTheIndex) {
  sqlite::Connection conn(path_.string(), std::chrono::seconds(5));
  sqlite::Statement& stmt = conn.Prepare("SELECT name FROM pragma_index_info('verifications_at')");
  std::vector<std::string> columns;
  while (stmt.Step()) {
    columns.push_back(stmt.ColumnText(0));
  }
  stmt.Reset();
  EXPECT_EQ(columns, (std::vector<std::string>{"at", "id", "parish", "verdict", "receipt"}));
}

Row Check(int64_t id, const std::string& at, int64_t receipt, const std::string& verdict,
          const std::string& parish) {
  const registry::DatasetDef& set = *registry::FindDataset("verifications");
  Row row(set.fields.size());
  row[set.FieldIndex("id")] = id;
  row[set.FieldIndex("at")] = at;
  row[set.FieldIndex("receipt")] = receipt;
  row[set.FieldIndex("channel")] = std::string("sms");
  row[set.FieldIndex("verdict")] = verdict;
  row[set.FieldIndex("signals")] = std::string();
  if (!parish.empty()) {
    row[set.FieldIndex("parish")] = parish;
  }
  return row;
}

// Every backend counts the same (the unknown parish first).
using CheckSummaries = AnyStoreTest;
INSTANTIATE_TEST_SUITE_P(Backends, CheckSummaries,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

TEST_P(CheckSummaries, SummariesCountTheSelection) {
  const registry::DatasetDef& set = *registry::FindDataset("verifications");
  store_->Write(set,
                {Check(1, "2026-12-01T08:00:00Z", 4512, "VALID", "KIN"),
                 Check(2, "2026-12-01T09:00:00Z", 4512, "CHECK", "CLA"),
                 Check(3, "2026-12-02T09:00:00Z", 4512, "ALERT", "CLA"),
                 Check(4, "2026-12-02T10:00:00Z", 777, "ALERT", "CLA"),
                 Check(5, "2026-12-02T11:00:00Z", 777, "ALERT", ""),
                 Check(6, "2026-12-09T11:00:00Z", 9, "ALERT", "KIN")},
                WriteMode::kAppend);
  CheckSelection week{"2026-12-01T00:00:00Z", "2026-12-08T00:00:00Z", "", ""};
  std::vector<DailyChecks> days = store_->CountChecksPerDay(week);
  ASSERT_EQ(days.size(), 3u);  // the 9th is outside the week
  EXPECT_EQ(days[0].day, "2026-12-01");
  EXPECT_EQ(days[0].verdict, "CHECK");
  EXPECT_EQ(days[1].verdict, "VALID");
  EXPECT_EQ(days[2].day, "2026-12-02");
  EXPECT_EQ(days[2].verdict, "ALERT");
  EXPECT_EQ(days[2].checks, 3);
  std::vector<ParishChecks> parishes = store_->CountWarningsByParish(week);
  ASSERT_EQ(parishes.size(), 2u);  // the unknown parish, then CLA; KIN had only VALID
  EXPECT_EQ(parishes[0].parish, "");
  EXPECT_EQ(parishes[1].parish, "CLA");
  EXPECT_EQ(parishes[1].alert, 2);
  EXPECT_EQ(parishes[1].check, 1);
  std::vector<RecheckedReceipt> receipts = store_->MostRecheckedReceipts(week, 20);
  ASSERT_EQ(receipts.size(), 2u);
  EXPECT_EQ(receipts[0].receipt, 4512);
  EXPECT_EQ(receipts[0].checks, 3);
  EXPECT_EQ(receipts[0].parishes, 2);
  EXPECT_EQ(receipts[0].last_at, "2026-12-02T09:00:00Z");
  CheckSelection kin_alerts{"", "", "KIN", "ALERT"};
  days = store_->CountChecksPerDay(kin_alerts);
  ASSERT_EQ(days.size(), 1u);
  EXPECT_EQ(days[0].day, "2026-12-09");
}

}  // namespace
}  // namespace harvest::store
