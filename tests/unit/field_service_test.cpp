// The parts of the field service that need no store: timestamps of recorded checks, the
// in-memory history of recent checks with the recheck rules at their edges, and the hourly
// quota of checks per key.
#include <gtest/gtest.h>

#include "store/quota_windows.h"
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
  RecentChecks recent(3600, 3, 2);
  recent.Add(7, {1000, "KIN"});
  recent.Add(8, {1010, ""});
  recent.Add(7, {1020, "THO"});
  EXPECT_EQ(Times(recent.Of(7, 0)), (std::vector<int64_t>{1000, 1020}));
  EXPECT_EQ(Times(recent.Of(7, 1001)), (std::vector<int64_t>{1020}));
  EXPECT_EQ(recent.Of(7, 0)[1].parish, "THO");
  EXPECT_TRUE(recent.Of(9, 0).empty());
}

TEST(RecentChecks, KeepsTimeOrderWhenLoadedOutOfOrder) {
  RecentChecks recent(3600, 3, 2);
  recent.Add(7, {1020, ""});
  recent.Add(7, {1000, ""});
  recent.Add(7, {1010, ""});
  EXPECT_EQ(Times(recent.Of(7, 1005)), (std::vector<int64_t>{1010, 1020}));
}

TEST(RecentChecks, ForgetsChecksOlderThanTheHorizon) {
  RecentChecks recent(100, 3, 2);
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
  RecentChecks recent(1000, 500, 2);  // keeps the last 501 checks of a receipt
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
  RecentChecks recent(100, 3, 2);
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
  RecentChecks recent(3600, 3, 2);
  recent.Add(7, {1000, "KIN"});
  recent.Add(7, {1000, "THO"});
  recent.Add(7, {1000, "MAN"});
  std::vector<PriorCheck> checks = recent.Of(7, 0);
  ASSERT_EQ(checks.size(), 3u);
  EXPECT_EQ(checks[0].parish + checks[1].parish + checks[2].parish, "KINTHOMAN");
}

// The recheck rules of SPEC §5 over what RecentChecks remembers, with the default
// thresholds: 3 earlier checks in 72 h, or 2 parishes within 24 h. The farmer is verified
// with a card valid for decades, so only the recheck rules can make it CHECK.
constexpr int64_t kHour = 3600;
constexpr int64_t kStart = 1795183389;

struct Rules {
  explicit Rules(int recheck_count = 3) : thresholds{.recheck_count = recheck_count} {}
  Thresholds thresholds;
  RecentChecks recent{72 * kHour, thresholds.recheck_count, thresholds.recheck_parishes};

  // Evaluates a check of receipt 4512 at `now` as the service does, then remembers it.
  bool Rechecked(int64_t now, const std::string& parish, uint32_t checker = 0) {
    ReceiptFacts f;
    f.receipt = 4512;
    f.book = BookFacts{"000045", 4501, 4600, "active", "", "081117655"};
    f.farmer = FarmerFacts{"081117655", "John", "Brown", "", "THO", "active", true, false,
                           "2099-12-31"};
    f.parish = parish;
    f.prior_checks = recent.Of(4512, now - 72 * kHour, checker, now);
    Result r = Evaluate(f, thresholds, now);
    recent.Add(4512, {now, parish}, checker);
    return r.verdict == Verdict::kCheck;
  }
};

TEST(RecheckRules, FourthCheckWithin72HoursAtTheEdge) {
  Rules rules;
  EXPECT_FALSE(rules.Rechecked(kStart, "KIN"));
  EXPECT_FALSE(rules.Rechecked(kStart + 10 * kHour, "KIN"));
  EXPECT_FALSE(rules.Rechecked(kStart + 20 * kHour, "KIN"));
  EXPECT_TRUE(rules.Rechecked(kStart + 72 * kHour, "KIN")) << "72 h to the second still counts";
  Rules later;
  later.Rechecked(kStart, "KIN");
  later.Rechecked(kStart + 10 * kHour, "KIN");
  later.Rechecked(kStart + 20 * kHour, "KIN");
  EXPECT_FALSE(later.Rechecked(kStart + 72 * kHour + 1, "KIN")) << "the first is out of 72 h";
}

TEST(RecheckRules, SecondParishWithin24HoursAtTheEdge) {
  Rules rules;
  EXPECT_FALSE(rules.Rechecked(kStart, "KIN"));
  EXPECT_TRUE(rules.Rechecked(kStart + 24 * kHour, "AND"));
  Rules later;
  later.Rechecked(kStart, "KIN");
  EXPECT_FALSE(later.Rechecked(kStart + 24 * kHour + 1, "AND"));
}

