// limits.query_ms: a statement past its budget really stops (SQLite's progress handler),
// and the connection answers the next query as before.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "store/sqlite/connection.h"

namespace harvest::store::sqlite {
namespace {

// Would run for ever without a budget.
constexpr const char* kEndless =
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n";

TEST(QueryBudget, StopsAnEndlessStatementAndFreesTheConnection) {
  Connection conn(":memory:", std::chrono::seconds(5));
  auto start = std::chrono::steady_clock::now();
  {
    QueryBudget budget(conn, 50);
    Statement& stmt = conn.Prepare(kEndless);
    EXPECT_THROW(stmt.Step(), SqliteError);
    EXPECT_TRUE(budget.Spent());
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 5.0);  // generous: the budget is 50 ms
  Statement& next = conn.Prepare("SELECT 41 + 1");
  ASSERT_TRUE(next.Step());
  EXPECT_EQ(next.ColumnInt(0), 42);
}

TEST(QueryBudget, NoBudgetNoHandler) {
  Connection conn(":memory:", std::chrono::seconds(5));
  QueryBudget budget(conn, 0);
  Statement& stmt =
      conn.Prepare("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < "
                   "200000) SELECT count(*) FROM n");
  ASSERT_TRUE(stmt.Step());
  EXPECT_EQ(stmt.ColumnInt(0), 200000);
  EXPECT_FALSE(budget.Spent());
}

}  // namespace
}  // namespace harvest::store::sqlite
