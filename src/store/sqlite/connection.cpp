#include "store/sqlite/connection.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "store/store.h"

namespace harvest::store::sqlite {
namespace {

// The other processes that have the database file open, as "harvest import (pid 42)":
// SQLite does not say who holds its write lock, but it can only be one of them.
std::string OpenedBy(sqlite3* db) {
  const char* file = sqlite3_db_filename(db, "main");
  struct stat target {};
  if (!file || !*file || stat(file, &target) != 0) {
    return "";
  }
  std::string found;
  DIR* proc = opendir("/proc");
  if (!proc) {
    return "";
  }
  std::string self = std::to_string(getpid());
  while (dirent* entry = readdir(proc)) {
    std::string pid = entry->d_name;
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos || pid == self) {
      continue;
    }
    std::string fds = "/proc/" + pid + "/fd";
    DIR* dir = opendir(fds.c_str());
    if (!dir) {
      continue;
    }
    bool opened = false;
    while (dirent* fd = readdir(dir)) {
      struct stat st {};
      if (fd->d_name[0] != '.' && stat((fds + "/" + fd->d_name).c_str(), &st) == 0 &&
          st.st_dev == target.st_dev && st.st_ino == target.st_ino) {
        opened = true;
        break;
      }
    }
    closedir(dir);
    if (!opened) {
      continue;
    }
    std::ifstream cmdline("/proc/" + pid + "/cmdline");
    std::string arg;
    std::string command;
    for (int i = 0; i < 2 && std::getline(cmdline, arg, '\0'); ++i) {
      if (i == 0) {
        arg = arg.substr(arg.rfind('/') + 1);
      } else if (arg.starts_with("-")) {
        break;
      }
      command += (command.empty() ? "" : " ") + arg;
    }
    found += (found.empty() ? "" : ", ") + (command.empty() ? "?" : command) + " (pid " + pid + ")";
  }
  closedir(proc);
  return found;
}

}  // namespace

[[noreturn]] void ThrowError(sqlite3* db, int code, const std::string& message) {
  if ((code & 0xff) == SQLITE_BUSY) {
    std::string holders = OpenedBy(db);
    throw Unavailable(Unavailable::Reason::kLocked,
                      "the database is locked by another writer" +
                          (holders.empty() ? std::string() : "; it is open in " + holders));
  }
  if ((code & 0xff) == SQLITE_FULL) {
    throw Unavailable(Unavailable::Reason::kDiskFull,
                      "the disk holding the database is full; free some space");
  }
  throw SqliteError(code, message);
}

Statement& Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  return *this;
}

Statement& Statement::Bind(int index, const Value& value) {
  int rc = SQLITE_OK;
  if (const auto* i = std::get_if<int64_t>(&value)) {
    rc = sqlite3_bind_int64(stmt_, index, *i);
  } else if (const auto* d = std::get_if<double>(&value)) {
    rc = sqlite3_bind_double(stmt_, index, *d);
  } else if (const auto* s = std::get_if<std::string>(&value)) {
    rc = sqlite3_bind_text(stmt_, index, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
  } else {
    rc = sqlite3_bind_null(stmt_, index);
  }
  if (rc != SQLITE_OK) {
    throw SqliteError(rc, sqlite3_errmsg(sqlite3_db_handle(stmt_)));
  }
  return *this;
}

Statement& Statement::Bind(int index, const std::string& text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::Bind(int index, int64_t number) {
  sqlite3_bind_int64(stmt_, index, number);
  return *this;
}

bool Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  // Keep the statement reusable after a constraint failure.
  std::string message = sqlite3_errmsg(sqlite3_db_handle(stmt_));
  int extended = sqlite3_extended_errcode(sqlite3_db_handle(stmt_));
  sqlite3_reset(stmt_);
  ThrowError(sqlite3_db_handle(stmt_), extended, message);
}

void Statement::Run() {
  while (Step()) {
  }
}

Value Statement::Column(int index) const {
  switch (sqlite3_column_type(stmt_, index)) {
    case SQLITE_INTEGER:
      return static_cast<int64_t>(sqlite3_column_int64(stmt_, index));
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt_, index);
    case SQLITE_TEXT:
    case SQLITE_BLOB:
      return ColumnText(index);
    default:
      return std::monostate{};
  }
}

std::string Statement::ColumnText(int index) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
  return text ? std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, index)))
              : std::string();
}