TEST(RecheckRules, HotReceiptKeepsABoundedHistoryAndTheSameAnswers) {
  Rules rules;
  // One check in St. Andrew, then 20,000 in Kingston by many checkers.
  rules.Rechecked(kStart, "AND");
  for (int i = 1; i <= 20000; ++i) {
    rules.Rechecked(kStart + i, "KIN", static_cast<uint32_t>(1000 + i));
  }
  std::vector<PriorCheck> kept = rules.recent.Of(4512, 0);
  // The last 4 checks, and at most 2 in each of the 3 latest parishes.
  EXPECT_LE(kept.size(), 4u + 2 * 3u);
  EXPECT_EQ(kept.back().at_unix, kStart + 20000);
  EXPECT_EQ(kept.front().parish, "AND") << "the one check in another parish is still seen";
  EXPECT_EQ(Times(rules.recent.Of(4512, kStart + 19998)),
            (std::vector<int64_t>{kStart + 19998, kStart + 19999, kStart + 20000}));
  // 24 h after the St. Andrew check, a check in Kingston still sees 2 parishes...
  Rules parishes(0);  // the count rule off: only parishes decide
  parishes.Rechecked(kStart, "AND");
  for (int i = 1; i <= 5000; ++i) {
    parishes.Rechecked(kStart + i, "KIN");
  }
  EXPECT_TRUE(parishes.Rechecked(kStart + 24 * kHour, "KIN"));
  // ...and one second later only Kingston is left.
  EXPECT_FALSE(parishes.Rechecked(kStart + 24 * kHour + 1, "KIN"));
}

TEST(RecheckRules, SameCheckerWithinTenMinutesCountsOnce) {
  Rules rules;
  const uint32_t key = RecentChecks::Checker(0, 12);
  EXPECT_FALSE(rules.Rechecked(kStart, "KIN", key));
  EXPECT_FALSE(rules.Rechecked(kStart + 60, "KIN", key));
  EXPECT_FALSE(rules.Rechecked(kStart + 599, "KIN", key));
  EXPECT_EQ(rules.recent.Of(4512, 0).size(), 1u) << "repeats are not remembered";
  // Another checker sees one earlier check.
  EXPECT_EQ(rules.recent.Of(4512, 0, RecentChecks::Checker(3, 0), kStart + 600).size(), 1u);
  // Ten minutes after the check that counted, the same key counts again: thrice makes a
  // fourth check a re-check only after 20 minutes.
  EXPECT_FALSE(rules.Rechecked(kStart + 600, "KIN", key));
  EXPECT_FALSE(rules.Rechecked(kStart + 1200, "KIN", key));
  EXPECT_TRUE(rules.Rechecked(kStart + 1800, "KIN", key));
}

TEST(RecheckRules, SameCheckerDoesNotSpreadAReceiptOverParishes) {
  Rules rules;
  const uint32_t key = RecentChecks::Checker(0, 12);
  EXPECT_FALSE(rules.Rechecked(kStart, "KIN", key));
  EXPECT_FALSE(rules.Rechecked(kStart + 30, "AND", key)) << "one checker, one check";
  EXPECT_FALSE(rules.Rechecked(kStart + 60, "KIN", RecentChecks::Checker(0, 13)));
  // A different checker in another parish is a second parish.
  EXPECT_TRUE(rules.Rechecked(kStart + 90, "THO", RecentChecks::Checker(4, 0)));
}

TEST(RecheckRules, LeavingOutTheOwnCheckStillSeesAnOlderOneInItsParish) {
  Rules rules;
  const uint32_t officer = RecentChecks::Checker(7, 0);
  rules.Rechecked(kStart, "KIN", officer);
  rules.Rechecked(kStart + 900, "KIN", officer);  // counts: 15 minutes later
  // A repeat of the second in St. Andrew: without it, Kingston still had the first check.
  EXPECT_TRUE(rules.Rechecked(kStart + 1000, "AND", officer));
}

TEST(RecheckRules, OfficersAndKeysAreDifferentCheckers) {
  EXPECT_NE(RecentChecks::Checker(5, 0), RecentChecks::Checker(0, 5));
  EXPECT_EQ(RecentChecks::Checker(0, 0), 0u);
  Rules rules;
  rules.Rechecked(kStart, "KIN", RecentChecks::Checker(5, 0));
  EXPECT_EQ(rules.recent.Of(4512, 0, RecentChecks::Checker(0, 5), kStart + 1).size(), 1u);
}

TEST(QuotaWindows, CountsAWindowPerSubject) {
  store::QuotaWindows quota;
  EXPECT_EQ(quota.Take("key:1", kStart, 3600, 2), 0);
  EXPECT_EQ(quota.Take("key:1", kStart + 100, 3600, 2), 0);
  EXPECT_EQ(quota.Take("key:1", kStart + 200, 3600, 2), 3400) << "until the first leaves the hour";
  EXPECT_EQ(quota.Take("key:2", kStart + 200, 3600, 2), 0) << "another key has its own hour";
  EXPECT_EQ(quota.Take("key:1", kStart + 3600, 3600, 2), 0);
  EXPECT_EQ(quota.Take("key:1", kStart + 3601, 3600, 2), 99);
  EXPECT_EQ(quota.Take("key:1", kStart + 3601, 3600, 0), 0) << "0 is no limit";
}

}  // namespace
}  // namespace harvest::verify
