// The store conformance suite (StoreConformance: every backend, through the Store interface:
// SPEC §2 rules, all-or-nothing writes, keyset paging, change stamps, SMS replies) and the
// SQLite backend's own tests (StoreTest: suppression, background aggregates, its log
// checkpoints, read snapshots).
#include "store/store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <thread>

#include "store/sqlite/aggregates.h"
#include "store/sqlite/sms_id_index.h"
#include "store/sqlite/sqlite_store.h"
#include "temp_store.h"

namespace harvest::store {
namespace {

using registry::FindDataset;

using StoreTest = TempStoreTest;
using StoreConformance = AnyStoreTest;

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformance,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres,
                                           Backend::kPostgresPooled),
                         BackendName);

// A receipt check as the server logs it in `verifications`.
Row CheckRow(int64_t receipt) {
  const auto& checks = *FindDataset("verifications");
  Row check(checks.fields.size());
  check[checks.FieldIndex("at")] = "2026-11-23T10:00:00Z";
  check[checks.FieldIndex("receipt")] = receipt;
  check[checks.FieldIndex("channel")] = "api";
  check[checks.FieldIndex("verdict")] = "UNKNOWN";
  check[checks.FieldIndex("signals")] = "";
  return check;
}

TEST_P(StoreConformance, BooksNeverOverlap) {
  const auto& books = *FindDataset("books");
  store_->Write(*FindDataset("farmers"), {Farmer("100000001", "KIN", "Domestic Crops")},
                WriteMode::kInsert);
  store_->Write(books,
                {Book("000001", 101, 200, "100000001"), Book("000003", 301, 400, "100000001")},
                WriteMode::kInsert);
  for (auto [first, last] : {std::pair{150, 160}, {50, 101}, {200, 250}, {250, 350}, {1, 1000}}) {
    try {
      store_->Write(books, {Book("000002", first, last, "100000001")}, WriteMode::kInsert);
      ADD_FAILURE() << first << "-" << last << " was accepted";
    } catch (const WriteError& e) {
      EXPECT_TRUE(e.conflict());
      EXPECT_EQ(e.errors()[0].field, "first_receipt");
    }
  }
  EXPECT_NO_THROW(
      store_->Write(books, {Book("000002", 201, 300, "100000001")}, WriteMode::kInsert));
  EXPECT_EQ(store_->Count(books, {}), 3);
}

TEST_P(StoreConformance, WritesAreAllOrNothingAndNameEveryBadRow) {
  const auto& farmers = *FindDataset("farmers");
  store_->Write(farmers, {Farmer("100000001", "KIN", "Domestic Crops")}, WriteMode::kInsert);
  try {
    store_->Write(*FindDataset("books"),
                  {Book("000001", 101, 200, "100000001"), Book("000002", 201, 300, "999999999"),
                   Book("000003", 150, 250, "100000001")},
                  WriteMode::kInsert);
    FAIL() << "bad rows accepted";
  } catch (const WriteError& e) {
    ASSERT_EQ(e.errors().size(), 2u);
    EXPECT_EQ(e.errors()[0].row, 1u);
    EXPECT_EQ(e.errors()[0].field, "farmer_id");
    EXPECT_EQ(e.errors()[1].row, 2u);
  }
  EXPECT_EQ(store_->Count(*FindDataset("books"), {}), 0) << "the good row was rolled back too";
  EXPECT_THROW(store_->Write(farmers, {Farmer("100000001", "KIN", "x")}, WriteMode::kInsert),
               WriteError);
  auto result =
      store_->Write(farmers, {Farmer("100000001", "AND", "x"), Farmer("100000002", "KIN", "x")},
                    WriteMode::kUpsert);
  EXPECT_EQ(result.inserted, 1u);
  EXPECT_EQ(result.updated, 1u);
}

// A dataset whose key the store assigns still assigns a new one after rows written with
// their own key (an import).
TEST_P(StoreConformance, GeneratedKeysFollowKeysGivenInAWrite) {
  const auto& farms = *FindDataset("farms");
  store_->Write(*FindDataset("farmers"), {Farmer("100000001", "KIN", "x")}, WriteMode::kInsert);
  Row farm(farms.fields.size());
  farm[farms.FieldIndex("farmer_id")] = std::string("100000001");
  farm[farms.FieldIndex("parish")] = std::string("KIN");
  farm[farms.FieldIndex("status")] = std::string("active");
  Row given = farm;
  given[farms.KeyIndex()] = int64_t{500};
  store_->Write(farms, {given}, WriteMode::kInsert);
  WriteResult made = store_->Write(farms, {farm}, WriteMode::kInsert);
  EXPECT_GT(std::get<int64_t>(made.rows[0][farms.KeyIndex()]), 500);
  EXPECT_EQ(store_->Count(farms, {}), 2);
}

// Rows written together may be checked once they are all in (PostgreSQL's COPY): books of
// one batch that overlap only each other are still refused, each named as row by row would
// (B inside A; C overlaps A but not B, the book just below it).
TEST_P(StoreConformance, BooksWrittenTogetherNeverOverlapEachOther) {
  const auto& books = *FindDataset("books");
  store_->Write(*FindDataset("farmers"), {Farmer("100000001", "KIN", "x")}, WriteMode::kInsert);
  try {
    store_->Write(books,
                  {Book("A", 1, 100, "100000001"), Book("B", 2, 3, "100000001"),
                   Book("C", 50, 60, "100000001"), Book("D", 101, 200, "100000001")},
                  WriteMode::kInsert);
    FAIL() << "overlapping books accepted";
  } catch (const WriteError& e) {
    ASSERT_EQ(e.errors().size(), 2u);
    EXPECT_EQ(e.errors()[0].row, 1u);
    EXPECT_EQ(e.errors()[0].message, "receipts 2-3 overlap book A (1-100)");
    EXPECT_EQ(e.errors()[1].row, 2u);
    EXPECT_EQ(e.errors()[1].message, "receipts 50-60 overlap book A (1-100)");
  }
  EXPECT_EQ(store_->Count(books, {}), 0);
  WriteResult made = store_->Write(
      books, {Book("A", 1, 100, "100000001"), Book("D", 101, 200, "100000001")},
      WriteMode::kInsert);
  EXPECT_EQ(made.inserted, 2u);
  EXPECT_EQ(store_->Count(books, {}), 2);
}

