// /admin/audit: the audit log, newest first, filtered and paged in the API's own query
// language (actor, action, dataset, record, at__gte, at__lt, cursor), so the page's URL and
// its CSV links differ only by path: /api/v1/audit.csv with the same query is exactly the
// rows shown, and without its limit and cursor every matching row. Newest first is by entry
// number, a walk back along the table's key that stops when the page is full: the log has no
// other index (see migration 11), so a rare filter value costs a longer walk, bounded by
// limits.query_ms. The read is audited like the API's.
#include "api/collection_read.h"
#include "pages/admin_pages.h"
#include "pages/layout.h"
#include "pages/page_access.h"

namespace harvest::pages {
namespace {

constexpr int64_t kPageRows = 50;

struct Filter {
  Name name;
  std::string_view Strings::*label;
  std::string_view Strings::*hint;
};

constexpr Filter kTextFilters[] = {
    {"actor", &Strings::audit_actor, &Strings::audit_actor_hint},
    {"dataset", &Strings::audit_dataset, nullptr},
    {"record", &Strings::audit_record, nullptr},
    {"at__gte", &Strings::time_from, &Strings::time_hint},
    {"at__lt", &Strings::time_to, &Strings::time_hint},
};

std::string Cell(const registry::DatasetDef& set, const store::Row& row, std::string_view name) {
  return store::ValueText(row[static_cast<size_t>(set.FieldIndex(name))]);
}

// The filter a parameter error is about: the one whose name the message quotes.
std::string ProblemField(const std::string& message) {
  for (std::string_view name : {"actor", "action", "dataset", "record", "at__gte", "at__lt"}) {
    if (message.find("'" + std::string(name) + "'") != std::string::npos) {
      return std::string(name);
    }
  }
  return {};
}

void FilterForm(Html& html, const registry::DatasetDef& set, const api::QueryPairs& typed,
                const std::string& wrong, const std::string& problem) {
  const Strings& s = English();
  auto value = [&](std::string_view name) { return FormValue(typed, name); };
  html.Open("form", {{"method", "get"}, {"action", "/admin/audit"}, {"class", "filters"}});
  html.Open("fieldset").Element("legend", s.filter_heading);
  auto input = [&](const Filter& f) {
    std::string_view id = f.name.text();
    std::string hint_id = std::string(id) + "-hint";
    std::string problem_id = std::string(id) + "-problem";
    html.Open("div", {{"class", "filter"}});
    html.Element("label", s.*(f.label), {{"for", id}});
    std::vector<Attr> attrs{{"id", id},
                            {"name", id},
                            {"type", "text"},
                            {"autocomplete", "off"},
                            {"aria-invalid", wrong == id ? "true" : "false"}};
    std::string v = value(id);
    attrs.push_back({"value", v});
    if (f.hint) {
      html.Element("span", s.*(f.hint), {{"class", "hint"}, {"id", hint_id}});
    }
    if (wrong == id) {
      html.Element("span", problem, {{"class", "problem"}, {"id", problem_id}});
      attrs.push_back({"aria-describedby", problem_id});
    } else if (f.hint) {
      attrs.push_back({"aria-describedby", hint_id});
    }
    html.Void("input", attrs);
    html.Close("div");
  };
  input(kTextFilters[0]);
  html.Open("div", {{"class", "filter"}});
  html.Element("label", s.audit_action, {{"for", "action"}});
  if (wrong == "action") {
    html.Element("span", problem, {{"class", "problem"}, {"id", "action-problem"}});
  }
  html.Open("select", {{"id", "action"}, {"name", "action"}});
  html.Element("option", s.any, {{"value", ""}});
  std::string chosen = value("action");
  for (const std::string& choice : set.Field("action")->choices) {
    Option(html, choice, choice, choice == chosen);
  }
  html.Close("select").Close("div");
  for (size_t i = 1; i < std::size(kTextFilters); ++i) {
    input(kTextFilters[i]);
  }
  html.Close("fieldset");
  html.Element("button", s.filter_button, {{"type", "submit"}});
  html.Text(" ").Element("a", s.clear_filters, {{"href", "/admin/audit"}});
  html.Close("form");
}

}  // namespace

http::Response AuditPage(web::Context& context, http::Request& request, auth::Principal& who) {
  const Strings& s = English();
  const registry::DatasetDef& set = *registry::FindDataset("audit");
  // An empty field of the form is no filter; newest first and 50 rows unless the URL says.
  api::QueryPairs typed;
  bool sorted = false;
  bool limited = false;
  for (const auto& [name, value] : request.query) {
    if (value.empty()) {
      continue;
    }
    sorted = sorted || name == "sort";
    limited = limited || name == "limit";
    typed.emplace_back(name, value);
  }
  api::QueryPairs query = typed;
  if (!sorted) {
    query.emplace_back("sort", "-id");
  }
  if (!limited) {
    query.emplace_back("limit", std::to_string(kPageRows));
  }
  Html body;
  body.Element("h1", s.admin_audit);
  body.Element("p", s.admin_audit_intro);
  store::BudgetScope budget(context.store, context.config.limits.query_ms);
  api::CollectionRequest collection;
  try {
    collection = api::OpenCollection(context, set, who, query, opendata::Format::kJson);
  } catch (const api::ApiError& e) {
    if (e.status() != 400) {
      throw;
    }
    std::string message = api::Shown(e.what(), 500);
    std::string field = ProblemField(message);
    body.Element("p", s.filter_problem, {{"class", "notice error"}, {"role", "alert"}});
    if (field.empty()) {
      body.Element("p", message, {{"class", "problem"}});
    }
    FilterForm(body, set, typed, field, message);
    return Page(400, s.admin_audit, who, body.Take());
  }
  FilterForm(body, set, typed, {}, {});
  // One page through the API's own read, which records the audit entry of this read.
  std::vector<store::Row> rows;
  api::PageEnd end =
      api::ReadPage(context, collection, who, [&](const store::Row& row) { rows.push_back(row); });
  const api::QueryPairs& base_query = collection.query.base_query;
  std::string base = api::QueryText(base_query);
  api::QueryPairs whole;
  for (const auto& pair : base_query) {
    if (pair.first != "limit") {
      whole.push_back(pair);
    }
  }
  body.Open("p", {{"class", "downloads"}});
  body.Element("a", s.csv_page,
               {{"href", "/api/v1/audit.csv?" + api::QueryText(query)}, {"id", "csv-page"}});
  body.Text(" · ");
  body.Element("a", s.csv_all,
               {{"href", "/api/v1/audit.csv?" + api::QueryText(whole)}, {"id", "csv-all"}});
  body.Close("p");
  if (rows.empty()) {
    body.Element("p", s.no_entries);
  } else {
    body.Element("p", std::to_string(rows.size()) + " " + std::string(s.rows_shown),
                 {{"id", "shown"}});
    body.Open("div", {{"class", "table-wrap"}, {"tabindex", "0"}, {"role", "region"},
                      {"aria-labelledby", "audit-caption"}});
    body.Open("table", {{"class", "wide"}, {"id", "audit"}});
    body.Element("caption", s.admin_audit, {{"id", "audit-caption"}});
    body.Open("thead").Open("tr");
    for (std::string_view h : {s.audit_at, s.audit_actor, s.audit_role, s.audit_channel,
                               s.audit_action, s.audit_dataset, s.audit_record, s.audit_detail}) {
      body.Element("th", h, {{"scope", "col"}});
    }
    body.Close("tr").Close("thead").Open("tbody");
    for (const store::Row& row : rows) {
      body.Open("tr", {{"data-id", Cell(set, row, "id")}});
      for (std::string_view name :
           {"at", "actor", "role", "channel", "action", "dataset", "record", "detail"}) {
        body.Element("td", Cell(set, row, name));
      }
      body.Close("tr");
    }
    body.Close("tbody").Close("table").Close("div");
  }
  body.Open("p", {{"class", "pages"}});
  if (QueryValue(request, "cursor").size()) {
    api::QueryPairs first;
    for (const auto& pair : typed) {
      if (pair.first != "cursor") {
        first.push_back(pair);
      }
    }
    body.Element("a", s.first_page, {{"href", "/admin/audit?" + api::QueryText(first)}});
    body.Text(" ");
  }
  if (!end.cursor.empty()) {
    const std::string& cursor = end.cursor;
    body.Element("a", s.older_entries,
                 {{"href", "/admin/audit?" + base + (base.empty() ? "" : "&") +
                               "cursor=" + http::PercentEncode(cursor)},
                  {"rel", "next"},
                  {"id", "next"}});
  }
  body.Close("p");
  body.Open("p").Element("a", s.admin_back, {{"href", "/admin"}}).Close("p");
  return Page(200, s.admin_audit, who, body.Take());
}

}  // namespace harvest::pages
