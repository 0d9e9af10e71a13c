// The logs' group commit: a commit that fails (the write lock held past its bound) fails the
// requests waiting on it and keeps every kind of record for the next attempt, so a request
// that starts waiting after that failure is answered by the next attempt, never left waiting.
#include "store/batch_writer.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "temp_store.h"

namespace harvest::store {
namespace {

using LogWriterTest = TempStoreTest;

TEST_F(LogWriterTest, AFailedCommitKeepsEveryKindOfRecordForTheNextAttempt) {
  ApiKey key = store_->CreateKey("bench", registry::kPolice, std::string(64, 'a'), "hv_aaaa");
  store_->SetWriteWait(std::chrono::milliseconds(200));
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  {
    LogWriter log(*store_);
    uint64_t use = log.Add(KeyUse{key.id, "2026-12-07T12:00:00Z"});
    log.TakePending();
    EXPECT_THROW(log.WaitCommitted(use), Unavailable);
    // Waiting only now, after the failure: the next attempt must still carry the key use,
    // and fail it too while the lock is held.
    EXPECT_THROW(log.WaitCommitted(use), Unavailable);
    ASSERT_EQ(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
    log.WaitCommitted(use);
  }
  sqlite3_close(other);
  std::vector<ApiKey> keys = store_->ListKeys();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].last_used_at, "2026-12-07T12:00:00Z");
}

}  // namespace
}  // namespace harvest::store
