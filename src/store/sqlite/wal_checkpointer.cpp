#include "store/sqlite/wal_checkpointer.h"

#include <pthread.h>
#include <sqlite3.h>

#include <iostream>

#include "store/sqlite/connection.h"

namespace harvest::store::sqlite {

WalCheckpointer::WalCheckpointer(std::string path, std::chrono::milliseconds interval)
    : path_(std::move(path)), interval_(interval) {
  if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw SqliteError(SQLITE_CANTOPEN,
                      "cannot open " + path_ + " to checkpoint its log: " + message);
  }
  // A connection finds the log only once it reads the database: until then a checkpoint
  // does nothing (SQLite reports no log at all).
  char* error = nullptr;
  if (sqlite3_exec(db_, "PRAGMA journal_mode=WAL", nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    sqlite3_close(db_);
    throw SqliteError(SQLITE_ERROR, "cannot open the log of " + path_ + ": " + message);
  }
  // A checkpoint that meets a writer's lock leaves the rest for the next round.
  sqlite3_busy_timeout(db_, 0);
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "harvest-ckpt");
    Loop();
  });
}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  sqlite3_close(db_);
}

void WalCheckpointer::Loop() {
  std::string reported;
  std::unique_lock lock(mutex_);
  for (bool last = false; !last;) {
    last = wake_.wait_for(lock, interval_, [this] { return stopping_; });
    lock.unlock();
    int log_frames = 0;
    int copied = 0;
    int rc =
        sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_frames, &copied);
    std::string problem = rc == SQLITE_OK || rc == SQLITE_BUSY ? "" : sqlite3_errmsg(db_);
    if (problem != reported && !problem.empty()) {
      std::cerr << "harvest: checkpointing the log of " << path_ << " failed: " << problem << "\n";
    }
    reported = problem;
    lock.lock();
  }
}

}  // namespace harvest::store::sqlite
