// Reference facts the demo generator draws from: places per parish (districts, RADA extension
// areas, markets, JAS outlets, police stations), Jamaican names, and what each commodity yields
// and costs. Plausible rather than exact; internal to src/demo.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace harvest::demo {

struct District {
  std::string_view name;
  std::string_view extension_area;  // the RADA extension area the district belongs to
};

// One entry per parish, in the order of registry::Parishes().
struct ParishPlaces {
  std::string_view code;
  double farmer_weight = 0;   // relative share of registered farmers living there
  double officer_weight = 0;  // relative share of officers checking receipts there
  double spread = 0.08;       // how far (degrees) farms lie from the parish centroid
  std::string_view market;    // main market for weekly prices
  std::vector<District> districts;
  std::vector<size_t> neighbours;              // indices of bordering parishes
  std::vector<std::string_view> outlet_towns;  // towns with a JAS outlet
  std::vector<std::string_view> police_stations;
};
const std::vector<ParishPlaces>& Places();
size_t ParishIndex(std::string_view code);  // index in Places(); the code must exist

std::span<const std::string_view> MaleFirstNames();
std::span<const std::string_view> FemaleFirstNames();
std::span<const std::string_view> LastNames();
std::span<const std::string_view> MaleAliases();
std::span<const std::string_view> FemaleAliases();

// Main activities as RADA's register writes them.
enum class Activity {
  kNonTraditionalExport,
  kTraditionalExport,
  kDomesticCrops,
  kPoultry,
  kGoats,
  kCattle,
  kPigs,
  kApiculture,
  kFisheries,
};
inline constexpr size_t kActivityCount = 9;
std::string_view ActivityName(Activity activity);
double ActivityWeight(Activity activity);
bool GrowsCrops(Activity activity);

struct CropFacts {
  std::string_view name;    // exactly as in registry::Commodities()
  double farmgate_jmd = 0;  // typical farm-gate price per the commodity's usual unit
  double yield_low_t = 0;   // tonnes per hectare per harvest
  double yield_high_t = 0;
  int plants_per_ha = 0;  // 0: plants are not counted (broadcast, cane)
  int days_low = 0;       // planting to harvest; for trees, days to the next harvest
  int days_high = 0;
  bool tree = false;  // perennial: planted years ago
  // Weights of the crop among crop activities: non-traditional export, traditional export,
  // domestic. All zero: not grown as a crop (livestock products).
  std::array<double, 3> group_weight{};
  std::string_view strong_parishes;  // space-separated codes where it is grown most
  std::array<std::string_view, 4> varieties{};
  double season_amplitude = 0.1;  // relative swing of prices over the year
  double season_phase = 0;        // 0..1: where in the year prices peak
};
std::span<const CropFacts> AllCropFacts();
// Facts for a registry commodity; a generic entry for a commodity this file does not know.
const CropFacts& FactsFor(std::string_view commodity, std::string_view category);

}  // namespace harvest::demo
