// The Store interface: everything Harvest keeps, behind one abstract class so that the
// HTTP handlers, SMS commands and CLI never see SQL. SQLite is the default backend; a
// PostgreSQL backend implements the same interface.
// The rules of SPEC §2 (no overlapping books, sales only on active books of the seller,
// foreign keys, no hard deletes) are enforced here, not only in the API.
// Must not depend on HTTP, SMS or formats.
#pragma once

#include <chrono>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "registry/schema.h"
#include "store/value.h"

namespace harvest::store {

enum class FilterOp { kEq, kNe, kGt, kGte, kLt, kLte, kIn, kContains, kStartsWith, kIsNull };

struct Filter {
  int field = 0;  // index into DatasetDef::fields
  FilterOp op = FilterOp::kEq;
  std::vector<Value> values;  // one value; several for kIn; for kIsNull an integer 1/0
};

struct SortKey {
  int field = 0;
  bool descending = false;
  // Only on the key: order by the key's stored token (DatasetDef::key_token) instead of the
  // key itself. A cursor's value for it is still the key; the store seeks by its token.
  bool key_token = false;
};

// A backend-neutral description of which rows to read, in which order.
struct Selection {
  std::vector<Filter> filters;
  std::vector<SortKey> sort;  // the store appends the key as the final tie-break
  // Keyset paging: the sort values (then the key) of the last row already seen.
  std::vector<Value> after;
  int64_t limit = -1;  // -1: no limit
  // Only these fields are read (the other cells come back null); empty: every field.
  std::vector<int> fields;
  // Rows in whatever order is cheapest (storage order), `sort` and `after` ignored: for
  // copying a whole dataset, many times faster than walking an index.
  bool any_order = false;
  // The key's tie-break is its stored token (see SortKey::key_token): the pages of roles
  // that see the key only as a token (auth::PagesByKeyToken).
  bool key_token = false;
};

// Sort keys with the dataset key appended as tie-break (the order rows come back in); with
// `key_token`, the key sorts by its stored token.
std::vector<SortKey> EffectiveSort(const registry::DatasetDef& set,
                                   const std::vector<SortKey>& sort, bool key_token = false);

// A problem with one row of a write. `row` is the 0-based index in the batch.
struct RowError {
  size_t row = 0;
  std::string field;
  std::string message;
  bool conflict = false;  // clashes with stored data (duplicate key, overlapping book)
};

// Thrown by writes that fail; no row of the batch was kept.
class WriteError : public std::runtime_error {
 public:
  explicit WriteError(std::vector<RowError> errors);
  const std::vector<RowError>& errors() const { return errors_; }
  bool conflict() const;

 private:
  std::vector<RowError> errors_;
};

// Thrown by a read that ran past the store's query budget (SetQueryBudget); the query was
// stopped, nothing goes on running.
class QueryTimeout : public std::runtime_error {
 public:
  explicit QueryTimeout(int budget_ms)
      : std::runtime_error("the query ran past its budget of " + std::to_string(budget_ms) + " ms"),
        budget_ms_(budget_ms) {}
  int budget_ms() const { return budget_ms_; }

 private:
  int budget_ms_;
};

enum class WriteMode {
  kInsert,  // every row is new; an existing key is a conflict
  kUpsert,  // rows with an existing key replace the stored row's given fields
  // Rows the server built itself for a log (receipt checks): inserted without the per-row
  // checks that exist to give people precise messages; the schema's constraints still hold.
  kAppend,
};

struct WriteResult {
  std::vector<Row> rows;  // as stored, generated keys filled in
  size_t inserted = 0;
  size_t updated = 0;
};

struct ApiKey {
  int64_t id = 0;
  std::string name;
  registry::Role role = registry::kPublic;
  std::string prefix;  // first characters, shown in listings to tell keys apart
  std::string created_at;
  std::string revoked_at;  // "" while valid
  std::string last_used_at;  // "" when never used; written at most once a minute
};

// An API key seen authenticating a request (kept with the logs; see Store::RecordKeyUses).
struct KeyUse {
  int64_t key_id = 0;
  std::string at;  // RFC 3339
};

// A staff web login (SPEC §9). Only the Argon2id hash of its password is kept.
struct WebUser {
  int64_t id = 0;
  std::string login;
  registry::Role role = registry::kPublic;
  std::string password_hash;  // libsodium's crypto_pwhash_str string
  std::string created_at;
  std::string disabled_at;  // "" while it may log in
};

// A web session as the database keeps it: the cookie's token is kept only as its hash.
// Times are Unix seconds.
struct WebSession {
  std::string token_hash;
  int64_t user_id = 0;
  std::string csrf;  // the token every POST form of the session carries
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
  // Read with the session: who it is, and whether the login has been disabled since.
  std::string login;
  registry::Role role = registry::kPublic;
  bool user_disabled = false;
};

struct AuditEntry {
  std::string at;  // RFC 3339; filled by the store when empty
  std::string actor;
  std::string role;
  std::string channel;
  std::string action;
  std::string dataset;
  std::string record;
  std::string detail;
};

// The reply given to one gateway message (see Store::FindSmsReply).
struct SmsReply {
  std::string gateway;
  std::string message_id;
  std::string sender;
  std::string received_at;  // RFC 3339
  std::string reply;
};

// Thrown when the database cannot take a write now, for a reason outside Harvest that
// passes: another process holds the write lock past the wait bound, or the disk is full.
// Channels answer it as "try again later" (HTTP 503 with Retry-After), never as a fault.
class Unavailable : public std::runtime_error {
 public:
  enum class Reason { kLocked, kDiskFull };
  Unavailable(Reason reason, const std::string& message)
      : std::runtime_error(message), reason_(reason) {}
  Reason reason() const { return reason_; }
  // How long a client should wait before trying again.
  int retry_after_seconds() const { return reason_ == Reason::kLocked ? 5 : 60; }

