// The answer cache stays within its bound in bytes, drops the least recently used answers
// first, and never serves an answer stored under another change stamp.
#include "api/answer_cache.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace harvest::api {
namespace {

http::Response Answer(size_t bytes) {
  http::Response res;
  res.body.assign(bytes, 'x');
  res.Set("Content-Type", "application/json");
  return res;
}

TEST(AnswerCache, ManyDistinctAnswersStayUnderTheBound) {
  AnswerCache cache(1024 * 1024);
  for (int i = 0; i < 5000; ++i) {
    cache.Store("GET /api/v1/prices?id=" + std::to_string(i), 1, Answer(10000));
    ASSERT_LE(cache.Bytes(), cache.MaxBytes());
  }
  EXPECT_GT(cache.Entries(), 50u);
  EXPECT_LT(cache.Entries(), 105u);
  // The newest are kept, the oldest went.
  EXPECT_TRUE(cache.Find("GET /api/v1/prices?id=4999", 1));
  EXPECT_FALSE(cache.Find("GET /api/v1/prices?id=0", 1));
}

TEST(AnswerCache, LeastRecentlyUsedGoesFirst) {
  AnswerCache cache(100 * 1024);
  cache.Store("a", 1, Answer(10000));
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(cache.Find("a", 1));  // kept in use
    cache.Store("b" + std::to_string(i), 1, Answer(10000));
  }
  EXPECT_TRUE(cache.Find("a", 1));
  EXPECT_FALSE(cache.Find("b0", 1));
}

TEST(AnswerCache, StaleStampMissesAndOversizedIsNotKept) {
  AnswerCache cache(1024 * 1024);
  cache.Store("k", 7, Answer(100));
  EXPECT_FALSE(cache.Find("k", 8));
  auto hit = cache.Find("k", 7);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->body.size(), 100u);
  cache.Store("big", 7, Answer(200 * 1024));  // over an eighth of the bound
  EXPECT_FALSE(cache.Find("big", 7));
  AnswerCache none(0);
  none.Store("k", 1, Answer(1));
  EXPECT_EQ(none.Entries(), 0u);
}

TEST(AnswerCache, AKeyedAnswerComesBackWithTheAuditNotesItWasStoredWith) {
  AnswerCache cache(1024 * 1024);
  cache.Store("key:7\nGET /api/v1/farmers?parish=KIN", 3, Answer(100), "dataset",
              {auth::AuditNote{"read", "farmers", "?parish=KIN", "20 rows"}});
  std::string label;
  std::vector<auth::AuditNote> notes;
  ASSERT_TRUE(cache.Find("key:7\nGET /api/v1/farmers?parish=KIN", 3, &label, &notes));
  EXPECT_EQ(label, "dataset");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].dataset, "farmers");
  EXPECT_EQ(notes[0].record, "?parish=KIN");
  EXPECT_EQ(notes[0].detail, "20 rows");
  // Another caller's key finds nothing.
  EXPECT_FALSE(cache.Find("key:8\nGET /api/v1/farmers?parish=KIN", 3));
}

TEST(AnswerCache, SharedByThreadsWithinTheBound) {
  AnswerCache cache(512 * 1024);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 2000; ++i) {
        std::string key = std::to_string(t) + ":" + std::to_string(i % 300);
        if (!cache.Find(key, 1)) {
          cache.Store(key, 1, Answer(3000));
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_LE(cache.Bytes(), cache.MaxBytes());
}

}  // namespace
}  // namespace harvest::api
