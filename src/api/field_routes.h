// The field operations of SPEC §4 over HTTP: GET /api/v1/verify/receipt/{number},
// POST /api/v1/sales (digital receipts) and POST /api/v1/books/{serial}/report.
// Parses and answers; the rules live in verify::VerificationService (checks) and
// services::RegistryService (sales and reports, with their permission checks and audit). Must be
// added before the dataset routes so that POST /api/v1/sales is answered here.
#pragma once

#include "api/api.h"
#include "services/registry_service.h"
#include "verify/service.h"

namespace harvest::api {

RouteGroup FieldRoutes(Context& context, verify::VerificationService& verification,
                       services::RegistryService& records);

}  // namespace harvest::api
