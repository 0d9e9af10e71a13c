// The SQLite backend of Store: one file, WAL mode, one connection per thread (SQLite
// connections must not be shared between threads without a mutex, and readers in WAL mode
// never block each other).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "auth/farm_token.h"
#include "store/paced_job.h"
#include "store/quota_windows.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sms_id_index.h"
#include "store/sqlite/wal_checkpointer.h"
#include "store/sqlite/wal_watch.h"
#include "store/store.h"

namespace harvest::store::sqlite {

// The SQL of a /checks summary (sqlite_checks.cpp): 0 per day, 1 by parish, 2 most
// rechecked. Parameters: ?1 from, ?2 to, ?3 verdict, ?4 parish, ?5 limit. For plan tests.
std::string CheckSummarySql(const CheckSelection& selection, int which);

class SqliteStore : public Store {
 public:
  SqliteStore(std::string path, std::chrono::milliseconds write_wait);
  ~SqliteStore() override;

  std::vector<Row> Select(const registry::DatasetDef& set, const Selection& selection) override;
  void Scan(const registry::DatasetDef& set, const Selection& selection,
            const std::function<bool(const Row&)>& sink) override;
  int64_t Count(const registry::DatasetDef& set, const std::vector<Filter>& filters) override;
  std::optional<Row> Get(const registry::DatasetDef& set, const Value& key) override;
  WriteResult Write(const registry::DatasetDef& set, std::vector<Row> rows, WriteMode mode,
                    bool dry_run) override;
  void Atomically(const std::function<void()>& work) override;
  std::optional<Row> Update(const registry::DatasetDef& set, const Value& key,
                            const std::vector<std::pair<int, Value>>& changes) override;

  ApiKey CreateKey(const std::string& name, registry::Role role, const std::string& hash,
                   const std::string& prefix) override;
  std::optional<ApiKey> FindKey(const std::string& hash) override;
  std::vector<ApiKey> ListKeys() override;
  bool RevokeKey(int64_t id) override;
  void RecordKeyUses(const std::vector<KeyUse>& uses) override;
  std::vector<DailyChecks> CountChecksPerDay(const CheckSelection& selection) override;
  std::vector<ParishChecks> CountWarningsByParish(const CheckSelection& selection) override;
  std::vector<RecheckedReceipt> MostRecheckedReceipts(const CheckSelection& selection,
                                                      int64_t limit) override;
  WebUser CreateUser(const std::string& login, registry::Role role,
                     const std::string& password_hash) override;
  std::optional<WebUser> FindUser(const std::string& login) override;
  std::vector<WebUser> ListUsers() override;
  bool DisableUser(const std::string& login) override;
  void CreateSession(const WebSession& session) override;
  std::optional<WebSession> FindSession(const std::string& token_hash) override;
  void TouchSession(const std::string& token_hash, int64_t at) override;
  void EndSession(const std::string& token_hash) override;
  void RecordLoginFailure(const std::string& login, int64_t at, int64_t forget_before) override;
  std::vector<int64_t> LoginFailuresSince(const std::string& login, int64_t since) override;
  void AppendAudit(const std::vector<AuditEntry>& entries) override;
  std::optional<std::string> FindSmsReply(const std::string& gateway, const std::string& sender,
                                          const std::string& message_id) override;
  void RememberSmsReplies(const std::vector<SmsReply>& replies) override;
  int64_t TakeQuota(const std::string& subject, int64_t now, int64_t window, int limit) override {
    return quotas_.Take(subject, now, window, limit);  // one server process per file
  }
  void SetWriteWait(std::chrono::milliseconds wait) override;
  void SetSetting(const std::string& name, const std::string& value) override;
  std::optional<std::string> Setting(const std::string& name) override;
  void Backup(const std::string& destination) override;
  bool Empty() override;
  void SetThreadQueryBudget(int ms) override;
  void BeginRead() override;
  void EndRead() override;
  uint64_t ChangeStamp() override;
  uint64_t ChangeStamp(const registry::DatasetDef& set) override;
  void StartServing() override;

  // This thread's connection to the database.
  Connection& Conn();

 private:
  // Brings production and farmer_stats up to the registry: at once on the calling thread, or
  // (after StartServing, once they have been built) by waking the background rebuild.
  void RefreshAggregates();
  void RebuildAggregates();
  RowError Translate(const registry::DatasetDef& set, const SqliteError& error, size_t index);

  // Fills sms_ids_ from the table once; call with sms_mutex_ held.
  void LoadSmsIds();

  std::string path_;
  uint64_t id_;
  // Where each kept SMS reply is (FindSmsReply); filled on first use, then by each insert.
  std::mutex sms_mutex_;
  SmsIdIndex sms_ids_;
  bool sms_ids_loaded_ = false;
  QuotaWindows quotas_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::chrono::milliseconds write_wait_;
  std::unique_ptr<WalWatch> wal_watch_;  // null while migrating
  std::optional<auth::FarmTokenKey> farm_token_key_;
  // Set by StartServing: connections opened from then on leave checkpoints to checkpointer_.
  std::atomic<bool> serving_{false};
  std::unique_ptr<WalCheckpointer> checkpointer_;
  // Last, so that it stops before the connections it uses are closed.
  std::unique_ptr<PacedJob> aggregates_builder_;
};

// Steps `stmt` under the connection's query budget (limits.query_ms for the thread), handing
// it to `row` after each step until `row` returns false or the rows end, then resets it. A
// step the budget stopped throws QueryTimeout; other SQLite errors pass through.
template <typename Row>
void StepWithinBudget(Connection& conn, Statement& stmt, Row row) {
  QueryBudget budget(conn, conn.query_budget_ms);
  try {
    while (stmt.Step() && row(stmt)) {
    }
  } catch (const SqliteError&) {
    stmt.Reset();
    if (budget.Spent()) {
      throw QueryTimeout(conn.query_budget_ms);
    }
    throw;
  }
  stmt.Reset();
}

}  // namespace harvest::store::sqlite
