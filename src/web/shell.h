// The application shell: the one entry every HTTP request goes through. It authenticates
// once (an API key, or a web session's cookie), routes to the channels' route groups — the
// REST API, the SMS gateways, the pages — which plug in as siblings, writes each failure in
// the channel of the group that claimed the request (JSON envelope, plain text, HTML page),
// and keeps what every channel shares: the read snapshot, ETag/304, the cache of public
// answers and the metrics per route group. Only the shell knows every channel.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/answer_cache.h"
#include "api/api_error.h"
#include "auth/sessions.h"
#include "http/message.h"
#include "http/metrics.h"
#include "web/route_group.h"

namespace harvest::web {

class Shell {
 public:
  explicit Shell(Context context);
  // Groups are tried in the order added; the first to answer owns the request.
  void AddGroup(RouteGroup group);
  // Web sessions: a request without an API key is then also known by its session cookie.
  void UseSessions(auth::Sessions& sessions) { sessions_ = &sessions; }
  // Never throws: every failure becomes an error response in the claiming group's channel.
  http::Response Handle(http::Request& request);
  Context& context() { return context_; }
  http::Metrics& metrics() { return metrics_; }

 private:
  std::optional<http::Response> Route(http::Request& request, auth::Principal& who,
                                      std::string& group, Channel& channel);
  void Authenticate(const http::Request& request, auth::Principal& who,
                    std::optional<uint64_t> stamp = std::nullopt);

  Context context_;
  http::Metrics metrics_;
  std::vector<RouteGroup> groups_;
  auth::Sessions* sessions_ = nullptr;
  api::AnswerCache answers_;  // public answers, all threads together
};

// A failure written for `channel`: the JSON error envelope of SPEC §4, a line of text, or an
// HTML page.
// `who` (as far as it is known) is for the page's header.
http::Response RenderError(const api::ApiError& error, Channel channel, const auth::Principal& who);

}  // namespace harvest::web
