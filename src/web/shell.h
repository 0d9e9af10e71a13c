// The application shell: the one entry every HTTP request goes through. It authenticates
// once (an API key), routes to the channels' route groups — the REST API and the SMS
// gateways, with pages to come — which plug in as siblings, writes each failure in the
// channel of the group that claimed the request (JSON envelope, plain text), and keeps what every channel shares: the read snapshot, ETag/304, the cache of public
// answers and the metrics per route group. Only the shell knows every channel.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/answer_cache.h"
#include "api/api_error.h"
#include "http/message.h"
#include "http/metrics.h"
#include "web/route_group.h"

namespace harvest::web {

class Shell {
 public:
  explicit Shell(Context context);
  // Groups are tried in the order added; the first to answer owns the request.
  void AddGroup(RouteGroup group);
  // Never throws: every failure becomes an error response in the claiming group's channel.
  http::Response Handle(http::Request& request);
  Context& context() { return context_; }
  http::Metrics& metrics() { return metrics_; }

 private:
  std::optional<http::Response> Route(http::Request& request, auth::Principal& who,
                                      std::string& group, Channel& channel);
  void Authenticate(const http::Request& request, auth::Principal& who);

  Context context_;
  http::Metrics metrics_;
  std::vector<RouteGroup> groups_;
  api::AnswerCache answers_;  // public answers, all threads together
};

// A failure written for `channel`: the JSON error envelope of SPEC §4, or a line of text.
http::Response RenderError(const api::ApiError& error, Channel channel);

}  // namespace harvest::web
