// The receipt checks of the last hours, kept in memory for the recheck signals (SPEC §5:
// a receipt checked too often, or in too many parishes): a check reads its history from
// here instead of querying `verifications`, so a check costs no read of a table that is
// written as often as it is read. Loaded from the store when the server starts; one server
// process serves a database, so every later check passes through Add.
// Thread-safe. Must not depend on the store, HTTP or SMS.
#pragma once

#include <boost/unordered/unordered_flat_map.hpp>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "verify/verdict.h"

namespace harvest::verify {

class RecentChecks {
 public:
  // Checks older than `horizon_seconds` before the newest one added are forgotten.
  explicit RecentChecks(int64_t horizon_seconds) : horizon_(horizon_seconds) {}

  // Receipts outside 0..2^56-1 (no channel accepts them) are not remembered.
  void Add(int64_t receipt, PriorCheck check);
  // The remembered checks of `receipt` at or after `since` (Unix seconds), oldest first.
  std::vector<PriorCheck> Of(int64_t receipt, int64_t since) const;

 private:
  // One check in 16 bytes, in the order added (a busy server remembers millions of them):
  // each points back at the check of the same receipt before it, so a receipt's history is
  // a short walk and a receipt costs one slot of a flat hash table, not a node and an array.
  struct Entry {
    uint64_t receipt : 56;  // Add takes no larger number
    uint64_t parish : 8;    // index into parishes_
    uint32_t at;            // Unix seconds (unsigned: good until 2106)
    uint32_t back;          // how many entries back the receipt's previous check is; 0: none
  };
  static_assert(sizeof(Entry) == 16);
  void Forget(int64_t before);
  uint8_t ParishId(const std::string& parish);

  const int64_t horizon_;
  mutable std::mutex mutex_;
  std::deque<Entry> log_;  // time order but for clock steps and a start-up load
  uint64_t first_ = 0;     // the sequence number of log_.front(); entries count from 0
  boost::unordered_flat_map<int64_t, uint64_t> latest_;  // receipt -> its newest entry
  // The parish codes seen, by id; 0 is "" (no place). Past 255 codes (there are 14) the
  // last id is shared.
  std::vector<std::string> parishes_{""};
  int64_t newest_ = INT64_MIN;
};

}  // namespace harvest::verify
