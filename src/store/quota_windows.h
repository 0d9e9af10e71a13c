// Uses per subject in a sliding window, in memory: the quotas of a store that one server
// process serves alone (SQLite; see Store::TakeQuota). The PostgreSQL backend keeps the same
// counts in a table, so that every server of a database shares them. Memory is bounded by
// the subjects of the last window times their limit. Thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace harvest::store {

class QuotaWindows {
 public:
  // As Store::TakeQuota: counts a use by `subject` at `now` (Unix seconds) and returns 0
  // while fewer than `limit` were counted in the `window` seconds before; past it, counts
  // nothing and returns the seconds until the oldest counted use leaves the window (at
  // least 1). A limit of 0 or less is no limit.
  int64_t Take(const std::string& subject, int64_t now, int64_t window, int limit);

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<int64_t>> times_;  // oldest first
  int64_t last_prune_ = 0;
  int64_t longest_window_ = 0;  // the pruning keeps what the longest window asked needs
};

}  // namespace harvest::store
