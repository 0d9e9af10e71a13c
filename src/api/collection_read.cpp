#include "api/collection_read.h"

#include "api/responses.h"
#include "auth/privacy.h"
#include "store/sql_builder.h"

namespace harvest::api {

std::string QueryText(const QueryPairs& pairs) {
  std::string text;
  for (const auto& [k, v] : pairs) {
    text += (text.empty() ? "" : "&") + http::PercentEncode(k) + "=" + http::PercentEncode(v);
  }
  return text;
}

CollectionRequest OpenCollection(const web::Context& context, const registry::DatasetDef& set,
                                 const auth::Principal& who, const QueryPairs& query,
                                 opendata::Format format) {
  RequireAccess(auth::CanList(set, who.role), who, "list " + set.name);
  CollectionRequest out;
  out.set = &set;
  out.query = ParseCollectionQuery(set, who.role, query, context.validation);
  if (out.query.all && format == opendata::Format::kJson) {
    throw BadParameter("limit=all is for downloads: ask for " + set.name +
                       ".csv (or .geojson) without limit; JSON comes in pages of at most 1000");
  }
  out.view = opendata::RowView{&set, who.role, out.query.fields};
  // A download is the whole selection, never a silent first page (SPEC §4).
  out.download =
      out.query.all || (!out.query.limit_given && format != opendata::Format::kJson);
  // On a registry-sized dataset a page is an index range scan or refused (ARCHITECTURE.md).
  if (auto why = store::UnsupportedQuery(set, out.query.selection, out.download)) {
    throw BadParameter(*why);
  }
  return out;
}

PageEnd ReadPage(web::Context& context, const CollectionRequest& request, auth::Principal& who,
                 const std::function<void(const store::Row&)>& row) {
  const registry::DatasetDef& set = *request.set;
  const CollectionQuery& query = request.query;
  // Only the sort values of the last row handed on are needed, for the cursor.
  std::vector<store::SortKey> sort =
      store::EffectiveSort(set, query.selection.sort, query.selection.key_token);
  store::Row last(set.fields.size());
  size_t page = static_cast<size_t>(query.page_size);
  bool more = false;
  PageEnd end;
  context.store.Scan(set, query.selection, [&](const store::Row& r) {
    if (end.rows == page) {
      more = true;
      return false;
    }
    row(r);
    ++end.rows;
    for (const store::SortKey& key : sort) {
      last[static_cast<size_t>(key.field)] = r[static_cast<size_t>(key.field)];
    }
    return true;
  });
  if (more) {
    end.cursor = EncodeCursor(set, sort, last, who.role);
  }
  if (auth::ReadIsAudited(set)) {
    context.audit.Record(who, "read", set.name, "?" + QueryText(query.base_query),
                         std::to_string(end.rows) + " rows");
  }
  return end;
}

void ReadAllPages(web::Context& context, const registry::DatasetDef& set, auth::Principal& who,
                  QueryPairs query, const std::function<void(const store::Row&)>& row) {
  query.emplace_back("limit", "1000");
  std::string cursor;
  do {
    QueryPairs page = query;
    if (!cursor.empty()) {
      page.emplace_back("cursor", cursor);
    }
    CollectionRequest request = OpenCollection(context, set, who, page, opendata::Format::kJson);
    cursor = ReadPage(context, request, who, row).cursor;
  } while (!cursor.empty());
}

int64_t CountRows(web::Context& context, const CollectionRequest& request) {
  return context.store.Count(*request.set, request.query.selection.filters);
}

}  // namespace harvest::api
