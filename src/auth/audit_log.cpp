#include "auth/audit_log.h"

#include <chrono>
#include <iostream>

#include "registry/clock.h"

namespace harvest::auth {

AuditLog::AuditLog(store::Store& store) : store_(store), writer_([this] { Run(); }) {}

AuditLog::~AuditLog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
}

void AuditLog::Record(const Principal& who, std::string action, std::string dataset,
                      std::string record, std::string detail) {
  store::AuditEntry entry{registry::NowRfc3339(), who.actor, std::string(registry::RoleName(who.role)),
                          who.channel,            std::move(action), std::move(dataset),
                          std::move(record),      std::move(detail)};
  std::lock_guard lock(mutex_);
  queue_.push_back(std::move(entry));
}

void AuditLog::Flush() {
  std::vector<store::AuditEntry> batch;
  {
    std::lock_guard lock(mutex_);
    batch.swap(queue_);
  }
  if (batch.empty()) {
    return;
  }
  try {
    store_.AppendAudit(batch);
  } catch (const std::exception& e) {
    // Keep the entries for the next attempt rather than lose them.
    std::cerr << "harvest: audit log write failed, will retry: " << e.what() << "\n";
    std::lock_guard lock(mutex_);
    queue_.insert(queue_.begin(), batch.begin(), batch.end());
  }
}

void AuditLog::Run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::milliseconds(100));
    lock.unlock();
    Flush();
    lock.lock();
  }
  lock.unlock();
  Flush();
}

}  // namespace harvest::auth
