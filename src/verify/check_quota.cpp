#include "verify/check_quota.h"

#include <algorithm>

namespace harvest::verify {
namespace {

constexpr int64_t kHour = 3600;

void ForgetOld(std::deque<int64_t>& times, int64_t now) {
  while (!times.empty() && times.front() <= now - kHour) {
    times.pop_front();
  }
}

}  // namespace

int64_t CheckQuota::Take(uint64_t checker, int64_t now, int limit) {
  if (limit <= 0) {
    return 0;
  }
  std::lock_guard lock(mutex_);
  if (now - last_prune_ > 600) {  // forget the checkers who went quiet
    last_prune_ = now;
    for (auto it = times_.begin(); it != times_.end();) {
      ForgetOld(it->second, now);
      it = it->second.empty() ? times_.erase(it) : std::next(it);
    }
  }
  std::deque<int64_t>& times = times_[checker];
  ForgetOld(times, now);
  if (static_cast<int>(times.size()) < limit) {
    times.push_back(now);
    return 0;
  }
  // The oldest counted check leaves the hour at front + kHour.
  return std::max<int64_t>(1, times.front() + kHour - now);
}

}  // namespace harvest::verify
