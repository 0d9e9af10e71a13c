// Checkpoints of the write-ahead log on a thread of their own, for a server. SQLite's own
// (automatic) checkpoint runs inside the commit that passes 1,000 pages of log: it copies
// pages into the database and syncs it to disk, and every answer waiting for that commit
// (group commit: an answer leaves once its records are committed) waited for the disk too.
// Here each connection of a serving store has automatic checkpoints off, and this thread
// runs a PASSIVE checkpoint (it never blocks writers or readers) a few times a second.
//
// Depends on SQLite only.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

struct sqlite3;

namespace harvest::store::sqlite {

class WalCheckpointer {
 public:
  // Opens its own connection to `path` (throws SqliteError when it cannot); checkpoints
  // every `interval`.
  WalCheckpointer(std::string path, std::chrono::milliseconds interval);
  ~WalCheckpointer();  // one last checkpoint, then the thread stops
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

 private:
  void Loop();

  sqlite3* db_ = nullptr;

  const std::string path_;
  const std::chrono::milliseconds interval_;
  std::mutex mutex_;
  bool stopping_ = false;
  std::condition_variable wake_;
  std::thread thread_;  // last: started once everything above is ready
};

}  // namespace harvest::store::sqlite