 private:
  Reason reason_;
};

// What the logs take in one commit (see LogWriter): audit entries, receipt checks
// (`verifications` rows) and the SMS replies kept for gateway retries.
struct LogBatch {
  std::vector<AuditEntry> audit;
  std::vector<Row> checks;
  std::vector<SmsReply> sms_replies;
  std::vector<KeyUse> key_uses;
  bool empty() const {
    return audit.empty() && checks.empty() && sms_replies.empty() && key_uses.empty();
  }
  size_t size() const {
    return audit.size() + checks.size() + sms_replies.size() + key_uses.size();
  }
  // Moves `later`'s records after this batch's, kind by kind (a failed commit's batch goes
  // back in front of what was queued meanwhile). A new kind of record is added here too.
  void Append(LogBatch&& later) {
    auto join = [](auto& front, auto& back) {
      front.insert(front.end(), std::make_move_iterator(back.begin()),
                   std::make_move_iterator(back.end()));
      back.clear();
    };
    join(audit, later.audit);
    join(checks, later.checks);
    join(sms_replies, later.sms_replies);
    join(key_uses, later.key_uses);
  }
};

// Which receipt checks a /checks summary counts: `at` in [from, to) (RFC 3339 or a date;
// "" for no bound), and when given, one parish (code) and one verdict word.
struct CheckSelection {
  std::string from, to;
  std::string parish;
  std::string verdict;
};

// Checks of one day (UTC, YYYY-MM-DD) with one verdict.
struct DailyChecks {
  std::string day;
  std::string verdict;
  int64_t checks = 0;
};

// ALERT and CHECK verdicts given in one parish ("" for checks with no parish known).
struct ParishChecks {
  std::string parish;
  int64_t alert = 0;
  int64_t check = 0;
};

// A receipt checked more than once, with how often and in how many parishes.
struct RecheckedReceipt {
  int64_t receipt = 0;
  int64_t checks = 0;
  int64_t parishes = 0;
  std::string last_at;
};

class Store {
 public:
  virtual ~Store() = default;

  // Reads. Rows are positional over the dataset's fields.
  virtual std::vector<Row> Select(const registry::DatasetDef& set, const Selection& selection) = 0;
  // Streams rows in order; `sink` returns false to stop early.
  virtual void Scan(const registry::DatasetDef& set, const Selection& selection,
                    const std::function<bool(const Row&)>& sink) = 0;
  virtual int64_t Count(const registry::DatasetDef& set, const std::vector<Filter>& filters) = 0;
  virtual std::optional<Row> Get(const registry::DatasetDef& set, const Value& key) = 0;

  // Writes are all-or-nothing: on any bad row nothing is kept and WriteError lists every
  // problem found (each row is checked, so an import can name all its bad lines).
  // `dry_run` checks everything and then rolls back.
  virtual WriteResult Write(const registry::DatasetDef& set, std::vector<Row> rows, WriteMode mode,
                            bool dry_run = false) = 0;
  // Runs `work` as one all-or-nothing unit: every Write inside it is kept together or
  // not at all (a bulk load interrupted by a crash leaves nothing behind).
  virtual void Atomically(const std::function<void()>& work) = 0;

  // Changes some fields of one row; returns the stored row. nullopt when the key is unknown.
  virtual std::optional<Row> Update(const registry::DatasetDef& set, const Value& key,
                                    const std::vector<std::pair<int, Value>>& changes) = 0;

