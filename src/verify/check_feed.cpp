#include "verify/check_feed.h"

#include <algorithm>
#include <vector>

#include "registry/schema.h"
#include "verify/service.h"

namespace harvest::verify {
namespace {

const registry::DatasetDef& Checks() {
  static const registry::DatasetDef& checks = *registry::FindDataset("verifications");
  return checks;
}

int64_t IntAt(const store::Row& row, std::string_view field) {
  const auto* v = std::get_if<int64_t>(&row[static_cast<size_t>(Checks().FieldIndex(field))]);
  return v ? *v : 0;
}

std::string TextAt(const store::Row& row, std::string_view field) {
  const auto* v = std::get_if<std::string>(&row[static_cast<size_t>(Checks().FieldIndex(field))]);
  return v ? *v : std::string();
}

// The fields a check's history needs, ids ascending from `after` (exclusive).
store::Selection After(int64_t after) {
  const registry::DatasetDef& checks = Checks();
  const int id = checks.FieldIndex("id");
  store::Selection window;
  window.filters.push_back({id, store::FilterOp::kGt, {after}});
  window.sort.push_back({id, false});
  window.fields = {id,
                   checks.FieldIndex("at"),
                   checks.FieldIndex("receipt"),
                   checks.FieldIndex("parish"),
                   checks.FieldIndex("officer_id"),
                   checks.FieldIndex("key_id")};
  return window;
}

}  // namespace

void CheckFeed::Add(const store::Row& row) {
  if (std::optional<int64_t> at = ParseRfc3339(TextAt(row, "at"))) {
    recent_.Add(IntAt(row, "receipt"), {*at, TextAt(row, "parish")},
                RecentChecks::Checker(IntAt(row, "officer_id"), IntAt(row, "key_id")));
  }
}

void CheckFeed::Load(int64_t since) {
  // Checks are written in time order, so ids follow time: walk back from the newest id to
  // the first check older than the window (the table has no index on time and need not be
  // read whole), then add the window's checks oldest first, as RecentChecks forgets them.
  const registry::DatasetDef& checks = Checks();
  const int id = checks.FieldIndex("id");
  std::optional<int64_t> first;
  int64_t newest = 0;
  store::Selection back;
  back.sort.push_back({id, true});
  back.fields = {id, checks.FieldIndex("at")};
  store_.Scan(checks, back, [&](const store::Row& row) {
    newest = std::max(newest, IntAt(row, "id"));
    std::optional<int64_t> at = ParseRfc3339(TextAt(row, "at"));
    if (at && *at < since) {
      return false;
    }
    first = IntAt(row, "id");
    return true;
  });
  {
    std::lock_guard lock(mutex_);
    floor_ = newest;
    above_.clear();
  }
  if (!first) {
    return;
  }
  store_.Scan(checks, After(*first - 1), [&](const store::Row& row) {
    if (IntAt(row, "id") <= newest) {
      Add(row);
    }
    return true;
  });
}

void CheckFeed::CatchUp() {
  auto now = std::chrono::steady_clock::now();
  for (bool more = true; more;) {
    int64_t floor = 0;
    {
      std::lock_guard lock(mutex_);
      floor = floor_;
    }
    // Read outside the lock, so that checks on other threads read at the same time; what two
    // of them both read is added once, under the lock. A bounded read: PostgreSQL's generic
    // plan of `id > $1` alone would guess a third of the table and scan all of it.
    store::Selection since = After(floor);
    since.limit = kReadAtOnce;
    std::vector<store::Row> rows = store_.Select(Checks(), since);
    more = rows.size() == static_cast<size_t>(kReadAtOnce);
    std::lock_guard lock(mutex_);
    for (const store::Row& row : rows) {
      int64_t id = IntAt(row, "id");
      if (id > floor_ && above_.insert(id).second) {
        Add(row);
      }
    }
    Advance(now);
    if (more && floor_ == floor) {
      break;  // held by a gap: the rest waits for the next check
    }
  }
  LookForPassed(now);
}

void CheckFeed::LookForPassed(std::chrono::steady_clock::time_point now) {
  int64_t lowest = 0;
  int64_t highest = 0;
  {
    std::lock_guard lock(mutex_);
    if (passed_.empty() || now - passed_read_ < std::chrono::milliseconds(kRecheckMs)) {
      return;
    }
    passed_read_ = now;
    std::erase_if(passed_, [&](const auto& entry) {
      return now - entry.second > std::chrono::seconds(kPassedKeepSeconds);
    });
    if (passed_.empty()) {
      return;
    }
    lowest = passed_.begin()->first;
    highest = passed_.rbegin()->first;
  }
  // One range read (the ids passed over are a batch's, side by side), outside the lock, of
  // the same statement whatever the ids: the rows of the range not passed over are skipped.
  const int id = Checks().FieldIndex("id");
  store::Selection late = After(lowest - 1);
  late.filters.push_back({id, store::FilterOp::kLte, {highest}});
  late.limit = kReadAtOnce;
  std::vector<store::Row> rows = store_.Select(Checks(), late);
  std::lock_guard lock(mutex_);
  for (const store::Row& row : rows) {
    if (passed_.erase(IntAt(row, "id")) > 0) {
      Add(row);
    }
  }
}

void CheckFeed::Advance(std::chrono::steady_clock::time_point now) {
  while (!above_.empty() && *above_.begin() == floor_ + 1) {
    floor_ = *above_.begin();
    above_.erase(above_.begin());
  }
  if (above_.empty()) {
    return;
  }
  // floor_ + 1 is missing while later ids are there.
  if (gap_ != floor_ + 1) {
    gap_ = floor_ + 1;
    gap_seen_ = now;
  } else if (now - gap_seen_ > std::chrono::milliseconds(kGapWaitMs)) {
    // Rolled back, or committed late: looked for again apart (LookForPassed).
    int64_t from = std::max(floor_ + 1, *above_.begin() - static_cast<int64_t>(kPassedMax));
    for (int64_t id = from; id < *above_.begin(); ++id) {
      passed_.emplace(id, now);
    }
    while (passed_.size() > kPassedMax) {
      passed_.erase(passed_.begin());
    }
    floor_ = *above_.begin() - 1;
    Advance(now);
  }
}

}  // namespace harvest::verify
