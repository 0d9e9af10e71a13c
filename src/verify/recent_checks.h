// The receipt checks of the last hours, kept in memory for the recheck signals (SPEC §5:
// a receipt checked too often, or in too many parishes): a check reads its history from
// here instead of querying `verifications`, so a check costs no read of a table that is
// written as often as it is read. Filled from the store by CheckFeed: the window's checks
// when the server starts, then each check through Add (SQLite, one server process), or,
// where several servers record checks (PostgreSQL), every check read back from the log.
//
// A receipt keeps only the checks the recheck rules can still need, so a check costs the
// same whether the receipt was checked once or twenty thousand times: its last
// `recheck_count + 1` checks, and its last two checks in each of its `recheck_parishes + 1`
// most recent parishes. That decides both rules exactly, also with one check left out (the
// checker's own, see below). What Of returns is then a subset of the real history that
// holds at least the last recheck_count checks, not every one of them.
//
// Checks of one receipt by the same checker (officer or key) within kSameCheckerSeconds of
// the one that counted count once (SPEC §10): a repeat is not remembered, and a check does
// not see the checker's own counted check of those minutes, so whoever checks a receipt
// again at once gets the same answer, and nobody can push a receipt to CHECK alone in a
// few seconds.
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
  static constexpr int64_t kSameCheckerSeconds = 600;

  // Checks older than `horizon_seconds` before the newest one added are forgotten.
  // `recheck_count` and `recheck_parishes` are the thresholds of SPEC §5 (0 or less: that
  // rule is off and keeps nothing).
  RecentChecks(int64_t horizon_seconds, int recheck_count, int recheck_parishes);

  // A checker: an officer or an API key, as Checker() numbers them; 0 for nobody known,
  // whose checks always count.
  static uint32_t Checker(int64_t officer_id, int64_t key_id);

  // Remembers a check; false when it is a repeat by the same checker that counts once.
  // Receipts outside 0..2^56-1 (no channel accepts them) are not remembered.
  bool Add(int64_t receipt, PriorCheck check, uint32_t checker = 0);
  // The remembered checks of `receipt` at or after `since` (Unix seconds), oldest first,
  // without `checker`'s own counted check of the minutes before `now`.
  std::vector<PriorCheck> Of(int64_t receipt, int64_t since, uint32_t checker = 0,
                             int64_t now = 0) const;

 private:
  // One check in 24 bytes, in the order added (a busy server remembers millions of them):
  // each points back at the receipt's previous remembered check, so a receipt's history is
  // a short walk and a receipt costs one slot of a flat hash table, not a node and an array.
  // Checks a receipt no longer needs stay in the log until the horizon passes them, but
  // nothing points at them.
  struct Entry {
    uint64_t receipt : 56;  // Add takes no larger number
    uint64_t parish : 8;    // index into parishes_
    uint32_t at;            // Unix seconds (unsigned: good until 2106)
    uint32_t back;          // how many entries back the receipt's previous check is; 0: none
    uint32_t checker;
  };
  static_assert(sizeof(Entry) == 24);
  // The receipt's remembered checks, newest added first (sequence numbers).
  void Chain(uint64_t latest, std::vector<uint64_t>& out) const;
  // Of `candidates` (sequence numbers), the ones the rules still need, newest added first.
  std::vector<uint64_t> Needed(std::vector<uint64_t> candidates) const;
  void Forget(int64_t before);
  uint8_t ParishId(const std::string& parish);
  const Entry& At(uint64_t seq) const { return log_[seq - first_]; }
  Entry& At(uint64_t seq) { return log_[seq - first_]; }

  const int64_t horizon_;
  const int keep_last_;      // recheck_count + 1, or 0
  const int keep_parishes_;  // recheck_parishes + 1, or 0
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
