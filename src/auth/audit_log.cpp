#include "auth/audit_log.h"

#include "registry/clock.h"

namespace harvest::auth {
namespace {
thread_local AuditCapture* capture = nullptr;
}  // namespace

AuditCapture::AuditCapture() : outer_(capture) {
  capture = this;
}

AuditCapture::~AuditCapture() {
  capture = outer_;
}

void AuditLog::Replay(const Principal& who, const std::vector<AuditNote>& notes) {
  for (const AuditNote& note : notes) {
    Record(who, note.action, note.dataset, note.record, note.detail);
  }
}

void AuditLog::Record(const Principal& who, std::string action, std::string dataset,
                      std::string record, std::string detail) {
  if (capture) {
    capture->notes.push_back(AuditNote{action, dataset, record, detail});
  }
  log_.Add(store::AuditEntry{registry::NowRfc3339(), who.actor,
                             std::string(registry::RoleName(who.role)), who.channel,
                             std::move(action), std::move(dataset), std::move(record),
                             std::move(detail)});
}

}  // namespace harvest::auth
