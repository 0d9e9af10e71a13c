// What one audit entry says, without who or when (auth/audit_log.h records it; the answer
// cache keeps the notes of an answer to record them again each time it gives it).
#pragma once

#include <string>

namespace harvest::auth {

struct AuditNote {
  std::string action, dataset, record, detail;
};

}  // namespace harvest::auth
