// The parts of the field service that need no store: timestamps of recorded checks and the
// in-memory history of recent checks.
#include <gtest/gtest.h>

#include "verify/recent_checks.h"
#include "verify/service.h"

namespace harvest::verify {
namespace {

TEST(ParseRfc3339, ReadsUtcTimestamps) {
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339("2026-11-20T14:03:09Z"), 1795183389);
  EXPECT_EQ(ParseRfc3339("2026-11-20T14:03:09.250Z"), 1795183389);
}

TEST(ParseRfc3339, RejectsMalformed) {
  EXPECT_FALSE(ParseRfc3339(""));
  EXPECT_FALSE(ParseRfc3339("2026-11-20"));
  EXPECT_FALSE(ParseRfc3339("2026-11-20 14:03:09Z"));
  EXPECT_FALSE(ParseRfc3339("2026-02-30T14:03:09Z"));
  EXPECT_FALSE(ParseRfc3339("2026-11-20T1a:03:09Z"));
}

std::vector<int64_t> Times(const std::vector<PriorCheck>& checks) {
  std::vector<int64_t> times;
  for (const PriorCheck& c : checks) {
    times.push_back(c.at_unix);
  }
  return times;
}

TEST(RecentChecks, AnswersPerReceiptSinceATime) {
  RecentChecks recent(3600);
  recent.Add(7, {1000, "KIN"});
  recent.Add(8, {1010, ""});
  recent.Add(7, {1020, "THO"});
  EXPECT_EQ(Times(recent.Of(7, 0)), (std::vector<int64_t>{1000, 1020}));
  EXPECT_EQ(Times(recent.Of(7, 1001)), (std::vector<int64_t>{1020}));
  EXPECT_EQ(recent.Of(7, 0)[1].parish, "THO");
  EXPECT_TRUE(recent.Of(9, 0).empty());
}

TEST(RecentChecks, KeepsTimeOrderWhenLoadedOutOfOrder) {
  RecentChecks recent(3600);
  recent.Add(7, {1020, ""});
  recent.Add(7, {1000, ""});
  recent.Add(7, {1010, ""});
  EXPECT_EQ(Times(recent.Of(7, 1005)), (std::vector<int64_t>{1010, 1020}));
}

TEST(RecentChecks, ForgetsChecksOlderThanTheHorizon) {
  RecentChecks recent(100);
  recent.Add(7, {1000, ""});
  recent.Add(8, {1050, ""});
  recent.Add(7, {1090, ""});
  recent.Add(9, {1120, ""});  // 1000 is now more than 100 s old
  EXPECT_EQ(Times(recent.Of(7, 0)), (std::vector<int64_t>{1090}));
  EXPECT_EQ(Times(recent.Of(8, 0)), (std::vector<int64_t>{1050}));
  recent.Add(9, {1500, ""});
  EXPECT_TRUE(recent.Of(7, 0).empty());
  EXPECT_TRUE(recent.Of(8, 0).empty());
  EXPECT_EQ(Times(recent.Of(9, 0)), (std::vector<int64_t>{1500}));
}

TEST(RecentChecks, FollowsEachReceiptThroughManyOthers) {
  RecentChecks recent(1000);
  for (int64_t t = 0; t < 3000; ++t) {
    recent.Add(t % 7, {t, t % 2 ? "KIN" : "MAN"});
  }
  // Horizon 1000 before the newest (2999): checks at 1999 and later remain.
  std::vector<PriorCheck> three = recent.Of(3, 0);
  ASSERT_FALSE(three.empty());
  EXPECT_EQ(three.front().at_unix, 2005);
  EXPECT_EQ(three.back().at_unix, 2999);
  for (size_t i = 1; i < three.size(); ++i) {
    EXPECT_EQ(three[i].at_unix - three[i - 1].at_unix, 7);
    EXPECT_EQ(three[i].parish, three[i].at_unix % 2 ? "KIN" : "MAN");
  }
  EXPECT_EQ(three.size(), 143u);  // 2005, 2012, ..., 2999
  EXPECT_EQ(Times(recent.Of(3, 2990)), (std::vector<int64_t>{2992, 2999}));
}

TEST(RecentChecks, AReceiptForgottenAndCheckedAgainStartsAfresh) {
  RecentChecks recent(100);
  recent.Add(7, {1000, "KIN"});
  recent.Add(7, {1050, "THO"});
  recent.Add(8, {1120, ""});  // 7 at 1000 forgotten, 7 at 1050 kept
  EXPECT_EQ(Times(recent.Of(7, 0)), (std::vector<int64_t>{1050}));
  for (int64_t t = 1200; t < 1400; ++t) {
    recent.Add(t, {t, ""});  // every check of 7 and 8 forgotten
  }
  EXPECT_TRUE(recent.Of(7, 0).empty());
  recent.Add(7, {1400, "MAN"});
  std::vector<PriorCheck> again = recent.Of(7, 0);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].parish, "MAN");
  EXPECT_EQ(Times(recent.Of(1350, 0)), (std::vector<int64_t>{1350}));
}

TEST(RecentChecks, KeepsEqualTimesInTheOrderAdded) {
  RecentChecks recent(3600);
  recent.Add(7, {1000, "KIN"});
  recent.Add(7, {1000, "THO"});
  recent.Add(7, {1000, "MAN"});
  std::vector<PriorCheck> checks = recent.Of(7, 0);
  ASSERT_EQ(checks.size(), 3u);
  EXPECT_EQ(checks[0].parish + checks[1].parish + checks[2].parish, "KINTHOMAN");
}

}  // namespace
}  // namespace harvest::verify
