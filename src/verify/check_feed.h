// Feeds RecentChecks from the `verifications` log: the window's checks when a server starts,
// and, on a database that other servers record checks in too (Store::SharedByServers), every
// check recorded since, by any server, before a check reads the recheck history. So a
// receipt checked through two servers counts as rechecked on both (SPEC §11).
//
// The log's ids are assigned when a row is inserted and become visible when its
// transaction commits, which need not be in id order: the feed keeps a floor (every id at
// or below it has been read) and the ids read above it, and reads from the floor each time.
// A missing id (a transaction still open, or one rolled back, whose id is never used) holds
// the floor up to kGapWaitMs; then the floor passes it, and the ids passed over are looked
// for again, at most every kRecheckMs, for kPassedKeepSeconds (longer than any write waits
// for its commit), so a check committed late still comes in, a few milliseconds later.
//
// Depends on the Store and the registry only; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>

#include "store/store.h"
#include "verify/recent_checks.h"

namespace harvest::verify {

class CheckFeed {
 public:
  static constexpr int64_t kGapWaitMs = 2000;
  static constexpr int64_t kRecheckMs = 100;
  static constexpr int64_t kReadAtOnce = 1000;  // rows a catch-up reads per query
  static constexpr int64_t kPassedKeepSeconds = 120;
  static constexpr size_t kPassedMax = 10000;  // ids kept passed over, the oldest dropped

  CheckFeed(store::Store& store, RecentChecks& recent) : store_(store), recent_(recent) {}

  // Adds the checks at or after `since` (Unix seconds), oldest first, and sets the floor at
  // the newest check recorded.
  void Load(int64_t since);
  // Adds every check recorded since the last call (or Load) by this or another server.
  void CatchUp();

 private:
  void Add(const store::Row& row);
  // Moves the floor over the ids read; call with mutex_ held.
  void Advance(std::chrono::steady_clock::time_point now);
  // Reads the ids passed over that have come since (at most every kRecheckMs).
  void LookForPassed(std::chrono::steady_clock::time_point now);

  store::Store& store_;
  RecentChecks& recent_;
  std::mutex mutex_;
  int64_t floor_ = 0;
  std::set<int64_t> above_;  // ids read above floor_
  int64_t gap_ = 0;          // the missing id floor_ + 1 waited for since gap_seen_
  std::chrono::steady_clock::time_point gap_seen_;
  std::map<int64_t, std::chrono::steady_clock::time_point> passed_;  // id -> when passed over
  std::chrono::steady_clock::time_point passed_read_;
};

}  // namespace harvest::verify
