#include "store/quota_windows.h"

#include <algorithm>

namespace harvest::store {
namespace {

void ForgetOld(std::deque<int64_t>& times, int64_t now, int64_t window) {
  while (!times.empty() && times.front() <= now - window) {
    times.pop_front();
  }
}

}  // namespace

int64_t QuotaWindows::Take(const std::string& subject, int64_t now, int64_t window, int limit) {
  if (limit <= 0) {
    return 0;
  }
  std::lock_guard lock(mutex_);
  longest_window_ = std::max(longest_window_, window);
  if (now - last_prune_ > 600) {  // forget the subjects that went quiet
    last_prune_ = now;
    for (auto it = times_.begin(); it != times_.end();) {
      ForgetOld(it->second, now, longest_window_);
      it = it->second.empty() ? times_.erase(it) : std::next(it);
    }
  }
  std::deque<int64_t>& times = times_[subject];
  ForgetOld(times, now, window);
  if (static_cast<int>(times.size()) < limit) {
    times.push_back(now);
    return 0;
  }
  // The oldest counted use leaves the window at front + window.
  return std::max<int64_t>(1, times.front() + window - now);
}

}  // namespace harvest::store
