// Checks per hour per checker (SPEC §10: police keys are limited like officers' SMS,
// `verify.key_checks_per_hour`): a sliding hour of each checker's check times. The
// verification service asks it before every check it is given by a key or a web login, so
// every channel meets the same limit. Memory is bounded by the checkers of the
// last hour times the limit. Thread-safe. Must not depend on the store, HTTP or SMS.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <unordered_map>

namespace harvest::verify {

class CheckQuota {
 public:
  // Counts a check by `checker` at `now` (Unix seconds) and returns 0 while `limit` checks
  // in the hour before are not reached; past it, counts nothing and returns the seconds
  // until the next check may go ahead (at least 1). A limit of 0 or less is no limit.
  int64_t Take(uint64_t checker, int64_t now, int limit);

 private:
  std::mutex mutex_;
  std::unordered_map<uint64_t, std::deque<int64_t>> times_;  // oldest first
  int64_t last_prune_ = 0;
};

}  // namespace harvest::verify
