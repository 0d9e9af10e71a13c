#include "pages/page_access.h"

#include "api/api_error.h"
#include "pages/layout.h"

namespace harvest::pages {

std::optional<http::Response> RequirePageRole(const http::Request& request,
                                              const auth::Principal& who, bool allowed,
                                              std::string_view what) {
  if (allowed) {
    return std::nullopt;
  }
  if (who.role == registry::kPublic) {
    return Redirect("/login?next=" + http::PercentEncode(request.target));
  }
  throw api::ApiError(403, "forbidden",
                      "the " + std::string(registry::RoleName(who.role)) + " role may not " +
                          std::string(what));
}

std::string QueryText(const QueryPairs& pairs) {
  std::string text;
  for (const auto& [k, v] : pairs) {
    text += (text.empty() ? "" : "&") + http::PercentEncode(k) + "=" + http::PercentEncode(v);
  }
  return text;
}


}  // namespace harvest::pages
