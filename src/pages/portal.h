// The public portal of SPEC §9: the home page, /prices, /stats, /data and its table pages,
// and the embedded assets they load. Rows are read through the API's own collection layer
// (api/collection_read.h), so the query language, what each role sees and the suppressed
// aggregates are the API's; these pages only lay the rows out. Must not know about SQL.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "auth/principal.h"
#include "http/message.h"
#include "web/route_group.h"

namespace harvest::pages {

// /: what Harvest is, the latest prices, links to the data, the API and the staff login.
http::Response HomePage(web::Context& context, auth::Principal& who);
// /prices?commodity=&parish=&price_point=: a chart and the table beneath.
http::Response PricesPage(web::Context& context, const http::Request& request,
                          auth::Principal& who);
// /stats: farmers and production by parish, a map and a table.
http::Response StatsPage(web::Context& context, auth::Principal& who);
// /data: the datasets the role may read.
http::Response DataCatalogPage(web::Context& context, auth::Principal& who);
// /data/{dataset}?<the API's query>: nullopt when the path names no dataset page.
std::optional<http::Response> DataTablePage(web::Context& context, const http::Request& request,
                                            auth::Principal& who);
// /assets/<name>.<digest>.<ext>: an embedded file, cacheable for a year; nullopt when none.
std::optional<http::Response> AssetAnswer(const http::Request& request);

// `path` with the query pairs as its query string ("path" alone when there are none).
std::string WithQuery(std::string_view path,
                      const std::vector<std::pair<std::string, std::string>>& pairs);

}  // namespace harvest::pages
