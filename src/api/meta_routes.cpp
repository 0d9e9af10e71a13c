// /api/v1 (catalog), /openapi.json, /docs, /healthz, /metrics.
#include "api/api.h"
#include "api/catalog.h"
#include "api/responses.h"

namespace harvest::api {

RouteGroup MetaRoutes(Context& context, http::Metrics& metrics) {
  return RouteGroup{
      "meta",
      [&context, &metrics](http::Request& request,
                           auth::Principal&) -> std::optional<http::Response> {
        const std::string& path = request.path;
        bool known = path == "/api/v1" || path == "/api/v1/" || path == "/openapi.json" ||
                     path == "/docs" || path == "/healthz" || path == "/metrics";
        if (!known) {
          return std::nullopt;
        }
        if (request.method != "GET" && request.method != "HEAD") {
          MethodNotAllowed("GET, HEAD");
        }
        http::Response res;
        if (path == "/healthz") {
          context.store.Empty();  // proves the database answers
          res = JsonResponse(200, R"({"status":"ok"})");
          res.Set("Cache-Control", "no-store");
          return res;
        }
        if (path == "/metrics") {
          res.body = metrics.Render();
          res.Set("Content-Type", "text/plain; version=0.0.4");
          res.Set("Cache-Control", "no-store");
          return res;
        }
        if (path == "/docs") {
          static const std::string docs = DocsHtml(context.docs_examples);
          res.body = docs;
          res.Set("Content-Type", "text/html; charset=utf-8");
        } else if (path == "/openapi.json") {
          std::string url = context.config.public_url.empty() ? "http://" + context.config.listen
                                                              : context.config.public_url;
          static const std::string openapi = OpenApiJson(url);  // the URL is fixed once serving
          res = JsonResponse(200, openapi);
        } else {
          static const std::string catalog = CatalogJson();
          res = JsonResponse(200, catalog);
        }
        MarkPublic(res);
        return res;
      }};
}

}  // namespace harvest::api
