#include "store/sqlite/sqlite_store.h"

#include <unordered_map>

#include "auth/farm_token.h"
#include "registry/clock.h"
#include "registry/stored_rules.h"
#include "store/key_token.h"
#include "store/sql_builder.h"
#include "store/sqlite/aggregates.h"
#include "store/sqlite/migrations.h"

namespace harvest::store::sqlite {
namespace {

std::atomic<uint64_t> next_store_id{1};

void BindAll(Statement& stmt, const std::vector<Value>& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    stmt.Bind(static_cast<int>(i + 1), params[i]);
  }
}

// A row of `set` from the statement's columns: every field in order, or only `fields` (the
// other cells null).
Row ReadRow(const Statement& stmt, const registry::DatasetDef& set,
            const std::vector<int>& fields = {}) {
  Row row(set.fields.size());
  for (size_t i = 0; i < (fields.empty() ? row.size() : fields.size()); ++i) {
    row[fields.empty() ? i : static_cast<size_t>(fields[i])] = stmt.Column(static_cast<int>(i));
  }
  return row;
}

// Adds one to a counter in `meta`, inside the caller's transaction so that the count and
// the data it counts are committed together.
void BumpCounter(Connection& conn, const std::string& name) {
  conn.Prepare(
          "INSERT INTO meta (name, value) VALUES (?, '1') ON CONFLICT (name) DO "
          "UPDATE SET value = CAST(value AS INTEGER) + 1")
      .Bind(1, name)
      .Run();
}

// The meta names of the change counters: "change_count" for every registry write,
// "change_count:<dataset>" for the writes to one dataset.
constexpr std::string_view kChangeCount = "change_count";

// Moves ChangeStamp.
void CountChange(Connection& conn) {
  conn.change_count_seen_at = -1;
  conn.counters_moved = true;
  BumpCounter(conn, std::string(kChangeCount));
}

// Counts a write to `set`: the registry_version that the aggregates are rebuilt by, and
// both change stamps unless the set is a log.
void CountChanges(Connection& conn, const registry::DatasetDef& set) {
  if (registry::FeedsAggregates(set)) {
    BumpCounter(conn, "registry_version");
  }
  if (!set.log) {
    CountChange(conn);
    BumpCounter(conn, std::string(kChangeCount) + ":" + set.name);
  }
}

// The change counters as the calling connection's snapshot sees them (see ChangeStamp).
const std::unordered_map<std::string, uint64_t>& ChangeCounts(Connection& conn, WalWatch* watch) {
  // Counters kept by the registry writes (CountChanges) rather than SQLite's data_version,
  // which also moves with each batch of audit entries and receipt checks. Three cheaper
  // tests come first, each enough to reuse the counters this connection read last:
  // - inside one read transaction they are read once (a snapshot cannot move);
  // - when nothing has been written to the WAL since they were read (WalWatch), the next
  //   snapshot would show the same; this spares the read transaction altogether;
  // - data_version, which moves whenever another connection commits (this connection's
  //   own writes mark the copy stale).
  uint64_t read = conn.ReadNumber();
  bool have = conn.change_count_seen_at != -1;
  if (have && read != 0 && read == conn.change_count_read) {
    return conn.change_counts;
  }
  uint64_t epoch = watch ? watch->Epoch() : 0;
  if (have && epoch != 0 && epoch == conn.change_count_epoch) {
    conn.change_count_read = read;
    return conn.change_counts;
  }
  // The epoch vouches for these counters only if the snapshot they are read from starts
  // after it was taken; inside a transaction whose snapshot is older, record none.
  uint64_t vouched = sqlite3_txn_state(conn.raw(), "main") == SQLITE_TXN_NONE ? epoch : 0;
  conn.change_count_epoch = 0;  // until the counters below are read in full
  Statement& version = conn.Prepare("PRAGMA data_version");
  version.Step();
  int64_t data_version = version.ColumnInt(0);
  version.Reset();
  if (conn.change_count_seen_at != data_version) {
    conn.change_count_seen_at = -1;
    // "change_count" and every "change_count:<dataset>" (';' sorts right after ':').
    Statement& stmt = conn.Prepare(
        "SELECT name, value FROM meta WHERE name >= 'change_count' AND name < 'change_count;'");
    conn.change_counts.clear();
    while (stmt.Step()) {
      std::string name = stmt.ColumnText(0);
      std::string dataset =
          name.size() > kChangeCount.size() ? name.substr(kChangeCount.size() + 1) : "";
      conn.change_counts[dataset] = static_cast<uint64_t>(stmt.ColumnInt(1));
    }
    stmt.Reset();
    conn.change_count_seen_at = data_version;
  }
  conn.change_count_read = read;
  conn.change_count_epoch = vouched;
  return conn.change_counts;
}

uint64_t CountOf(const std::unordered_map<std::string, uint64_t>& counts, const std::string& name) {
  auto it = counts.find(name);
  return it == counts.end() ? 0 : it->second;
}

std::string InsertSql(const registry::DatasetDef& set, WriteMode mode) {
  std::string cols;
  std::string marks;
  std::string updates;
  for (const registry::FieldDef& f : set.fields) {
    cols += (cols.empty() ? "" : ", ") + f.name;
    marks += marks.empty() ? "?" : ", ?";
    if (f.name != set.key) {
      updates += (updates.empty() ? "" : ", ") + f.name + " = excluded." + f.name;
    }
  }
  std::string sql = "INSERT INTO " + set.table + " (" + cols + ") VALUES (" + marks + ")";
  if (mode == WriteMode::kUpsert) {
    sql += " ON CONFLICT (" + set.key + ") DO UPDATE SET " + updates;
  }
  return sql;
}

ApiKey ReadKey(const Statement& stmt) {
  ApiKey key;
  key.id = stmt.ColumnInt(0);
  key.name = stmt.ColumnText(1);
  registry::ParseRole(stmt.ColumnText(2), key.role);
  key.prefix = stmt.ColumnText(3);
  key.created_at = stmt.ColumnText(4);
  key.revoked_at = stmt.ColumnText(5);
  key.last_used_at = stmt.ColumnText(6);
  return key;
}

}  // namespace