TEST_P(StoreConformance, RowsWrittenTogetherKeepEveryCharacter) {
  const auto& farmers = *FindDataset("farmers");
  const std::string odd = "tab\there, new\nline, back\\slash \\N, return\r, Dúnn";
  Row first = Farmer("100000001", "KIN", "x");
  first[farmers.FieldIndex("last_name")] = odd;
  store_->Write(farmers, {first, Farmer("100000002", "KIN", "x")}, WriteMode::kInsert);
  std::optional<Row> read = store_->Get(farmers, std::string("100000001"));
  ASSERT_TRUE(read);
  EXPECT_EQ(std::get<std::string>((*read)[farmers.FieldIndex("last_name")]), odd);
  EXPECT_TRUE(IsNull((*store_->Get(farmers, std::string("100000002")))[farmers.FieldIndex("trn")]));
}

// Keys left to the store in a batch are distinct, returned, and behind the next one made.
TEST_P(StoreConformance, KeysOfRowsWrittenTogetherAreReturned) {
  const auto& farms = *FindDataset("farms");
  store_->Write(*FindDataset("farmers"), {Farmer("100000001", "KIN", "x")}, WriteMode::kInsert);
  Row farm(farms.fields.size());
  farm[farms.FieldIndex("farmer_id")] = std::string("100000001");
  farm[farms.FieldIndex("parish")] = std::string("KIN");
  farm[farms.FieldIndex("status")] = std::string("active");
  WriteResult made = store_->Write(farms, {farm, farm, farm}, WriteMode::kInsert);
  std::vector<int64_t> keys;
  for (const Row& row : made.rows) {
    keys.push_back(std::get<int64_t>(row[farms.KeyIndex()]));
    ASSERT_TRUE(store_->Get(farms, keys.back()));
  }
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
  EXPECT_EQ(std::adjacent_find(keys.begin(), keys.end()), keys.end());
  WriteResult next = store_->Write(farms, {farm}, WriteMode::kInsert);
  EXPECT_GT(std::get<int64_t>(next.rows[0][farms.KeyIndex()]), keys.back());
}

// A key given to one row of a batch is refused when the store gives it to an earlier row
// of the same batch, as row by row does.
TEST_P(StoreConformance, AKeyGivenInABatchIsNotGivenToAnotherRowOfIt) {
  const auto& farms = *FindDataset("farms");
  store_->Write(*FindDataset("farmers"), {Farmer("100000001", "KIN", "x")}, WriteMode::kInsert);
  Row farm(farms.fields.size());
  farm[farms.FieldIndex("farmer_id")] = std::string("100000001");
  farm[farms.FieldIndex("parish")] = std::string("KIN");
  farm[farms.FieldIndex("status")] = std::string("active");
  WriteResult made = store_->Write(farms, {farm, farm}, WriteMode::kInsert);
  int64_t next = std::get<int64_t>(made.rows[1][farms.KeyIndex()]) + 1;
  Row given = farm;
  given[farms.KeyIndex()] = next;
  try {
    store_->Write(farms, {farm, given}, WriteMode::kInsert);
    ADD_FAILURE() << "key " << next << " was given to the first row and accepted for the second";
  } catch (const WriteError& e) {
    ASSERT_EQ(e.errors().size(), 1u);
    EXPECT_EQ(e.errors()[0].row, 1u);
    EXPECT_EQ(e.errors()[0].field, "id");
  }
  EXPECT_EQ(store_->Count(farms, {}), 2);
}

// An upsert of new rows only and one that meets a stored row count what each did.
TEST_P(StoreConformance, AnUpsertCountsNewAndReplacedRows) {
  const auto& farmers = *FindDataset("farmers");
  WriteResult fresh = store_->Write(
      farmers, {Farmer("100000001", "KIN", "x"), Farmer("100000002", "KIN", "x")},
      WriteMode::kUpsert);
  EXPECT_EQ(fresh.inserted, 2u);
  EXPECT_EQ(fresh.updated, 0u);
  WriteResult mixed = store_->Write(
      farmers, {Farmer("100000002", "AND", "x"), Farmer("100000003", "KIN", "x")},
      WriteMode::kUpsert);
  EXPECT_EQ(mixed.inserted, 1u);
  EXPECT_EQ(mixed.updated, 1u);
  EXPECT_EQ(std::get<std::string>(
                (*store_->Get(farmers, std::string("100000002")))[farmers.FieldIndex("parish")]),
            "AND");
  EXPECT_EQ(store_->Count(farmers, {}), 3);
}

TEST_P(StoreConformance, AtomicallyUndoesEverythingOnFailure) {
  const auto& farmers = *FindDataset("farmers");
  EXPECT_THROW(store_->Atomically([&] {
    store_->Write(farmers, {Farmer("100000001", "KIN", "x")}, WriteMode::kInsert);
    store_->Write(farmers, {Farmer("100000001", "KIN", "x")}, WriteMode::kInsert);
  }),
               WriteError);
  EXPECT_TRUE(store_->Empty());
}

