// /prices: one commodity's weekly prices in one parish at one price point, as a chart
// (uPlot, web-assets/src/prices-chart.js, reading the points from a data- attribute) and the
// table beneath, which is the page without JavaScript. The rows are the API's answer to
// prices?commodity=&parish=&price_point=&sort=week_of&limit=1000, read through the same
// collection layer, and the CSV link is that query.
#include <cstdio>

#include "api/collection_read.h"
#include "api/responses.h"
#include "pages/layout.h"
#include "pages/portal.h"
#include "registry/parish.h"
#include "registry/text_values.h"

namespace harvest::pages {
namespace {

using api::QueryPairs;

constexpr const char* kPricePoints[] = {"retail", "wholesale", "farmgate"};

}  // namespace

http::Response PricesPage(web::Context& context, const http::Request& request,
                          auth::Principal& who) {
  if (request.method != "GET" && request.method != "HEAD") {
    api::MethodNotAllowed("GET, HEAD");
  }
  const Strings& s = English();
  const registry::DatasetDef& prices = *registry::FindDataset("prices");
  // Unknown choices fall back to the first of each list, so any address shows a chart.
  const registry::Commodity* commodity = registry::FindCommodity(QueryValue(request, "commodity"));
  if (!commodity) {
    commodity = &registry::Commodities().front();
  }
  std::string point = QueryValue(request, "price_point");
  if (point != "wholesale" && point != "farmgate") {
    point = "retail";
  }
  std::string parish(registry::NormalizeParish(QueryValue(request, "parish")).value_or(""));
  store::BudgetScope budget(context.store, context.config.limits.query_ms);

  // The parishes with prices of this commodity (one index range count each), so the form
  // offers only choices that show something.
  std::vector<std::pair<const registry::Parish*, int64_t>> parishes;
  int commodity_field = prices.FieldIndex("commodity");
  int parish_field = prices.FieldIndex("parish");
  for (const registry::Parish& p : registry::Parishes()) {
    int64_t count = context.store.Count(
        prices, {store::Filter{commodity_field, store::FilterOp::kEq, {std::string(commodity->name)}},
                 store::Filter{parish_field, store::FilterOp::kEq, {std::string(p.code)}}});
    if (count > 0) {
      parishes.emplace_back(&p, count);
    }
  }
  bool parish_known = false;
  for (const auto& [p, count] : parishes) {
    parish_known = parish_known || p->code == parish;
  }
  if (!parish_known) {
    parish = parishes.empty() ? std::string(registry::Parishes().front().code)
                              : std::string(parishes.front().first->code);
  }

  QueryPairs query = {{"commodity", std::string(commodity->name)},
                      {"parish", parish},
                      {"price_point", point},
                      {"sort", "week_of"},
                      {"limit", "1000"}};
  api::CollectionRequest collection =
      api::OpenCollection(context, prices, who, query, opendata::Format::kJson);
  std::vector<store::Row> rows;
  api::ReadPage(context, collection, who, [&](const store::Row& row) { rows.push_back(row); });

  int week_field = prices.FieldIndex("week_of");
  int price_field = prices.FieldIndex("price");
  int unit_field = prices.FieldIndex("unit");
  // The chart's points: one per week (the mean when several markets of the parish report).
  std::string xs, ys;
  std::string last_week;
  double sum = 0;
  int n = 0;
  auto flush = [&] {
    if (n == 0) {
      return;
    }
    if (std::optional<int64_t> days = registry::IsoDateToDays(last_week)) {
      int64_t t = *days * 86400;  // the chart's x axis, in seconds
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.2f", sum / n);
      xs += (xs.empty() ? "" : ",") + std::to_string(t);
      ys += (ys.empty() ? "" : ",") + std::string(buf);
    }
    sum = 0;
    n = 0;
  };
  std::string unit;
  for (const store::Row& row : rows) {
    std::string week = opendata::CellText(collection.view, week_field, row);
    if (week != last_week) {
      flush();
      last_week = week;
    }
    if (const auto* price = std::get_if<double>(&row[static_cast<size_t>(price_field)])) {
      sum += *price;
      ++n;
    }
    unit = opendata::CellText(collection.view, unit_field, row);
  }
  flush();
  std::string parish_name(registry::ParishName(parish));
  std::string label = std::string(commodity->name) + ", " + point + " " +
                      std::string(s.prices_for) + " " + parish_name + " (JMD/" +
                      (unit.empty() ? std::string(commodity->unit) : unit) + ")";
  std::string chart = R"({"label":)";
  opendata::AppendJsonString(chart, label);
  chart += R"(,"x":[)" + xs + R"(],"y":[)" + ys + "]}";

  Html body;
  body.Element("h1", s.prices_title);
  body.Element("p", s.prices_intro);
  body.Open("form", {{"method", "get"}, {"action", "/prices"}, {"class", "filters"}});
  body.Open("div", {{"class", "filter-grid"}});
  body.Open("div").Element("label", s.prices_commodity, {{"for", "p-commodity"}});
  body.Open("select", {{"id", "p-commodity"}, {"name", "commodity"}});
  for (const registry::Commodity& c : registry::Commodities()) {
    Option(body, c.name, c.name, &c == commodity);
  }
  body.Close("select").Close("div");
  body.Open("div").Element("label", s.prices_parish, {{"for", "p-parish"}});
  body.Open("select", {{"id", "p-parish"}, {"name", "parish"}});
  for (const auto& [p, count] : parishes) {
    Option(body, p->code, p->name, p->code == parish);
  }
  body.Close("select").Close("div");
  body.Open("div").Element("label", s.prices_point, {{"for", "p-point"}});
  body.Open("select", {{"id", "p-point"}, {"name", "price_point"}});
  for (const char* p : kPricePoints) {
    Option(body, p, p, p == point);
  }
  body.Close("select").Close("div");
  body.Close("div");
  body.Open("div", {{"class", "actions"}});
  body.Element("button", s.prices_show, {{"type", "submit"}});
  body.Close("div");
  body.Close("form");

  body.Element("h2", label, {{"id", "chart-title"}});
  if (rows.empty()) {
    body.Element("p", s.prices_none, {{"class", "notice"}});
  } else {
    // Drawn by prices-chart.js; without JavaScript the table below says the same.
    body.Open("figure", {{"class", "chart"},
                         {"id", "price-chart"},
                         {"data-chart", chart},
                         {"aria-labelledby", "chart-title"}});
    body.Element("figcaption", std::string(s.prices_chart_label) + ": " + label,
                 {{"class", "visually-hidden"}});
    body.Close("figure");
  }
  body.Open("p", {{"class", "formats"}});
  body.Element("a", s.prices_csv,
               {{"href", WithQuery("/api/v1/prices.csv", query)}, {"data-format", "prices-csv"}});
  body.Text(" · ");
  body.Element("a", "JSON", {{"href", WithQuery("/api/v1/prices", query)}});
  body.Text(" · ");
  body.Element("a", s.nav_data, {{"href", WithQuery("/data/prices", query)}});
  body.Close("p");
  if (!rows.empty()) {
    body.Open("div", {{"class", "scroll"},
                      {"role", "region"},
                      {"aria-labelledby", "prices-caption"},
                      {"tabindex", "0"}});
    body.Open("table", {{"class", "rows"}, {"id", "prices-table"}});
    body.Element("caption", std::string(s.prices_table_caption) + ": " + label,
                 {{"id", "prices-caption"}});
    body.Open("thead").Open("tr");
    for (std::string_view h : {s.prices_week, s.prices_price, s.prices_unit, s.prices_market,
                               s.prices_variety}) {
      body.Element("th", h, {{"scope", "col"}});
    }
    body.Close("tr").Close("thead").Open("tbody");
    int market_field = prices.FieldIndex("market");
    int variety_field = prices.FieldIndex("variety");
    for (const store::Row& row : rows) {
      body.Open("tr");
      for (int field : {week_field, price_field, unit_field, market_field, variety_field}) {
        body.Element("td", opendata::CellText(collection.view, field, row));
      }
      body.Close("tr");
    }
    body.Close("tbody").Close("table").Close("div");
  }
  return Page(200, s.prices_title, who, body.Take(),
              {{"portal.css", "uplot.min.css", "uplot.min.js", "prices-chart.js"}, true});
}

}  // namespace harvest::pages
