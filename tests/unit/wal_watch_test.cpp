// The WAL watch that lets ChangeStamp skip SQLite while nothing has been written.
#include "store/sqlite/wal_watch.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "temp_store.h"

namespace harvest::store {
namespace {

using registry::FindDataset;
using sqlite::WalWatch;

class WalWatchTest : public TempStoreTest {};

TEST_F(WalWatchTest, MovesWithEveryWriteByAnyHandleAndOnlyThen) {
  WalWatch watch(path_.string());
  uint64_t start = watch.Epoch();
  ASSERT_NE(start, 0u) << "no watch on " << path_ << "-wal";
  EXPECT_EQ(watch.Epoch(), start) << "moved with nothing written";
  const auto& farmers = *FindDataset("farmers");
  store_->Write(farmers, {Farmer("100000001", "KIN", "crops")}, WriteMode::kInsert);
  uint64_t after_own = watch.Epoch();
  EXPECT_NE(after_own, start);
  EXPECT_NE(after_own, 0u);
  EXPECT_EQ(watch.Epoch(), after_own);
  // Another handle (another process) writing a log append: the watch cannot tell registry
  // writes from log appends, so it moves and the caller looks at the counters.
  OpenStore(path_.string())
      ->AppendAudit({AuditEntry{"", "cli", "admin", "cli", "read", "farmers", "1", ""}});
  EXPECT_NE(watch.Epoch(), after_own);
}

TEST_F(WalWatchTest, IsOffWithoutAWalAndOnceTheFileIsGone) {
  EXPECT_EQ(WalWatch(path_.string() + ".none").Epoch(), 0u);
  EXPECT_EQ(WalWatch(":memory:").Epoch(), 0u);
  WalWatch watch(path_.string());
  ASSERT_NE(watch.Epoch(), 0u);
  // Deleted (as SQLite does when the last connection closes): what is written next goes to
  // another file the watch does not see, so it must give up rather than answer "nothing".
  std::filesystem::copy_file(path_.string() + "-wal", path_.string() + "-wal.kept");
  std::filesystem::remove(path_.string() + "-wal");
  EXPECT_EQ(watch.Epoch(), 0u);
  EXPECT_EQ(watch.Epoch(), 0u) << "the watch came back on after it was lost";
  std::filesystem::rename(path_.string() + "-wal.kept", path_.string() + "-wal");
}

TEST_F(WalWatchTest, ChangeStampSeesAnotherHandlesWriteAtOnceAfterQuietTimes) {
  // The shortcut's risk: a stamp reused from before another process's write.
  const auto& books = *FindDataset("books");
  const auto& farmers = *FindDataset("farmers");
  store_->Write(farmers, {Farmer("100000001", "KIN", "crops")}, WriteMode::kInsert);
  auto other = OpenStore(path_.string());
  for (int i = 0; i < 50; ++i) {
    uint64_t before = store_->ChangeStamp(books);
    EXPECT_EQ(store_->ChangeStamp(books), before);  // quiet: answered without SQLite
    std::string serial = std::to_string(100000 + i);
    other->Write(books, {Book(serial, 1000 + 100 * i, 1099 + 100 * i, "100000001")},
                 WriteMode::kInsert);
    ASSERT_NE(store_->ChangeStamp(books), before) << "write " << i << " not seen";
  }
}

}  // namespace
}  // namespace harvest::store
