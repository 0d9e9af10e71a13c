// What the staff pages share beyond the frame: who may see a page (SPEC §9: nobody logged
// in is sent to /login, a login without the role gets 403), the Post/Redirect/Get answer,
// and query strings. Must not know about SQL.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/principal.h"
#include "http/message.h"

namespace harvest::pages {

using QueryPairs = std::vector<std::pair<std::string, std::string>>;

// nullopt when `allowed`; a redirect to /login (coming back here after) when nobody is
// logged in; otherwise throws the 403 naming `what` the role may not do.
std::optional<http::Response> RequirePageRole(const http::Request& request,
                                              const auth::Principal& who, bool allowed,
                                              std::string_view what);


// "a=1&b=2", each part percent-encoded; "" for none.
std::string QueryText(const QueryPairs& pairs);


}  // namespace harvest::pages
