// The in-memory copy of books, their farmers and sold receipts that receipt checks read: it
// answers as the store does, and is never used once one of its datasets has changed.
#include "verify/receipt_index.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <thread>

#include "registry/clock.h"
#include "temp_store.h"
#include "verify/service.h"

namespace harvest::verify {
namespace {

using registry::FindDataset;
using store::Row;
using store::WriteMode;

class ReceiptIndexTest : public store::TempStoreTest {
 protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    std::vector<Row> farmers;
    for (int i = 1; i <= 30; ++i) {
      farmers.push_back(Farmer(std::to_string(100000000 + i), i % 2 ? "KIN" : "THO", "crops"));
    }
    // One farmer with an alias and an expiry date, so the copy holds every kind of cell.
    const auto& fset = *FindDataset("farmers");
    farmers[4][fset.FieldIndex("alias")] = "Bredda Joe";
    farmers[4][fset.FieldIndex("card_expires_on")] = "2027-03-01";
    farmers[4][fset.FieldIndex("trn")] = "123456789";
    store_->Write(fset, farmers, WriteMode::kInsert);
    std::vector<Row> books;
    // Books of 50 receipts with gaps between them: 1001-1050, 1101-1150, ...
    for (int i = 0; i < 40; ++i) {
      books.push_back(Book(std::to_string(100000 + i), 1001 + i * 100, 1050 + i * 100,
                           std::to_string(100000001 + i % 30)));
    }
    store_->Write(*FindDataset("books"), books, WriteMode::kInsert);
    RecordSale(1010, "100000001");
  }

  // A digital receipt of yam on `receipt`, in `farmer`'s book.
  void RecordSale(int64_t receipt, const std::string& farmer) {
    const auto& sales = *FindDataset("sales");
    Row sale(sales.fields.size());
    sale[sales.FieldIndex("receipt")] = receipt;
    sale[sales.FieldIndex("farmer_id")] = farmer;
    sale[sales.FieldIndex("commodity")] = "yam";
    sale[sales.FieldIndex("quantity")] = 100.0;
    sale[sales.FieldIndex("unit")] = "kg";
    sale[sales.FieldIndex("sold_at")] = "2026-11-20T10:00:00Z";
    sale[sales.FieldIndex("channel")] = "sms";
    store_->Write(sales, {sale}, WriteMode::kInsert);
  }

  // What a check would read from the store for `receipt`, cut as the index cuts it.
  std::optional<Row> StoredBook(int64_t receipt) {
    const auto& books = *FindDataset("books");
    store::Selection sel;
    sel.filters.push_back({books.FieldIndex("first_receipt"), store::FilterOp::kLte, {receipt}});
    sel.sort.push_back({books.FieldIndex("first_receipt"), true});
    sel.limit = 1;
    std::vector<Row> rows = store_->Select(books, sel);
    if (rows.empty() || std::get<int64_t>(rows[0][books.FieldIndex("last_receipt")]) < receipt) {
      return std::nullopt;
    }
    return KeepFields(rows[0], CheckedBookFields());
  }