TEST_P(StoreConformance, KeysetPagingVisitsEveryRowOnceInAnyOrder) {
  const auto& farms = *FindDataset("farms");
  store_->Write(*FindDataset("farmers"), {Farmer("100000001", "KIN", "x")}, WriteMode::kInsert);
  std::mt19937 random(7);
  std::vector<Row> rows;
  const char* tenures[] = {"owned", "leased", "family"};
  for (int i = 0; i < 300; ++i) {
    Row row(farms.fields.size());
    row[farms.FieldIndex("farmer_id")] = "100000001";
    row[farms.FieldIndex("parish")] = "KIN";
    row[farms.FieldIndex("status")] = "active";
    if (random() % 4) {  // a quarter have nulls in the sort keys
      row[farms.FieldIndex("tenure")] = tenures[random() % 3];
      row[farms.FieldIndex("size_ha")] = static_cast<double>(random() % 5);
    }
    rows.push_back(row);
  }
  store_->Write(farms, rows, WriteMode::kInsert);
  for (bool tenure_desc : {false, true}) {
    for (bool size_desc : {false, true}) {
      Selection all;
      all.sort = {{farms.FieldIndex("tenure"), tenure_desc},
                  {farms.FieldIndex("size_ha"), size_desc}};
      std::vector<Row> expected = store_->Select(farms, all);
      std::vector<Row> walked;
      Selection page = all;
      page.limit = 17;
      for (;;) {
        std::vector<Row> got = store_->Select(farms, page);
        walked.insert(walked.end(), got.begin(), got.end());
        if (got.size() < 17) {
          break;
        }
        page.after.clear();
        for (const SortKey& key : EffectiveSort(farms, page.sort)) {
          page.after.push_back(got.back()[key.field]);
        }
      }
      ASSERT_EQ(walked.size(), expected.size());
      for (size_t i = 0; i < walked.size(); ++i) {
        EXPECT_EQ(walked[i][0], expected[i][0]) << "position " << i;
      }
    }
  }
}

TEST_P(StoreConformance, SmallCellsAreSuppressed) {
  const auto& farmers = *FindDataset("farmers");
  std::vector<Row> rows;
  for (int i = 0; i < 7; ++i) {
    rows.push_back(Farmer("20000000" + std::to_string(i), "ELZ", "Goat Rearing"));
  }
  for (int i = 0; i < 4; ++i) {
    rows.push_back(Farmer("30000000" + std::to_string(i), "THO", "Apiculture"));
  }
  store_->Write(farmers, rows, WriteMode::kInsert);
  const auto& stats = *FindDataset("farmer-stats");
  auto elz = store_->Get(stats, std::string("ELZ:Goat Rearing"));
  ASSERT_TRUE(elz);
  EXPECT_EQ(std::get<int64_t>((*elz)[stats.FieldIndex("farmers")]), 7);
  EXPECT_EQ(std::get<int64_t>((*elz)[stats.FieldIndex("suppressed")]), 0);
  auto tho = store_->Get(stats, std::string("THO:Apiculture"));
  ASSERT_TRUE(tho);
  EXPECT_TRUE(IsNull((*tho)[stats.FieldIndex("farmers")]));
  EXPECT_TRUE(IsNull((*tho)[stats.FieldIndex("verified")]));
  EXPECT_EQ(std::get<int64_t>((*tho)[stats.FieldIndex("suppressed")]), 1);
  // The threshold is a setting; aggregates follow it, and follow new writes.
  store_->SetSetting("suppression_threshold", "3");
  tho = store_->Get(stats, std::string("THO:Apiculture"));
  EXPECT_EQ(std::get<int64_t>((*tho)[stats.FieldIndex("farmers")]), 4);
  store_->Write(farmers, {Farmer("300000009", "THO", "Apiculture")}, WriteMode::kInsert);
  tho = store_->Get(stats, std::string("THO:Apiculture"));
  EXPECT_EQ(std::get<int64_t>((*tho)[stats.FieldIndex("farmers")]), 5);
}

// Production cells count each parish's farms growing a crop, sum their areas and volumes
// (rounded as published), and are suppressed by the number of distinct farmers behind them.
TEST_P(StoreConformance, ProductionCellsCountFarmsPerCrop) {
  const auto& farms = *FindDataset("farms");
  const auto& crops = *FindDataset("crops");
  store_->Write(*FindDataset("farmers"),
                {Farmer("600000001", "MAN", "crops"), Farmer("600000002", "MAN", "crops")},
                WriteMode::kInsert);
  std::vector<Row> farm_rows;
  for (const char* owner : {"600000001", "600000001", "600000002"}) {
    Row farm(farms.fields.size());
    farm[farms.FieldIndex("farmer_id")] = std::string(owner);
    farm[farms.FieldIndex("parish")] = std::string("MAN");
    farm[farms.FieldIndex("status")] = std::string("active");
    farm_rows.push_back(farm);
  }
  WriteResult made = store_->Write(farms, farm_rows, WriteMode::kInsert);
  std::vector<Row> crop_rows;
  for (const Row& farm : made.rows) {
    Row crop(crops.fields.size());
    crop[crops.FieldIndex("farm_id")] = farm[farms.KeyIndex()];
    crop[crops.FieldIndex("crop")] = std::string("yam");
    crop[crops.FieldIndex("area_ha")] = 0.333;
    crop[crops.FieldIndex("expected_volume_kg")] = 100.04;
    crop[crops.FieldIndex("status")] = std::string("growing");
    crop_rows.push_back(crop);
  }
  store_->Write(crops, crop_rows, WriteMode::kInsert);
  const auto& production = *FindDataset("production");
  auto cell = store_->Get(production, std::string("MAN:yam"));
  ASSERT_TRUE(cell);
  EXPECT_EQ(std::get<int64_t>((*cell)[production.FieldIndex("suppressed")]), 1) << "2 farmers < 5";
  EXPECT_TRUE(IsNull((*cell)[production.FieldIndex("farms")]));
  store_->SetSetting("suppression_threshold", "2");
  cell = store_->Get(production, std::string("MAN:yam"));
  ASSERT_TRUE(cell);
  EXPECT_EQ(std::get<int64_t>((*cell)[production.FieldIndex("farms")]), 3);
  EXPECT_EQ(std::get<double>((*cell)[production.FieldIndex("area_ha")]), 1.0);
  EXPECT_EQ(std::get<double>((*cell)[production.FieldIndex("expected_volume_kg")]), 300.1);
}

