#include "store/postgres/pg_connection.h"

#include <cstdio>
#include <cstdlib>

namespace harvest::store::postgres {
namespace {

// Type OIDs of pg_type (catalog/pg_type_d.h, which libpq-dev does not ship).
constexpr Oid kInt8 = 20;
constexpr Oid kInt2 = 21;
constexpr Oid kInt4 = 23;
constexpr Oid kFloat4 = 700;
constexpr Oid kFloat8 = 701;
constexpr Oid kNumeric = 1700;

std::string ParamText(const Value& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) {
    return std::to_string(*i);
  }
  if (const auto* d = std::get_if<double>(&v)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", *d);
    return buf;
  }
  return std::get<std::string>(v);
}

// COPY's text format: a tab between fields, \N for NULL, and the backslash, tab, newline
// and carriage return in a text escaped.
void AppendCopyField(std::string& out, const Value& v) {
  if (IsNull(v)) {
    out += "\\N";
    return;
  }
  const auto* text = std::get_if<std::string>(&v);
  if (!text) {
    out += ParamText(v);
    return;
  }
  for (char c : *text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}

}  // namespace

Value PgResult::At(int row, int column) const {
  PGresult* r = result_.get();
  if (PQgetisnull(r, row, column)) {
    return std::monostate{};
  }
  const char* text = PQgetvalue(r, row, column);
  switch (PQftype(r, column)) {
    case kInt8:
    case kInt2:
    case kInt4:
      return static_cast<int64_t>(std::strtoll(text, nullptr, 10));
    case kFloat4:
    case kFloat8:
    case kNumeric:
      return std::strtod(text, nullptr);
    default:
      return std::string(text, static_cast<size_t>(PQgetlength(r, row, column)));
  }
}

std::string PgResult::Text(int row, int column) const {
  PGresult* r = result_.get();
  return PQgetisnull(r, row, column)
             ? std::string()
             : std::string(PQgetvalue(r, row, column),
                           static_cast<size_t>(PQgetlength(r, row, column)));
}

int64_t PgResult::Int(int row, int column) const {
  return std::strtoll(PQgetvalue(result_.get(), row, column), nullptr, 10);
}

namespace {

// Connects with a bound on the wait (a server that drops packets would hold the thread for
// minutes); a connect_timeout in the URL wins.
PGconn* Connect(const std::string& url) {
  const char* keys[] = {"connect_timeout", "dbname", nullptr};
  const char* values[] = {"5", url.c_str(), nullptr};
  return PQconnectdbParams(keys, values, 1);
}

}  // namespace

PgConnection::PgConnection(const std::string& url, int64_t lock_timeout_ms, bool prepare)
    : conn_(Connect(url), PQfinish),
      lock_timeout_ms_(lock_timeout_ms),
      prepare_(prepare) {
  if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK) {
    std::string why = conn_ ? PQerrorMessage(conn_.get()) : "out of memory";
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) {
      why.pop_back();
    }
    throw Unavailable(Unavailable::Reason::kLocked,
                      "the PostgreSQL server cannot be reached: " + why);
  }
  // Notices ("already exists, skipping") are not errors; libpq would print them on stderr.
  PQsetNoticeProcessor(conn_.get(), [](void*, const char*) {}, nullptr);
}

PgResult PgConnection::Check(PGresult* result) {
  ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    return PgResult(result);
  }
  PgResult owned(result);
  if (PQstatus(conn_.get()) != CONNECTION_OK) {
    Lost();
  }
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn_.get());
  while (!message.empty() && message.back() == '\n') {
    message.pop_back();
  }
  std::string code = state ? state : "";
  // Another writer held its lock past lock_timeout (55P03), a deadlock (40P01), a full disk
  // (53100): the answer is "try again later", as on SQLite.
  if (code == "55P03" || code == "40P01") {
    throw Unavailable(Unavailable::Reason::kLocked, "PostgreSQL: " + message);
  }
  if (code == "53100") {
    throw Unavailable(Unavailable::Reason::kDiskFull, "PostgreSQL: " + message);
  }
  throw PgError(message, code);
}

