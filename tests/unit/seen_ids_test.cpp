// The filter of answered gateway message ids: never "new" for an id it was given, rarely
// "maybe" for one it was not, through its growth.
#include "sms/seen_ids.h"

#include <gtest/gtest.h>

#include <string>

namespace harvest::sms {
namespace {

std::string Sid(int n) {
  return "twilio\nSM" + std::to_string(1000000000 + n) + "b7e2f0c1d3a4";
}

TEST(SeenIds, NeverForgetsAnIdThroughGrowth) {
  SeenIds seen;
  EXPECT_FALSE(seen.MaybeSeen(Sid(0)));
  for (int n = 0; n < 300000; ++n) {  // past the first filter's 65,536 and the second's
    seen.Add(Sid(n));
  }
  EXPECT_EQ(seen.size(), 300000u);
  for (int n = 0; n < 300000; ++n) {
    ASSERT_TRUE(seen.MaybeSeen(Sid(n))) << n;
  }
}

TEST(SeenIds, RarelyTakesANewIdForASeenOne) {
  SeenIds seen;
  for (int n = 0; n < 100000; ++n) {
    seen.Add(Sid(n));
  }
  int maybe = 0;
  for (int n = 100000; n < 200000; ++n) {
    maybe += seen.MaybeSeen(Sid(n));
  }
  // About 1 % per filter, with two filters in use here.
  EXPECT_LT(maybe, 4000) << maybe << " of 100,000 new ids looked seen";
}

}  // namespace
}  // namespace harvest::sms