SqliteStore::SqliteStore(std::string path, std::chrono::milliseconds write_wait)
    : path_(std::move(path)), id_(next_store_id++), write_wait_(write_wait) {
  Migrate(Conn());
  farm_token_key_ = auth::ParseFarmTokenKey(Setting("farm_token_key").value_or(""));
  // After the first connection has opened the WAL file.
  wal_watch_ = std::make_unique<WalWatch>(Conn().WalPath());
}

SqliteStore::~SqliteStore() = default;

Connection& SqliteStore::Conn() {
  // Keyed by store id rather than address: a later store at the same address must not
  // inherit a connection to another file.
  thread_local std::unordered_map<uint64_t, Connection*> mine;
  auto it = mine.find(id_);
  if (it != mine.end()) {
    return *it->second;
  }
  Connection* raw = nullptr;
  {
    std::lock_guard lock(mutex_);
    connections_.push_back(std::make_unique<Connection>(path_, write_wait_));
    raw = connections_.back().get();
  }
  if (serving_) {
    raw->Exec("PRAGMA wal_autocheckpoint=0");  // WalCheckpointer does it off the commit path
  }
  mine.emplace(id_, raw);
  return *raw;
}

std::vector<Row> SqliteStore::Select(const registry::DatasetDef& set, const Selection& selection) {
  std::vector<Row> rows;
  Scan(set, selection, [&](const Row& row) {
    rows.push_back(row);
    return true;
  });
  return rows;
}

void SqliteStore::Scan(const registry::DatasetDef& set, const Selection& selection,
                       const std::function<bool(const Row&)>& sink) {
  if (set.aggregate) {
    RefreshAggregates();
  }
  SqlQuery query = BuildSelectSealed(set, selection, Dialect::kSqlite, farm_token_key_);
  Connection& conn = Conn();
  Statement& stmt = conn.Prepare(query.sql);
  BindAll(stmt, query.params);
  StepWithinBudget(conn, stmt,
                   [&](Statement& row) { return sink(ReadRow(row, set, selection.fields)); });
}

