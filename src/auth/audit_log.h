// The append-only audit log of personal-data reads and writes. Entries are queued and
// written in batches by one background thread, so a read of a farmer costs the request a
// queue push, not a disk write. The queue is flushed every 100 ms and on shutdown; a
// crash can lose at most the last 100 ms of read entries (writes of data are audited in
// the same way, after their own transaction committed).
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "auth/principal.h"
#include "store/store.h"

namespace harvest::auth {

class AuditLog {
 public:
  explicit AuditLog(store::Store& store);
  ~AuditLog();  // flushes
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  void Record(const Principal& who, std::string action, std::string dataset, std::string record,
              std::string detail = {});
  void Flush();

 private:
  void Run();

  store::Store& store_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<store::AuditEntry> queue_;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace harvest::auth
