// The append-only audit log of personal-data reads and writes (who, what, when, channel).
// Entries go through the LogWriter's group commit: a read of a farmer costs the request a
// queue push, and its answer leaves once the commit holding the entry is done.
#pragma once

#include "auth/principal.h"
#include "store/batch_writer.h"
#include "store/store.h"

namespace harvest::auth {

class AuditLog {
 public:
  explicit AuditLog(store::LogWriter& log) : log_(log) {}

  void Record(const Principal& who, std::string action, std::string dataset, std::string record,
              std::string detail = {});

  store::LogWriter& log() { return log_; }

 private:
  store::LogWriter& log_;
};

}  // namespace harvest::auth
