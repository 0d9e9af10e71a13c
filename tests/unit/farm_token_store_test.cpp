// The farm token the store keeps beside each farm (DatasetDef::key_token): filled by every
// insert and by migration 8 for farms stored before it, and the order of partners' pages.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "auth/farm_token.h"
#include "store/sqlite/connection.h"
#include "temp_store.h"

namespace harvest::store {
namespace {

using registry::FindDataset;

class FarmTokens : public TempStoreTest {
 protected:
  // Farms of four owners, numbered consecutively per owner as registrations make them.
  void AddFarms(int per_owner) {
    const auto& farms = *FindDataset("farms");
    for (int owner = 1; owner <= 4; ++owner) {
      std::string farmer = "10000000" + std::to_string(owner);
      store_->Write(*FindDataset("farmers"), {Farmer(farmer, "KIN", "Domestic Crops")},
                    WriteMode::kInsert);
      std::vector<Row> rows;
      for (int i = 0; i < per_owner; ++i) {
        Row row(farms.fields.size());
        row[farms.FieldIndex("farmer_id")] = farmer;
        row[farms.FieldIndex("parish")] = i % 5 ? "KIN" : "AND";
        row[farms.FieldIndex("status")] = "active";
        rows.push_back(row);
      }
      store_->Write(farms, rows, WriteMode::kInsert);
    }
  }

  // farm number -> stored token, read around the store.
  std::map<int64_t, std::string> StoredTokens() {
    sqlite::Connection conn(path_.string(), std::chrono::seconds(5));
    std::map<int64_t, std::string> tokens;
    sqlite::Statement& stmt = conn.Prepare("SELECT id, coalesce(token, '') FROM farms");
    while (stmt.Step()) {
      tokens[stmt.ColumnInt(0)] = stmt.ColumnText(1);
    }
    stmt.Reset();
    return tokens;
  }

  std::string Seal(int64_t farm) {
    auto key = auth::ParseFarmTokenKey(store_->Setting("farm_token_key").value_or(""));
    EXPECT_TRUE(key);
    return key ? auth::SealFarm(*key, farm) : "";
  }
};

TEST_F(FarmTokens, EveryInsertStoresTheFarmsToken) {
  AddFarms(3);
  const auto& farms = *FindDataset("farms");
  Row given(farms.fields.size());
  given[farms.KeyIndex()] = int64_t{500};
  given[farms.FieldIndex("farmer_id")] = "100000001";
  given[farms.FieldIndex("parish")] = "KIN";
  given[farms.FieldIndex("status")] = "active";
  store_->Write(farms, {given}, WriteMode::kUpsert);
  given[farms.FieldIndex("size_ha")] = 2.5;  // an update keeps the token
  store_->Write(farms, {given}, WriteMode::kUpsert);
  std::map<int64_t, std::string> tokens = StoredTokens();
  ASSERT_EQ(tokens.size(), 13u);
  for (const auto& [farm, token] : tokens) {
    EXPECT_EQ(token, Seal(farm)) << farm;
  }
  EXPECT_THROW(store_->Write(farms, {given}, WriteMode::kInsert), WriteError);
}

TEST_F(FarmTokens, MigrationFillsTheTokensOfFarmsStoredBefore) {
  AddFarms(5);
  store_.reset();
  {
    // The database as migration 7 left it: no token column, no token indexes, and none of
    // the later migrations' tables.
    sqlite::Connection conn(path_.string(), std::chrono::seconds(5));
    for (const char* index :
         {"farms_token", "farms_parish_token", "farms_status_token", "farms_extension_area_token",
          "farms_district_token", "farms_tenure_token"}) {
      conn.Exec("DROP INDEX " + std::string(index));
    }
    conn.Exec("DROP TABLE sessions; DROP TABLE users; DROP TABLE login_failures");
    for (const char* index : {"verifications_at"}) {
      conn.Exec("DROP INDEX " + std::string(index));
    }
    conn.Exec("ALTER TABLE api_keys DROP COLUMN last_used_at");
    conn.Exec("ALTER TABLE farms DROP COLUMN token; PRAGMA user_version = 7");
  }
  store_ = OpenStore(path_.string());
  std::map<int64_t, std::string> tokens = StoredTokens();
  ASSERT_EQ(tokens.size(), 20u);
  for (const auto& [farm, token] : tokens) {
    EXPECT_EQ(token, Seal(farm)) << farm;
  }
  sqlite::Connection conn(path_.string(), std::chrono::seconds(5));
  sqlite::Statement& indexes = conn.Prepare(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name LIKE 'farms_%token'");
  indexes.Step();
  EXPECT_EQ(indexes.ColumnInt(0), 6);
  indexes.Reset();
}

TEST_F(FarmTokens, TokenOrderedPagesVisitEveryFarmOnce) {
  AddFarms(40);
  const auto& farms = *FindDataset("farms");
  std::map<int64_t, std::string> tokens = StoredTokens();
  for (bool descending : {false, true}) {
    for (bool by_parish : {false, true}) {
      Selection page;
      page.key_token = true;
      page.limit = 7;
      page.sort = {{farms.KeyIndex(), descending}};
      if (by_parish) {
        page.filters.push_back(
            Filter{farms.FieldIndex("parish"), FilterOp::kEq, {std::string("KIN")}});
      }
      std::vector<std::string> walked;
      for (;;) {
        std::vector<Row> got = store_->Select(farms, page);
        for (const Row& row : got) {
          walked.push_back(tokens.at(std::get<int64_t>(row[farms.KeyIndex()])));
        }
        if (got.size() < 7) {
          break;
        }
        page.after.clear();
        for (const SortKey& key : EffectiveSort(farms, page.sort, true)) {
          page.after.push_back(got.back()[key.field]);  // the key: the store seeks by token
        }
      }
      std::vector<std::string> expected;
      for (const auto& [farm, token] : tokens) {
        if (!by_parish || (farm - 1) % 40 % 5) {
          expected.push_back(token);
        }
      }
      std::sort(expected.begin(), expected.end());
      if (descending) {
        std::reverse(expected.begin(), expected.end());
      }
      EXPECT_EQ(walked, expected) << "descending " << descending << ", parish " << by_parish;
    }
  }
}

}  // namespace
}  // namespace harvest::store