int64_t SqliteStore::Count(const registry::DatasetDef& set, const std::vector<Filter>& filters) {
  if (set.aggregate) {
    RefreshAggregates();
  }
  SqlQuery query = BuildCount(set, filters, Dialect::kSqlite);
  Connection& conn = Conn();
  Statement& stmt = conn.Prepare(query.sql);
  BindAll(stmt, query.params);
  int64_t n = 0;
  StepWithinBudget(conn, stmt, [&](Statement& row) {
    n = row.ColumnInt(0);
    return false;
  });
  return n;
}

std::optional<Row> SqliteStore::Get(const registry::DatasetDef& set, const Value& key) {
  if (set.aggregate) {
    RefreshAggregates();
  }
  Statement& stmt = Conn().Prepare("SELECT " + ColumnList(set) + " FROM " + set.table + " WHERE " +
                                   set.key + " = ?");
  stmt.Bind(1, key);
  std::optional<Row> row;
  if (stmt.Step()) {
    row = ReadRow(stmt, set);
  }
  stmt.Reset();
  return row;
}

RowError SqliteStore::Translate(const registry::DatasetDef& set, const SqliteError& error,
                                size_t index) {
  switch (error.code()) {
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_UNIQUE:
      return {index, set.key, "a record with this " + set.key + " already exists", true};
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return {index, "", "refers to a record that does not exist"};
    case SQLITE_CONSTRAINT_TRIGGER:
      return {index, "", error.what(), true};
    default:
      break;
  }
  if ((error.code() & 0xff) == SQLITE_CONSTRAINT) {
    return {index, "", error.what()};
  }
  throw error;
}

WriteResult SqliteStore::Write(const registry::DatasetDef& set, std::vector<Row> rows,
                               WriteMode mode, bool dry_run) {
  Connection& conn = Conn();
  Transaction tx(conn);
  WriteResult result;
  std::vector<RowError> errors;
  Statement& exists = conn.Prepare("SELECT 1 FROM " + set.table + " WHERE " + set.key + " = ?");
  Statement& insert = conn.Prepare(InsertSql(set, mode));
  Statement* token = set.key_token.empty()
                         ? nullptr
                         : &conn.Prepare("UPDATE " + set.table + " SET " + set.key_token +
                                         " = ? WHERE " + set.key + " = ?");
  int key = set.KeyIndex();
  for (size_t i = 0; i < rows.size(); ++i) {
    Row& row = rows[i];
    size_t before = errors.size();
    // The rules that deserve a precise message, once for every backend (the schema's
    // constraints and triggers stay as the last line of defence).
    if (mode != WriteMode::kAppend) {
      registry::CheckStoredRow(*this, set, row, i, errors);
    }
    if (errors.size() != before) {
      continue;
    }
    bool existed = false;
    if (mode == WriteMode::kUpsert && !IsNull(row[key])) {
      exists.Reset().Bind(1, row[key]);
      existed = exists.Step();
      exists.Reset();
    }
    insert.Reset();
    BindAll(insert, row);
    try {
      insert.Run();
    } catch (const SqliteError& e) {
      errors.push_back(Translate(set, e, i));
      continue;
    }
    if (IsNull(row[key])) {
      row[key] = conn.LastInsertId();
    }
    if (token && !existed) {
      // Every row has its token from the transaction that makes it; the key it derives from
      // may only now be known (generated).
      token->Reset().Bind(1, KeyToken(farm_token_key_, row[key])).Bind(2, row[key]).Run();
    }
    existed ? ++result.updated : ++result.inserted;
  }
  if (!errors.empty()) {
    throw WriteError(std::move(errors));
  }
  if (!rows.empty()) {
    CountChanges(conn, set);
  }
  result.rows = std::move(rows);
  if (!dry_run) {
    tx.Commit();
  }
  return result;
}

void SqliteStore::Atomically(const std::function<void()>& work) {
  Transaction tx(Conn());
  work();
  tx.Commit();
}

