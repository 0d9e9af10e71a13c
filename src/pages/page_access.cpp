#include "pages/page_access.h"

#include "api/api_error.h"
#include "pages/layout.h"

namespace harvest::pages {

http::Response RefusePage(const http::Request& request, const auth::Principal& who,
                          const std::string& message) {
  if (who.role == registry::kPublic) {
    bool read = request.method == "GET" || request.method == "HEAD";
    return Redirect("/login?next=" + http::PercentEncode(read ? request.target : "/verify"));
  }
  throw api::ApiError(403, "forbidden", message);
}

std::optional<http::Response> RequirePageRole(const http::Request& request,
                                              const auth::Principal& who, bool allowed,
                                              std::string_view what) {
  if (allowed) {
    return std::nullopt;
  }
  return RefusePage(request, who,
                    "the " + std::string(registry::RoleName(who.role)) + " role may not " +
                        std::string(what));
}

}  // namespace harvest::pages