// A server's store answers aggregate reads from the tables it has while a background
// thread rebuilds them after a write, and the rebuilt tables follow the write.
TEST_F(StoreTest, AggregatesFollowWritesInTheBackground) {
  const auto& farmers = *FindDataset("farmers");
  const auto& stats = *FindDataset("farmer-stats");
  std::vector<Row> rows;
  for (int i = 0; i < 6; ++i) {
    rows.push_back(Farmer("40000000" + std::to_string(i), "POR", "Apiculture"));
  }
  store_->Write(farmers, rows, WriteMode::kInsert);
  auto count = [&] {
    auto cell = store_->Get(stats, std::string("POR:Apiculture"));
    return cell ? std::get<int64_t>((*cell)[stats.FieldIndex("farmers")]) : -1;
  };
  ASSERT_EQ(count(), 6);  // built on the reading thread before any background refresh
  store_->StartServing();
  uint64_t stamp = store_->ChangeStamp();
  store_->Write(farmers, {Farmer("400000009", "POR", "Apiculture")}, WriteMode::kInsert);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (count() != 7) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the rebuild never came";
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // The rebuild moved the change stamp past the write's, so answers cached between the
  // write and the rebuild are dropped.
  EXPECT_GE(store_->ChangeStamp(), stamp + 2);
}

// Two rebuilds racing (two threads or processes): the one computed from an older registry
// does not replace tables computed from a newer one.
TEST_F(StoreTest, AnOlderRebuildNeverReplacesANewerOne) {
  const auto& farmers = *FindDataset("farmers");
  const auto& stats = *FindDataset("farmer-stats");
  auto& sqlite_store = dynamic_cast<sqlite::SqliteStore&>(*store_);
  sqlite::Connection& conn = sqlite_store.Conn();
  std::vector<Row> rows;
  for (int i = 0; i < 5; ++i) {
    rows.push_back(Farmer("50000000" + std::to_string(i), "HAN", "Apiculture"));
  }
  store_->Write(farmers, rows, WriteMode::kInsert);
  sqlite::AggregateTables older = sqlite::ComputeAggregates(conn);
  store_->Write(farmers, {Farmer("500000009", "HAN", "Apiculture")}, WriteMode::kInsert);
  sqlite::AggregateTables newer = sqlite::ComputeAggregates(conn);
  ASSERT_NE(older.version, newer.version);
  EXPECT_TRUE(sqlite::ReplaceAggregates(conn, newer));
  EXPECT_FALSE(sqlite::ReplaceAggregates(conn, older));
  EXPECT_FALSE(sqlite::ReplaceAggregates(conn, newer));  // already there
  auto cell = store_->Get(stats, std::string("HAN:Apiculture"));
  ASSERT_TRUE(cell);
  EXPECT_EQ(std::get<int64_t>((*cell)[stats.FieldIndex("farmers")]), 6);
}

// A serving store commits without SQLite's automatic checkpoint (it ran inside the commit
// that crossed 1,000 pages, with a sync), and its own checkpointer keeps the log bounded.
TEST_F(StoreTest, AServingStoreKeepsItsLogBoundedOffTheCommitPath) {
  store_->StartServing();
  auto& conn = dynamic_cast<sqlite::SqliteStore&>(*store_).Conn();
  sqlite::Statement& autocheckpoint = conn.Prepare("PRAGMA wal_autocheckpoint");
  ASSERT_TRUE(autocheckpoint.Step());
  EXPECT_EQ(autocheckpoint.ColumnInt(0), 0);
  autocheckpoint.Reset();
  // About 40 MB of log in small commits; without checkpoints the log would hold all of it.
  std::string detail(4000, 'x');
  for (int i = 0; i < 10000; ++i) {
    store_->AppendAudit(
        {AuditEntry{"", "cli", "admin", "cli", "read", "farmers", std::to_string(i), detail}});
    if (i % 500 == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(150));  // a checkpoint's turn
    }
  }
  auto wal = std::filesystem::file_size(path_.string() + "-wal");
  EXPECT_LT(wal, 24u << 20) << "the log was not checkpointed";
}

TEST_P(StoreConformance, AuditLogIsAppendOnly) {
  store_->AppendAudit({AuditEntry{"", "cli", "admin", "cli", "read", "farmers", "1", ""}});
  const auto& audit = *FindDataset("audit");
  EXPECT_THROW(store_->Update(audit, int64_t{1}, {{audit.FieldIndex("actor"), std::string("x")}}),
               WriteError);
  auto entry = store_->Get(audit, int64_t{1});
  ASSERT_TRUE(entry);
  EXPECT_EQ(std::get<std::string>((*entry)[audit.FieldIndex("actor")]), "cli");
}

