// The append-only audit log of personal-data reads and writes (who, what, when, channel).
// Entries go through the LogWriter's group commit: a read of a farmer costs the request a
// queue push, and its answer leaves once the commit holding the entry is done.
#pragma once

#include <string>
#include <vector>

#include "auth/audit_note.h"
#include "auth/principal.h"
#include "store/batch_writer.h"
#include "store/store.h"

namespace harvest::auth {

// While one is alive on a thread, the entries that thread records are noted in it too (the
// shell keeps them with a cached answer, to record them again each time it gives it).
class AuditCapture {
 public:
  AuditCapture();
  ~AuditCapture();
  AuditCapture(const AuditCapture&) = delete;
  AuditCapture& operator=(const AuditCapture&) = delete;
  std::vector<AuditNote> notes;

 private:
  AuditCapture* outer_;
};

class AuditLog {
 public:
  explicit AuditLog(store::LogWriter& log) : log_(log) {}

  void Record(const Principal& who, std::string action, std::string dataset, std::string record,
              std::string detail = {});
  // Records each note again, for `who`, now.
  void Replay(const Principal& who, const std::vector<AuditNote>& notes);

  store::LogWriter& log() { return log_; }

 private:
  store::LogWriter& log_;
};

}  // namespace harvest::auth
