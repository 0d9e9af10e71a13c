// /stats: farmers and production by parish, from the suppressed aggregates the open API
// publishes (farmer-stats, production: read through the same collection layer as
// /api/v1, so a withheld cell is withheld here too), as a map and a table. The map
// (Leaflet, web-assets/src/stats-map.js) draws each parish as a circle at its centre on a
// plain background; tiles come only from web.map_tile_url when it is set.
#include <cstdio>
#include <map>

#include "api/collection_read.h"
#include "api/responses.h"
#include "pages/layout.h"
#include "pages/portal.h"
#include "registry/parish.h"

namespace harvest::pages {
namespace {

struct ParishTotals {
  int64_t farmers = 0, verified = 0, farms = 0;
  double area_ha = 0, volume_kg = 0;
  int suppressed = 0;
};

// Every row of a small dataset as this role sees it (aggregates hold a few hundred cells).
std::vector<store::Row> AllRows(web::Context& context, const registry::DatasetDef& set,
                                auth::Principal& who) {
  std::vector<store::Row> rows;
  api::ReadAllPages(context, set, who, {}, [&](const store::Row& row) { rows.push_back(row); });
  return rows;
}

int64_t Integer(const store::Value& v) {
  const auto* i = std::get_if<int64_t>(&v);
  return i ? *i : 0;
}

double Real(const store::Value& v) {
  if (const auto* d = std::get_if<double>(&v)) {
    return *d;
  }
  return static_cast<double>(Integer(v));
}

std::string Number(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

// The origin (scheme://host[:port]) of a tile URL, for the page's img-src.
std::string Origin(const std::string& url) {
  size_t scheme = url.find("://");
  size_t end = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return url.substr(0, end);
}

}  // namespace

http::Response StatsPage(web::Context& context, auth::Principal& who) {
  const Strings& s = English();
  store::BudgetScope budget(context.store, context.config.limits.query_ms);
  const registry::DatasetDef& farmer_stats = *registry::FindDataset("farmer-stats");
  const registry::DatasetDef& production = *registry::FindDataset("production");
  std::map<std::string, ParishTotals> totals;
  auto field = [](const registry::DatasetDef& set, std::string_view name) {
    return static_cast<size_t>(set.FieldIndex(name));
  };
  for (const store::Row& row : AllRows(context, farmer_stats, who)) {
    ParishTotals& t = totals[store::ValueText(row[field(farmer_stats, "parish")])];
    if (Integer(row[field(farmer_stats, "suppressed")])) {
      ++t.suppressed;
      continue;
    }
    t.farmers += Integer(row[field(farmer_stats, "farmers")]);
    t.verified += Integer(row[field(farmer_stats, "verified")]);
  }
  for (const store::Row& row : AllRows(context, production, who)) {
    ParishTotals& t = totals[store::ValueText(row[field(production, "parish")])];
    if (Integer(row[field(production, "suppressed")])) {
      ++t.suppressed;
      continue;
    }
    t.farms += Integer(row[field(production, "farms")]);
    t.area_ha += Real(row[field(production, "area_ha")]);
    t.volume_kg += Real(row[field(production, "expected_volume_kg")]);
  }

  // The map's points, for stats-map.js.
  std::string points = "[";
  for (const registry::Parish& p : registry::Parishes()) {
    const ParishTotals& t = totals[std::string(p.code)];
    points += points.size() > 1 ? "," : "";
    points += R"({"code":)";
    opendata::AppendJsonString(points, p.code);
    points += R"(,"name":)";
    opendata::AppendJsonString(points, p.name);
    points += R"(,"lat":)" + Number(p.lat, 4) + R"(,"lon":)" + Number(p.lon, 4) +
              R"(,"farmers":)" + std::to_string(t.farmers) + R"(,"volume":)" +
              Number(t.volume_kg, 0) + "}";
  }
  points += "]";

  const std::string& tiles = context.config.web.map_tile_url;
  Html body;
  body.Element("h1", s.stats_title);
  body.Element("p", s.stats_intro);
  // Shown by stats-map.js: without JavaScript the table below is the page.
  body.Open("figure", {{"class", "map-figure"}, {"id", "map-figure"}, {"hidden", ""}});
  body.Open("div", {{"class", "map-controls"},
                    {"id", "map-controls"},
                    {"role", "group"},
                    {"aria-labelledby", "map-measure-label"},
                    {"hidden", ""}});
  body.Element("span", s.stats_show, {{"id", "map-measure-label"}});
  body.Element("button", s.stats_farmers,
               {{"type", "button"}, {"data-measure", "farmers"}, {"aria-pressed", "true"}});
  body.Element("button", s.stats_production,
               {{"type", "button"}, {"data-measure", "volume"}, {"aria-pressed", "false"}});
  body.Close("div");
  body.Open("div", {{"class", "map"},
                    {"id", "parish-map"},
                    {"data-points", points},
                    {"data-tiles", tiles},
                    {"data-label-farmers", s.stats_farmers},
                    {"data-label-volume", s.stats_production},
                    {"aria-describedby", "map-caption"}});
  body.Close("div");
  // The map's own keyboard controls (zoom) live in Leaflet's container, so the words are
  // here; stats-map.js names the figure the circles are sized by.
  body.Open("figcaption", {{"id", "map-caption"}}).Text(s.stats_map_label).Text(" ");
  body.Element("span", s.stats_farmers, {{"id", "map-measure"}});
  body.Close("figcaption");
  body.Close("figure");

  body.Open("div", {{"class", "scroll"},
                    {"role", "region"},
                    {"aria-labelledby", "stats-caption"},
                    {"tabindex", "0"}});
  body.Open("table", {{"class", "rows"}, {"id", "stats-table"}});
  body.Element("caption", s.stats_table_caption, {{"id", "stats-caption"}});
  body.Open("thead").Open("tr");
  for (std::string_view h : {s.stats_parish, s.stats_farmers, s.stats_verified, s.stats_farms,
                             s.stats_area, s.stats_volume, s.stats_suppressed}) {
    body.Element("th", h, {{"scope", "col"}});
  }
  body.Close("tr").Close("thead").Open("tbody");
  for (const registry::Parish& p : registry::Parishes()) {
    const ParishTotals& t = totals[std::string(p.code)];
    body.Open("tr", {{"data-parish", p.code}});
    body.Element("th", p.name, {{"scope", "row"}});
    body.Element("td", std::to_string(t.farmers));
    body.Element("td", std::to_string(t.verified));
    body.Element("td", std::to_string(t.farms));
    body.Element("td", Number(t.area_ha, 1));
    body.Element("td", Number(t.volume_kg, 0));
    body.Element("td", std::to_string(t.suppressed));
    body.Close("tr");
  }
  body.Close("tbody").Close("table").Close("div");
  body.Element("p", s.stats_suppressed_note, {{"class", "hint"}});
  body.Open("p", {{"class", "formats"}}).Text(s.stats_sources).Text(" ");
  body.Element("a", "farmer-stats", {{"href", "/data/farmer-stats"}}).Text(" (");
  body.Element("a", "CSV", {{"href", "/api/v1/farmer-stats.csv"}}).Text("), ");
  body.Element("a", "production", {{"href", "/data/production"}}).Text(" (");
  body.Element("a", "CSV", {{"href", "/api/v1/production.csv"}}).Text("), ");
  body.Element("a", "parishes", {{"href", "/data/parishes"}}).Text(" (");
  body.Element("a", "GeoJSON", {{"href", "/api/v1/parishes.geojson"}}).Text(")");
  body.Close("p");
  http::Response res =
      Page(200, s.stats_title, who, body.Take(),
           {{"portal.css", "leaflet.css", "leaflet.js", "stats-map.js"}, true});
  if (!tiles.empty()) {
    // The configured tile server is the one other origin the page may load images from.
    res.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: " +
                                           Origin(tiles) + "; frame-ancestors 'none'");
  }
  return res;
}

}  // namespace harvest::pages
