// The pages channel (SPEC §9): server-rendered HTML that works with JavaScript off. Parses a
// form into a typed request, calls the same services as the API and SMS, and writes the
// result as a page: /login, /logout, /verify, the public portal (portal.h), the staff
// registry pages (registry_pages.h) and the assets. Errors are written as HTML pages by the
// shell. Must not know about SQL.
#pragma once

#include "auth/sessions.h"
#include "services/registry_service.h"
#include "verify/service.h"
#include "web/route_group.h"

namespace harvest::pages {

web::RouteGroup PageRoutes(web::Context& context, auth::Sessions& sessions,
                           verify::VerificationService& verification,
                           services::RegistryService& records);

// The verify page (verify_page.cpp): GET shows the form, POST checks a receipt.
http::Response VerifyPage(web::Context& context, verify::VerificationService& verification,
                          http::Request& request, auth::Principal& who);

}  // namespace harvest::pages
