// Reading a page of a collection as the caller's role may: the one path both the REST answers
// (/api/v1/{dataset}) and the table pages (/data/{dataset}) take, so the query language, the
// role's access and field view (SPEC §3), the index rule of registry-sized datasets, keyset
// cursors and the audit of personal reads are written once. The channels only format rows.
// Must not depend on HTTP beyond the decoded query pairs, nor on any formatter.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "api/collection_query.h"
#include "auth/principal.h"
#include "opendata/formats.h"
#include "web/route_group.h"

namespace harvest::api {

// A parsed collection request that the caller's role may make.
struct CollectionRequest {
  const registry::DatasetDef* set = nullptr;
  CollectionQuery query;
  opendata::RowView view;  // the fields this role sees (or asked for), as this role sees them
  // The whole selection rather than a page: .csv/.geojson without limit, or limit=all.
  bool download = false;
};

// Checks the role may list the dataset (401/403), parses the query (400 naming the
// parameter), and refuses what a page of a registry-sized dataset cannot read by index (400).
// `format` is the answer's: a download is a CSV or GeoJSON without a limit.
CollectionRequest OpenCollection(const web::Context& context, const registry::DatasetDef& set,
                                 const auth::Principal& who, const QueryPairs& query,
                                 opendata::Format format);

// The end of a page read by ReadPage.
struct PageEnd {
  size_t rows = 0;
  std::string cursor;  // for the next page; empty on the last
};

// Reads one page of `request` (not a download), handing each row to `row` in order; records
// the audit entry when the dataset holds personal data.
PageEnd ReadPage(web::Context& context, const CollectionRequest& request, auth::Principal& who,
                 const std::function<void(const store::Row&)>& row);

// Every row `query` selects, read page after page of 1000 along the cursor (for a page that
// shows a whole small selection, such as a week of prices or the published aggregates).
void ReadAllPages(web::Context& context, const registry::DatasetDef& set, auth::Principal& who,
                  QueryPairs query, const std::function<void(const store::Row&)>& row);

// Rows matching the request's filters, whatever the page (bounded by the query budget).
int64_t CountRows(web::Context& context, const CollectionRequest& request);

// Query pairs as a query string (percent-encoded, in the order given).
std::string QueryText(const QueryPairs& pairs);

}  // namespace harvest::api
