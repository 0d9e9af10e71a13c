// The receipt checks of the last hours, kept in memory for the recheck signals (SPEC §5:
// a receipt checked too often, or in too many parishes): a check reads its history from
// here instead of querying `verifications`, so a check costs no read of a table that is
// written as often as it is read. Loaded from the store when the server starts; one server
// process serves a database, so every later check passes through Add.
// Thread-safe. Must not depend on the store, HTTP or SMS.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "verify/verdict.h"

namespace harvest::verify {

class RecentChecks {
 public:
  // Checks older than `horizon_seconds` before the newest one added are forgotten.
  explicit RecentChecks(int64_t horizon_seconds) : horizon_(horizon_seconds) {}

  void Add(int64_t receipt, PriorCheck check);
  // The remembered checks of `receipt` at or after `since` (Unix seconds), oldest first.
  std::vector<PriorCheck> Of(int64_t receipt, int64_t since) const;

 private:
  // One check in 16 bytes: a busy server remembers hundreds of thousands of them. A
  // receipt's checks sit together in one array, so reading its history is one memory fetch.
  struct Entry {
    int64_t at;
    uint8_t parish;  // index into parishes_
  };
  void Forget(int64_t before);
  uint8_t ParishId(const std::string& parish);

  const int64_t horizon_;
  mutable std::mutex mutex_;
  std::unordered_map<int64_t, std::vector<Entry>> by_receipt_;  // each in time order
  // (time, receipt) in the order added, to forget the oldest without a scan.
  std::deque<std::pair<int64_t, int64_t>> order_;
  // The parish codes seen, by id; 0 is "" (no place). Past 255 codes (there are 14) the
  // last id is shared.
  std::vector<std::string> parishes_{""};
  int64_t newest_ = INT64_MIN;
};

}  // namespace harvest::verify