std::optional<Row> SqliteStore::Update(const registry::DatasetDef& set, const Value& key,
                                       const std::vector<std::pair<int, Value>>& changes) {
  Connection& conn = Conn();
  Transaction tx(conn);
  std::optional<Row> row = Get(set, key);
  if (!row) {
    return std::nullopt;
  }
  for (const auto& [field, value] : changes) {
    (*row)[static_cast<size_t>(field)] = value;
  }
  std::vector<RowError> errors;
  if (!changes.empty()) {
    registry::CheckStoredRow(*this, set, *row, 0, errors);
  }
  if (!errors.empty()) {
    throw WriteError(std::move(errors));
  }
  if (!changes.empty()) {
    std::string sets;
    for (const auto& [field, value] : changes) {
      sets += (sets.empty() ? "" : ", ") + set.fields[static_cast<size_t>(field)].name + " = ?";
    }
    Statement& stmt =
        conn.Prepare("UPDATE " + set.table + " SET " + sets + " WHERE " + set.key + " = ?");
    int n = 1;
    for (const auto& change : changes) {
      stmt.Bind(n++, change.second);
    }
    stmt.Bind(n, key);
    try {
      stmt.Run();
    } catch (const SqliteError& e) {
      throw WriteError({Translate(set, e, 0)});
    }
    CountChanges(conn, set);
  }
  tx.Commit();
  return row;
}

void SqliteStore::RefreshAggregates() {
  Connection& conn = Conn();
  std::string stored = StoredAggregatesVersion(conn);
  if (stored == WantedAggregatesVersion(conn)) {
    return;
  }
  if (!stored.empty() && aggregates_builder_) {
    // Serving: the previous tables answer until the rebuild is done (a national rebuild
    // takes seconds, which a reader must not wait for, nor writers behind its lock).
    aggregates_builder_->Wake();
    return;
  }
  RebuildAggregates();
}

void SqliteStore::RebuildAggregates() {
  Connection& conn = Conn();
  AggregateTables tables;
  conn.BeginRead();
  try {
    tables = ComputeAggregates(conn);
  } catch (...) {
    conn.EndRead();
    throw;
  }
  conn.EndRead();
  Transaction tx(conn);
  if (ReplaceAggregates(conn, tables)) {
    CountChange(conn);  // answers cached from the previous tables are stale now
  }
  tx.Commit();
}

void SqliteStore::StartServing() {
  {
    // The SMS id index is read in once now, not on the first message's request path.
    std::lock_guard lock(sms_mutex_);
    LoadSmsIds();
  }
  if (!checkpointer_) {
    checkpointer_ = std::make_unique<WalCheckpointer>(path_, std::chrono::milliseconds(100));
    serving_ = true;
    Conn().Exec("PRAGMA wal_autocheckpoint=0");  // the calling thread's; others' as they open
  }
  if (!aggregates_builder_) {
    // At most a fifth of a core under a steady stream of registry writes.
    aggregates_builder_ =
        std::make_unique<PacedJob>("harvest-aggr", "rebuilding the published aggregates", 5,
                                   std::chrono::seconds(1), [this] { RebuildAggregates(); });
  }
}

ApiKey SqliteStore::CreateKey(const std::string& name, registry::Role role, const std::string& hash,
                              const std::string& prefix) {
  Connection& conn = Conn();
  Transaction tx(conn);
  Statement& stmt = conn.Prepare(
      "INSERT INTO api_keys (name, role, hash, prefix, created_at) VALUES (?, ?, ?, ?, ?) "
      "RETURNING id, name, role, prefix, created_at, coalesce(revoked_at, ''), "
      "coalesce(last_used_at, '')");
  stmt.Bind(1, name)
      .Bind(2, std::string(registry::RoleName(role)))
      .Bind(3, hash)
      .Bind(4, prefix)
      .Bind(5, registry::NowRfc3339());
  stmt.Step();
  ApiKey key = ReadKey(stmt);
  stmt.Reset();
  CountChange(conn);
  tx.Commit();
  return key;
}

std::optional<ApiKey> SqliteStore::FindKey(const std::string& hash) {
  Statement& stmt = Conn().Prepare(
      "SELECT id, name, role, prefix, created_at, coalesce(revoked_at, ''), "
      "coalesce(last_used_at, '') FROM api_keys WHERE hash = ?");
  stmt.Bind(1, hash);
  std::optional<ApiKey> key;
  if (stmt.Step()) {
    key = ReadKey(stmt);
  }
  stmt.Reset();
  return key;
}

