// The append-only audit log of personal-data reads and writes (who, what, when, channel).
// Entries go through a BatchWriter, so a read of a farmer costs the request a queue push,
// not a disk write.
#pragma once

#include "auth/principal.h"
#include "store/batch_writer.h"
#include "store/store.h"

namespace harvest::auth {

class AuditLog {
 public:
  explicit AuditLog(store::Store& store);

  void Record(const Principal& who, std::string action, std::string dataset, std::string record,
              std::string detail = {});

 private:
  store::BatchWriter<store::AuditEntry> writer_;
};

}  // namespace harvest::auth
