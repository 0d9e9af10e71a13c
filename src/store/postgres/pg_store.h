// The PostgreSQL backend (SPEC §11), through libpq: a connection per thread, or a pool of a
// configured size shared by the threads (PgOptions::pool_size); its tables written from the
// schema (pg_schema.h), reads and writes through the same SQL builder and stored-data rules
// (registry/stored_rules.h) as SQLite's. A write is one transaction. Rows written together
// that are all new go through one COPY (InsertInBulk) and are checked once they are in; a
// batch with a refused row is undone and written row by row, each row under a savepoint, so
// that every bad row is named and none is kept.
//
// Several servers may share the database (SharedByServers): quotas and gateway messages
// being answered are tables, and the change stamps are read from `meta`. Open-data reads may
// go to hot standbys (PgOptions::read_urls), and the connection may be PgBouncer's in
// transaction mode.
//
// Not yet built: backup (refused: use pg_dump), and rebuilding the aggregates off the
// request path (a read after a registry write rebuilds them on its thread).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "auth/farm_token.h"
#include "store/postgres/pg_connection.h"
#include "store/store.h"

namespace harvest::store::postgres {

struct PgOptions {
  // `url` is a pooler's in transaction mode (PgBouncer): statements go unnamed.
  bool transaction_pooling = false;
  // Hot standbys (postgresql:// URLs) that serve the open-data reads (SPEC §11: datasets
  // anyone may list, not the aggregates, which the primary rebuilds), each thread reading
  // from one of them; when its standby cannot be reached, the primary answers. Everything
  // else, and every read inside a write, goes to the primary.
  std::vector<std::string> read_urls;
  // Connections to each server (the primary, each standby), shared by the threads: a thread
  // takes one for a call of the store (a whole transaction, Atomically's work) and gives it
  // back at its end, and waits up to the write wait when all are taken (then Unavailable: a
  // 503). 0: one connection per thread and server, kept by the thread.
  size_t pool_size = 0;
};

class PgStore : public Store {
 public:
  // Connects to `url` and brings its tables up to kSchemaVersion; throws Unavailable when the
  // server cannot be reached.
  explicit PgStore(std::string url, PgOptions options = {});
  ~PgStore() override;

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
  std::vector<DailyChecks> CountChecksPerDay(const CheckSelection& selection) override;
  std::vector<ParishChecks> CountWarningsByParish(const CheckSelection& selection) override;
  std::vector<RecheckedReceipt> MostRecheckedReceipts(const CheckSelection& selection,
                                                      int64_t limit) override;
  std::optional<std::string> FindSmsReply(const std::string& gateway, const std::string& sender,
                                          const std::string& message_id) override;
  void RememberSmsReplies(const std::vector<SmsReply>& replies) override;
  bool ClaimSmsMessage(const std::string& gateway, const std::string& sender,
                       const std::string& message_id, int stale_after_seconds) override;
  void ReleaseSmsClaim(const std::string& gateway, const std::string& sender,
                       const std::string& message_id) override;
  int64_t TakeQuota(const std::string& subject, int64_t now, int64_t window, int limit) override;
  bool SharedByServers() const override { return true; }

  void SetWriteWait(std::chrono::milliseconds wait) override;
  void SetSetting(const std::string& name, const std::string& value) override;
  std::optional<std::string> Setting(const std::string& name) override;
  void Backup(const std::string& destination) override;
  bool Empty() override;
  uint64_t ChangeStamp() override;
  uint64_t ChangeStamp(const registry::DatasetDef& set) override;
  void SetThreadQueryBudget(int ms) override;
  void BeginRead() override;
  void EndRead() override;

  // The calling thread's connection to the primary (opened on first use); with a pool, only
  // within a call of the store.
  PgConnection& Conn();

 private:
  // Marks a call of the store on this thread: with a pool, the connections the thread took
  // go back when its outermost Hold ends (declared before any transaction of the call, so
  // that the transaction has ended by then).
  class Hold {
   public:
    explicit Hold(PgStore& store);
    ~Hold();
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;

   private:
    PgStore& store_;
  };
  struct Pool;
  PgConnection* NewConnection(size_t which);
  // A pooled connection to server `which`; with `wait`, up to the write wait (then
  // Unavailable), without it nullptr when all are taken.
  PgConnection* Take(size_t which, bool wait);
  struct StandbyBusy {};
  // True while the calling thread is inside a transaction on the primary.
  bool InWrite();
  void GiveBack();
  // The calling thread's connection to server `which`: 0 the primary, i the standby
  // options_.read_urls[i - 1].
  PgConnection& ConnTo(size_t which);
  // The calling thread's standby (outside a write), or 0 when there is none.
  size_t Standby();
  // Where the calling thread reads `set` from: its standby for open data, else the primary.
  size_t ReadServer(const registry::DatasetDef& set);
  // Runs `read` on server `which`'s connection; nullopt when `which` is a standby that
  // failed (it is then left alone for a few seconds).
  template <typename Read>
  auto OnServer(size_t which, Read read) -> std::optional<decltype(read(Conn()))>;
  // Runs `read` where `set` is read from, on the primary when the standby failed.
  template <typename Read>
  auto OnReadServer(const registry::DatasetDef& set, Read read);
  struct ThreadState;
  ThreadState& Thread();
  uint64_t PrimaryCounter(const std::string& name);

  WriteResult Append(const registry::DatasetDef& set, std::vector<Row> rows, bool dry_run);
  std::optional<WriteResult> InsertInBulk(const registry::DatasetDef& set,
                                          const std::vector<Row>& rows, bool dry_run);
  void MoveIdentityPast(const registry::DatasetDef& set);
  uint64_t Counter(const std::string& name, PgConnection& conn);
  void Bump(const std::string& name);
  void CountChanges(const registry::DatasetDef& set);
  void RefreshAggregates(const registry::DatasetDef& set);
  std::vector<Row> Cells(const char* sql, int columns);

  std::string url_;
  PgOptions options_;
  std::atomic<int64_t> write_wait_ms_{10000};
  std::atomic<int64_t> claims_pruned_at_{0};  // steady-clock seconds of the last prune
  std::string server_id_;  // random, per store: whose gateway claims are this server's
  uint64_t id_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<PgConnection>> connections_;
  std::vector<std::unique_ptr<Pool>> pools_;  // per server, with options_.pool_size
  std::optional<auth::FarmTokenKey> farm_token_key_;
};

}  // namespace harvest::store::postgres
