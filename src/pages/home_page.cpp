// /: what Harvest is, the latest week's retail prices at a glance (read through the API's
// collection layer), and the ways in: the data, the API reference, the staff login. Also the
// embedded assets' answers.
#include <cstdio>
#include <map>

#include "api/collection_read.h"
#include "api/responses.h"
#include "pages/assets.h"
#include "pages/layout.h"
#include "pages/portal.h"

namespace harvest::pages {
namespace {

constexpr size_t kGlanceRows = 12;

struct Average {
  double sum = 0;
  int count = 0;
  std::string unit;
};

}  // namespace

http::Response HomePage(web::Context& context, auth::Principal& who) {
  const Strings& s = English();
  const registry::DatasetDef& prices = *registry::FindDataset("prices");
  store::BudgetScope budget(context.store, context.config.limits.query_ms);
  // The latest week with prices, then that week's rows (both index range scans).
  std::string week;
  api::CollectionRequest latest = api::OpenCollection(
      context, prices, who, {{"sort", "-week_of"}, {"limit", "1"}}, opendata::Format::kJson);
  int week_field = prices.FieldIndex("week_of");
  api::ReadPage(context, latest, who, [&](const store::Row& row) {
    week = opendata::CellText(latest.view, week_field, row);
  });
  std::map<std::string, Average> averages;
  if (!week.empty()) {
    size_t commodity = static_cast<size_t>(prices.FieldIndex("commodity"));
    size_t point = static_cast<size_t>(prices.FieldIndex("price_point"));
    size_t price = static_cast<size_t>(prices.FieldIndex("price"));
    int unit = prices.FieldIndex("unit");
    api::ReadAllPages(context, prices, who, {{"week_of", week}}, [&](const store::Row& row) {
      const auto* value = std::get_if<double>(&row[price]);
      if (store::ValueText(row[point]) != "retail" || !value) {
        return;
      }
      Average& a = averages[store::ValueText(row[commodity])];
      a.sum += *value;
      ++a.count;
      a.unit = opendata::CellText(latest.view, unit, row);
    });
  }

  Html body;
  body.Element("h1", s.home_title);
  body.Element("p", s.home_intro, {{"class", "lead"}});
  body.Open("ul", {{"class", "ways"}});
  body.Open("li").Element("a", s.nav_prices, {{"href", "/prices"}}).Close("li");
  body.Open("li").Element("a", s.nav_stats, {{"href", "/stats"}}).Close("li");
  body.Open("li").Element("a", s.data_title, {{"href", "/data"}}).Close("li");
  body.Open("li").Element("a", s.nav_api, {{"href", "/docs"}}).Close("li");
  body.Close("ul");

  body.Element("h2", s.home_latest_prices, {{"id", "latest"}});
  if (averages.empty()) {
    body.Element("p", s.home_no_prices);
  } else {
    body.Open("p").Text(s.home_week_of).Text(" ").Element("time", week, {{"datetime", week}});
    body.Close("p");
    body.Open("div", {{"class", "scroll"},
                      {"role", "region"},
                      {"aria-labelledby", "latest"},
                      {"tabindex", "0"}});
    body.Open("table", {{"class", "rows"}});
    body.Open("thead").Open("tr");
    body.Element("th", s.home_commodity, {{"scope", "col"}});
    body.Element("th", s.home_average, {{"scope", "col"}});
    body.Element("th", s.prices_unit, {{"scope", "col"}});
    body.Element("th", s.home_markets, {{"scope", "col"}});
    body.Close("tr").Close("thead").Open("tbody");
    size_t shown = 0;
    for (const auto& [name, a] : averages) {
      if (shown++ == kGlanceRows) {
        break;
      }
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.2f", a.sum / a.count);
      body.Open("tr").Open("th", {{"scope", "row"}});
      body.Element("a", name, {{"href", WithQuery("/prices", {{"commodity", name}})}});
      body.Close("th");
      body.Element("td", buf).Element("td", a.unit).Element("td", std::to_string(a.count));
      body.Close("tr");
    }
    body.Close("tbody").Close("table").Close("div");
    body.Open("p").Element("a", s.prices_title, {{"href", "/prices"}}).Text(" · ");
    body.Element("a", s.home_week_table,
                 {{"href", WithQuery("/data/prices", {{"week_of", week}})}});
    body.Close("p");
  }

  body.Element("h2", s.home_api);
  body.Open("p").Element("a", s.home_api_intro, {{"href", "/docs"}}).Close("p");
  body.Element("h2", s.home_staff);
  body.Open("p").Text(s.home_staff_intro).Text(" ");
  body.Element("a", s.nav_login, {{"href", "/login"}}).Close("p");
  return Page(200, s.site_name, who, body.Take(), {{"portal.css"}, true});
}

std::optional<http::Response> AssetAnswer(const http::Request& request) {
  const EmbeddedAsset* asset = AssetAt(request.path);
  if (!asset) {
    return std::nullopt;
  }
  if (request.method != "GET" && request.method != "HEAD") {
    api::MethodNotAllowed("GET, HEAD");
  }
  http::Response res;
  res.body = std::string(asset->body);
  res.Set("Content-Type", std::string(asset->content_type));
  // The path names the content's digest: a new build's file has another path.
  res.Set("Cache-Control", "public, max-age=31536000, immutable");
  SetSecurityHeaders(res);
  return res;
}

}  // namespace harvest::pages