TEST_F(StoreTest, ReadScopeSeesOneSnapshotAndLetsWritesThrough) {
  const auto& farmers = *FindDataset("farmers");
  store_->Write(farmers, {Farmer("100000001", "KIN", "crops")}, WriteMode::kInsert);
  {
    ReadScope scope(*store_);
    EXPECT_EQ(store_->Count(farmers, {}), 1);
    // Another thread (another connection) commits meanwhile: the snapshot does not see it...
    std::thread([&] {
      store_->Write(farmers, {Farmer("100000002", "KIN", "crops")}, WriteMode::kInsert);
    }).join();
    EXPECT_EQ(store_->Count(farmers, {}), 1);
    // ...and a write from the outdated snapshot still succeeds, after which reads see both.
    store_->Write(farmers, {Farmer("100000003", "THO", "crops")}, WriteMode::kInsert);
    EXPECT_EQ(store_->Count(farmers, {}), 3);
  }
  EXPECT_EQ(store_->Count(farmers, {}), 3);
}

TEST_P(StoreConformance, ChangeStampMovesWithRegistryWritesNotLogAppends) {
  const auto& farmers = *FindDataset("farmers");
  uint64_t start = store_->ChangeStamp();
  store_->AppendAudit({AuditEntry{"", "cli", "admin", "cli", "read", "farmers", "1", ""}});
  store_->RememberSmsReplies({SmsReply{"kannel", "k-1", "+18765550100", "", "HELP ..."}});
  const auto& checks = *FindDataset("verifications");
  store_->Write(checks, {CheckRow(4512)}, WriteMode::kAppend);
  ASSERT_EQ(store_->Count(checks, {}), 1);
  EXPECT_EQ(store_->ChangeStamp(), start);
  store_->Write(farmers, {Farmer("100000001", "KIN", "crops")}, WriteMode::kInsert);
  uint64_t after_write = store_->ChangeStamp();
  EXPECT_NE(after_write, start);
  // A write through another handle on the file (another process: a CLI import) moves it too.
  Reopen()->Write(farmers, {Farmer("100000002", "THO", "crops")}, WriteMode::kInsert);
  EXPECT_NE(store_->ChangeStamp(), after_write);
}

TEST_P(StoreConformance, KeptSmsRepliesAreFoundByGatewaySenderAndIdAcrossAReopen) {
  store_->RememberSmsReplies({SmsReply{"kannel", "k-1", "+18765550100", "", "first"},
                              SmsReply{"kannel", "k-2", "+18765550100", "", "second"},
                              SmsReply{"twilio", "k-1", "+18765550100", "", "third"}});
  // Kept once: a second delivery of a kept id does not replace its reply.
  store_->RememberSmsReplies({SmsReply{"kannel", "k-1", "+18765550100", "", "again"}});
  EXPECT_EQ(store_->FindSmsReply("kannel", "+18765550100", "k-1"), "first");
  EXPECT_EQ(store_->FindSmsReply("kannel", "+18765550100", "k-2"), "second");
  EXPECT_EQ(store_->FindSmsReply("twilio", "+18765550100", "k-1"), "third");
  EXPECT_EQ(store_->FindSmsReply("kannel", "+18765550199", "k-1"), std::nullopt);
  EXPECT_EQ(store_->FindSmsReply("kannel", "+18765550100", "k-3"), std::nullopt);
  // A reply whose commit was rolled back is not found, though it was indexed meanwhile.
  EXPECT_THROW(store_->Atomically([&] {
    store_->RememberSmsReplies({SmsReply{"kannel", "k-9", "+18765550100", "", "lost"}});
    throw std::runtime_error("the commit fails");
  }),
               std::runtime_error);
  EXPECT_EQ(store_->FindSmsReply("kannel", "+18765550100", "k-9"), std::nullopt);
  // ...and the row id it was given, now taken by another message, still answers only that one.
  store_->RememberSmsReplies({SmsReply{"kannel", "k-10", "+18765550100", "", "tenth"}});
  EXPECT_EQ(store_->FindSmsReply("kannel", "+18765550100", "k-9"), std::nullopt);
  EXPECT_EQ(store_->FindSmsReply("kannel", "+18765550100", "k-10"), "tenth");
  // Another handle on the file (a restarted server) finds what was kept, in one pass.
  auto reopened = Reopen();
  EXPECT_EQ(reopened->FindSmsReply("kannel", "+18765550100", "k-2"), "second");
  EXPECT_EQ(reopened->FindSmsReply("kannel", "+18765550100", "k-10"), "tenth");
  EXPECT_EQ(reopened->FindSmsReply("kannel", "+18765550100", "k-9"), std::nullopt);
}

TEST(SmsIdIndex, FindsEveryRowOfAHashThroughGrowth) {
  sqlite::SmsIdIndex index;
  for (int64_t row = 1; row <= 100000; ++row) {
    index.Add(index.Hash("kannel", "+1876555" + std::to_string(row % 97), std::to_string(row)),
              row);
  }
  index.Add(42, 7);
  index.Add(42, 8);
  index.Add(42, 7);  // present already
  EXPECT_EQ(index.size(), 100002u);
  std::vector<int64_t> rows = index.Rows(42);
  std::sort(rows.begin(), rows.end());
  EXPECT_EQ(rows, (std::vector<int64_t>{7, 8}));
  for (int64_t row = 1; row <= 100000; row += 997) {
    std::vector<int64_t> found = index.Rows(
        index.Hash("kannel", "+1876555" + std::to_string(row % 97), std::to_string(row)));
    EXPECT_NE(std::find(found.begin(), found.end(), row), found.end()) << row;
  }
  // The hash takes the three parts apart: the same letters split differently differ.
  EXPECT_NE(index.Hash("ab", "c", "d"), index.Hash("a", "bc", "d"));
}

