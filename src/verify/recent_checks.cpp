#include "verify/recent_checks.h"

#include <algorithm>

namespace harvest::verify {

void RecentChecks::Add(int64_t receipt, PriorCheck check) {
  std::lock_guard lock(mutex_);
  int64_t at = check.at_unix;
  std::vector<PriorCheck>& list = by_receipt_[receipt];
  // Kept sorted by time: checks arrive in order but for clock steps and a start-up load.
  auto later = std::upper_bound(list.begin(), list.end(), at,
                                [](int64_t t, const PriorCheck& c) { return t < c.at_unix; });
  list.insert(later, std::move(check));
  order_.emplace_back(at, receipt);
  if (at > newest_) {
    newest_ = at;
    Forget(newest_ - horizon_);
  }
}

std::vector<PriorCheck> RecentChecks::Of(int64_t receipt, int64_t since) const {
  std::lock_guard lock(mutex_);
  auto found = by_receipt_.find(receipt);
  if (found == by_receipt_.end()) {
    return {};
  }
  const std::vector<PriorCheck>& list = found->second;
  auto first = std::lower_bound(list.begin(), list.end(), since,
                                [](const PriorCheck& c, int64_t t) { return c.at_unix < t; });
  return {first, list.end()};
}

void RecentChecks::Forget(int64_t before) {
  // order_ is in the order added, which is time order but for clock steps: stop at the
  // first entry still inside the horizon; a stray older one behind it goes on a later pass.
  while (!order_.empty() && order_.front().first < before) {
    auto found = by_receipt_.find(order_.front().second);
    if (found != by_receipt_.end()) {
      std::vector<PriorCheck>& list = found->second;
      list.erase(list.begin(),
                 std::lower_bound(list.begin(), list.end(), before,
                                  [](const PriorCheck& c, int64_t t) { return c.at_unix < t; }));
      if (list.empty()) {
        by_receipt_.erase(found);
      }
    }
    order_.pop_front();
  }
}

}  // namespace harvest::verify