std::vector<ApiKey> SqliteStore::ListKeys() {
  Statement& stmt = Conn().Prepare(
      "SELECT id, name, role, prefix, created_at, coalesce(revoked_at, ''), "
      "coalesce(last_used_at, '') FROM api_keys ORDER BY id");
  std::vector<ApiKey> keys;
  while (stmt.Step()) {
    keys.push_back(ReadKey(stmt));
  }
  return keys;
}

bool SqliteStore::RevokeKey(int64_t id) {
  Connection& conn = Conn();
  Transaction tx(conn);
  Statement& stmt =
      conn.Prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
  stmt.Bind(1, registry::NowRfc3339()).Bind(2, id).Run();
  bool revoked = conn.Changes() > 0;
  CountChange(conn);
  tx.Commit();
  return revoked;
}

void SqliteStore::RecordKeyUses(const std::vector<KeyUse>& uses) {
  Connection& conn = Conn();
  Transaction tx(conn);
  Statement& stmt = conn.Prepare(
      "UPDATE api_keys SET last_used_at = ?1 WHERE id = ?2 AND "
      "(last_used_at IS NULL OR last_used_at < ?1)");
  for (const KeyUse& use : uses) {
    stmt.Reset().Bind(1, use.at).Bind(2, use.key_id).Run();
  }
  tx.Commit();  // no CountChange: a key's last use is not a registry write
}

