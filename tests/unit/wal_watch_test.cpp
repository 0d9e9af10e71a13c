// The WAL watch that lets ChangeStamp skip SQLite while nothing has been written.
#include "store/sqlite/wal_watch.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "temp_store.h"

namespace harvest::store {
namespace {

using registry::FindDataset;
using sqlite::WalWatch;

class WalWatchTest : public TempStoreTest {};

TEST_F(WalWatchTest, MovesWithEveryWriteByAnyHandleAndOnlyThen) {
  WalWatch watch(path_.string() + "-wal");
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
  EXPECT_EQ(WalWatch(path_.string() + ".none-wal").Epoch(), 0u);
  EXPECT_EQ(WalWatch("").Epoch(), 0u);
  WalWatch watch(path_.string() + "-wal");
  ASSERT_NE(watch.Epoch(), 0u);
  // A change of attributes alone (SQLite fchowns the file each time a connection opens it
  // as root; a committer touches it) leaves the watch on, and counts as a write.
  uint64_t before_touch = watch.Epoch();
  ASSERT_EQ(utimensat(AT_FDCWD, (path_.string() + "-wal").c_str(), nullptr, 0), 0);
  uint64_t after_touch = watch.Epoch();
  EXPECT_NE(after_touch, 0u) << "a touch turned the watch off";
  EXPECT_NE(after_touch, before_touch);
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
    EXPECT_EQ(store_->ChangeStamp(books), before);  // nothing written in between
    std::string serial = std::to_string(100000 + i);
    other->Write(books, {Book(serial, 1000 + 100 * i, 1099 + 100 * i, "100000001")},
                 WriteMode::kInsert);
    ASSERT_NE(store_->ChangeStamp(books), before) << "write " << i << " not seen";
  }
}

TEST_F(WalWatchTest, AStampReadInAnOlderSnapshotIsNotReusedAfterIt) {
  const auto& farmers = *FindDataset("farmers");
  uint64_t before = store_->ChangeStamp(farmers);
  uint64_t inside = 0;
  {
    ReadScope scope(*store_);
    store_->Count(farmers, {});  // the snapshot starts here
    OpenStore(path_.string())
        ->Write(farmers, {Farmer("100000001", "KIN", "crops")}, WriteMode::kInsert);
    inside = store_->ChangeStamp(farmers);  // the snapshot's: the write is not in it
  }
  EXPECT_EQ(inside, before);
  EXPECT_NE(store_->ChangeStamp(farmers), before)
      << "the counters of the old snapshot were taken for the write's epoch";
}

// Watches the WAL for attribute changes only (not SQLite's own writes).
std::vector<uint32_t> AttributeEvents(int fd) {
  std::vector<uint32_t> masks;
  alignas(inotify_event) char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) {
    for (ssize_t at = 0; at < n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
      masks.push_back(event->mask);
      at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
    }
  }
  return masks;
}

TEST_F(WalWatchTest, ARegistryCommitTouchesTheWalOnceItIsVisibleAndALogAppendDoesNot) {
  // A commit's frames reach the WAL before readers can see it; the touch after COMMIT is
  // the event a watcher can trust.
  const auto& farmers = *FindDataset("farmers");
  store_->ChangeStamp(farmers);  // this thread's connection is open
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_GE(inotify_add_watch(fd, (path_.string() + "-wal").c_str(), IN_ATTRIB), 0);
  store_->AppendAudit({AuditEntry{"", "cli", "admin", "cli", "read", "farmers", "1", ""}});
  EXPECT_TRUE(AttributeEvents(fd).empty()) << "a log append touched the WAL";
  store_->Write(farmers, {Farmer("100000001", "KIN", "crops")}, WriteMode::kInsert);
  EXPECT_EQ(AttributeEvents(fd).size(), 1u) << "a registry write did not touch the WAL";
  EXPECT_THROW(store_->Write(farmers, {Farmer("100000001", "KIN", "crops")}, WriteMode::kInsert),
               WriteError);
  EXPECT_TRUE(AttributeEvents(fd).empty()) << "a rolled-back write touched the WAL";
  close(fd);
}

}  // namespace
}  // namespace harvest::store
