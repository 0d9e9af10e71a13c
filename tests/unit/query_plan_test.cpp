// Every page shape a registry-sized dataset accepts (store::IndexPaths) is an index range
// scan in SQLite's own words: EXPLAIN QUERY PLAN shows no sort of the rows ("USE TEMP
// B-TREE FOR ORDER BY") and, with an equality filter or a cursor, a SEARCH rather than a
// SCAN. This checks the paths listed in sql_builder against the indexes the migrations make.
#include <gtest/gtest.h>

#include "store/sql_builder.h"
#include "store/sqlite/connection.h"
#include "temp_store.h"

namespace harvest::store {
namespace {

Value SampleValue(const registry::FieldDef& field) {
  switch (field.type) {
    case registry::FieldType::kInteger:
    case registry::FieldType::kBoolean:
      return int64_t{1};
    case registry::FieldType::kReal:
    case registry::FieldType::kMoney:
      return 1.0;
    default:
      return std::string("KIN");
  }
}

class QueryPlan : public TempStoreTest {
 protected:
  std::string Plan(const registry::DatasetDef& set, const Selection& selection) {
    sqlite::Connection conn(path_.string(), std::chrono::seconds(5));
    SqlQuery query = BuildSelect(set, selection, Dialect::kSqlite);
    sqlite::Statement& stmt = conn.Prepare("EXPLAIN QUERY PLAN " + query.sql);
    for (size_t i = 0; i < query.params.size(); ++i) {
      stmt.Bind(static_cast<int>(i + 1), query.params[i]);
    }
    std::string plan;
    while (stmt.Step()) {
      plan += stmt.ColumnText(3) + "\n";
    }
    return plan + "  (" + query.sql + ")";
  }
};

TEST_F(QueryPlan, EveryAcceptedPageIsAnIndexRangeScan) {
  int checked = 0;
  for (const registry::DatasetDef& set : registry::Datasets()) {
    for (const IndexPath& path : IndexPaths(set)) {
      for (bool descending : {false, true}) {
        for (bool with_cursor : {false, true}) {
          Selection selection;
          selection.limit = 21;
          for (const std::string& name : path.equal) {
            int field = set.FieldIndex(name);
            ASSERT_GE(field, 0) << set.name << "." << name;
            selection.filters.push_back(
                Filter{field, FilterOp::kEq, {SampleValue(set.fields[static_cast<size_t>(field)])}});
          }
          for (const std::string& name : path.order) {
            selection.sort.push_back(SortKey{set.FieldIndex(name), descending});
          }
          if (path.order.empty()) {
            selection.sort.push_back(SortKey{set.KeyIndex(), descending});
          }
          ASSERT_FALSE(UnsupportedQuery(set, selection, false)) << set.name;
          if (with_cursor) {
            for (const SortKey& key : EffectiveSort(set, selection.sort)) {
              selection.after.push_back(SampleValue(set.fields[static_cast<size_t>(key.field)]));
            }
          }
          std::string plan = Plan(set, selection);
          EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << set.name << ": " << plan;
          if (!path.equal.empty() || with_cursor) {
            EXPECT_NE(plan.find("SEARCH"), std::string::npos) << set.name << ": " << plan;
            EXPECT_EQ(plan.find("SCAN"), std::string::npos) << set.name << ": " << plan;
          }
          ++checked;
        }
      }
    }
  }
  EXPECT_GT(checked, 100);
}

TEST_F(QueryPlan, RangeOnTheSortFieldIsASearch) {
  const registry::DatasetDef& prices = *registry::FindDataset("prices");
  Selection selection;
  selection.limit = 21;
  selection.filters.push_back(Filter{prices.FieldIndex("commodity"), FilterOp::kEq, {std::string("ackee")}});
  selection.filters.push_back(Filter{prices.FieldIndex("week_of"), FilterOp::kGte, {std::string("2026-01-05")}});
  selection.sort.push_back(SortKey{prices.FieldIndex("week_of"), true});
  ASSERT_FALSE(UnsupportedQuery(prices, selection, false));
  std::string plan = Plan(prices, selection);
  EXPECT_NE(plan.find("SEARCH"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
}

TEST(UnsupportedQuery, NamesTheFilterOrSort) {
  const registry::DatasetDef& farmers = *registry::FindDataset("farmers");
  Selection by_remark;
  by_remark.filters.push_back(Filter{farmers.FieldIndex("remarks"), FilterOp::kContains, {std::string("x")}});
  auto why = UnsupportedQuery(farmers, by_remark, false);
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("'remarks__contains'"), std::string::npos) << *why;
  EXPECT_FALSE(UnsupportedQuery(farmers, by_remark, true));  // a download may
  Selection by_trn;
  by_trn.sort.push_back(SortKey{farmers.FieldIndex("trn"), false});
  why = UnsupportedQuery(farmers, by_trn, true);
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("sort=trn"), std::string::npos) << *why;
  Selection mixed;
  mixed.filters.push_back(Filter{farmers.FieldIndex("parish"), FilterOp::kEq, {std::string("AND")}});
  mixed.sort.push_back(SortKey{farmers.FieldIndex("last_name"), false});
  mixed.sort.push_back(SortKey{farmers.KeyIndex(), true});
  EXPECT_TRUE(UnsupportedQuery(farmers, mixed, false));
  // Small datasets take anything.
  Selection anything;
  anything.sort.push_back(SortKey{1, true});
  anything.filters.push_back(Filter{2, FilterOp::kContains, {std::string("a")}});
  EXPECT_FALSE(UnsupportedQuery(*registry::FindDataset("production"), anything, false));
}

}  // namespace
}  // namespace harvest::store
