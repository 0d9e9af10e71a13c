// Jamaica's fourteen parishes: the canonical codes used in storage and output, their names, a
// centroid for maps, and recognition of the many ways registry extracts spell them.
// Must not depend on anything outside the C++ standard library (no store, HTTP or SMS).
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace harvest::registry {

struct Parish {
  std::string_view code;  // three upper-case letters, e.g. "ELZ"
  std::string_view name;  // e.g. "St. Elizabeth"
  double lat;             // a believable centroid, for maps and GeoJSON of parish aggregates
  double lon;
};

// In SPEC order: KIN AND THO POR MRY ANN TRL JAM HAN WML ELZ MAN CLA CAT.
const std::array<Parish, 14>& Parishes();

// Returns the code for a parish written as its code (any case) or name in any of the spellings
// found in real extracts: "ST.ELIZABETH", "St Elizabeth", "st. elizabeth", "Saint Elizabeth",
// "St. Elizabeth Parish", extra spaces. Unknown codes and abbreviations (e.g. "KGN") give nullopt.
std::optional<std::string_view> NormalizeParish(std::string_view input);

// Name for an exact (upper-case) code; "" if the code is unknown.
std::string_view ParishName(std::string_view code);

}  // namespace harvest::registry
