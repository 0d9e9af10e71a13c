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
  if (receipt < 0 || receipt >= (int64_t{1} << 56)) {
    return;  // in no book (the channels take 15 digits at most); would not fit an Entry
  }
  std::lock_guard lock(mutex_);
  int64_t at = std::clamp<int64_t>(check.at_unix, 0, std::numeric_limits<uint32_t>::max());
  uint64_t seq = first_ + log_.size();
  auto [slot, fresh] = latest_.try_emplace(receipt, seq);
  uint64_t back = fresh ? 0 : seq - slot->second;
  slot->second = seq;
  log_.push_back(
      Entry{static_cast<uint64_t>(receipt), ParishId(check.parish), static_cast<uint32_t>(at),
            back > std::numeric_limits<uint32_t>::max() ? 0 : static_cast<uint32_t>(back)});
  if (at > newest_) {
    newest_ = at;
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
  // Newest to oldest by the order added; then into time order (stable: equal times keep
  // the order they were added in), as a clock step or a start-up load may have mixed it.
  std::vector<const Entry*> mine;
  for (uint64_t seq = found->second; seq >= first_;) {
    const Entry& e = log_[seq - first_];
    if (e.at >= since) {
      mine.push_back(&e);
    }
    if (e.back == 0 || e.back > seq) {
      break;
    }
    seq -= e.back;
  }
  std::reverse(mine.begin(), mine.end());
  std::stable_sort(mine.begin(), mine.end(),
                   [](const Entry* a, const Entry* b) { return a->at < b->at; });
  for (const Entry* e : mine) {
    checks.push_back({e->at, parishes_[e->parish]});
  }
  return checks;
}

void RecentChecks::Forget(int64_t before) {
  // Oldest added first, which is time order but for clock steps: stop at the first entry
  // still inside the horizon; a stray older one behind it goes on a later pass (Of skips it).
  while (!log_.empty() && log_.front().at < before) {
    auto found = latest_.find(static_cast<int64_t>(log_.front().receipt));
    if (found != latest_.end() && found->second == first_) {
      latest_.erase(found);  // its newest check: every older one is gone already
    }
    log_.pop_front();
    ++first_;
  }
}

}  // namespace harvest::verify