  // API keys: only the hash of a key is kept.
  virtual ApiKey CreateKey(const std::string& name, registry::Role role, const std::string& hash,
                           const std::string& prefix) = 0;
  virtual std::optional<ApiKey> FindKey(const std::string& hash) = 0;
  virtual std::vector<ApiKey> ListKeys() = 0;
  virtual bool RevokeKey(int64_t id) = 0;
  // Notes when keys were last used (the latest time kept). Not a registry write: the
  // change stamp does not move, so caches keyed by it survive.
  virtual void RecordKeyUses(const std::vector<KeyUse>& uses) = 0;

  // Web logins. CreateUser throws WriteError (conflict) when the login exists. DisableUser
  // also ends the login's sessions; false when no enabled login has that name.
  virtual WebUser CreateUser(const std::string& login, registry::Role role,
                             const std::string& password_hash) = 0;
  virtual std::optional<WebUser> FindUser(const std::string& login) = 0;
  virtual std::vector<WebUser> ListUsers() = 0;
  virtual bool DisableUser(const std::string& login) = 0;

  // Web sessions, kept in the database so that every server on it knows them (SPEC §11).
  virtual void CreateSession(const WebSession& session) = 0;
  virtual std::optional<WebSession> FindSession(const std::string& token_hash) = 0;
  virtual void TouchSession(const std::string& token_hash, int64_t at) = 0;
  virtual void EndSession(const std::string& token_hash) = 0;
  // Failed logins per login name, for the login rate limit: RecordLoginFailure also forgets
  // every login's failures older than `forget_before`; LoginFailuresSince lists the times,
  // oldest first.
  virtual void RecordLoginFailure(const std::string& login, int64_t at, int64_t forget_before) = 0;
  virtual std::vector<int64_t> LoginFailuresSince(const std::string& login, int64_t since) = 0;

  virtual void AppendAudit(const std::vector<AuditEntry>& entries) = 0;
  // Every record of `batch` in one transaction: all kept, or none (then it throws).
  void AppendLogs(const LogBatch& batch);

  // Summaries of the receipt checks (`verifications`) for /checks, each read from an index
  // range of the selection's time span (and parish); bounded by the thread's query budget
  // like Select (QueryTimeout). Days oldest first; parishes by code; receipts most checked
  // first, at most `limit`, only those checked at least twice.
  virtual std::vector<DailyChecks> CountChecksPerDay(const CheckSelection& selection) = 0;
  virtual std::vector<ParishChecks> CountWarningsByParish(const CheckSelection& selection) = 0;
  virtual std::vector<RecheckedReceipt> MostRecheckedReceipts(const CheckSelection& selection,
                                                              int64_t limit) = 0;

  // SMS gateways retry: the reply given to a gateway message id from one sender, so a
  // message seen twice is answered the same and acted on once. Gateway ids are matched
  // together with their sender: another sender's message under a reused id is a new one.
  // Remembering an id already stored keeps the earlier reply.
  virtual std::optional<std::string> FindSmsReply(const std::string& gateway,
                                                  const std::string& sender,
                                                  const std::string& message_id) = 0;
  virtual void RememberSmsReplies(const std::vector<SmsReply>& replies) = 0;
  // Where several servers share the database (SharedByServers): marks a gateway message as
  // being answered by this server. False while another server holds it (claimed less than
  // `stale_after_seconds` ago) or once its reply is kept: then wait for that reply
  // (FindSmsReply). A claim older than that is taken over (its server died or is stuck); a
  // claim of this same server is its again. A store one process serves claims nothing: that
  // process knows its own deliveries in progress.
  virtual bool ClaimSmsMessage(const std::string& gateway, const std::string& sender,
                               const std::string& message_id, int stale_after_seconds) {
    (void)gateway, (void)sender, (void)message_id, (void)stale_after_seconds;
    return true;
  }
  // Gives a claim up (the message could not be answered): a retry need not wait for it.
  virtual void ReleaseSmsClaim(const std::string& gateway, const std::string& sender,
                               const std::string& message_id) {
    (void)gateway, (void)sender, (void)message_id;
  }

  // Quotas (SPEC §10): counts one use by `subject` at `now` (Unix seconds) and returns 0
  // while fewer than `limit` were counted in the `window` seconds before; past it, counts
  // nothing and returns the seconds until a use is free again (at least 1). A limit of 0 or
  // less is no limit. Every server of a shared database counts in the same place (SPEC §11):
  // SQLite, served by one process, counts in memory and exactly; PostgreSQL in a table, per
  // minute (a use leaves the window with the minute it was counted in).
  virtual int64_t TakeQuota(const std::string& subject, int64_t now, int64_t window,
                            int limit) = 0;