  std::string Status(const ReceiptIndex::Holding& held) {
    const auto& books = *FindDataset("books");
    return std::get<std::string>((*held.book)[books.FieldIndex("status")]);
  }
};

TEST_F(ReceiptIndexTest, AnswersAsTheStoreDoesForEveryReceipt) {
  ReceiptIndex index(*store_);
  ReceiptIndex::View view = index.Current();
  const auto& books = *FindDataset("books");
  const auto& farmers = *FindDataset("farmers");
  // Every number from below the first book to past the last: first, last, one past, gaps.
  for (int64_t receipt = 0; receipt <= 5100; ++receipt) {
    ReceiptIndex::Holding held = view.BookHolding(receipt);
    ASSERT_TRUE(held.known) << receipt;
    ASSERT_EQ(held.book, StoredBook(receipt)) << "receipt " << receipt;
    if (held.book) {
      std::string owner = std::get<std::string>((*held.book)[books.FieldIndex("farmer_id")]);
      ASSERT_EQ(held.farmer, KeepFields(*store_->Get(farmers, owner), CheckedFarmerFields()))
          << "receipt " << receipt;
    } else {
      ASSERT_FALSE(held.farmer);
    }
  }
  EXPECT_TRUE(view.BookHolding(1001).book);
  EXPECT_TRUE(view.BookHolding(1050).book);
  EXPECT_FALSE(view.BookHolding(1051).book);
  EXPECT_FALSE(view.BookHolding(1000).book);
}

TEST_F(ReceiptIndexTest, HoldsTheFarmersPoliceViewOnly) {
  ReceiptIndex index(*store_);
  const auto& farmers = *FindDataset("farmers");
  // Book 100004 (receipts 1401-1450) belongs to farmer 100000005.
  Row five = *index.Current().BookHolding(1420).farmer;
  EXPECT_EQ(std::get<std::string>(five[farmers.FieldIndex("id")]), "100000005");
  EXPECT_EQ(std::get<std::string>(five[farmers.FieldIndex("alias")]), "Bredda Joe");
  EXPECT_EQ(std::get<std::string>(five[farmers.FieldIndex("card_expires_on")]), "2027-03-01");
  EXPECT_EQ(std::get<int64_t>(five[farmers.FieldIndex("verified")]), 1);
  EXPECT_TRUE(store::IsNull(five[farmers.FieldIndex("trn")])) << "the TRN is not police data";
  EXPECT_TRUE(store::IsNull(five[farmers.FieldIndex("activity")]));
}

TEST_F(ReceiptIndexTest, KnowsWhichReceiptsHaveNoSale) {
  ReceiptIndex index(*store_);
  ReceiptIndex::View view = index.Current();
  EXPECT_FALSE(view.NoSale(1010));
  EXPECT_TRUE(view.NoSale(1011));
  EXPECT_TRUE(view.NoSale(1009));
}

TEST_F(ReceiptIndexTest, AChangedDatasetIsNotUsedUntilCopiedAgain) {
  ReceiptIndex index(*store_);
  const auto& books = *FindDataset("books");
  const auto& farmers = *FindDataset("farmers");
  ASSERT_EQ(Status(index.Current().BookHolding(1020)), "active");
  ASSERT_TRUE(store_->Update(books, std::string("100000"),
                             {{books.FieldIndex("status"), std::string("lost")}}));
  ReceiptIndex::View stale = index.Current();
  EXPECT_FALSE(stale.BookHolding(1020).known) << "a stale copy of books was used";
  EXPECT_TRUE(stale.NoSale(1011)) << "sales did not change";
  index.Refresh();
  ReceiptIndex::Holding fresh = index.Current().BookHolding(1020);
  ASSERT_TRUE(fresh.known);
  EXPECT_EQ(Status(fresh), "lost");
  // A farmer's change makes the books part stale too: it holds their police view.
  ASSERT_TRUE(store_->Update(farmers, std::string("100000001"),
                             {{farmers.FieldIndex("under_investigation"), int64_t{1}}}));
  EXPECT_FALSE(index.Current().BookHolding(1020).known) << "a stale copy of farmers was used";
  index.Refresh();
  ReceiptIndex::Holding after = index.Current().BookHolding(1020);
  ASSERT_TRUE(after.known && after.farmer);
  EXPECT_EQ(std::get<int64_t>((*after.farmer)[farmers.FieldIndex("under_investigation")]), 1);
  // And a new sale makes only the sales part stale.
  RecordSale(1102, "100000002");
  ReceiptIndex::View view = index.Current();
  EXPECT_TRUE(view.BookHolding(1102).known);
  EXPECT_FALSE(view.NoSale(1102));
  EXPECT_FALSE(view.NoSale(1103)) << "a stale copy of sales was used";
  index.Refresh();
  EXPECT_TRUE(index.Current().NoSale(1103));
  EXPECT_FALSE(index.Current().NoSale(1102));
}

TEST_F(ReceiptIndexTest, SeesWritesByAnotherProcess) {
  ReceiptIndex index(*store_);
  ASSERT_FALSE(index.Current().BookHolding(9001).book);
  // Another handle on the file, as a CLI import while the server runs.
  store::OpenStore(path_.string())
      ->Write(*FindDataset("books"), {Book("200000", 9001, 9050, "100000002")}, WriteMode::kInsert);
  EXPECT_FALSE(index.Current().BookHolding(9001).known);
  // The background copy follows on its own.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!index.Current().BookHolding(9001).known && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ReceiptIndex::Holding found = index.Current().BookHolding(9001);
  ASSERT_TRUE(found.known) << "the books were not copied again";
  ASSERT_TRUE(found.book && found.farmer);
  EXPECT_EQ(std::get<std::string>((*found.book)[FindDataset("books")->FieldIndex("serial")]),
            "200000");
}

TEST_F(ReceiptIndexTest, ASnapshotOlderThanTheCopyReadsTheStore) {
  ReceiptIndex index(*store_);
  store::ReadScope before(*store_);
  ASSERT_TRUE(index.Current().BookHolding(1020).known);
  // Another connection adds a book and the index copies it; this thread's snapshot predates it.
  std::thread([&] {
    store_->Write(*FindDataset("books"), {Book("200001", 9101, 9150, "100000003")},
                  WriteMode::kInsert);
    index.Refresh();
  }).join();
  EXPECT_FALSE(index.Current().BookHolding(9101).known)
      << "a copy newer than the reader's snapshot was used";
}

TEST_F(ReceiptIndexTest, ACheckAnswersTheSameFromMemoryAndFromTheStore) {
  config::Config config;
  VerificationService service(*store_, config, [] { return int64_t{1795183389}; });
  const auto& farmers = *FindDataset("farmers");
  CheckRequest request;
  request.receipt = 1420;  // book 100004 of farmer 100000005, who has a TRN on file
  CheckOutcome from_memory = service.Check(request);
  // Another farmer's change makes the copy stale: the next check reads the store (the copy
  // is paced, so it is not redone within these few milliseconds).
  ASSERT_TRUE(store_->Update(farmers, std::string("100000009"),
                             {{farmers.FieldIndex("alias"), std::string("Shorty")}}));
  CheckOutcome from_store = service.Check(request);
  ASSERT_TRUE(from_memory.book && from_memory.farmer);
  EXPECT_EQ(from_store.book, from_memory.book);
  EXPECT_EQ(from_store.farmer, from_memory.farmer) << "the two paths show different fields";
  EXPECT_TRUE(store::IsNull((*from_store.farmer)[farmers.FieldIndex("trn")]));
  EXPECT_EQ(from_store.result.verdict, from_memory.result.verdict);
}

TEST_F(ReceiptIndexTest, AStartLoadsOnlyTheChecksOfTheWindow) {
  // Written in time order, as the recorder does; the oldest lies outside the 72-hour window.
  const int64_t now = 1795183389;
  const auto& checks = *FindDataset("verifications");
  std::vector<store::Row> rows;
  for (int64_t hours_ago : {100, 71, 30, 2}) {
    store::Row row(checks.fields.size());
    row[checks.FieldIndex("at")] = registry::UnixToRfc3339(now - hours_ago * 3600);
    row[checks.FieldIndex("receipt")] = int64_t{1420};
    row[checks.FieldIndex("channel")] = std::string("api");
    row[checks.FieldIndex("verdict")] = std::string("VALID");
    row[checks.FieldIndex("signals")] = std::string();
    row[checks.FieldIndex("parish")] = std::string(hours_ago == 2 ? "KIN" : "CLA");
    rows.push_back(std::move(row));
  }
  store_->Write(checks, rows, WriteMode::kAppend);
  config::Config config;
  VerificationService service(*store_, config, [&] { return now; });
  CheckRequest request;
  request.receipt = 1420;
  CheckOutcome outcome = service.Check(request);
  ASSERT_EQ(outcome.facts.prior_checks.size(), 3u) << "the check 100 hours ago was loaded";
  EXPECT_EQ(outcome.facts.prior_checks.front().at_unix, now - 71 * 3600) << "not in time order";
  EXPECT_EQ(outcome.facts.prior_checks.back().parish, "KIN");
  EXPECT_EQ(outcome.result.verdict, Verdict::kCheck) << "three earlier checks in 72 hours";
}

TEST_F(ReceiptIndexTest, AStartKeepsABoundedHistoryOfAHotReceiptAndWhoChecked) {
  // 5,000 checks of one receipt in the last hours, each by its own key, the last by key 7.
  const int64_t now = 1795183389;
  const auto& checks = *FindDataset("verifications");
  std::vector<store::Row> rows;
  for (int i = 0; i < 5000; ++i) {
    store::Row row(checks.fields.size());
    row[checks.FieldIndex("at")] = registry::UnixToRfc3339(now - 5000 + i);
    row[checks.FieldIndex("receipt")] = int64_t{1421};
    row[checks.FieldIndex("channel")] = std::string("api");
    row[checks.FieldIndex("key_id")] = int64_t{i == 4999 ? 7 : 100 + i};
    row[checks.FieldIndex("verdict")] = std::string("VALID");
    row[checks.FieldIndex("signals")] = std::string();
    row[checks.FieldIndex("parish")] = std::string(i == 0 ? "MAN" : "KIN");
    rows.push_back(std::move(row));
  }
  store_->Write(checks, rows, WriteMode::kAppend);
  config::Config config;
  VerificationService service(*store_, config, [&] { return now; });
  CheckRequest request;
  request.receipt = 1421;
  request.parish = "KIN";
  request.key_id = 8;
  CheckOutcome outcome = service.Check(request);
  EXPECT_LE(outcome.facts.prior_checks.size(), 10u) << "the whole history was kept";
  EXPECT_EQ(outcome.facts.prior_checks.front().parish, "MAN") << "the other parish was lost";
  EXPECT_EQ(outcome.facts.prior_checks.back().at_unix, now - 1);
  EXPECT_EQ(outcome.result.verdict, Verdict::kCheck);
  // Key 7's check a second ago was loaded as key 7's: its repeat does not see it.
  request.key_id = 7;
  CheckOutcome again = service.Check(request);
  for (const PriorCheck& c : again.facts.prior_checks) {
    EXPECT_NE(c.at_unix, now - 1);
  }
}

}  // namespace
}  // namespace harvest::verify
