// Every page shape a registry-sized dataset accepts (store::IndexPaths) is an index range
// scan in SQLite's own words: EXPLAIN QUERY PLAN shows no sort of the rows ("USE TEMP
// B-TREE FOR ORDER BY") and, with an equality filter or a cursor, a SEARCH rather than a
// SCAN. This checks the paths listed in sql_builder against the indexes the migrations make.
#include <gtest/gtest.h>

#include "registry/stored_rules.h"
#include "store/sql_builder.h"
#include "store/postgres/pg_connection.h"
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

// One page of `path`: its equality filters with sample values, its order in one direction,
// and with a cursor the sample values of every sort key (a token for the farms' token).
Selection PageOf(const registry::DatasetDef& set, const IndexPath& path, bool descending,
                 bool with_cursor) {
  Selection selection;
  selection.limit = 21;
  selection.key_token = path.key_token;
  for (const std::string& name : path.equal) {
    int field = set.FieldIndex(name);
    selection.filters.push_back(
        Filter{field, FilterOp::kEq, {SampleValue(set.fields[static_cast<size_t>(field)])}});
  }
  for (const std::string& name : path.order) {
    selection.sort.push_back(SortKey{set.FieldIndex(name), descending});
  }
  if (path.order.empty()) {
    selection.sort.push_back(SortKey{set.KeyIndex(), descending});
  }
  if (with_cursor) {
    for (const SortKey& key : EffectiveSort(set, selection.sort, selection.key_token)) {
      selection.after.push_back(key.key_token
                                    ? Value(std::string(32, 'a'))
                                    : SampleValue(set.fields[static_cast<size_t>(key.field)]));
    }
  }
  return selection;
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
          for (const std::string& name : path.equal) {
            ASSERT_GE(set.FieldIndex(name), 0) << set.name << "." << name;
          }
          Selection selection = PageOf(set, path, descending, false);
          ASSERT_FALSE(UnsupportedQuery(set, selection, false)) << set.name;
          selection = PageOf(set, path, descending, with_cursor);
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

// Partners' farms pages end in the farm's token, not its number (neighbours in number
// order are often one owner's farms): the token shapes exist for what partners filter on,
// and each reads its index in token order, seeking by token from a cursor.
TEST_F(QueryPlan, PartnersFarmPagesSeekByToken) {
  const registry::DatasetDef& farms = *registry::FindDataset("farms");
  for (const char* equal : {"", "parish", "status", "district", "extension_area", "tenure"}) {
    for (bool with_cursor : {false, true}) {
      Selection selection;
      selection.limit = 21;
      selection.key_token = true;
      std::string index = "farms_token";
      if (*equal) {
        selection.filters.push_back(
            Filter{farms.FieldIndex(equal), FilterOp::kEq, {std::string("KIN")}});
        index = "farms_" + std::string(equal) + "_token";
      }
      ASSERT_FALSE(UnsupportedQuery(farms, selection, false)) << equal;
      std::vector<SortKey> sort = EffectiveSort(farms, selection.sort, true);
      ASSERT_EQ(sort.size(), 1u);
      ASSERT_TRUE(sort[0].key_token);
      if (with_cursor) {
        selection.after.push_back(std::string(32, 'a'));  // the store seeks by the token
      }
      std::string plan = Plan(farms, selection);
      bool named = plan.find("USING INDEX " + index + " (") != std::string::npos ||
                   plan.find("USING INDEX " + index + "\n") != std::string::npos;
      EXPECT_TRUE(named) << index << ": " << plan;
      EXPECT_NE(plan.find("ORDER BY token ASC"), std::string::npos) << plan;
      EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
      if (*equal || with_cursor) {
        EXPECT_NE(plan.find("SEARCH"), std::string::npos) << plan;
      }
    }
  }
  // Key-ordered pages (staff) are not served from the token indexes, nor the other way.
  Selection staff;
  staff.filters.push_back(Filter{farms.FieldIndex("parish"), FilterOp::kEq, {std::string("KIN")}});
  std::string plan = Plan(farms, staff);
  EXPECT_EQ(plan.find("token"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
  Selection owner = staff;
  owner.filters[0] = Filter{farms.FieldIndex("farmer_id"), FilterOp::kEq, {std::string("1")}};
  EXPECT_FALSE(UnsupportedQuery(farms, owner, false));
  owner.key_token = true;  // partners never see owners: no token shape takes farmer_id
  EXPECT_TRUE(UnsupportedQuery(farms, owner, false));
}

TEST_F(QueryPlan, RangeOnTheSortFieldIsASearch) {
  const registry::DatasetDef& prices = *registry::FindDataset("prices");
  Selection selection;
  selection.limit = 21;
  selection.filters.push_back(
      Filter{prices.FieldIndex("commodity"), FilterOp::kEq, {std::string("ackee")}});
  selection.filters.push_back(
      Filter{prices.FieldIndex("week_of"), FilterOp::kGte, {std::string("2026-01-05")}});
  selection.sort.push_back(SortKey{prices.FieldIndex("week_of"), true});
  ASSERT_FALSE(UnsupportedQuery(prices, selection, false));
  std::string plan = Plan(prices, selection);
  EXPECT_NE(plan.find("SEARCH"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
}

TEST(UnsupportedQuery, NamesTheFilterOrSort) {
  const registry::DatasetDef& farmers = *registry::FindDataset("farmers");
  Selection by_remark;
  by_remark.filters.push_back(
      Filter{farmers.FieldIndex("remarks"), FilterOp::kContains, {std::string("x")}});
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
  mixed.filters.push_back(
      Filter{farmers.FieldIndex("parish"), FilterOp::kEq, {std::string("AND")}});
  mixed.sort.push_back(SortKey{farmers.FieldIndex("last_name"), false});
  mixed.sort.push_back(SortKey{farmers.KeyIndex(), true});
  EXPECT_TRUE(UnsupportedQuery(farmers, mixed, false));
  // Small datasets take anything.
  Selection anything;
  anything.sort.push_back(SortKey{1, true});
  anything.filters.push_back(Filter{2, FilterOp::kContains, {std::string("a")}});
  EXPECT_FALSE(UnsupportedQuery(*registry::FindDataset("production"), anything, false));
}

// The stored-data rules of every write (registry/stored_rules.h) read through the Store
// interface: each read is one probe of an index, whatever the size of the registry (a book
// import of a million books makes two or three per book).
TEST_F(QueryPlan, TheStoredRowRulesReadsAreIndexProbes) {
  std::vector<registry::StoredRuleRead> reads = registry::StoredRuleReads();
  ASSERT_GE(reads.size(), 6u);
  for (const registry::StoredRuleRead& read : reads) {
    std::string plan = Plan(*read.set, read.selection);
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << read.set->name << ": " << plan;
    EXPECT_NE(plan.find("SEARCH"), std::string::npos) << read.set->name << ": " << plan;
    EXPECT_EQ(plan.find("SCAN"), std::string::npos) << read.set->name << ": " << plan;
  }
}

// The same on PostgreSQL: every page shape, both directions, with and without a cursor, is
// read in index order (no Sort node in EXPLAIN, with sorting and sequential scans priced out
// so that only an impossible index order would choose them, even on the tests' empty tables).
class PgQueryPlan : public AnyStoreTest {};

INSTANTIATE_TEST_SUITE_P(Backends, PgQueryPlan, ::testing::Values(Backend::kPostgres),
                         BackendName);

TEST_P(PgQueryPlan, EveryAcceptedPageIsReadInIndexOrder) {
  postgres::PgConnection conn(where_, 10000);
  conn.Exec("SET enable_sort = off; SET enable_seqscan = off");
  int checked = 0;
  for (const registry::DatasetDef& set : registry::Datasets()) {
    for (const IndexPath& path : IndexPaths(set)) {
      for (bool descending : {false, true}) {
        for (bool with_cursor : {false, true}) {
          Selection selection = PageOf(set, path, descending, with_cursor);
          SqlQuery query = BuildSelect(set, selection, Dialect::kPostgres);
          postgres::PgResult plan = conn.RunOnce("EXPLAIN " + query.sql, query.params);
          std::string text;
          for (int i = 0; i < plan.rows(); ++i) {
            text += plan.Text(i, 0) + "\n";
          }
          EXPECT_EQ(text.find("Sort"), std::string::npos) << set.name << ": " << query.sql
                                                          << "\n" << text;
          ++checked;
        }
      }
    }
  }
  EXPECT_GT(checked, 100);
}

}  // namespace
}  // namespace harvest::store
