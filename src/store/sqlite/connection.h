// A thin RAII layer over the SQLite C API: a connection with a cache of prepared
// statements, and statements that bind and read store::Value. Only the SQLite backend
// includes this header.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "store/value.h"

namespace harvest::store::sqlite {

class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

// Throws store::Unavailable for a lock held past the wait (SQLITE_BUSY) or a full disk
// (SQLITE_FULL), SqliteError otherwise.
[[noreturn]] void ThrowError(sqlite3* db, int code, const std::string& message);

class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Resets bindings and cursor so a cached statement can be reused.
  Statement& Reset();
  Statement& Bind(int index, const Value& value);  // 1-based
  Statement& Bind(int index, const std::string& text);
  Statement& Bind(int index, int64_t number);
  // Steps once; true while a row is available.
  bool Step();
  // Runs to completion (for statements that return no rows).
  void Run();
  Value Column(int index) const;  // 0-based
  int64_t ColumnInt(int index) const { return sqlite3_column_int64(stmt_, index); }
  std::string ColumnText(int index) const;
  sqlite3_stmt* raw() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  Connection(const std::string& path, std::chrono::milliseconds write_wait);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // How long a write waits for another connection's write lock.
  void SetWriteWait(std::chrono::milliseconds wait);

  // A prepared statement from the connection's cache, reset and ready to bind.
  Statement& Prepare(const std::string& sql);
  void Exec(const std::string& sql);
  int64_t LastInsertId() const { return sqlite3_last_insert_rowid(db_); }
  int Changes() const { return sqlite3_changes(db_); }
  sqlite3* raw() const { return db_; }

  // A read transaction held across several queries (Store::BeginRead); nests.
  void BeginRead();
  void EndRead();

  // SqliteStore::ChangeStamp's copy of the change counters (all writes under "", each
  // dataset's under its name) and the data_version they were read at (-1: read them again;
  // this connection wrote).
  std::unordered_map<std::string, uint64_t> change_counts;
  int64_t change_count_seen_at = -1;
  // The read transaction (ReadNumber) data_version was last asked in: within one read
  // transaction the snapshot, and so data_version, cannot move.
  uint64_t change_count_read = 0;
  // The WalWatch epoch they were last checked at (0: none).
  uint64_t change_count_epoch = 0;
  // The open write transaction moved the change counters: once it commits, the WAL file
  // gets a touch (see TouchWal).
  bool counters_moved = false;

  // The WAL file's path as SQLite resolved it (symbolic links followed); "" for none.
  std::string WalPath() const;
  // Sets the WAL file's times to now. SQLite writes a commit's frames to the WAL before it
  // makes them visible to readers, so a WalWatch may drain the events of a commit and read
  // the snapshot before it: a touch after COMMIT gives watchers one more event, queued
  // after the commit is visible (a stale read is then always followed by a re-read).
  void TouchWal() const;

  // Store::SetThreadQueryBudget's budget for this thread's Select, Scan and Count (0: none).
  int query_budget_ms = 0;

  // Which read transaction is open (ReadScope's, counted from 1), 0 when none is.
  uint64_t ReadNumber() const { return read_open_ ? reads_opened_ : 0; }

 private:
  friend class Transaction;
  // A write transaction cannot grow out of a read snapshot that another connection has
  // since overtaken (SQLITE_BUSY_SNAPSHOT), so it ends the open read first and starts a new
  // one after. Returns whether there was one to resume.
  bool SuspendRead();
  void ResumeRead();

  sqlite3* db_ = nullptr;
  int read_depth_ = 0;
  bool read_open_ = false;  // this connection ran BEGIN for the reads
  uint64_t reads_opened_ = 0;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

// Stops the connection's statements once `ms` milliseconds have passed, for as long as it
// lives (SQLite's progress handler: the running step fails with SQLITE_INTERRUPT, so the
// work really ends rather than going on after the answer). 0 ms: no bound.
class QueryBudget {
 public:
  QueryBudget(Connection& conn, int ms);
  ~QueryBudget();
  QueryBudget(const QueryBudget&) = delete;
  QueryBudget& operator=(const QueryBudget&) = delete;
  // True once the budget stopped a statement.
  bool Spent() const { return spent_; }

 private:
  static int Check(void* self);

  Connection& conn_;
  bool active_ = false;
  bool spent_ = false;
  std::chrono::steady_clock::time_point deadline_;
};

// Runs a block inside BEGIN IMMEDIATE … COMMIT; rolls back when it is destroyed without
// Commit (an exception). IMMEDIATE takes the write lock up front so two writers never
// deadlock upgrading. Inside an open transaction it nests as a SAVEPOINT, so a write
// made within Store::Atomically joins the outer all-or-nothing unit.
class Transaction {
 public:
  explicit Transaction(Connection& conn);
  ~Transaction();
  void Commit();

 private:
  void Finish(const char* top_level, const char* nested);

  Connection& conn_;
  bool resume_read_ = false;
  bool nested_ = false;
  bool done_ = false;
};

}  // namespace harvest::store::sqlite