void PgConnection::Lost() {
  PQreset(conn_.get());  // the next statement finds the server again if it is back
  prepared_.clear();
  session_lock_timeout_ms_ = -1;
  session_statement_timeout_ms_ = 0;
  depth_ = 0;
  throw Unavailable(Unavailable::Reason::kLocked,
                    "the PostgreSQL server cannot be reached: the connection was lost");
}

PgResult PgConnection::Run(const std::string& sql, const std::vector<Value>& params) {
  const std::string* name = nullptr;
  if (prepare_) {
    KeepSessionLockTimeout();  // before the PREPARE too
    auto it = prepared_.find(sql);
    if (it == prepared_.end()) {
      std::string made = "s" + std::to_string(prepared_.size() + 1);
      Check(PQprepare(conn_.get(), made.c_str(), sql.c_str(), 0, nullptr));
      it = prepared_.emplace(sql, made).first;
    }
    name = &it->second;
  }
  return Execute(sql, name, params);
}

PgResult PgConnection::RunOnce(const std::string& sql, const std::vector<Value>& params) {
  return Execute(sql, nullptr, params);
}

void PgConnection::KeepSessionLockTimeout() {
  if (!prepare_) {
    return;  // behind a pooler the session is not ours
  }
  // The query budget first: a budget left from a budgeted read must not stop this SET or a
  // PREPARE. It is changed only when a budgeted read follows other statements or the other
  // way round (a collection read's request: twice); 0 is the server's own setting (DEFAULT,
  // which a DBA may have set for the role).
  if (session_statement_timeout_ms_ != statement_timeout_ms_) {
    std::string set = statement_timeout_ms_ > 0
                          ? "SET statement_timeout = " + std::to_string(statement_timeout_ms_)
                          : std::string("SET statement_timeout = DEFAULT");
    Check(PQexec(conn_.get(), set.c_str()));
    session_statement_timeout_ms_ = statement_timeout_ms_;
  }
  // Not behind a pooler, the connection is this thread's alone: statements outside a
  // transaction wait for a lock no longer than those inside one.
  int64_t wanted = lock_timeout_ms_.load();
  if (session_lock_timeout_ms_ != wanted) {
    Check(PQexec(conn_.get(), ("SET lock_timeout = " + std::to_string(wanted)).c_str()));
    session_lock_timeout_ms_ = wanted;
  }
}

PgResult PgConnection::RunWithin(const std::string& sql, const std::vector<Value>& params,
                                 int budget_ms) {
  if (budget_ms <= 0 || depth_ > 0) {
    statement_timeout_ms_ = 0;
    return Run(sql, params);
  }
  try {
    if (prepare_) {
      statement_timeout_ms_ = budget_ms;
      PgResult result = Run(sql, params);
      statement_timeout_ms_ = 0;
      return result;
    }
    // Behind a pooler the session is not ours: the budget is the transaction's.
    PgTransaction tx(*this);
    Exec("SET LOCAL statement_timeout = " + std::to_string(budget_ms));
    PgResult result = Run(sql, params);
    tx.Commit();
    return result;
  } catch (const PgError& e) {
    statement_timeout_ms_ = 0;
    if (e.sqlstate() == "57014") {  // query_canceled: by the statement timeout
      throw QueryTimeout(budget_ms);
    }
    throw;
  } catch (...) {
    statement_timeout_ms_ = 0;
    throw;
  }
}

