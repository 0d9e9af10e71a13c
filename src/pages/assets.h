// The assets the pages use, built into the binary (SPEC §9: every asset is in it): the one
// stylesheet written here, and the files of web-assets/ (uPlot, Leaflet, the portal's own
// scripts and stylesheet) that cmake/embed_assets.cmake turns into a generated source.
// Must not depend on anything but the standard library.
#pragma once

#include <span>
#include <string_view>

namespace harvest::pages {

// The stylesheet served at /assets/harvest.css: mobile first (360 px), colours with at least
// 4.5:1 contrast (WCAG 2.1 AA), verdicts told by word as well as colour.
std::string_view Stylesheet();

// A file of web-assets/ as built into the binary. `path` carries a digest of the content
// (/assets/leaflet.<12 hex>.js), so it is served as immutable and a new build gets new URLs.
struct EmbeddedAsset {
  std::string_view name;  // leaflet.js, prices-chart.js...
  std::string_view path;
  std::string_view content_type;
  std::string_view body;
};

// Every embedded file (the generated source defines it).
std::span<const EmbeddedAsset> EmbeddedAssets();
// The file by its name; a name the build does not embed is a programmer's error (asserted).
const EmbeddedAsset& Asset(std::string_view name);
// The file served at `path`; nullptr when none.
const EmbeddedAsset* AssetAt(std::string_view path);

}  // namespace harvest::pages
