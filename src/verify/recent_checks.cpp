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
  uint64_t number = first_ + entries_.size();
  auto [latest, fresh] = latest_.try_emplace(receipt, number);
  uint64_t back = fresh ? 0 : number - latest->second;
  latest->second = number;
  entries_.push_back({receipt, check.at_unix,
                      back > std::numeric_limits<uint32_t>::max() ? 0 : static_cast<uint32_t>(back),
                      ParishId(check.parish)});
  if (check.at_unix > newest_) {
    newest_ = check.at_unix;
    Forget(newest_ - horizon_);
  }
}

std::vector<PriorCheck> RecentChecks::Of(int64_t receipt, int64_t since) const {
  std::lock_guard lock(mutex_);
  std::vector<PriorCheck> checks;
  auto found = latest_.find(receipt);
  if (found == latest_.end()) {
    return checks;
  }
  for (uint64_t number = found->second; number >= first_;) {
    const Entry& e = entries_[number - first_];
    if (e.at >= since) {
      checks.push_back({e.at, parishes_[e.parish]});
    }
    if (e.back == 0 || e.back > number) {
      break;
    }
    number -= e.back;
  }
  // Oldest first; checks arrive in time order but for clock steps and the start-up load
  // (equal times stay in the order added).
  std::reverse(checks.begin(), checks.end());
  std::stable_sort(checks.begin(), checks.end(),
                   [](const PriorCheck& a, const PriorCheck& b) { return a.at_unix < b.at_unix; });
  return checks;
}

void RecentChecks::Forget(int64_t before) {
  // entries_ is in the order added, which is time order but for clock steps: stop at the
  // first check still inside the horizon; a stray older one behind it goes on a later pass.
  while (!entries_.empty() && entries_.front().at < before) {
    auto latest = latest_.find(entries_.front().receipt);
    if (latest != latest_.end() && latest->second == first_) {
      latest_.erase(latest);  // the receipt's only remembered check
    }
    entries_.pop_front();
    ++first_;
  }
}

}  // namespace harvest::verify
