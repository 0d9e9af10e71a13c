#include "auth/sessions.h"

#include <algorithm>

#include "auth/keys.h"
#include "auth/passwords.h"

namespace harvest::auth {
namespace {

// last_seen_at is written at most this often per session: a page view is not a write.
constexpr int64_t kTouchEverySeconds = 60;

// Verified against when the login is unknown, so that a refusal takes as long either way
// and the time taken does not tell which logins exist.
const std::string& DecoyHash() {
  static const std::string hash = HashPassword("not a password anyone has");
  return hash;
}

void Fill(const store::WebSession& session, Principal& who) {
  who.role = session.role;
  who.actor = "user:" + session.login;
  who.channel = "web";
  who.session = session.token_hash;
  who.csrf = session.csrf;
}

}  // namespace

Sessions::Sessions(store::Store& store, const config::WebSettings& settings, Clock clock)
    : store_(store), settings_(settings), clock_(std::move(clock)) {}

std::string Sessions::NormalLogin(std::string_view login) {
  while (!login.empty() && (login.front() == ' ' || login.front() == '\t')) {
    login.remove_prefix(1);
  }
  while (!login.empty() && (login.back() == ' ' || login.back() == '\t')) {
    login.remove_suffix(1);
  }
  std::string out(login);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
  });
  return out;
}

LoginOutcome Sessions::LogIn(std::string_view typed_login, std::string_view password) {
  LoginOutcome outcome;
  std::string login = NormalLogin(typed_login);
  if (login.empty() || login.size() > kMaxLoginLength) {
    return outcome;  // no such login can exist: nothing to count, nothing to check
  }
  int64_t now = clock_();
  int64_t window_start = now - settings_.login_window_seconds;
  std::vector<int64_t> failures = store_.LoginFailuresSince(login, window_start + 1);
  auto limit = static_cast<size_t>(settings_.login_failures);
  if (failures.size() >= limit) {
    outcome.kind = LoginOutcome::Kind::kTooMany;
    // Heard again once enough of the window's failures have left it.
    int64_t frees_at = failures[failures.size() - limit] + settings_.login_window_seconds;
    outcome.retry_after = std::max<int64_t>(1, frees_at - now);
    return outcome;
  }
  std::optional<store::WebUser> user = store_.FindUser(login);
  bool matches = false;
  if (user) {
    matches = PasswordMatches(user->password_hash, password) && user->disabled_at.empty();
  } else {
    PasswordMatches(DecoyHash(), password);  // as long as for a login that exists
  }
  if (!matches) {
    store_.RecordLoginFailure(login, now, window_start);
    return outcome;
  }
  store::WebSession session;
  outcome.token = RandomToken();
  session.token_hash = HashKey(outcome.token);
  session.user_id = user->id;
  session.csrf = RandomToken();
  session.created_at = now;
  session.last_seen_at = now;
  session.login = user->login;
  session.role = user->role;
  store_.CreateSession(session);
  Fill(session, outcome.who);
  outcome.kind = LoginOutcome::Kind::kLoggedIn;
  return outcome;
}

bool Sessions::Resolve(std::string_view token, Principal& who) {
  if (token.empty()) {
    return false;
  }
  std::string hash = HashKey(token);
  std::optional<store::WebSession> session = store_.FindSession(hash);
  if (!session) {
    return false;
  }
  int64_t now = clock_();
  if (session->user_disabled || now - session->last_seen_at > settings_.session_idle_seconds ||
      now - session->created_at > settings_.session_max_seconds) {
    store_.EndSession(hash);
    return false;
  }
  if (now - session->last_seen_at >=
      std::min<int64_t>(kTouchEverySeconds, settings_.session_idle_seconds / 4)) {
    store_.TouchSession(hash, now);
  }
  Fill(*session, who);
  return true;
}

void Sessions::LogOut(const Principal& who) {
  if (!who.session.empty()) {
    store_.EndSession(who.session);
  }
}

}  // namespace harvest::auth
