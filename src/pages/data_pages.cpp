// /data and /data/{dataset}: the catalogue and the table pages. A table page's query string
// is the API's own (SPEC §4), read by the same layer as /api/v1/{dataset}
// (api::OpenCollection, api::ReadPage), so the page and its API URL differ only by path and
// give the same rows; the page adds facet counts, "N of M rows" and links to the selection.
#include <algorithm>

#include "api/collection_read.h"
#include "api/responses.h"
#include "auth/privacy.h"
#include "pages/layout.h"
#include "pages/page_access.h"
#include "pages/portal.h"
#include "registry/parish.h"
#include "store/sql_builder.h"

namespace harvest::pages {
namespace {

using api::QueryPairs;
using registry::DatasetDef;
using registry::FieldDef;

constexpr std::string_view kDataPrefix = "/data/";
// Facets count each value of a field in the selection; past this many rows a count walks
// too much of an index to be worth it on every view.
constexpr int64_t kFacetRowLimit = 50000;
constexpr int64_t kPageSizes[] = {20, 50, 100, 500, 1000};

struct Choice {
  std::string value;
  std::string label;
};

// The values of a field when they are few enough to choose from: parishes, a field's
// choices, the commodities. Empty for any other field.
std::vector<Choice> FewValues(const FieldDef& field) {
  std::vector<Choice> out;
  if (field.type == registry::FieldType::kParish) {
    for (const registry::Parish& p : registry::Parishes()) {
      out.push_back({std::string(p.code), std::string(p.name)});
    }
  } else if (field.type == registry::FieldType::kEnum) {
    for (const std::string& c : field.choices) {
      out.push_back({c, c});
    }
  } else if (field.name == "commodity") {
    for (const registry::Commodity& c : registry::Commodities()) {
      out.push_back({std::string(c.name), std::string(c.name)});
    }
  }
  return out;
}

// Fields shown as a choice in the filter form and counted as facets: few values, and usable
// in filters by this role (not rounded, not an opaque id).
bool Facetable(const FieldDef& field, registry::Role role) {
  return !FewValues(field).empty() && auth::FieldVisible(field, role) &&
         !auth::FieldCoarsened(field, role) && !auth::FieldOpaque(field, role);
}

QueryPairs Without(const QueryPairs& query, std::initializer_list<std::string_view> names) {
  QueryPairs out;
  for (const auto& pair : query) {
    if (std::find(names.begin(), names.end(), pair.first) == names.end()) {
      out.push_back(pair);
    }
  }
  return out;
}

QueryPairs With(QueryPairs query, const std::string& name, const std::string& value) {
  for (auto& [k, v] : query) {
    if (k == name) {
      v = value;
      return query;
    }
  }
  query.emplace_back(name, value);
  return query;
}

std::string ApiPath(const DatasetDef& set, std::string_view suffix, const QueryPairs& query) {
  return WithQuery("/api/v1/" + set.name + std::string(suffix), query);
}

struct FacetValue {
  Choice choice;
  int64_t count = 0;
};
struct Facet {
  const FieldDef* field = nullptr;
  std::vector<FacetValue> values;
};

// Counts of each value of the few-valued fields in the selection. A field is counted only
// when every count is an index range (the shapes pages are read by), and only for
// selections of at most kFacetRowLimit rows: facets must stay cheap on every view.
std::vector<Facet> Facets(web::Context& context, const api::CollectionRequest& collection,
                          const auth::Principal& who, int64_t total) {
  std::vector<Facet> out;
  const DatasetDef& set = *collection.set;
  if (set.log || total > kFacetRowLimit || total == 0) {
    return out;
  }
  const std::vector<store::Filter>& filters = collection.query.selection.filters;
  for (int index : collection.view.fields) {
    const FieldDef& field = set.fields[static_cast<size_t>(index)];
    if (!Facetable(field, who.role)) {
      continue;
    }
    bool filtered = std::any_of(filters.begin(), filters.end(), [&](const store::Filter& f) {
      return f.field == index && f.op == store::FilterOp::kEq;
    });
    if (filtered) {
      continue;
    }
    Facet facet{&field, {}};
    bool served = true;
    for (Choice& choice : FewValues(field)) {
      store::Selection one;
      one.filters = filters;
      one.filters.push_back(store::Filter{index, store::FilterOp::kEq, {choice.value}});
      one.key_token = collection.query.selection.key_token;
      if (store::UnsupportedQuery(set, one, false)) {
        served = false;
        break;
      }
      int64_t count = context.store.Count(set, one.filters);
      if (count > 0) {
        facet.values.push_back({std::move(choice), count});
      }
    }
    if (served && !facet.values.empty()) {
      std::stable_sort(facet.values.begin(), facet.values.end(),
                       [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; });
      out.push_back(std::move(facet));
    }
  }
  return out;
}

// Whether a page of this selection may be sorted by `sort` (the index rule of
// registry-sized datasets); other datasets take any sort.
bool Sortable(const api::CollectionRequest& collection, int field, bool descending) {
  store::Selection selection;
  selection.filters = collection.query.selection.filters;
  selection.key_token = collection.query.selection.key_token;
  selection.sort.push_back(store::SortKey{field, descending});
  return !store::UnsupportedQuery(*collection.set, selection, false);
}

// The filter form: a choice per few-valued field, the sort and the page size. It sends a GET
// to the page itself; the query pairs it does not show ride along hidden, so a filter typed
// in the address is kept. Empty choices are dropped by a redirect (DataTablePage).
void FilterForm(Html& html, const DatasetDef& set, const auth::Principal& who,
                const QueryPairs& query, const api::CollectionRequest* collection) {
  const Strings& s = English();
  std::string path = std::string(kDataPrefix) + set.name;
  html.Open("form", {{"method", "get"}, {"action", path}, {"class", "filters"}});
  html.Element("h2", s.data_filters);
  std::vector<std::string> shown = {"sort", "limit", "cursor"};
  html.Open("div", {{"class", "filter-grid"}});
  for (int index : auth::VisibleFields(set, who.role)) {
    const FieldDef& field = set.fields[static_cast<size_t>(index)];
    if (!Facetable(field, who.role)) {
      continue;
    }
    shown.push_back(field.name);
    std::string id = "f-" + field.name;
    std::string current = FormValue(query, field.name);
    html.Open("div");
    html.Element("label", field.name, {{"for", id}});
    html.Open("select", {{"id", id}, {"name", field.name}});
    Option(html, "", s.data_any, current.empty());
    for (const Choice& c : FewValues(field)) {
      Option(html, c.value, c.label, c.value == current);
    }
    html.Close("select").Close("div");
  }
  std::string sort = FormValue(query, "sort");
  html.Open("div");
  html.Element("label", s.data_sort, {{"for", "f-sort"}});
  html.Open("select", {{"id", "f-sort"}, {"name", "sort"}});
  Option(html, "", s.data_sort_default, sort.empty());
  for (int index : auth::VisibleFields(set, who.role)) {
    const FieldDef& field = set.fields[static_cast<size_t>(index)];
    if (auth::FieldOpaque(field, who.role) || auth::FieldCoarsened(field, who.role)) {
      continue;
    }
    for (bool descending : {false, true}) {
      std::string value = (descending ? "-" : "") + field.name;
      bool usable = collection ? Sortable(*collection, index, descending) : true;
      if (usable || value == sort) {
        std::string label =
            field.name + " (" + std::string(descending ? s.data_descending : s.data_ascending) + ")";
        Option(html, value, label, value == sort);
      }
    }
  }
  html.Close("select").Close("div");
  std::string limit = FormValue(query, "limit");
  html.Open("div");
  html.Element("label", s.data_limit, {{"for", "f-limit"}});
  html.Open("select", {{"id", "f-limit"}, {"name", "limit"}});
  bool matched = false;
  for (int64_t size : kPageSizes) {
    std::string text = std::to_string(size);
    bool selected = limit.empty() ? size == 100 : text == limit;
    matched = matched || selected;
    Option(html, text, text, selected);
  }
  if (!matched) {
    Option(html, limit, limit, true);
  }
  html.Close("select").Close("div");
  html.Close("div");
  bool hidden_any = false;
  for (const auto& [name, value] : query) {
    if (std::find(shown.begin(), shown.end(), name) == shown.end()) {
      html.Void("input", {{"type", "hidden"}, {"name", name}, {"value", value}});
      hidden_any = true;
    }
  }
  if (hidden_any) {
    html.Element("p", s.data_more_filters, {{"class", "hint"}});
  }
  html.Open("div", {{"class", "actions"}});
  html.Element("button", s.data_apply, {{"type", "submit"}});
  html.Element("a", s.data_clear, {{"href", path}});
  html.Close("div");
  html.Close("form");
}

void FacetList(Html& html, const DatasetDef& set, const QueryPairs& query,
               const std::vector<Facet>& facets, int64_t total) {
  const Strings& s = English();
  std::string path = std::string(kDataPrefix) + set.name;
  html.Open("section", {{"class", "facets"}, {"aria-labelledby", "facets-h"}});
  html.Element("h2", s.data_facets, {{"id", "facets-h"}});
  if (total > kFacetRowLimit) {
    html.Element("p", s.data_facets_too_many, {{"class", "hint"}});
  }
  QueryPairs base = Without(query, {"cursor"});
  for (const Facet& facet : facets) {
    std::string id = "facet-" + facet.field->name;
    html.Open("div", {{"class", "facet"}});
    html.Element("h3", facet.field->name, {{"id", id}});
    html.Open("ul", {{"aria-labelledby", id}, {"data-facet", facet.field->name}});
    for (const FacetValue& v : facet.values) {
      html.Open("li");
      html.Element("a", v.choice.label,
                   {{"href", WithQuery(path, With(base, facet.field->name, v.choice.value))},
                    {"data-value", v.choice.value}});
      html.Text(" ").Element("span", std::to_string(v.count), {{"class", "count"}});
      html.Close("li");
    }
    html.Close("ul").Close("div");
  }
  html.Close("section");
}

void FormatLinks(Html& html, const DatasetDef& set, const api::CollectionRequest& collection,
                 const QueryPairs& query, int64_t total) {
  const Strings& s = English();
  // Exactly these rows: the same filters, sort, cursor and page size. CSV and GeoJSON
  // without a limit would be every matching row (SPEC §4), so the page's size is written.
  QueryPairs page = query;
  if (!collection.query.limit_given) {
    page.emplace_back("limit", std::to_string(collection.query.page_size));
  }
  html.Open("p", {{"class", "formats"}}).Text(s.data_this_page).Text(" ");
  html.Element("a", "CSV", {{"href", ApiPath(set, ".csv", page)}, {"data-format", "page-csv"}});
  html.Text(" ");
  html.Element("a", "JSON", {{"href", ApiPath(set, "", query)}, {"data-format", "page-json"}});
  if (set.has_place) {
    html.Text(" ");
    html.Element("a", "GeoJSON",
                 {{"href", ApiPath(set, ".geojson", page)}, {"data-format", "page-geojson"}});
  }
  html.Close("p");
  QueryPairs all = Without(query, {"cursor", "limit", "count"});
  html.Open("p", {{"class", "formats"}}).Text(s.data_whole_selection).Text(" ");
  html.Text("(" + std::to_string(total) + " " + std::string(s.data_rows) + ") ");
  html.Element("a", "CSV", {{"href", ApiPath(set, ".csv", all)}, {"data-format", "all-csv"}});
  if (set.has_place) {
    html.Text(" ");
    html.Element("a", "GeoJSON",
                 {{"href", ApiPath(set, ".geojson", all)}, {"data-format", "all-geojson"}});
  }
  html.Close("p");
}

void RowsTable(Html& html, const DatasetDef& set, const api::CollectionRequest& collection,
               const QueryPairs& query, const std::vector<store::Row>& rows) {
  const Strings& s = English();
  std::string path = std::string(kDataPrefix) + set.name;
  std::string sort = FormValue(query, "sort");
  QueryPairs base = Without(query, {"cursor", "sort"});
  html.Open("div", {{"class", "scroll"},
                    {"role", "region"},
                    {"aria-labelledby", "rows-caption"},
                    {"tabindex", "0"}});
  html.Open("table", {{"class", "rows"}});
  html.Element("caption", s.data_table_caption, {{"id", "rows-caption"}});
  html.Open("thead").Open("tr");
  for (int index : collection.view.fields) {
    const FieldDef& field = set.fields[static_cast<size_t>(index)];
    bool ascending_now = sort == field.name;
    bool descending_now = sort == "-" + field.name;
    // A header sorts by its column, and a second click turns the order round.
    bool descending = ascending_now;
    bool sortable = !auth::FieldOpaque(field, collection.view.role) &&
                    !auth::FieldCoarsened(field, collection.view.role) &&
                    Sortable(collection, index, descending);
    if (ascending_now) {
      html.Open("th", {{"scope", "col"}, {"aria-sort", "ascending"}});
    } else if (descending_now) {
      html.Open("th", {{"scope", "col"}, {"aria-sort", "descending"}});
    } else {
      html.Open("th", {{"scope", "col"}});
    }
    if (sortable) {
      std::string target = WithQuery(path, With(base, "sort", (descending ? "-" : "") + field.name));
      std::string label = std::string(s.data_sort_by) + " " + field.name + " " +
                          std::string(descending ? s.data_descending : s.data_ascending);
      html.Element("a", field.name, {{"href", target}, {"title", label}});
    } else {
      html.Text(field.name);
    }
    html.Close("th");
  }
  html.Close("tr").Close("thead");
  html.Open("tbody");
  for (const store::Row& row : rows) {
    html.Open("tr");
    for (int index : collection.view.fields) {
      html.Element("td", opendata::CellText(collection.view, index, row));
    }
    html.Close("tr");
  }
  html.Close("tbody").Close("table").Close("div");
}

http::Response BadQueryPage(const DatasetDef& set, const auth::Principal& who,
                            const QueryPairs& query, const api::ApiError& error) {
  const Strings& s = English();
  Html body;
  body.Element("h1", set.name);
  body.Open("p", {{"class", "notice error"}, {"role", "alert"}});
  body.Text(s.data_bad_query).Text(" ").Element("span", error.what(), {{"class", "problem"}});
  body.Close("p");
  FilterForm(body, set, who, query, nullptr);
  return Page(error.status(), set.name, who, body.Take(), {{"portal.css"}, true});
}

}  // namespace

std::string WithQuery(std::string_view path, const QueryPairs& pairs) {
  std::string text = api::QueryText(pairs);
  return std::string(path) + (text.empty() ? "" : "?" + text);
}

http::Response DataCatalogPage(web::Context& context, auth::Principal& who) {
  const Strings& s = English();
  Html body;
  body.Element("h1", s.data_title);
  body.Element("p", s.data_intro);
  body.Open("div", {{"class", "scroll"},
                    {"role", "region"},
                    {"aria-labelledby", "datasets-caption"},
                    {"tabindex", "0"}});
  body.Open("table", {{"class", "rows"}});
  body.Element("caption", s.data_title, {{"id", "datasets-caption"}});
  body.Open("thead").Open("tr");
  body.Element("th", s.data_dataset, {{"scope", "col"}});
  body.Element("th", s.data_description, {{"scope", "col"}});
  body.Element("th", s.data_formats, {{"scope", "col"}});
  body.Close("tr").Close("thead").Open("tbody");
  for (const DatasetDef& set : registry::Datasets()) {
    if (!auth::CanList(set, who.role)) {
      continue;
    }
    body.Open("tr");
    body.Open("td").Element("a", set.name, {{"href", std::string(kDataPrefix) + set.name}});
    body.Close("td");
    body.Element("td", set.description);
    body.Open("td");
    body.Element("a", "JSON", {{"href", "/api/v1/" + set.name}}).Text(" ");
    body.Element("a", "CSV", {{"href", "/api/v1/" + set.name + ".csv"}});
    if (set.has_place) {
      body.Text(" ").Element("a", "GeoJSON", {{"href", "/api/v1/" + set.name + ".geojson"}});
    }
    body.Close("td").Close("tr");
  }
  body.Close("tbody").Close("table").Close("div");
  body.Open("p").Element("a", s.nav_api, {{"href", "/docs"}}).Close("p");
  (void)context;
  return Page(200, s.data_title, who, body.Take(), {{"portal.css"}, true});
}

std::optional<http::Response> DataTablePage(web::Context& context, const http::Request& request,
                                            auth::Principal& who) {
  if (!request.path.starts_with(kDataPrefix)) {
    return std::nullopt;
  }
  std::string name = request.path.substr(kDataPrefix.size());
  const DatasetDef* found = registry::FindDataset(name);
  if (!found || name.find('/') != std::string::npos) {
    throw api::ApiError(404, "not_found", "no dataset named " + name);
  }
  const DatasetDef& set = *found;
  if (request.method != "GET" && request.method != "HEAD") {
    api::MethodNotAllowed("GET, HEAD");
  }
  if (auto refused = RequirePageRole(request, who, auth::CanList(set, who.role), "list " + set.name)) {
    return refused;
  }
  const QueryPairs& query = request.query;
  // A form sends its empty choices too (parish=); the address keeps only the API's language,
  // in which an empty value is a mistake.
  bool empty_value = std::any_of(query.begin(), query.end(),
                                 [](const auto& pair) { return pair.second.empty(); });
  if (empty_value) {
    QueryPairs kept;
    for (const auto& pair : query) {
      if (!pair.second.empty()) {
        kept.push_back(pair);
      }
    }
    return Redirect(WithQuery(request.path, kept));
  }
  store::BudgetScope budget(context.store, context.config.limits.query_ms);
  api::CollectionRequest collection;
  try {
    collection = api::OpenCollection(context, set, who, query, opendata::Format::kJson);
  } catch (const api::ApiError& e) {
    if (e.status() != 400) {
      throw;
    }
    return BadQueryPage(set, who, query, e);
  }
  std::vector<store::Row> rows;
  api::PageEnd end =
      api::ReadPage(context, collection, who, [&](const store::Row& row) { rows.push_back(row); });
  int64_t total = api::CountRows(context, collection);
  std::vector<Facet> facets = Facets(context, collection, who, total);

  const Strings& s = English();
  std::string path = std::string(kDataPrefix) + set.name;
  Html body;
  body.Element("h1", set.name);
  body.Element("p", set.description);
  body.Open("p", {{"class", "summary"}, {"role", "status"}});
  body.Element("strong", std::to_string(rows.size()), {{"data-shown", ""}})
      .Text(" " + std::string(s.data_rows_of) + " ")
      .Element("strong", std::to_string(total), {{"data-total", ""}})
      .Text(" " + std::string(s.data_rows));
  body.Close("p");
  FormatLinks(body, set, collection, query, total);
  body.Open("div", {{"class", "data-layout"}});
  body.Open("div", {{"class", "data-side"}});
  FilterForm(body, set, who, query, &collection);
  if (!facets.empty() || total > kFacetRowLimit) {
    FacetList(body, set, query, facets, total);
  }
  body.Close("div");
  body.Open("div", {{"class", "data-main"}});
  if (rows.empty()) {
    body.Element("p", s.data_no_rows, {{"class", "notice"}});
  } else {
    RowsTable(body, set, collection, query, rows);
  }
  body.Open("nav", {{"class", "pager"}, {"aria-label", s.data_table_caption}});
  if (!FormValue(query, "cursor").empty()) {
    body.Element("a", s.data_first, {{"href", WithQuery(path, Without(query, {"cursor"}))}});
  }
  if (!end.cursor.empty()) {
    body.Element("a", s.data_next,
                 {{"href", WithQuery(path, With(Without(query, {"cursor"}), "cursor", end.cursor))},
                  {"rel", "next"}});
  }
  body.Close("nav");
  body.Close("div").Close("div");
  return Page(200, set.name, who, body.Take(), {{"portal.css"}, !set.log});
}

}  // namespace harvest::pages
