// Tells, without touching SQLite, whether anything may have been written to a database since
// a given moment: every commit in WAL mode, by any process, writes to the `-wal` file, and
// the kernel's inotify reports each write. A check that finds nothing written can reuse what
// it read before instead of opening a read transaction (two fcntl locks on the WAL's shared
// memory and three statements: about 8 % of a receipt check).
//
// Linux only, and only a hint that errs one way: when the watch cannot be set up, or is lost
// (the file deleted or moved, the event queue overflowed), Epoch() answers 0 for good and
// callers read SQLite every time, as without it. No packaged library wraps inotify.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

namespace harvest::store::sqlite {

class WalWatch {
 public:
  // Watches the WAL file at `wal` (Connection::WalPath: as SQLite resolved it), which must
  // exist (a connection in WAL mode has opened it); "" for none.
  explicit WalWatch(const std::string& wal);
  ~WalWatch();
  WalWatch(const WalWatch&) = delete;
  WalWatch& operator=(const WalWatch&) = delete;

  // A number that moves on every write to the WAL made before this call, by any process;
  // 0 when the watch is off (then nothing can be told). Equal answers from two calls mean
  // nothing was written between the first call and the second. A commit's frames are
  // written before it is visible: the committer touches the file afterwards
  // (Connection::TouchWal) so that a reader who saw the early events sees one more.
  uint64_t Epoch();

 private:
  // Whether the WAL's path still names the file watched.
  bool StillThere() const;

  std::mutex mutex_;  // reading the queue and moving the epoch are one step
  int fd_ = -1;
  uint64_t epoch_ = 1;
  std::string wal_;
  uint64_t inode_ = 0;
  uint64_t device_ = 0;
};

}  // namespace harvest::store::sqlite