TEST_P(StoreConformance, ScanCanReadSomeFieldsInAnyOrder) {
  const auto& farmers = *FindDataset("farmers");
  store_->Write(farmers,
                {Farmer("100000003", "KIN", "crops"), Farmer("100000001", "THO", "goats"),
                 Farmer("100000002", "KIN", "bees")},
                WriteMode::kInsert);
  Selection some;
  some.fields = {farmers.FieldIndex("parish"), farmers.FieldIndex("id")};
  some.any_order = true;
  some.sort = {{farmers.FieldIndex("activity"), true}};  // ignored
  std::vector<std::string> seen;
  store_->Scan(farmers, some, [&](const Row& row) {
    EXPECT_EQ(row.size(), farmers.fields.size());
    EXPECT_TRUE(IsNull(row[farmers.FieldIndex("activity")])) << "a field not asked for was read";
    seen.push_back(std::get<std::string>(row[farmers.FieldIndex("id")]) +
                   std::get<std::string>(row[farmers.FieldIndex("parish")]));
    return true;
  });
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"100000001THO", "100000002KIN", "100000003KIN"}));
}

TEST_P(StoreConformance, EachDatasetHasItsOwnChangeStamp) {
  const auto& farmers = *FindDataset("farmers");
  const auto& books = *FindDataset("books");
  const auto& checks = *FindDataset("verifications");
  uint64_t farmers_start = store_->ChangeStamp(farmers);
  uint64_t books_start = store_->ChangeStamp(books);
  store_->Write(farmers, {Farmer("100000001", "KIN", "crops")}, WriteMode::kInsert);
  uint64_t farmers_after = store_->ChangeStamp(farmers);
  EXPECT_NE(farmers_after, farmers_start);
  EXPECT_EQ(store_->ChangeStamp(books), books_start) << "a farmers write moved the books stamp";
  store_->Write(books, {Book("000001", 101, 200, "100000001")}, WriteMode::kInsert);
  uint64_t books_after = store_->ChangeStamp(books);
  EXPECT_NE(books_after, books_start);
  EXPECT_EQ(store_->ChangeStamp(farmers), farmers_after);
  // Update moves it as Write does; a log's stamp never moves.
  int status = books.FieldIndex("status");
  ASSERT_TRUE(store_->Update(books, std::string("000001"), {{status, std::string("lost")}}));
  EXPECT_NE(store_->ChangeStamp(books), books_after);
  uint64_t checks_start = store_->ChangeStamp(checks);
  store_->Write(checks, {CheckRow(150)}, WriteMode::kAppend);
  EXPECT_EQ(store_->ChangeStamp(checks), checks_start);
  // Another handle's write is seen, for that dataset alone.
  uint64_t books_now = store_->ChangeStamp(books);
  Reopen()->Write(farmers, {Farmer("100000002", "THO", "crops")}, WriteMode::kInsert);
  EXPECT_NE(store_->ChangeStamp(farmers), farmers_after);
  EXPECT_EQ(store_->ChangeStamp(books), books_now);
}

// A filter "in" no values matches no row (and is valid SQL on every backend: `IN ()` is not).
TEST_P(StoreConformance, AnInFilterOfNothingMatchesNothing) {
  const auto& farmers = *FindDataset("farmers");
  store_->Write(farmers, {Farmer("100000001", "KIN", "crops")}, WriteMode::kInsert);
  Selection none;
  none.filters.push_back({farmers.KeyIndex(), FilterOp::kIn, {}});
  EXPECT_TRUE(store_->Select(farmers, none).empty());
  EXPECT_EQ(store_->Count(farmers, none.filters), 0);
}

