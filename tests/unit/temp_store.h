// A fresh SQLite store in a temporary file for each test, and rows to fill it with.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "store/store.h"

namespace harvest::store {

class TempStoreTest : public ::testing::Test {
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

  std::filesystem::path path_;
  std::unique_ptr<Store> store_;
};

}  // namespace harvest::store
