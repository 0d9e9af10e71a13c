// The REST channel of SPEC §4: the route groups of the JSON API. They plug into the shell
// (web/shell.h), which authenticates, routes and writes their errors as the JSON envelope.
#pragma once

#include "http/metrics.h"
#include "services/registry_service.h"
#include "web/route_group.h"

namespace harvest::api {

using web::Context;
using web::RouteGroup;

// The route group for GET/POST/PATCH on /api/v1/{dataset}[/{key}]; writes go through
// `records`.
RouteGroup DatasetRoutes(Context& context, services::RegistryService& records);
// /api/v1, /openapi.json, /docs, /healthz, /metrics.
RouteGroup MetaRoutes(Context& context, http::Metrics& metrics);

}  // namespace harvest::api
