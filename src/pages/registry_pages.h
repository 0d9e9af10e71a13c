// The staff registry pages (SPEC §9): /farmers, /books and /sales/new, for extension
// officers and administrators. Each answers the paths it owns, or nullopt. They call
// services::RegistryService for every read and write, so the pages hold no rule of their
// own: a refusal of the role becomes /login or 403 (pages/staff_forms.h), a bad field is
// shown next to its input with the user's values kept. Must not know about SQL.
#pragma once

#include <optional>

#include "auth/principal.h"
#include "http/message.h"
#include "services/registry_service.h"

namespace harvest::pages {

// /farmers, /farmers/new, /farmers/{id}, /farmers/{id}/edit (farmer_pages.cpp).
std::optional<http::Response> FarmerPages(services::RegistryService& records,
                                          http::Request& request, auth::Principal& who);
// /books, /books/new, /books/{serial}, /books/{serial}/report (book_pages.cpp).
std::optional<http::Response> BookPages(services::RegistryService& records, http::Request& request,
                                        auth::Principal& who);
// /sales/new (sale_page.cpp).
std::optional<http::Response> SalePages(services::RegistryService& records, http::Request& request,
                                        auth::Principal& who);

}  // namespace harvest::pages
