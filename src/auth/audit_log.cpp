#include "auth/audit_log.h"

#include "registry/clock.h"

namespace harvest::auth {

void AuditLog::Record(const Principal& who, std::string action, std::string dataset,
                      std::string record, std::string detail) {
  log_.Add(store::AuditEntry{registry::NowRfc3339(), who.actor,
                             std::string(registry::RoleName(who.role)), who.channel,
                             std::move(action), std::move(dataset), std::move(record),
                             std::move(detail)});
}

}  // namespace harvest::auth