  // True when other server processes may record checks in this database while this one
  // serves (PostgreSQL): state a server keeps in memory from the logs (the recent checks)
  // must then be caught up from the database before it is used. SQLite is served by one
  // process, so what it records in memory is the whole story.
  virtual bool SharedByServers() const { return false; }

  // How long a write waits for another writer (a CLI import, the sqlite3 shell) to release
  // the database before it throws Unavailable. Set before the store is used from other
  // threads.
  virtual void SetWriteWait(std::chrono::milliseconds wait) = 0;

  // Small named settings the store's own SQL depends on (the suppression threshold), and
  // secrets kept with the data (the farm token key).
  virtual void SetSetting(const std::string& name, const std::string& value) = 0;
  virtual std::optional<std::string> Setting(const std::string& name) = 0;

  // A consistent copy of the whole database, taken while it is in use.
  virtual void Backup(const std::string& destination) = 0;

  // True when no farmer is registered yet (demo data may be loaded).
  virtual bool Empty() = 0;

  // Reads on the calling thread between BeginRead and the matching EndRead see one snapshot
  // and share one read transaction, instead of paying to start one per query. Nests. A
  // write inside still commits on its own (reads after it see it). Use through ReadScope.
  // Each Select, Scan and Count on the calling thread stops after `ms` milliseconds with
  // QueryTimeout (0: no budget) until the budget is set again. Use through BudgetScope, so
  // that background readers (the receipt index's copies) are never bounded by a request's
  // budget. Other reads and writes are not bounded by it.
  virtual void SetThreadQueryBudget(int ms) { (void)ms; }

  virtual void BeginRead() {}
  virtual void EndRead() {}

  // A number that changes with every committed write to the registry, by this process or
  // any other (a CLI import while serving). Within a read scope it stays the same and is
  // never newer than the scope's snapshot (it may be taken before the first read starts the
  // snapshot), so an answer cached under it can only look staler than it is. Lets callers
  // cache answers and know at once when they are stale. Appends to the logs (audit,
  // verifications, SMS replies) do not move it, so those caches survive the batch writers'
  // commits: never cache an answer read from a log by it.
  virtual uint64_t ChangeStamp() = 0;
  // The same for the writes to one dataset alone: a copy of a dataset held in memory stays
  // good while this number does.
  virtual uint64_t ChangeStamp(const registry::DatasetDef& set) = 0;

  // For a server, once it has set up and before its threads start: upkeep moves off the
  // request path onto background threads. Data derived from the registry (the published
  // aggregates) is brought up to date after a write while reads go on answering from the
  // previous version; the SQLite backend checkpoints its log apart from the commits.
  // Without this call (commands run once), a read of derived data waits for it to be current.
  virtual void StartServing() {}
};

// One request's reads as one snapshot (see Store::BeginRead).
class ReadScope {
 public:
  explicit ReadScope(Store& store) : store_(store) { store_.BeginRead(); }
  ~ReadScope() { store_.EndRead(); }
  ReadScope(const ReadScope&) = delete;
  ReadScope& operator=(const ReadScope&) = delete;

 private:
  Store& store_;
};

// The queries of one request bounded by limits.query_ms (see Store::SetThreadQueryBudget).
class BudgetScope {
 public:
  BudgetScope(Store& store, int ms) : store_(store) { store_.SetThreadQueryBudget(ms); }
  ~BudgetScope() { store_.SetThreadQueryBudget(0); }
  BudgetScope(const BudgetScope&) = delete;
  BudgetScope& operator=(const BudgetScope&) = delete;

 private:
  Store& store_;
};

// How a store is opened (OpenStore).
struct OpenOptions {
  // How long its writes (the migration among them) wait for another writer (see
  // Store::SetWriteWait).
  std::chrono::milliseconds write_wait = std::chrono::seconds(10);
  // PostgreSQL only: the URL is a pooler's in transaction mode (PgBouncer), and hot standbys
  // (postgresql:// URLs) serve the open-data reads (SPEC §11). A SQLite store refuses
  // standbys.
  bool transaction_pooling = false;
  std::vector<std::string> read_urls;
  size_t pool_size = 0;  // connections per database server (PgOptions::pool_size)
};

// Opens the store named by `url`: a SQLite file path, or a postgresql:// URL.
// Creates and migrates the database on first use.
std::unique_ptr<Store> OpenStore(const std::string& url, const OpenOptions& options = {});

}  // namespace harvest::store
