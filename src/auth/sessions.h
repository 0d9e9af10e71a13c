// Staff web sessions (SPEC §9): logging in with a password (Argon2id), the rate limit on
// failed logins, resolving a session token to a Principal, expiry (idle and absolute) and
// logging out. Sessions and failed logins live in the database, so every server on it gives
// the same answers (§11). The clock is injected so tests can move time. Must not depend on
// HTTP: the pages and the shell carry the token in a cookie.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "auth/principal.h"
#include "config/config.h"
#include "store/store.h"

namespace harvest::auth {

using Clock = std::function<int64_t()>;  // Unix seconds

// Longest login name (`harvest user add` refuses longer ones).
constexpr size_t kMaxLoginLength = 100;

struct LoginOutcome {
  enum class Kind { kLoggedIn, kRefused, kTooMany };
  Kind kind = Kind::kRefused;
  std::string token;        // kLoggedIn: the session's secret, for the cookie (never stored)
  Principal who;            // kLoggedIn: the new session's principal
  int64_t retry_after = 0;  // kTooMany: seconds until another attempt is heard
};

class Sessions {
 public:
  Sessions(store::Store& store, const config::WebSettings& settings, Clock clock);

  // Checks the rate limit, then the password; a refused attempt counts toward the limit.
  // An unknown or disabled login is refused like a wrong password (and takes as long).
  LoginOutcome LogIn(std::string_view login, std::string_view password);
  // The session of `token`, if it is live: fills `who` (role, actor user:<login>, channel
  // web, session, csrf). An expired session, or one of a disabled login, is ended.
  bool Resolve(std::string_view token, Principal& who);
  // Ends `who`'s session (nothing when it has none).
  void LogOut(const Principal& who);

  // How logins are written: trimmed and lower case, so "Ann " and "ann" are one login.
  static std::string NormalLogin(std::string_view login);

 private:
  store::Store& store_;
  const config::WebSettings& settings_;
  Clock clock_;
};

}  // namespace harvest::auth