// Quotas (SPEC §10) count per subject and free a use when it leaves the window; uses taken
// within one minute give the same answers on both backends (PostgreSQL counts per minute).
TEST_P(StoreConformance, QuotasCountPerSubjectAndFreeWithTheWindow) {
  const int64_t start = 1795000020;  // the start of a minute
  EXPECT_EQ(store_->TakeQuota("key:1", start, 3600, 2), 0);
  EXPECT_EQ(store_->TakeQuota("key:1", start + 10, 3600, 2), 0);
  EXPECT_EQ(store_->TakeQuota("key:1", start + 20, 3600, 2), 3580)
      << "until the first use leaves the hour";
  EXPECT_EQ(store_->TakeQuota("key:1", start + 30, 3600, 2), 3570) << "a refusal counts nothing";
  EXPECT_EQ(store_->TakeQuota("key:2", start + 20, 3600, 2), 0) << "another subject";
  EXPECT_EQ(store_->TakeQuota("key:1", start + 3600, 3600, 2), 0) << "the hour has passed";
  EXPECT_EQ(store_->TakeQuota("key:1", start + 3600, 3600, 0), 0) << "0 is no limit";
  // Concurrent takers never get more than the limit between them.
  std::atomic<int> taken{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        taken += store_->TakeQuota("sms:+18765550100", start, 3600, 25) == 0 ? 1 : 0;
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  EXPECT_EQ(taken.load(), 25);
  if (GetParam() != Backend::kSqlite) {
    // Every server of the database counts the same uses (SPEC §11).
    EXPECT_GT(Reopen()->TakeQuota("sms:+18765550100", start + 5, 3600, 25), 0);
  }
}

using PgPoolTest = AnyStoreTest;
INSTANTIATE_TEST_SUITE_P(Backends, PgPoolTest, ::testing::Values(Backend::kPostgresPooled),
                         BackendName);

// With every pooled connection taken (one, by a transaction on another thread), a call waits
// for one up to the write wait, then is refused naming the pool; once it is given back, the
// next call has it and sees what the transaction committed.
TEST_P(PgPoolTest, ACallWaitsForAPooledConnectionThenIsRefused) {
  const auto& farmers = *FindDataset("farmers");
  store_->SetWriteWait(std::chrono::milliseconds(300));
  std::atomic<bool> inside{false};
  std::atomic<bool> refused{false};
  std::thread holder([&] {
    store_->Atomically([&] {
      store_->Write(farmers, {Farmer("100000001", "KIN", "x")}, WriteMode::kInsert);
      inside = true;
      while (!refused) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    });
  });
  while (!inside) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  auto asked = std::chrono::steady_clock::now();
  try {
    store_->Get(farmers, std::string("100000001"));
    ADD_FAILURE() << "a second connection was used";
  } catch (const Unavailable& e) {
    EXPECT_NE(std::string(e.what()).find("all 1 connections"), std::string::npos) << e.what();
    EXPECT_GE(std::chrono::steady_clock::now() - asked, std::chrono::milliseconds(250));
  }
  refused = true;
  holder.join();
  EXPECT_TRUE(store_->Get(farmers, std::string("100000001")));
}

// Many threads share a pool of two: each call is answered, and no more than two connections
// are opened.
TEST_P(PgPoolTest, ThreadsShareAPoolOfTheSizeGiven) {
  const auto& farmers = *FindDataset("farmers");
  store_->Write(farmers, {Farmer("100000001", "KIN", "x")}, WriteMode::kInsert);
  postgres::PgConnection watcher(where_, 10000);
  const std::string open = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()";
  int64_t before = watcher.Run(open).Int(0, 0);
  postgres::PgOptions options;
  options.pool_size = 2;
  postgres::PgStore pg(where_, options);
  Store& pooled = pg;
  std::atomic<int> found{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        pooled.Atomically([&] {
          found += pooled.Get(farmers, std::string("100000001")) ? 1 : 0;
          pooled.Write(farmers, {Farmer(std::to_string(200000000 + t * 100 + i), "KIN", "x")},
                       WriteMode::kInsert);
        });
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  EXPECT_EQ(found.load(), 200);
  EXPECT_EQ(pooled.Count(farmers, {}), 201);
  EXPECT_LE(watcher.Run(open).Int(0, 0) - before, 2);
}

// A pooled store whose "standby" is the primary itself (reads answer the same), with one
// connection to each, and a short write wait.
std::unique_ptr<postgres::PgStore> WithStandbyPool(const std::string& url) {
  postgres::PgOptions options;
  options.pool_size = 1;
  options.read_urls = {url};
  auto store = std::make_unique<postgres::PgStore>(url, options);
  store->SetWriteWait(std::chrono::milliseconds(300));
  return store;
}

Row PriceRow() {
  const auto& prices = *FindDataset("prices");
  Row row(prices.fields.size());
  row[prices.FieldIndex("commodity")] = std::string("yellow yam");
  row[prices.FieldIndex("unit")] = std::string("kg");
  row[prices.FieldIndex("price")] = 180.0;
  row[prices.FieldIndex("price_point")] = std::string("farmgate");
  row[prices.FieldIndex("parish")] = std::string("KIN");
  row[prices.FieldIndex("week_of")] = std::string("2026-11-30");
  return row;
}

// Runs `hold` on another thread until `held` is set, then `read` here: its time.
std::chrono::steady_clock::duration WhileHeld(const std::function<void(std::atomic<bool>&,
                                                                         std::atomic<bool>&)>& hold,
                                              const std::function<void()>& read) {
  std::atomic<bool> held{false};
  std::atomic<bool> done{false};
  std::thread holder([&] { hold(held, done); });
  while (!held) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  auto start = std::chrono::steady_clock::now();
  read();
  auto took = std::chrono::steady_clock::now() - start;
  done = true;
  holder.join();
  return took;
}

void WaitFor(const std::atomic<bool>& done) {
  while (!done) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// A price counted through a pool of one connection to the primary and one to a standby
// (the primary itself) while `hold` keeps one of them on another thread: the count, and how
// long it took.
std::pair<int64_t, std::chrono::steady_clock::duration> CountPricesWhile(
    const std::string& url,
    const std::function<void(Store&, std::atomic<bool>&, std::atomic<bool>&)>& hold) {
  auto pg = WithStandbyPool(url);
  Store& pooled = *pg;
  const auto& prices = *FindDataset("prices");
  pooled.Write(prices, {PriceRow()}, WriteMode::kInsert);
  int64_t counted = -1;
  auto took = WhileHeld([&](std::atomic<bool>& held,
                            std::atomic<bool>& done) { hold(pooled, held, done); },
                        [&] { counted = pooled.Count(prices, {}); });
  return {counted, took};
}

// An open-data read goes to the standby without taking a primary connection: it is answered
// while another thread's transaction holds the only one.
TEST_P(PgPoolTest, AStandbyReadTakesNoPrimaryConnection) {
  auto [counted, took] =
      CountPricesWhile(where_, [](Store& pooled, std::atomic<bool>& held, std::atomic<bool>& done) {
        pooled.Atomically([&] {
          pooled.Count(*FindDataset("farmers"), {});
          held = true;
          WaitFor(done);
        });
      });
  EXPECT_EQ(counted, 1);
  EXPECT_LT(took, std::chrono::milliseconds(250)) << "the read waited for the primary";
}

// When every connection to the standby is taken, the primary answers at once.
TEST_P(PgPoolTest, ABusyStandbyPoolSendsTheReadToThePrimary) {
  auto [counted, took] =
      CountPricesWhile(where_, [](Store& pooled, std::atomic<bool>& held, std::atomic<bool>& done) {
        pooled.Scan(*FindDataset("prices"), {}, [&](const Row&) {
          held = true;  // inside the scan: its standby connection is taken
          WaitFor(done);
          return false;
        });
      });
  EXPECT_EQ(counted, 1);
  EXPECT_LT(took, std::chrono::milliseconds(250)) << "the read waited for the standby";
}

// After a read found the standby's connections all taken, the thread's stamp and its rows
// come from the primary alike for a while: a stamp read from the primary alone over rows
// from a standby that has not replayed a write would label old rows as new. A second
// database stands in for that standby: it holds two prices where the primary has one.
TEST_P(PgPoolTest, AfterABusyStandbyTheRowsComeFromThePrimaryToo) {
  const std::string admin = std::getenv("HARVEST_TEST_POSTGRES");
  const std::string lagging = "harvest_lag" + std::to_string(getpid());
  postgres::PgConnection(admin, 10000).Exec("CREATE DATABASE " + lagging);
  const std::string lagging_url = admin.substr(0, admin.rfind('/') + 1) + lagging;
  const auto& prices = *FindDataset("prices");
  {
    postgres::PgStore standby(lagging_url);
    Store& seed = standby;
    seed.Write(prices, {PriceRow(), PriceRow()}, WriteMode::kInsert);
    postgres::PgOptions options;
    options.pool_size = 1;
    options.read_urls = {lagging_url};
    postgres::PgStore pg(where_, options);
    Store& pooled = pg;
    pooled.Write(prices, {PriceRow()}, WriteMode::kInsert);
    EXPECT_EQ(pooled.Count(prices, {}), 2) << "an open-data read goes to the standby";
    uint64_t primary_only = 0;
    WhileHeld(
        [&](std::atomic<bool>& held, std::atomic<bool>& done) {
          pooled.Scan(prices, {}, [&](const Row&) {
            held = true;
            WaitFor(done);
            return false;
          });
        },
        [&] { primary_only = pooled.ChangeStamp(); });
    EXPECT_EQ(primary_only >> 63, 0u) << "a stamp of the primary alone";
    EXPECT_EQ(pooled.Count(prices, {}), 1) << "rows from the standby under the primary's stamp";
  }
  postgres::PgConnection(admin, 10000).Exec("DROP DATABASE " + lagging + " WITH (FORCE)");
}

using SharedStoreTest = AnyStoreTest;
INSTANTIATE_TEST_SUITE_P(Backends, SharedStoreTest, ::testing::Values(Backend::kPostgres),
                         BackendName);

// A gateway message is answered by one server of a shared database: the other's claim
// fails while the first holds it, and for good once its reply is kept; a stale claim is
// taken over, a released one is free.
TEST_P(SharedStoreTest, OneServerClaimsAGatewayMessage) {
  std::unique_ptr<Store> other = Reopen();
  EXPECT_TRUE(store_->ClaimSmsMessage("twilio", "+18765550100", "SM1", 30));
  EXPECT_FALSE(other->ClaimSmsMessage("twilio", "+18765550100", "SM1", 30));
  EXPECT_TRUE(other->ClaimSmsMessage("twilio", "+18765550101", "SM1", 30)) << "another sender";
  EXPECT_TRUE(other->ClaimSmsMessage("kannel", "+18765550100", "SM1", 30)) << "another gateway";
  store_->RememberSmsReplies({{"twilio", "SM1", "+18765550100", "2026-12-08T00:00:00Z", "OK"}});
  EXPECT_FALSE(other->ClaimSmsMessage("twilio", "+18765550100", "SM1", 0)) << "answered";
  EXPECT_TRUE(store_->ClaimSmsMessage("twilio", "+18765550100", "SM2", 30));
  EXPECT_TRUE(other->ClaimSmsMessage("twilio", "+18765550100", "SM2", 0)) << "stale";
  EXPECT_TRUE(store_->ClaimSmsMessage("twilio", "+18765550100", "SM3", 30));
  store_->ReleaseSmsClaim("twilio", "+18765550100", "SM3");
  EXPECT_TRUE(other->ClaimSmsMessage("twilio", "+18765550100", "SM3", 30));
  // A server's own claim is its again (a release that failed): only the other waits.
  EXPECT_TRUE(store_->ClaimSmsMessage("twilio", "+18765550100", "SM4", 30));
  EXPECT_TRUE(store_->ClaimSmsMessage("twilio", "+18765550100", "SM4", 30));
  EXPECT_FALSE(other->ClaimSmsMessage("twilio", "+18765550100", "SM4", 30));
}

// Within a read scope the stamp is the snapshot's; the scope's own write moves it.
TEST_F(StoreTest, WithinAReadScopeTheStampIsTheSnapshots) {
  const auto& farmers = *FindDataset("farmers");
  store_->Write(farmers, {Farmer("100000001", "KIN", "crops")}, WriteMode::kInsert);
  store_->Write(farmers, {Farmer("100000002", "KIN", "crops")}, WriteMode::kInsert);
  ReadScope scope(*store_);
  uint64_t in_scope = store_->ChangeStamp(farmers);
  std::thread([&] {
    store_->Write(farmers, {Farmer("100000003", "KIN", "crops")}, WriteMode::kInsert);
  }).join();
  EXPECT_EQ(store_->ChangeStamp(farmers), in_scope) << "the stamp moved within one snapshot";
  store_->Write(farmers, {Farmer("100000004", "KIN", "crops")}, WriteMode::kInsert);
  uint64_t after_own = store_->ChangeStamp(farmers);
  EXPECT_NE(after_own, in_scope);
  EXPECT_EQ(store_->Count(farmers, {}), 4);
}

}  // namespace
}  // namespace harvest::store
