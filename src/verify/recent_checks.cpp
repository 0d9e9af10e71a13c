#include "verify/recent_checks.h"

#include <algorithm>
#include <limits>

namespace harvest::verify {
namespace {

// How many checks per parish the parish rule keeps: leaving out the checker's own counted
// check (Of) must still show whether the parish had another check in the window.
constexpr int kPerParish = 2;

}  // namespace

RecentChecks::RecentChecks(int64_t horizon_seconds, int recheck_count, int recheck_parishes)
    : horizon_(horizon_seconds),
      keep_last_(recheck_count > 0 ? recheck_count + 1 : 0),
      keep_parishes_(recheck_parishes > 0 ? recheck_parishes + 1 : 0) {}

uint32_t RecentChecks::Checker(int64_t officer_id, int64_t key_id) {
  // Officers odd, keys even; ids are small counters, so the truncation never mixes two.
  if (officer_id > 0) {
    return static_cast<uint32_t>(officer_id) * 2 + 1;
  }
  if (key_id > 0) {
    uint32_t id = static_cast<uint32_t>(key_id) * 2 + 2;
    return id != 0 ? id : 2;
  }
  return 0;
}

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

void RecentChecks::Chain(uint64_t latest, std::vector<uint64_t>& out) const {
  for (uint64_t seq = latest; seq >= first_;) {
    out.push_back(seq);
    const Entry& e = At(seq);
    if (e.back == 0 || e.back > seq) {
      break;
    }
    seq -= e.back;
  }
}

std::vector<uint64_t> RecentChecks::Needed(std::vector<uint64_t> candidates) const {
  // Newest in time first (a clock step or a start-up load may have mixed the order added).
  std::stable_sort(candidates.begin(), candidates.end(),
                   [&](uint64_t a, uint64_t b) { return At(a).at > At(b).at; });
  std::vector<uint64_t> needed;
  struct Seen {
    uint8_t parish;
    int kept;
  };
  std::vector<Seen> parishes;  // in the order of their newest check
  for (size_t i = 0; i < candidates.size(); ++i) {
    bool keep = static_cast<int>(i) < keep_last_;
    uint8_t parish = static_cast<uint8_t>(At(candidates[i]).parish);
    if (parish != 0 && keep_parishes_ > 0) {
      auto seen = std::find_if(parishes.begin(), parishes.end(),
                               [&](const Seen& s) { return s.parish == parish; });
      if (seen == parishes.end() && static_cast<int>(parishes.size()) < keep_parishes_) {
        parishes.push_back({parish, 1});
        keep = true;
      } else if (seen != parishes.end() && seen->kept < kPerParish) {
        ++seen->kept;
        keep = true;
      }
    }
    if (keep) {
      needed.push_back(candidates[i]);
    }
  }
  std::sort(needed.begin(), needed.end(), std::greater<>());  // back pointers go back
  return needed;
}

bool RecentChecks::Add(int64_t receipt, PriorCheck check, uint32_t checker) {
  if (receipt < 0 || receipt >= (int64_t{1} << 56)) {
    return false;  // in no book (the channels take 15 digits at most); would not fit an Entry
  }
  std::lock_guard lock(mutex_);
  int64_t at = std::clamp<int64_t>(check.at_unix, 0, std::numeric_limits<uint32_t>::max());
  auto found = latest_.find(receipt);
  std::vector<uint64_t> chain;
  if (found != latest_.end()) {
    Chain(found->second, chain);
  }
  if (checker != 0) {
    for (uint64_t seq : chain) {
      const Entry& e = At(seq);
      if (e.checker == checker && std::abs(at - int64_t{e.at}) < kSameCheckerSeconds) {
        return false;  // counts once with the check it repeats
      }
    }
  }
  uint64_t seq = first_ + log_.size();
  log_.push_back(Entry{static_cast<uint64_t>(receipt), ParishId(check.parish),
                       static_cast<uint32_t>(at), 0, checker});
  chain.insert(chain.begin(), seq);
  std::vector<uint64_t> needed = Needed(std::move(chain));
  for (size_t i = 0; i < needed.size(); ++i) {
    uint64_t back = i + 1 < needed.size() ? needed[i] - needed[i + 1] : 0;
    At(needed[i]).back =
        back > std::numeric_limits<uint32_t>::max() ? 0 : static_cast<uint32_t>(back);
  }
  if (needed.empty()) {
    if (found != latest_.end()) {
      latest_.erase(found);
    }
  } else if (found != latest_.end()) {
    found->second = needed.front();
  } else {
    latest_.emplace(receipt, needed.front());
  }
  if (at > newest_) {
    newest_ = at;
    Forget(newest_ - horizon_);
  }
  return true;
}

std::vector<PriorCheck> RecentChecks::Of(int64_t receipt, int64_t since, uint32_t checker,
                                         int64_t now) const {
  std::lock_guard lock(mutex_);
  std::vector<PriorCheck> checks;
  auto found = latest_.find(receipt);
  if (found == latest_.end()) {
    return checks;
  }
  std::vector<uint64_t> chain;
  Chain(found->second, chain);
  // The checker's own counted check of the last minutes is the one this check repeats.
  const Entry* own = nullptr;
  for (uint64_t seq : chain) {
    const Entry& e = At(seq);
    if (checker != 0 && e.checker == checker &&
        std::abs(now - int64_t{e.at}) < kSameCheckerSeconds && (!own || e.at > own->at)) {
      own = &e;
    }
  }
  std::vector<const Entry*> mine;
  for (uint64_t seq : chain) {
    const Entry& e = At(seq);
    if (e.at >= since && &e != own) {
      mine.push_back(&e);
    }
  }
  // Into time order (stable: equal times keep the order they were added in).
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
