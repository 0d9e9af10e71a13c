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
  const auto& audit = *registry::FindDataset("audit");
  store_->SetWriteWait(std::chrono::milliseconds(200));
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  {
    LogWriter log(*store_);
    // A key's use is queued, but the thread's answer does not wait for it.
    log.AddUnawaited(KeyUse{key.id, "2026-12-07T12:00:00Z"});
    EXPECT_EQ(log.TakePending(), 0u);
    log.Add(AuditEntry{"", "key:1", "police", "api", "read", "farmers", "1", ""});
    uint64_t last = log.Add(SmsReply{"kannel", "k-1", "+18765550100", "", "VALID 4512"});
    EXPECT_EQ(log.TakePending(), last);
    EXPECT_THROW(log.WaitCommitted(last), Unavailable);
    // Waiting only now, after the failure: the next attempt must still carry every record,
    // and fail too while the lock is held.
    EXPECT_THROW(log.WaitCommitted(last), Unavailable);
    ASSERT_EQ(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
    log.WaitCommitted(last);
    log.Flush();
  }
  sqlite3_close(other);
  EXPECT_EQ(store_->Count(audit, {}), 1);
  EXPECT_EQ(store_->FindSmsReply("kannel", "+18765550100", "k-1"), "VALID 4512");
  std::vector<ApiKey> keys = store_->ListKeys();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].last_used_at, "2026-12-07T12:00:00Z");
}

}  // namespace
}  // namespace harvest::store
