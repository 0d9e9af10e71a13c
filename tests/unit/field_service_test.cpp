// The parts of the field service that need no store: timestamps of recorded checks.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace harvest::verify
