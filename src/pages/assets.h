// The assets the pages use, built into the binary (SPEC §9: every asset is in it): one
// stylesheet, no scripts yet. Must not depend on anything but the standard library.
#pragma once

#include <string_view>

namespace harvest::pages {

// The stylesheet served at /assets/harvest.css: mobile first (360 px), colours with at least
// 4.5:1 contrast (WCAG 2.1 AA), verdicts told by word as well as colour.
std::string_view Stylesheet();

}  // namespace harvest::pages
