// One libpq connection (Debian's libpq) and its results, for the PostgreSQL backend.
// Statements go with their parameters as text (never spliced into the SQL) and are prepared
// once per connection by their text. Results come back as store::Values: integer columns as
// int64, floating ones as double, the rest as text, NULL as monostate.
//
// A transaction sets its own lock wait (SET LOCAL), and notices are dropped on the client,
// so the connection may be a pooler's in transaction mode (PgBouncer), where consecutive
// transactions run on different server connections: there, statements go unnamed (a named
// prepared statement would be on one server connection only) and nothing is set on the
// session, so a statement outside a transaction waits for locks as the server's default
// says. Not behind a pooler, the session's lock_timeout is set too.
#pragma once

#include <libpq-fe.h>

#include <atomic>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/store.h"

namespace harvest::store::postgres {

// A statement PostgreSQL refused; `sqlstate` is its five-character code (23505: a unique
// key taken, 23503: a reference to nothing, 23514: a CHECK constraint).
class PgError : public std::runtime_error {
 public:
  PgError(const std::string& message, std::string sqlstate)
      : std::runtime_error(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }
  bool constraint() const { return sqlstate_.rfind("23", 0) == 0; }

 private:
  std::string sqlstate_;
};

class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result, PQclear) {}
  int rows() const { return PQntuples(result_.get()); }
  Value At(int row, int column) const;
  std::string Text(int row, int column) const;
  int64_t Int(int row, int column) const;

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> result_;
};

class PgConnection {
 public:
  // Connects to `url` (a postgresql:// URL); throws Unavailable naming the server and why.
  // `lock_timeout_ms`: how long a statement of a transaction waits for another writer's lock
  // (then Unavailable, as SQLite's write wait). `prepare`: false behind a pooler in
  // transaction mode.
  PgConnection(const std::string& url, int64_t lock_timeout_ms, bool prepare = true);
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one statement with `params` ($1, $2, ...); throws PgError when it fails, and
  // Unavailable when the server cannot be reached.
  PgResult Run(const std::string& sql, const std::vector<Value>& params = {});
  // The same for a statement run once (its text varies: a multi-row insert), never prepared.
  PgResult RunOnce(const std::string& sql, const std::vector<Value>& params);
  // Run, stopped by the server after `budget_ms` (0: no budget) with QueryTimeout. Outside
  // a transaction; inside one, as Run (a write's reads are not budgeted).
  PgResult RunWithin(const std::string& sql, const std::vector<Value>& params, int budget_ms);
  // Runs statements without parameters (migrations); same errors.
  void Exec(const std::string& sql);
  // Sends `rows` (values in the order of the statement's columns) through `copy_sql`, a
  // "COPY table (columns) FROM STDIN": one round trip for the lot, all or nothing; same errors
  // (a refused row fails the whole COPY, with the constraint's SQLSTATE).
  void CopyIn(const std::string& copy_sql, const std::vector<Row>& rows);

  // Transactions nest: only the outermost begins and commits; an inner one is a savepoint,
  // so that a failed statement inside it can be undone without ending the outer one. A lost
  // connection ends them all: Commit and Rollback then do nothing.
  void Begin();
  void Commit();
  void Rollback();
  // Ends whatever transaction is open, however deep, and forgets it (a connection given back
  // to a pool after a failed rollback); never throws.
  void AbandonTransactions();
  // The lock wait of the transactions begun from now on.
  void SetLockTimeout(int64_t ms) { lock_timeout_ms_ = ms; }
  // True inside Begin ... Commit/Rollback.
  bool InTransaction() const { return depth_ > 0; }

 private:
  PgResult Check(PGresult* result);
  // The connection is gone: reset for the next statement, then Unavailable.
  [[noreturn]] void Lost();
  void KeepSessionLockTimeout();
  // Runs `sql` as the prepared statement `name`, or unnamed when it is null.
  PgResult Execute(const std::string& sql, const std::string* name,
                   const std::vector<Value>& params);

  std::unique_ptr<PGconn, decltype(&PQfinish)> conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
  std::atomic<int64_t> lock_timeout_ms_;
  int64_t session_lock_timeout_ms_ = -1;  // what the session has (-1: nothing set)
  int64_t statement_timeout_ms_ = 0;          // for the statements from now on
  int64_t session_statement_timeout_ms_ = 0;  // what the session has
  bool prepare_;
  int depth_ = 0;
};

// BEGIN on construction; rolls back unless Commit() was called (RAII).
class PgTransaction {
 public:
  explicit PgTransaction(PgConnection& conn) : conn_(conn) { conn_.Begin(); }
  ~PgTransaction() {
    if (!done_) {
      try {
        conn_.Rollback();
      } catch (...) {
        // The connection is gone; the server has ended the transaction itself.
      }
    }
  }
  void Commit() {
    conn_.Commit();
    done_ = true;
  }
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;

 private:
  PgConnection& conn_;
  bool done_ = false;
};

// The caller's transaction when one is open (the statements commit with it, with no savepoint
// of their own: a failure undoes the whole of it), else a PgTransaction of its own.
class PgJoinedTransaction {
 public:
  explicit PgJoinedTransaction(PgConnection& conn) {
    if (!conn.InTransaction()) {
      own_.emplace(conn);
    }
  }
  void Commit() {
    if (own_) {
      own_->Commit();
    }
  }

 private:
  std::optional<PgTransaction> own_;
};

}  // namespace harvest::store::postgres
