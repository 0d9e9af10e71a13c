#include "store/store.h"

#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"

namespace harvest::store {
namespace {

std::string Summarise(const std::vector<RowError>& errors) {
  if (errors.empty()) {
    return "write failed";
  }
  const RowError& first = errors.front();
  std::string text = "row " + std::to_string(first.row + 1) + ": " +
                     (first.field.empty() ? "" : first.field + ": ") + first.message;
  if (errors.size() > 1) {
    text += " (and " + std::to_string(errors.size() - 1) + " more)";
  }
  return text;
}

}  // namespace

WriteError::WriteError(std::vector<RowError> errors)
    : std::runtime_error(Summarise(errors)), errors_(std::move(errors)) {}

void Store::AppendLogs(const LogBatch& batch) {
  Atomically([&] {
    AppendAudit(batch.audit);
    if (!batch.checks.empty()) {
      Write(*registry::FindDataset("verifications"), batch.checks, WriteMode::kAppend);
    }
    if (!batch.sms_replies.empty()) {
      RememberSmsReplies(batch.sms_replies);
    }
    if (!batch.key_uses.empty()) {
      RecordKeyUses(batch.key_uses);
    }
  });
}

bool WriteError::conflict() const {
  for (const RowError& e : errors_) {
    if (e.conflict) {
      return true;
    }
  }
  return false;
}

std::unique_ptr<Store> OpenStore(const std::string& url, const OpenOptions& options) {
  auto postgres = [](const std::string& u) {
    return u.rfind("postgresql://", 0) == 0 || u.rfind("postgres://", 0) == 0;
  };
  for (const std::string& standby : options.read_urls) {
    if (!postgres(standby)) {
      throw std::runtime_error("a read standby must be a postgresql:// URL, not '" + standby +
                               "'");
    }
  }
  if (postgres(url)) {
    auto store = std::make_unique<postgres::PgStore>(
        url, postgres::PgOptions{options.transaction_pooling, options.read_urls, options.pool_size});
    store->SetWriteWait(options.write_wait);
    return store;
  }
  if (!options.read_urls.empty()) {
    throw std::runtime_error("read standbys (HARVEST_DB_READ) need a postgresql:// database");
  }
  return std::make_unique<sqlite::SqliteStore>(url, options.write_wait);
}

}  // namespace harvest::store
