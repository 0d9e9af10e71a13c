// Answers kept in memory while the registry is unchanged: public answers (no key,
// Cache-Control: public), and a keyed caller's own reads of the registry, under a key that
// names the caller, with the audit entries their making recorded (the shell records them
// again at each use). Open-data and everyday staff reads are mostly the same few queries,
// and serving them from memory spares the SQLite reads and the formatting. One cache for
// every I/O thread, bounded in bytes (limits.cache_mb, SPEC §10): the least recently used
// answers go first. An entry is good only under the change stamp it was stored with, so it
// is never stale. Must not depend on the store or the routes.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <vector>

#include "auth/audit_note.h"
#include "http/message.h"

namespace harvest::api {

class AnswerCache {
 public:
  explicit AnswerCache(size_t max_bytes);

  // The answer stored under `key` at `stamp`; nullopt when there is none or it was stored
  // under another stamp. `label` and `notes`, when given, get what it was stored with.
  std::optional<http::Response> Find(const std::string& key, uint64_t stamp,
                                     std::string* label = nullptr,
                                     std::vector<auth::AuditNote>* notes = nullptr);
  // Keeps `response` (a copy) unless it alone would take more than an eighth of the bound.
  // `label` travels with it (the route group that answered, for the metrics).
  void Store(const std::string& key, uint64_t stamp, const http::Response& response,
             const std::string& label = "", std::vector<auth::AuditNote> notes = {});

  size_t Bytes() const;
  size_t Entries() const;
  size_t MaxBytes() const { return max_bytes_; }

 private:
  struct Entry {
    std::string key;
    uint64_t stamp = 0;
    std::shared_ptr<const http::Response> response;
    std::string label;
    std::vector<auth::AuditNote> notes;
    size_t bytes = 0;
  };
  using Order = std::list<Entry>;  // most recently used first

  static size_t Cost(const std::string& key, const http::Response& response);
  void EvictTo(size_t bytes);

  const size_t max_bytes_;
  mutable std::mutex mutex_;
  Order order_;
  std::unordered_map<std::string, Order::iterator> index_;
  size_t bytes_ = 0;
};

}  // namespace harvest::api
