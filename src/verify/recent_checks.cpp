#include "verify/recent_checks.h"

#include <algorithm>
#include <limits>

namespace harvest::verify {

uint8_t RecentChecks::ParishId(const std::string& parish) {
  auto found = std::find(parishes_.begin(), parishes_.end(), parish);
  if (found != parishes_.end()) {
    return static_cast<uint8_t>(found - parishes_.begin());
  }
  if (parishes_.size() <= std::numeric_limits<uint8_t>::max()) {
    parishes_.push_back(parish);
  }
  return static_cast<uint8_t>(parishes_.size() - 1);
}

void RecentChecks::Add(int64_t receipt, PriorCheck check) {
  std::lock_guard lock(mutex_);
  int64_t at = check.at_unix;
  std::vector<Entry>& list = by_receipt_[receipt];
  // Kept sorted by time: checks arrive in order but for clock steps and a start-up load.
  auto later = std::upper_bound(list.begin(), list.end(), at,
                                [](int64_t t, const Entry& e) { return t < e.at; });
  list.insert(later, Entry{at, ParishId(check.parish)});
  order_.emplace_back(at, receipt);
  if (at > newest_) {
    newest_ = at;
    Forget(newest_ - horizon_);
  }
}

std::vector<PriorCheck> RecentChecks::Of(int64_t receipt, int64_t since) const {
  std::lock_guard lock(mutex_);
  std::vector<PriorCheck> checks;
  auto found = by_receipt_.find(receipt);
  if (found == by_receipt_.end()) {
    return checks;
  }
  const std::vector<Entry>& list = found->second;
  auto first = std::lower_bound(list.begin(), list.end(), since,
                                [](const Entry& e, int64_t t) { return e.at < t; });
  for (auto it = first; it != list.end(); ++it) {
    checks.push_back({it->at, parishes_[it->parish]});
  }
  return checks;
}

void RecentChecks::Forget(int64_t before) {
  // order_ is in the order added, which is time order but for clock steps: stop at the
  // first entry still inside the horizon; a stray older one behind it goes on a later pass.
  while (!order_.empty() && order_.front().first < before) {
    auto found = by_receipt_.find(order_.front().second);
    if (found != by_receipt_.end()) {
      std::vector<Entry>& list = found->second;
      list.erase(list.begin(),
                 std::lower_bound(list.begin(), list.end(), before,
                                  [](const Entry& e, int64_t t) { return e.at < t; }));
      if (list.empty()) {
        by_receipt_.erase(found);
      }
    }
    order_.pop_front();
  }
}

}  // namespace harvest::verify