PgResult PgConnection::Execute(const std::string& sql, const std::string* name,
                               const std::vector<Value>& params) {
  KeepSessionLockTimeout();
  std::vector<std::string> texts;
  std::vector<const char*> values;
  texts.reserve(params.size());
  for (const Value& v : params) {
    if (IsNull(v)) {
      values.push_back(nullptr);
    } else {
      texts.push_back(ParamText(v));
      values.push_back(nullptr);  // filled below, once `texts` stops moving
    }
  }
  for (size_t i = 0, t = 0; i < params.size(); ++i) {
    if (!IsNull(params[i])) {
      values[i] = texts[t++].c_str();
    }
  }
  int n = static_cast<int>(values.size());
  return Check(name ? PQexecPrepared(conn_.get(), name->c_str(), n, values.data(), nullptr,
                                     nullptr, 0)
                    : PQexecParams(conn_.get(), sql.c_str(), n, nullptr, values.data(), nullptr,
                                   nullptr, 0));
}

void PgConnection::Exec(const std::string& sql) {
  KeepSessionLockTimeout();
  Check(PQexec(conn_.get(), sql.c_str()));
}

void PgConnection::CopyIn(const std::string& copy_sql, const std::vector<Row>& rows) {
  KeepSessionLockTimeout();
  PGconn* conn = conn_.get();
  PGresult* started = PQexec(conn, copy_sql.c_str());
  if (!started || PQresultStatus(started) != PGRES_COPY_IN) {
    Check(started);  // throws: the statement was refused, or the server is gone
    throw PgError("PostgreSQL: the statement did not start a copy: " + copy_sql, "");
  }
  PQclear(started);
  // Sent a megabyte at a time, so that a large import is not held twice in memory.
  constexpr size_t kSendBytes = 1 << 20;
  std::string data;
  bool sent = true;
  for (size_t i = 0; i < rows.size() && sent; ++i) {
    for (size_t f = 0; f < rows[i].size(); ++f) {
      if (f > 0) {
        data += '\t';
      }
      AppendCopyField(data, rows[i][f]);
    }
    data += '\n';
    if (data.size() >= kSendBytes || i + 1 == rows.size()) {
      sent = PQputCopyData(conn, data.data(), static_cast<int>(data.size())) == 1;
      data.clear();
    }
  }
  // A failed send ends the COPY with an error (the server refuses it); an end that cannot
  // be sent leaves the connection in the middle of a COPY: it is reset.
  if (PQputCopyEnd(conn, sent ? nullptr : "the rows could not be sent") != 1) {
    Lost();
  }
  PGresult* ended = PQgetResult(conn);
  if (ended && PQresultStatus(ended) == PGRES_COPY_IN) {
    PQclear(ended);
    Lost();
  }
  while (PGresult* more = PQgetResult(conn)) {
    ExecStatusType status = PQresultStatus(more);
    PQclear(more);
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
      PQclear(ended);
      Lost();  // still copying: libpq would return this result for ever
    }
  }
  Check(ended);
}

void PgConnection::Begin() {
  // One round trip: the lock wait is the transaction's own (nothing is left on a pooled
  // server connection for the next client).
  Exec(depth_ == 0 ? "BEGIN; SET LOCAL lock_timeout = " + std::to_string(lock_timeout_ms_.load())
                   : "SAVEPOINT s" + std::to_string(depth_));
  ++depth_;
}

void PgConnection::Commit() {
  if (depth_ == 0) {
    return;  // the connection was lost and reset: nothing is open
  }
  --depth_;
  Exec(depth_ == 0 ? "COMMIT" : "RELEASE SAVEPOINT s" + std::to_string(depth_));
}

void PgConnection::AbandonTransactions() {
  depth_ = 0;
  PQclear(PQexec(conn_.get(), "ROLLBACK"));  // outside a transaction only a warning
}

void PgConnection::Rollback() {
  if (depth_ == 0) {
    return;
  }
  --depth_;
  std::string savepoint = "s" + std::to_string(depth_);
  Exec(depth_ == 0 ? "ROLLBACK"
                   : "ROLLBACK TO SAVEPOINT " + savepoint + "; RELEASE SAVEPOINT " + savepoint);
}

}  // namespace harvest::store::postgres
