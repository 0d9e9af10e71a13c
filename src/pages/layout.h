// The frame every page shares (head, header with the login state, footer), the security
// headers every HTML answer carries (CSP without inline script or style, SPEC §9), the error
// page, and the forms' CSRF rules. Depends on the HTML builder and the catalogue; must not
// know about SQL.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/api_error.h"
#include "auth/principal.h"
#include "http/message.h"
#include "pages/html.h"
#include "pages/strings.h"

namespace harvest::pages {

inline constexpr std::string_view kStylesheetPath = "/assets/harvest.css";
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

// What a page adds to the shared frame.
struct PageOptions {
  // Embedded assets (pages/assets.h) by name: a .css is linked, a .js loaded with `defer`.
  std::vector<std::string_view> assets;
  // The same for every visitor without a login (open data): cacheable by anyone, so the
  // shell keeps it with the public API answers under the same change stamp. Read with an
  // API key (no session, so no CSRF token in it), it is that key's own read of registry data
  // and the shell may reuse it for that key alone, as it does the API's (never set it on a
  // page that reads a log: appending to one does not move the change stamp).
  bool shared = false;
};

// A whole HTML page: `body` (already built HTML) inside the shared frame. Personal answers:
// never cached.
http::Response Page(int status, std::string_view title, const auth::Principal& who,
                    const std::string& body, const PageOptions& options = {});
// A 303 to `location` with the security headers, never cached (also the Post/Redirect/Get
// answer to a form that succeeded).
http::Response Redirect(std::string location);

// The first value of one query parameter; "" when absent.
std::string QueryValue(const http::Request& request, std::string_view name);

// CSP, nosniff, no framing, no referrer leaks; on every HTML answer and asset.
void SetSecurityHeaders(http::Response& response);

// An error as a page: the catalogue's words for its status (the error's own message may
// name internals and is not shown), a link back, and the error's headers (Retry-After).
// The header shows `who` is logged in, so a login that may not see a page can log out.
http::Response ErrorPage(const api::ApiError& error, const auth::Principal& who);

// The hidden csrf field of a POST form.
void CsrfField(Html& html, std::string_view token);
// Throws the 403 "csrf" error unless the form's csrf field is the session's token.
void RequireCsrf(const std::vector<std::pair<std::string, std::string>>& form,
                 const auth::Principal& who);

// The value of one field of a parsed form; "" when absent.
std::string FormValue(const std::vector<std::pair<std::string, std::string>>& form,
                      std::string_view name);

}  // namespace harvest::pages
