// verify::CheckFeed on a database several servers record checks in (PostgreSQL): checks of
// another server come into the recheck history, also when their ids commit out of order,
// and also when one commits after the feed has passed its id over.
#include "verify/check_feed.h"

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <thread>

#include "registry/clock.h"
#include "registry/schema.h"
#include "store/postgres/pg_connection.h"
#include "temp_store.h"

namespace harvest::verify {
namespace {

using store::AnyStoreTest;
using store::Backend;

class CheckFeedTest : public AnyStoreTest {
 protected:
  int64_t now_ = static_cast<int64_t>(std::time(nullptr));

  // One check as another server's log writer inserts it, on `conn` (its transaction).
  void Insert(store::postgres::PgConnection& conn, int64_t receipt) {
    conn.Run(
        "INSERT INTO verifications (at, receipt, channel, verdict, signals) VALUES ($1, $2, "
        "'api', 'VALID', '')",
        {registry::UnixToRfc3339(now_), receipt});
  }
  size_t Seen(const RecentChecks& recent, int64_t receipt) {
    return recent.Of(receipt, now_ - 3600, 0, now_).size();
  }
};

INSTANTIATE_TEST_SUITE_P(Backends, CheckFeedTest, ::testing::Values(Backend::kPostgres),
                         store::BackendName);

TEST_P(CheckFeedTest, ChecksCommittedOutOfOrderOrLateAllComeIn) {
  RecentChecks recent(72 * 3600, 3, 2);
  CheckFeed feed(*store_, recent);
  feed.Load(now_ - 3600);
  store::postgres::PgConnection early(where_, 10000);
  store::postgres::PgConnection later(where_, 10000);

  // An id taken first commits after a later one: both come in.
  early.Begin();
  Insert(early, 101);
  later.Begin();
  Insert(later, 102);
  later.Commit();
  feed.CatchUp();
  EXPECT_EQ(Seen(recent, 102), 1u);
  EXPECT_EQ(Seen(recent, 101), 0u) << "not committed yet";
  early.Commit();
  feed.CatchUp();
  EXPECT_EQ(Seen(recent, 101), 1u) << "the earlier id, committed later, was lost";
  feed.CatchUp();
  EXPECT_EQ(Seen(recent, 101), 1u) << "a check came in twice";

  // One that commits after the feed has given up waiting for its id still comes in.
  early.Begin();
  Insert(early, 103);
  Insert(later, 104);
  feed.CatchUp();
  std::this_thread::sleep_for(std::chrono::milliseconds(CheckFeed::kGapWaitMs + 200));
  feed.CatchUp();  // passes the missing id over
  EXPECT_EQ(Seen(recent, 104), 1u);
  early.Commit();
  std::this_thread::sleep_for(std::chrono::milliseconds(CheckFeed::kRecheckMs + 50));
  feed.CatchUp();
  EXPECT_EQ(Seen(recent, 103), 1u) << "a check committed late was lost";
  std::this_thread::sleep_for(std::chrono::milliseconds(CheckFeed::kRecheckMs + 50));
  feed.CatchUp();
  EXPECT_EQ(Seen(recent, 103), 1u) << "a check came in twice";
}

}  // namespace
}  // namespace harvest::verify
