// Who may see a page (SPEC §9): nobody logged in is sent to /login, to come back after; a
// login without the role gets 403. Every page's refusal goes through here. Must not know
// about SQL.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/principal.h"
#include "http/message.h"

namespace harvest::pages {

// The answer to a page `who` may not see: a redirect to /login when nobody is logged in
// (coming back to this page after, for a GET; a form's POST cannot be repeated, so that goes
// to /verify); otherwise throws the 403 with `message`.
http::Response RefusePage(const http::Request& request, const auth::Principal& who,
                          const std::string& message);

// nullopt when `allowed`; otherwise RefusePage's answer, the 403 naming `what` the role may
// not do.
std::optional<http::Response> RequirePageRole(const http::Request& request,
                                              const auth::Principal& who, bool allowed,
                                              std::string_view what);

}  // namespace harvest::pages