void SqliteStore::AppendAudit(const std::vector<AuditEntry>& entries) {
  if (entries.empty()) {
    return;
  }
  Connection& conn = Conn();
  Transaction tx(conn);
  Statement& stmt = conn.Prepare(
      "INSERT INTO audit (at, actor, role, channel, action, dataset, record, detail) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  std::string now = registry::NowRfc3339();
  for (const AuditEntry& e : entries) {
    stmt.Reset()
        .Bind(1, e.at.empty() ? now : e.at)
        .Bind(2, e.actor)
        .Bind(3, e.role)
        .Bind(4, e.channel)
        .Bind(5, e.action)
        .Bind(6, e.dataset)
        .Bind(7, e.record)
        .Bind(8, e.detail)
        .Run();
  }
  tx.Commit();
}

void SqliteStore::LoadSmsIds() {
  if (sms_ids_loaded_) {
    return;
  }
  Statement& stmt = Conn().Prepare("SELECT id, gateway, sender, message_id FROM sms_messages");
  while (stmt.Step()) {
    sms_ids_.Add(sms_ids_.Hash(stmt.ColumnText(1), stmt.ColumnText(2), stmt.ColumnText(3)),
                 stmt.ColumnInt(0));
  }
  stmt.Reset();
  sms_ids_loaded_ = true;
}

std::optional<std::string> SqliteStore::FindSmsReply(const std::string& gateway,
                                                     const std::string& sender,
                                                     const std::string& message_id) {
  uint64_t hash = sms_ids_.Hash(gateway, sender, message_id);
  std::vector<int64_t> rows;
  {
    std::lock_guard lock(sms_mutex_);
    LoadSmsIds();
    rows = sms_ids_.Rows(hash);
  }
  if (rows.empty()) {
    return std::nullopt;  // certainly new: no SQL (nearly every message)
  }
  Statement& stmt =
      Conn().Prepare("SELECT gateway, sender, message_id, reply FROM sms_messages WHERE id = ?");
  for (int64_t row : rows) {
    stmt.Reset().Bind(1, row);
    if (stmt.Step() && stmt.ColumnText(0) == gateway && stmt.ColumnText(1) == sender &&
        stmt.ColumnText(2) == message_id) {
      std::string reply = stmt.ColumnText(3);
      stmt.Reset();
      return reply;
    }
  }
  stmt.Reset();
  return std::nullopt;
}

void SqliteStore::RememberSmsReplies(const std::vector<SmsReply>& replies) {
  Connection& conn = Conn();
  Transaction tx(conn);
  {
    std::lock_guard lock(sms_mutex_);
    LoadSmsIds();
  }
  Statement& stmt = conn.Prepare(
      "INSERT INTO sms_messages (gateway, message_id, sender, received_at, reply) "
      "VALUES (?, ?, ?, ?, ?)");
  // Indexed before the commit: a lookup meanwhile still finds the reply in the conversation's
  // memory, and an entry whose commit fails points at no row of its id (FindSmsReply checks).
  // The lock is held only around the index, never across SQL, so lookups do not wait for the
  // committer's statements.
  for (const SmsReply& r : replies) {
    uint64_t hash = sms_ids_.Hash(r.gateway, r.sender, r.message_id);
    std::vector<int64_t> rows;
    {
      std::lock_guard lock(sms_mutex_);
      rows = sms_ids_.Rows(hash);
    }
    bool kept = false;
    for (int64_t row : rows) {
      Statement& same = conn.Prepare(
          "SELECT 1 FROM sms_messages WHERE id = ? AND gateway = ? AND sender = ? "
          "AND message_id = ?");
      same.Reset().Bind(1, row).Bind(2, r.gateway).Bind(3, r.sender).Bind(4, r.message_id);
      kept = kept || same.Step();
      same.Reset();
    }
    if (kept) {
      continue;  // a reply is kept once per message, as the unique key used to ensure
    }
    stmt.Reset().Bind(1, r.gateway).Bind(2, r.message_id).Bind(3, r.sender);
    stmt.Bind(4, r.received_at).Bind(5, r.reply).Run();
    std::lock_guard lock(sms_mutex_);
    sms_ids_.Add(hash, conn.LastInsertId());
  }
  tx.Commit();
}

void SqliteStore::SetWriteWait(std::chrono::milliseconds wait) {
  std::lock_guard lock(mutex_);
  write_wait_ = wait;
  for (const auto& conn : connections_) {
    conn->SetWriteWait(wait);
  }
}

void SqliteStore::SetSetting(const std::string& name, const std::string& value) {
  Connection& conn = Conn();
  // Every command sets its settings on opening: a write only when one changes, so that a
  // command does not queue for the write lock for nothing.
  Statement& current = conn.Prepare("SELECT value FROM meta WHERE name = ?");
  current.Bind(1, name);
  bool same = current.Step() && current.ColumnText(0) == value;
  current.Reset();
  if (same) {
    return;
  }
  Transaction tx(conn);
  Statement& stmt = conn.Prepare(
      "INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = "
      "excluded.value");
  stmt.Bind(1, name).Bind(2, value).Run();
  CountChange(conn);
  tx.Commit();
}

std::optional<std::string> SqliteStore::Setting(const std::string& name) {
  Statement& stmt = Conn().Prepare("SELECT value FROM meta WHERE name = ?");
  stmt.Bind(1, name);
  std::optional<std::string> value;
  if (stmt.Step()) {
    value = stmt.ColumnText(0);
  }
  stmt.Reset();
  return value;
}

void SqliteStore::Backup(const std::string& destination) {
  // VACUUM INTO writes a consistent snapshot while readers and writers carry on.
  Statement& stmt = Conn().Prepare("VACUUM INTO ?");
  stmt.Bind(1, destination).Run();
}

void SqliteStore::SetThreadQueryBudget(int ms) {
  Conn().query_budget_ms = ms;
}

void SqliteStore::BeginRead() {
  Conn().BeginRead();
}

void SqliteStore::EndRead() {
  Conn().EndRead();
}

uint64_t SqliteStore::ChangeStamp() {
  return CountOf(ChangeCounts(Conn(), wal_watch_.get()), "");
}

uint64_t SqliteStore::ChangeStamp(const registry::DatasetDef& set) {
  return CountOf(ChangeCounts(Conn(), wal_watch_.get()), set.name);
}

bool SqliteStore::Empty() {
  Statement& stmt = Conn().Prepare("SELECT NOT EXISTS (SELECT 1 FROM farmers)");
  stmt.Step();
  bool empty = stmt.ColumnInt(0) != 0;
  stmt.Reset();
  return empty;
}

}  // namespace harvest::store::sqlite