Connection::Connection(const std::string& path, std::chrono::milliseconds write_wait) {
  // SQLite counts every allocation under one process-wide mutex unless told not to; with
  // one connection per thread that mutex was the only lock the I/O threads shared in
  // SQLite. Must precede SQLite's initialisation, which the first open does.
  static const bool configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  (void)configured;
  int rc =
      sqlite3_open_v2(path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw SqliteError(rc, "cannot open database " + path + ": " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
  // Writers from other threads or processes (a CLI import while serving) wait, not fail,
  // up to a bound (Store::SetWriteWait); past it the write throws Unavailable.
  SetWriteWait(write_wait);
  Exec("PRAGMA journal_mode=WAL");
  // NORMAL is durable against process crashes in WAL mode; a power cut may lose only the
  // last transactions, never corrupt the file.
  Exec("PRAGMA synchronous=NORMAL");
  Exec("PRAGMA foreign_keys=ON");
  Exec("PRAGMA temp_store=MEMORY");
  // 16 MB per connection: every commit by another connection (the log batches, every
  // 250 ms) empties it anyway, and 32 MB measured no faster while adding 30 MB of RSS.
  Exec("PRAGMA cache_size=-16384");
}

void Connection::SetWriteWait(std::chrono::milliseconds wait) {
  sqlite3_busy_timeout(db_, static_cast<int>(wait.count()));
}

Connection::~Connection() {
  cache_.clear();
  sqlite3_stmt* stmt = nullptr;
  while ((stmt = sqlite3_next_stmt(db_, nullptr)) != nullptr) {
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db_);
}

Statement& Connection::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    return it->second->Reset();
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    throw SqliteError(rc, std::string(sqlite3_errmsg(db_)) + " in: " + sql);
  }
  auto [inserted, _] = cache_.emplace(sql, std::make_unique<Statement>(stmt));
  return *inserted->second;
}

void Connection::Exec(const std::string& sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    ThrowError(db_, sqlite3_extended_errcode(db_), message);
  }
}

void Connection::BeginRead() {
  if (read_depth_++ == 0 && sqlite3_get_autocommit(db_) != 0) {
    Prepare("BEGIN").Run();
    read_open_ = true;
    ++reads_opened_;
  }
}

void Connection::EndRead() {
  if (--read_depth_ == 0 && read_open_) {
    read_open_ = false;
    try {
      Prepare("COMMIT").Run();
    } catch (const SqliteError&) {
      // Nothing was written in it; ending it is all that matters.
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
  }
}

bool Connection::SuspendRead() {
  if (!read_open_) {
    return false;
  }
  read_open_ = false;
  Prepare("COMMIT").Run();
  return true;
}

void Connection::ResumeRead() {
  if (read_depth_ > 0 && sqlite3_get_autocommit(db_) != 0) {
    Prepare("BEGIN").Run();
    read_open_ = true;
    ++reads_opened_;
  }
}

QueryBudget::QueryBudget(Connection& conn, int ms) : conn_(conn), active_(ms > 0) {
  if (active_) {
    deadline_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    // Every thousand virtual-machine steps: a clock read per some microseconds of work.
    sqlite3_progress_handler(conn_.raw(), 1000, &QueryBudget::Check, this);
  }
}

QueryBudget::~QueryBudget() {
  if (active_) {
    sqlite3_progress_handler(conn_.raw(), 0, nullptr, nullptr);
  }
}

int QueryBudget::Check(void* self) {
  auto* budget = static_cast<QueryBudget*>(self);
  if (std::chrono::steady_clock::now() < budget->deadline_) {
    return 0;
  }
  budget->spent_ = true;
  return 1;
}

Transaction::Transaction(Connection& conn) : conn_(conn), resume_read_(conn.SuspendRead()) {
  nested_ = sqlite3_get_autocommit(conn.raw()) == 0;
  try {
    conn_.Exec(nested_ ? "SAVEPOINT nested" : "BEGIN IMMEDIATE");
  } catch (...) {
    if (resume_read_) {
      conn_.ResumeRead();
    }
    throw;
  }
}

Transaction::~Transaction() {
  if (!done_) {
    if (!nested_) {
      conn_.counters_moved = false;  // rolled back: nothing to tell
    }
    try {
      Finish("ROLLBACK", "ROLLBACK TO nested; RELEASE nested");
    } catch (...) {
      // The connection already rolled back (e.g. after SQLITE_FULL); nothing to undo.
    }
  }
}

void Transaction::Commit() {
  Finish("COMMIT", "RELEASE nested");
  done_ = true;
  if (!nested_ && conn_.counters_moved) {
    conn_.counters_moved = false;
    conn_.TouchWal();
  }
}

std::string Connection::WalPath() const {
  const char* db = sqlite3_db_filename(db_, "main");
  if (!db || !*db) {
    return "";  // in memory, or a temporary database
  }
  const char* wal = sqlite3_filename_wal(db);
  return wal ? wal : "";
}

void Connection::TouchWal() const {
  std::string wal = WalPath();
  if (!wal.empty()) {
    utimensat(AT_FDCWD, wal.c_str(), nullptr, 0);  // a failure only costs watchers a re-read
  }
}

void Transaction::Finish(const char* top_level, const char* nested) {
  conn_.Exec(nested_ ? nested : top_level);
  if (resume_read_) {
    resume_read_ = false;
    conn_.ResumeRead();
  }
}

}  // namespace harvest::store::sqlite
