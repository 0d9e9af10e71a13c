// The HTTP API of SPEC §4: routing, authentication, the error envelope, ETag, caching and
// CORS headers, metrics. Route groups (datasets, field operations, SMS gateways, pages)
// plug in as RouteGroups; this file knows their paths, not their insides.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/answer_cache.h"
#include "api/catalog.h"
#include "auth/audit_log.h"
#include "auth/principal.h"
#include "config/config.h"
#include "http/message.h"
#include "http/metrics.h"
#include "registry/validate.h"
#include "store/store.h"

namespace harvest::api {

struct Context {
  store::Store& store;
  const config::Config& config;
  auth::AuditLog& audit;
  registry::ValidationContext validation;
  DocsExamples docs_examples{};  // /docs's example numbers (a demo server's own)
};

// A group of routes: answers the requests it owns, or nullopt to let the next group try.
// Throws ApiError for failures of requests it owns; the Api turns them into the error
// envelope, counted under the group's label like its other answers.
struct RouteGroup {
  std::string name;  // metrics label: dataset, verify, sms, meta, web
  std::function<std::optional<http::Response>(http::Request&, auth::Principal&)> handle;
};

class Api {
 public:
  explicit Api(Context context);
  void AddGroup(RouteGroup group);
  // Never throws: every failure becomes an error response.
  http::Response Handle(http::Request& request);
  Context& context() { return context_; }
  http::Metrics& metrics() { return metrics_; }

 private:
  std::optional<http::Response> Route(http::Request& request, auth::Principal& who,
                                      std::string& group);

  Context context_;
  http::Metrics metrics_;
  std::vector<RouteGroup> groups_;
  AnswerCache answers_;  // public answers, all threads together
};

// The route group for GET/POST/PATCH on /api/v1/{dataset}[/{key}].
RouteGroup DatasetRoutes(Context& context);
// /api/v1, /openapi.json, /docs, /healthz, /metrics.
RouteGroup MetaRoutes(Context& context, http::Metrics& metrics);

}  // namespace harvest::api
