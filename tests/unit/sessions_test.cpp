// Web logins and sessions (SPEC §9) against each backend (SQLite, PostgreSQL), with the clock
// moved by hand.
#include "auth/sessions.h"

#include <gtest/gtest.h>

#include "auth/passwords.h"
#include "temp_store.h"

namespace harvest::auth {
namespace {

class SessionsTest : public store::AnyStoreTest {
 protected:
  void SetUp() override {
    AnyStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    store_->CreateUser("ann", registry::kPolice, HashPassword("correct horse battery"));
  }
  Sessions Make() {
    return Sessions(*store_, settings_, [this] { return now_; });
  }
  config::WebSettings settings_;
  int64_t now_ = 1'800'000'000;
};

INSTANTIATE_TEST_SUITE_P(Backends, SessionsTest,
                         ::testing::Values(store::Backend::kSqlite, store::Backend::kPostgres),
                         store::BackendName);

TEST_P(SessionsTest, PasswordsAreArgon2idAndSalted) {
  std::string a = HashPassword("correct horse battery");
  std::string b = HashPassword("correct horse battery");
  EXPECT_TRUE(a.starts_with("$argon2id$"));
  EXPECT_NE(a, b);
  EXPECT_TRUE(PasswordMatches(a, "correct horse battery"));
  EXPECT_FALSE(PasswordMatches(a, "correct horse batterY"));
  EXPECT_FALSE(PasswordMatches("not a hash", "x"));
}

TEST_P(SessionsTest, LogInResolvesAndLogOutEnds) {
  Sessions sessions = Make();
  LoginOutcome in = sessions.LogIn(" Ann ", "correct horse battery");
  ASSERT_EQ(in.kind, LoginOutcome::Kind::kLoggedIn);
  EXPECT_EQ(in.token.size(), 64u);
  Principal who;
  ASSERT_TRUE(sessions.Resolve(in.token, who));
  EXPECT_EQ(who.role, registry::kPolice);
  EXPECT_EQ(who.actor, "user:ann");
  EXPECT_EQ(who.channel, "web");
  EXPECT_EQ(who.csrf, in.who.csrf);
  EXPECT_NE(who.csrf, in.token);
  // Only the token's hash is stored: the hash itself is no token.
  Principal by_hash;
  EXPECT_FALSE(sessions.Resolve(who.session, by_hash));
  sessions.LogOut(who);
  Principal after;
  EXPECT_FALSE(sessions.Resolve(in.token, after));
  EXPECT_EQ(after.role, registry::kPublic);
}

TEST_P(SessionsTest, IdleAndAbsoluteExpiry) {
  Sessions sessions = Make();
  LoginOutcome in = sessions.LogIn("ann", "correct horse battery");
  Principal who;
  // Used every 5 hours: alive at 10 h, and at 12 h after login, but not after.
  for (int hours : {5, 5, 2}) {
    now_ += hours * 3600;
    EXPECT_TRUE(sessions.Resolve(in.token, who)) << hours;
  }
  now_ += 1;
  EXPECT_FALSE(sessions.Resolve(in.token, who));

  LoginOutcome idle = sessions.LogIn("ann", "correct horse battery");
  LoginOutcome idle_too_long = sessions.LogIn("ann", "correct horse battery");
  now_ += 8 * 3600;
  EXPECT_TRUE(sessions.Resolve(idle.token, who));  // unused for exactly 8 h: still alive
  now_ += 1;
  EXPECT_FALSE(sessions.Resolve(idle_too_long.token, who));  // 8 h and a second
  EXPECT_TRUE(sessions.Resolve(idle.token, who));            // used a second ago
}

TEST_P(SessionsTest, FiveFailuresIn15MinutesStopTheLogin) {
  Sessions sessions = Make();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(sessions.LogIn("ann", "wrong password!").kind, LoginOutcome::Kind::kRefused);
    now_ += 60;
  }
  LoginOutcome blocked = sessions.LogIn("ann", "correct horse battery");
  EXPECT_EQ(blocked.kind, LoginOutcome::Kind::kTooMany);
  // The first failure leaves the window 15 minutes after it was made.
  EXPECT_EQ(blocked.retry_after, 15 * 60 - 5 * 60);
  // Another login is not affected.
  store_->CreateUser("bob", registry::kAdmin, HashPassword("another long one"));
  EXPECT_EQ(sessions.LogIn("bob", "another long one").kind, LoginOutcome::Kind::kLoggedIn);
  now_ += blocked.retry_after;
  EXPECT_EQ(sessions.LogIn("ann", "correct horse battery").kind, LoginOutcome::Kind::kLoggedIn);
}

TEST_P(SessionsTest, OldFailuresOfEveryLoginAreForgotten) {
  Sessions sessions = Make();
  EXPECT_EQ(sessions.LogIn("guess-1", "whatever it is").kind, LoginOutcome::Kind::kRefused);
  now_ += settings_.login_window_seconds + 1;
  EXPECT_EQ(sessions.LogIn("guess-2", "whatever it is").kind, LoginOutcome::Kind::kRefused);
  EXPECT_TRUE(store_->LoginFailuresSince("guess-1", 0).empty());
  EXPECT_EQ(store_->LoginFailuresSince("guess-2", 0).size(), 1u);
  // A name longer than any login is refused without a row.
  std::string long_name(kMaxLoginLength + 1, 'a');
  EXPECT_EQ(sessions.LogIn(long_name, "whatever it is").kind, LoginOutcome::Kind::kRefused);
  EXPECT_TRUE(store_->LoginFailuresSince(long_name, 0).empty());
}

TEST_P(SessionsTest, UnknownAndDisabledLoginsAreRefused) {
  Sessions sessions = Make();
  EXPECT_EQ(sessions.LogIn("nobody", "correct horse battery").kind, LoginOutcome::Kind::kRefused);
  LoginOutcome in = sessions.LogIn("ann", "correct horse battery");
  ASSERT_TRUE(store_->DisableUser("ann"));
  Principal who;
  EXPECT_FALSE(sessions.Resolve(in.token, who));
  EXPECT_EQ(sessions.LogIn("ann", "correct horse battery").kind, LoginOutcome::Kind::kRefused);
  EXPECT_FALSE(store_->DisableUser("ann"));
}

TEST_P(SessionsTest, LoginsAreUnique) {
  EXPECT_THROW(store_->CreateUser("ann", registry::kAdmin, HashPassword("whatever else")),
               store::WriteError);
  ASSERT_EQ(store_->ListUsers().size(), 1u);
  EXPECT_EQ(store_->ListUsers()[0].role, registry::kPolice);
}

}  // namespace
}  // namespace harvest::auth
