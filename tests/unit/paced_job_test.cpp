// PacedJob: a background job run again when asked, no more often than its pace allows.
#include "store/paced_job.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

namespace harvest::store {
namespace {

using std::chrono::milliseconds;

void WaitFor(const std::function<bool()>& done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline);
    std::this_thread::sleep_for(milliseconds(1));
  }
}

TEST(PacedJob, RunsWhenWokenAndCoalescesWakes) {
  std::atomic<int> runs{0};
  PacedJob job("test-job", "a test job", 1, milliseconds(0), [&] { ++runs; });
  std::this_thread::sleep_for(milliseconds(20));
  EXPECT_EQ(runs, 0);  // nothing asked for yet
  job.Wake();
  WaitFor([&] { return runs == 1; });
  job.RunNow();
  EXPECT_EQ(runs, 2);
}

TEST(PacedJob, KeepsItsPaceUnderAStreamOfWakes) {
  std::atomic<int> runs{0};
  // Each run takes about 5 ms; at spacing 10, a second of wakes allows about 20 runs.
  PacedJob job("test-job", "a test job", 10, milliseconds(1), [&] {
    ++runs;
    std::this_thread::sleep_for(milliseconds(5));
  });
  auto end = std::chrono::steady_clock::now() + milliseconds(500);
  while (std::chrono::steady_clock::now() < end) {
    job.Wake();
    std::this_thread::sleep_for(milliseconds(1));
  }
  EXPECT_GE(runs, 2);
  EXPECT_LE(runs, 12);  // unpaced, it would have run about 80 times
}

TEST(PacedJob, AFailedRunIsTriedAgainOnTheNextWake) {
  std::atomic<int> runs{0};
  PacedJob job("test-job", "a test job", 1, milliseconds(0), [&] {
    if (++runs == 1) {
      throw std::runtime_error("database is locked");
    }
  });
  job.Wake();
  WaitFor([&] { return runs == 1; });
  std::this_thread::sleep_for(milliseconds(5));
  job.Wake();
  WaitFor([&] { return runs == 2; });
  EXPECT_THROW(
      {
        PacedJob failing("test-job", "a test job", 1, milliseconds(0),
                         [] { throw std::runtime_error("no"); });
        failing.RunNow();
      },
      std::runtime_error);
}

}  // namespace
}  // namespace harvest::store
