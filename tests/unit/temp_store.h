// A fresh store for each test, and rows to fill it with: TempStoreTest, a SQLite file;
// AnyStoreTest, each backend in turn (the store conformance suite: tests through the Store
// interface that every backend must pass).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_store.h"
#include "store/store.h"

namespace harvest::store {

struct StoreRows {
  static Row Farmer(const std::string& id, const std::string& parish, const std::string& activity) {
    const registry::DatasetDef& set = *registry::FindDataset("farmers");
    Row row(set.fields.size());
    row[set.FieldIndex("id")] = id;
    row[set.FieldIndex("first_name")] = "Test";
    row[set.FieldIndex("last_name")] = "Farmer" + id;
    row[set.FieldIndex("parish")] = parish;
    row[set.FieldIndex("activity")] = activity;
    row[set.FieldIndex("verified")] = int64_t{1};
    row[set.FieldIndex("status")] = "active";
    row[set.FieldIndex("under_investigation")] = int64_t{0};
    return row;
  }

  static Row Book(const std::string& serial, int64_t first, int64_t last,
                  const std::string& farmer) {
    const registry::DatasetDef& set = *registry::FindDataset("books");
    Row row(set.fields.size());
    row[set.FieldIndex("serial")] = serial;
    row[set.FieldIndex("first_receipt")] = first;
    row[set.FieldIndex("last_receipt")] = last;
    row[set.FieldIndex("farmer_id")] = farmer;
    row[set.FieldIndex("status")] = "active";
    return row;
  }
};

class TempStoreTest : public ::testing::Test, public StoreRows {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("harvest_store_test_" + std::to_string(getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    Remove();
    store_ = OpenStore(path_.string());
  }
  void TearDown() override {
    store_.reset();
    Remove();
  }
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path_.string() + suffix);
    }
  }

  std::filesystem::path path_;
  std::unique_ptr<Store> store_;
};

// kPostgresPooled: the PostgreSQL store with a pool of one connection (PgOptions::pool_size).
enum class Backend { kSqlite, kPostgres, kPostgresPooled };

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  switch (info.param) {
    case Backend::kSqlite:
      return "sqlite";
    case Backend::kPostgres:
      return "postgres";
    case Backend::kPostgresPooled:
      return "postgres_pooled";
  }
  return "";
}

// The PostgreSQL server the tests use: HARVEST_TEST_POSTGRES, a URL whose role may create
// databases (make test starts one with scripts/postgres). Without it the PostgreSQL runs
// are skipped, unless HARVEST_REQUIRE_POSTGRES is set (as make test sets it): then they fail.
class AnyStoreTest : public ::testing::TestWithParam<Backend>, public StoreRows {
 protected:
  void SetUp() override {
    static std::atomic<int> made{0};
    std::string name = "harvest_t" + std::to_string(getpid()) + "_" + std::to_string(++made);
    if (GetParam() == Backend::kSqlite) {
      where_ = (std::filesystem::temp_directory_path() / (name + ".db")).string();
      store_ = OpenStore(where_);
      return;
    }
    const char* admin = std::getenv("HARVEST_TEST_POSTGRES");
    if (!admin || !*admin) {
      if (std::getenv("HARVEST_REQUIRE_POSTGRES")) {
        FAIL() << "HARVEST_REQUIRE_POSTGRES is set but HARVEST_TEST_POSTGRES names no server";
      }
      GTEST_SKIP() << "no PostgreSQL server (set HARVEST_TEST_POSTGRES)";
    }
    admin_ = admin;
    database_ = name;
    postgres::PgConnection(admin_, 10000).Exec("CREATE DATABASE " + database_);
    where_ = admin_.substr(0, admin_.rfind('/') + 1) + database_;
    store_ = OpenPostgres();
  }
  void TearDown() override {
    store_.reset();
    if (GetParam() == Backend::kSqlite) {
      for (const char* suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(where_ + suffix);
      }
    } else if (!database_.empty()) {
      postgres::PgConnection(admin_, 10000).Exec("DROP DATABASE " + database_ + " WITH (FORCE)");
    }
  }
  // Another handle on the same database (another process: a CLI import, a second server).
  std::unique_ptr<Store> Reopen() {
    if (GetParam() == Backend::kSqlite) {
      return OpenStore(where_);
    }
    return OpenPostgres();
  }

  std::unique_ptr<Store> store_;
  std::string where_;  // the SQLite file, or the PostgreSQL URL

 private:
  std::unique_ptr<Store> OpenPostgres() {
    postgres::PgOptions options;
    options.pool_size = GetParam() == Backend::kPostgresPooled ? 1 : 0;
    return std::make_unique<postgres::PgStore>(where_, options);
  }

  std::string admin_;
  std::string database_;
};

}  // namespace harvest::store
