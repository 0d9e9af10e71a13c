// /checks (SPEC §9, police and up): where and when receipts are checked, as three tables —
// checks per day by verdict, ALERT and CHECK by parish, the most-rechecked receipts — over
// one selection written in the API's filter language (at__gte, at__lt, parish, verdict).
// Each table has a CSV of exactly its rows at /checks/{days,parishes,receipts}.csv with the
// same query. The tables carry their series in data- attributes (data-series, data-places),
// from which checks-charts.js (web-assets/src) draws a uPlot chart and a Leaflet map before
// them; with JavaScript off the tables are the page. The counting is verify::Summarize's,
// from the index of migration 11.
#include "api/collection_read.h"
#include "api/responses.h"
#include "auth/privacy.h"
#include "opendata/csv.h"
#include "opendata/formats.h"
#include "pages/admin_pages.h"
#include "pages/layout.h"
#include "pages/page_access.h"
#include "registry/clock.h"
#include "registry/parish.h"
#include "verify/check_summary.h"

namespace harvest::pages {
namespace {

constexpr std::string_view kVerdicts[] = {"VALID", "CHECK", "ALERT", "UNKNOWN"};

struct DayRow {
  std::string day;
  int64_t counts[4] = {0, 0, 0, 0};
  int64_t total = 0;
};

std::vector<DayRow> Pivot(const std::vector<store::DailyChecks>& per_day) {
  std::vector<DayRow> rows;
  for (const store::DailyChecks& d : per_day) {
    if (rows.empty() || rows.back().day != d.day) {
      rows.push_back(DayRow{d.day});
    }
    for (size_t i = 0; i < std::size(kVerdicts); ++i) {
      if (kVerdicts[i] == d.verdict) {
        rows.back().counts[i] += d.checks;
      }
    }
    rows.back().total += d.checks;
  }
  return rows;
}

std::string_view ParishLabel(const Strings& s, const std::string& code) {
  return code.empty() ? s.parish_unknown : registry::ParishName(code);
}

// {"day":[...],"VALID":[...],...}: the per-day series, for a chart.
std::string SeriesJson(const std::vector<DayRow>& rows) {
  std::string out = "{\"day\":[";
  for (size_t r = 0; r < rows.size(); ++r) {
    out += (r ? ",\"" : "\"") + rows[r].day + "\"";
  }
  out += "]";
  for (size_t i = 0; i < std::size(kVerdicts); ++i) {
    out += ",\"" + std::string(kVerdicts[i]) + "\":[";
    for (size_t r = 0; r < rows.size(); ++r) {
      out += (r ? "," : "") + std::to_string(rows[r].counts[i]);
    }
    out += "]";
  }
  return out + "}";
}

// [{"parish":"KIN","name":"Kingston","lat":..,"lon":..,"alert":n,"check":n},...]: the parish
// counts at the parishes' centres (registry::Parishes()), which checks-charts.js draws as
// circles.
std::string PlacesJson(const std::vector<store::ParishChecks>& parishes) {
  std::string out = "[";
  for (const store::ParishChecks& p : parishes) {
    for (const registry::Parish& known : registry::Parishes()) {
      if (known.code == p.parish) {
        out += out.size() > 1 ? "," : "";
        out += "{\"parish\":\"" + p.parish + "\",\"name\":\"" + std::string(known.name) + "\"";
        out += ",\"lat\":" + std::to_string(known.lat) + ",\"lon\":" + std::to_string(known.lon);
        out += ",\"alert\":" + std::to_string(p.alert);
        out += ",\"check\":" + std::to_string(p.check) + "}";
      }
    }
  }
  return out + "]";
}

void Select(Html& html, Name name, std::string_view label, std::string_view chosen,
            const std::vector<std::pair<std::string, std::string>>& options, bool wrong,
            std::string_view problem) {
  std::string_view id = name.text();
  std::string problem_id = std::string(id) + "-problem";
  html.Open("div", {{"class", "filter"}});
  html.Element("label", label, {{"for", id}});
  std::vector<Attr> attrs{{"id", id}, {"name", id}, {"aria-invalid", wrong ? "true" : "false"}};
  if (wrong) {
    html.Element("span", problem, {{"class", "problem"}, {"id", problem_id}});
    attrs.push_back({"aria-describedby", problem_id});
  }
  html.Open("select", attrs);
  html.Element("option", English().any, {{"value", ""}});
  for (const auto& [value, text] : options) {
    Option(html, value, text, value == chosen);
  }
  html.Close("select").Close("div");
}

void TimeInput(Html& html, Name name, std::string_view label, std::string_view value, bool wrong,
               std::string_view problem) {
  const Strings& s = English();
  std::string_view id = name.text();
  std::string hint_id = std::string(id) + "-hint";
  std::string problem_id = std::string(id) + "-problem";
  html.Open("div", {{"class", "filter"}});
  html.Element("label", label, {{"for", id}});
  html.Element("span", s.time_hint, {{"class", "hint"}, {"id", hint_id}});
  if (wrong) {
    html.Element("span", problem, {{"class", "problem"}, {"id", problem_id}});
  }
  html.Void("input", {{"id", id},
                      {"name", id},
                      {"type", "text"},
                      {"autocomplete", "off"},
                      {"aria-invalid", wrong ? "true" : "false"},
                      {"aria-describedby", wrong ? problem_id : hint_id},
                      {"value", value}});
  html.Close("div");
}

// The filter form, holding what was typed (or, on a first visit, the default span).
void FilterForm(Html& html, const api::QueryPairs& typed, const std::string& wrong,
                const std::string& problem) {
  const Strings& s = English();
  auto value = [&](std::string_view name) { return FormValue(typed, name); };
  std::vector<std::pair<std::string, std::string>> parishes;
  for (const registry::Parish& p : registry::Parishes()) {
    parishes.emplace_back(p.code, p.name);
  }
  std::vector<std::pair<std::string, std::string>> verdicts;
  for (std::string_view v : kVerdicts) {
    verdicts.emplace_back(v, v);
  }
  html.Open("form", {{"method", "get"}, {"action", "/checks"}, {"class", "filters"}});
  html.Open("fieldset").Element("legend", s.filter_heading);
  TimeInput(html, "at__gte", s.time_from, value("at__gte"), wrong == "at__gte", problem);
  TimeInput(html, "at__lt", s.time_to, value("at__lt"), wrong == "at__lt", problem);
  std::string parish = value("parish");
  if (auto code = registry::NormalizeParish(parish)) {
    parish = std::string(*code);
  }
  Select(html, "parish", s.parish, parish, parishes, wrong == "parish", problem);
  std::string verdict = value("verdict");
  for (char& c : verdict) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  Select(html, "verdict", s.verdict_label, verdict, verdicts, wrong == "verdict", problem);
  html.Close("fieldset");
  html.Element("button", s.filter_button, {{"type", "submit"}});
  html.Text(" ").Element("a", s.clear_filters, {{"href", "/checks"}});
  html.Close("form");
}

void TableStart(Html& html, Name id) {
  std::string caption_id = std::string(id.text()) + "-caption";
  html.Open("div", {{"class", "table-wrap"},
                    {"tabindex", "0"},
                    {"role", "region"},
                    {"aria-labelledby", caption_id}});
}

void CsvLink(Html& html, std::string_view path, const std::string& query, Name id) {
  html.Open("p", {{"class", "downloads"}});
  html.Element(
      "a", English().csv_table,
      {{"href", std::string(path) + (query.empty() ? "" : "?") + query}, {"id", id.text()}});
  html.Close("p");
}

void DaysTable(Html& html, const std::vector<DayRow>& rows, const std::string& query) {
  const Strings& s = English();
  html.Element("h2", s.per_day_heading, {{"id", "days-heading"}});
  CsvLink(html, "/checks/days.csv", query, "days-csv");
  if (rows.empty()) {
    html.Element("p", s.no_checks);
    return;
  }
  TableStart(html, "days");
  html.Open("table", {{"id", "days"}, {"data-series", SeriesJson(rows)}});
  html.Element("caption", s.per_day_caption, {{"id", "days-caption"}});
  html.Open("thead").Open("tr").Element("th", s.day, {{"scope", "col"}});
  for (std::string_view v : kVerdicts) {
    html.Element("th", v, {{"scope", "col"}});
  }
  html.Element("th", s.total, {{"scope", "col"}}).Close("tr").Close("thead").Open("tbody");
  for (const DayRow& r : rows) {
    html.Open("tr").Element("th", r.day, {{"scope", "row"}});
    for (int64_t n : r.counts) {
      html.Element("td", std::to_string(n));
    }
    html.Element("td", std::to_string(r.total)).Close("tr");
  }
  html.Close("tbody").Close("table").Close("div");
}

void ParishTable(Html& html, const std::vector<store::ParishChecks>& parishes,
                 const std::string& query) {
  const Strings& s = English();
  html.Element("h2", s.by_parish_heading, {{"id", "parishes-heading"}});
  CsvLink(html, "/checks/parishes.csv", query, "parishes-csv");
  if (parishes.empty()) {
    html.Element("p", s.no_checks);
    return;
  }
  TableStart(html, "parishes");
  html.Open("table", {{"id", "parishes"}, {"data-places", PlacesJson(parishes)}});
  html.Element("caption", s.by_parish_caption, {{"id", "parishes-caption"}});
  html.Open("thead").Open("tr");
  html.Element("th", s.parish, {{"scope", "col"}}).Element("th", "ALERT", {{"scope", "col"}});
  html.Element("th", "CHECK", {{"scope", "col"}}).Close("tr").Close("thead").Open("tbody");
  for (const store::ParishChecks& p : parishes) {
    html.Open("tr", {{"data-parish", p.parish}});
    html.Element("th", ParishLabel(s, p.parish), {{"scope", "row"}});
    html.Element("td", std::to_string(p.alert)).Element("td", std::to_string(p.check));
    html.Close("tr");
  }
  html.Close("tbody").Close("table").Close("div");
}

void ReceiptTable(Html& html, const std::vector<store::RecheckedReceipt>& receipts,
                  const std::string& query) {
  const Strings& s = English();
  html.Element("h2", s.rechecked_heading, {{"id", "receipts-heading"}});
  CsvLink(html, "/checks/receipts.csv", query, "receipts-csv");
  if (receipts.empty()) {
    html.Element("p", s.no_checks);
    return;
  }
  TableStart(html, "receipts");
  html.Open("table", {{"id", "receipts"}});
  html.Element("caption", s.rechecked_caption, {{"id", "receipts-caption"}});
  html.Open("thead").Open("tr");
  for (std::string_view h : {s.receipt, s.times_checked, s.parishes_count, s.last_checked}) {
    html.Element("th", h, {{"scope", "col"}});
  }
  html.Close("tr").Close("thead").Open("tbody");
  for (const store::RecheckedReceipt& r : receipts) {
    html.Open("tr").Element("th", std::to_string(r.receipt), {{"scope", "row"}});
    html.Element("td", std::to_string(r.checks)).Element("td", std::to_string(r.parishes));
    html.Element("td", r.last_at).Close("tr");
  }
  html.Close("tbody").Close("table").Close("div");
}

http::Response Csv(std::string body) {
  http::Response res;
  res.Set("Content-Type", std::string(opendata::ContentType(opendata::Format::kCsv)));
  res.Set("Cache-Control", "private, no-store");
  res.body = std::move(body);
  return res;
}

http::Response CsvTable(const std::string& path, const verify::CheckSummary& summary) {
  std::string out;
  if (path == "/checks/days.csv") {
    csv::AppendRecord(out, {"day", "VALID", "CHECK", "ALERT", "UNKNOWN", "total"});
    for (const DayRow& r : Pivot(summary.per_day)) {
      std::string n[5] = {std::to_string(r.counts[0]), std::to_string(r.counts[1]),
                          std::to_string(r.counts[2]), std::to_string(r.counts[3]),
                          std::to_string(r.total)};
      csv::AppendRecord(out, {r.day, n[0], n[1], n[2], n[3], n[4]});
    }
  } else if (path == "/checks/parishes.csv") {
    csv::AppendRecord(out, {"parish", "parish_name", "ALERT", "CHECK"});
    for (const store::ParishChecks& p : summary.by_parish) {
      std::string alert = std::to_string(p.alert);
      std::string check = std::to_string(p.check);
      csv::AppendRecord(
          out, {p.parish, p.parish.empty() ? std::string_view() : registry::ParishName(p.parish),
                alert, check});
    }
  } else {
    csv::AppendRecord(out, {"receipt", "checks", "parishes", "last_checked"});
    for (const store::RecheckedReceipt& r : summary.rechecked) {
      std::string receipt = std::to_string(r.receipt);
      std::string checks = std::to_string(r.checks);
      std::string parishes = std::to_string(r.parishes);
      csv::AppendRecord(out, {receipt, checks, parishes, r.last_at});
    }
  }
  return Csv(std::move(out));
}

}  // namespace

std::optional<http::Response> ChecksPages(web::Context& context, http::Request& request,
                                          auth::Principal& who) {
  const std::string& path = request.path;
  bool csv = path == "/checks/days.csv" || path == "/checks/parishes.csv" ||
             path == "/checks/receipts.csv";
  if (path != "/checks" && !csv) {
    return std::nullopt;
  }
  if (request.method != "GET" && request.method != "HEAD") {
    api::MethodNotAllowed("GET, HEAD");
  }
  if (auto login = RequirePageRole(request, who, auth::MayCheckReceipts(who.role),
                                   "see the receipt checks")) {
    return login;
  }
  const Strings& s = English();
  api::QueryPairs typed;
  for (const auto& pair : request.query) {
    typed.push_back(pair);
  }
  store::CheckSelection selection;
  try {
    selection = verify::ParseCheckSelection(request.query, registry::TodayIso());
  } catch (const verify::SelectionError& e) {
    if (csv) {
      throw api::ApiError(400, "bad_parameter", e.what());
    }
    Html body;
    body.Element("h1", s.checks_title);
    body.Element("p", s.filter_problem, {{"class", "notice error"}, {"role", "alert"}});
    bool known = e.parameter() == "at__gte" || e.parameter() == "at__lt" ||
                 e.parameter() == "parish" || e.parameter() == "verdict";
    if (!known) {
      body.Element("p", e.what(), {{"class", "problem"}});
    }
    FilterForm(body, typed, known ? e.parameter() : std::string(), e.what());
    return Page(400, s.checks_title, who, body.Take());
  }
  verify::CheckSummary summary;
  {
    store::BudgetScope budget(context.store, context.config.limits.query_ms);
    summary = verify::Summarize(context.store, who, selection);
  }
  if (csv) {
    return CsvTable(path, summary);
  }
  api::QueryPairs shown = verify::SelectionQuery(selection);
  std::string query = api::QueryText(shown);
  Html body;
  body.Element("h1", s.checks_title);
  body.Element("p", s.checks_intro);
  FilterForm(body, typed.empty() ? shown : typed, {}, {});
  body.Open("p", {{"class", "span"}, {"id", "span"}});
  body.Text(s.checks_range).Text(" ").Text(selection.from.empty() ? "-" : selection.from);
  body.Text(" ");
  if (selection.to.empty()) {
    body.Text(s.checks_to_now);
  } else {
    body.Text(s.time_to).Text(" ").Text(selection.to);
  }
  body.Close("p");
  DaysTable(body, Pivot(summary.per_day), query);
  ParishTable(body, summary.by_parish, query);
  ReceiptTable(body, summary.rechecked, query);
  if (auth::CanList(*registry::FindDataset("verifications"), who.role)) {
    // The checks themselves (who checked, by which channel) are for admin only (SPEC §3).
    body.Open("p", {{"class", "downloads"}});
    body.Element("a", s.raw_checks_csv,
                 {{"href", "/api/v1/verifications.csv?" + query}, {"id", "raw-csv"}});
    body.Close("p");
  }
  return Page(200, s.checks_title, who, body.Take(),
              {{"portal.css", "uplot.min.css", "uplot.min.js", "leaflet.css", "leaflet.js",
                "checks-charts.js"}});
}

}  // namespace harvest::pages
