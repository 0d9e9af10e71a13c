// The staff pages of administration and oversight (SPEC §9): /admin (admin_page.cpp: keys,
// web logins, officers; admin_audit_page.cpp: the audit log) and /checks (checks_page.cpp).
// Each parses its form or query into a typed request and calls the service every other
// channel calls. Must not know about SQL.
#pragma once

#include <optional>

#include "auth/administration.h"
#include "web/route_group.h"

namespace harvest::pages {

// /admin and /admin/...: nullopt for a path it does not own.
std::optional<http::Response> AdminPages(web::Context& context, auth::Administration& admin,
                                         http::Request& request, auth::Principal& who);

// GET /admin/audit (the caller has checked the role): filters in the API's query language.
http::Response AuditPage(web::Context& context, http::Request& request, auth::Principal& who);

// /checks and its CSV tables: nullopt for a path it does not own.
std::optional<http::Response> ChecksPages(web::Context& context, http::Request& request,
                                          auth::Principal& who);

}  // namespace harvest::pages
