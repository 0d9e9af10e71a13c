// What the demo country grows and what it fetches: main activities as the register writes them,
// and per commodity the farm-gate price (JMD, 2025-26 levels), yield, planting density, time to
// harvest, where it is grown most and when its price peaks.
#include <array>

#include "demo/country.h"

namespace harvest::demo {
namespace {

struct ActivityFacts {
  std::string_view name;
  double weight;
  bool crops;
};

// "Non-Traditional Export Crops" is the largest group in real extracts.
constexpr std::array<ActivityFacts, kActivityCount> kActivities = {{
    {"Non-Traditional Export Crops", 30, true},
    {"Traditional Export Crops", 12, true},
    {"Domestic Crops", 25, true},
    {"Poultry Farming", 11, false},
    {"Goat Rearing", 8, false},
    {"Cattle Rearing", 4, false},
    {"Pig Rearing", 5, false},
    {"Apiculture", 2, false},
    {"Fisheries", 3, false},
}};

// Columns: name, farm-gate JMD per usual unit, yield t/ha (low, high), plants per ha,
// days to harvest (low, high), tree, weights {non-traditional export, traditional export,
// domestic}, strong parishes, varieties, season amplitude, peak (fraction of the year).
// clang-format off
constexpr CropFacts kCrops[] = {
    {"yellow yam", 300, 15, 25, 5000, 240, 300, false, {10, 0, 1}, "TRL MAN CLA ELZ",
     {}, 0.2, 0.45},
    {"negro yam", 350, 12, 20, 5000, 240, 300, false, {6, 0, 1}, "TRL MAN CLA", {}, 0.2, 0.45},
    {"sweet yam", 330, 10, 18, 6000, 240, 300, false, {4, 0, 1}, "TRL MAN", {}, 0.15, 0.5},
    {"st. vincent yam", 280, 15, 25, 5000, 240, 300, false, {4, 0, 1}, "TRL CLA MAN",
     {}, 0.2, 0.45},
    {"sweet potato", 180, 10, 20, 30000, 100, 150, false, {6, 0, 4}, "ELZ MAN CLA",
     {"Fire on Land", "Quarter Million", "Uplift", "Clarendon"}, 0.15, 0.3},
    {"irish potato", 220, 15, 25, 40000, 90, 120, false, {0, 0, 4}, "MAN ELZ ANN",
     {"Spunta", "Atlas", "Kennebec"}, 0.2, 0.8},
    {"dasheen", 250, 10, 18, 10000, 180, 270, false, {6, 0, 2}, "MRY POR THO CLA",
     {"Bun Long", "Common"}, 0.15, 0.55},
    {"coco", 260, 8, 15, 10000, 240, 300, false, {3, 0, 2}, "MRY POR THO", {}, 0.15, 0.55},
    {"cassava", 120, 10, 25, 10000, 240, 365, false, {3, 0, 3}, "ELZ CLA CAT",
     {"Sweet", "Bitter"}, 0.1, 0.5},
    {"ginger", 700, 10, 20, 60000, 240, 300, false, {3, 0, 0}, "CLA MAN ANN",
     {"Blue", "Yellow"}, 0.15, 0.6},
    {"banana", 150, 15, 30, 1700, 270, 365, false, {0, 6, 3}, "MRY POR THO",
     {"Williams", "Grand Nain", "Lacatan"}, 0.15, 0.75},
    {"plantain", 200, 10, 20, 1700, 300, 400, false, {2, 0, 3}, "MRY POR CAT THO",
     {"Horse", "Maiden"}, 0.15, 0.75},
    {"breadfruit", 150, 8, 15, 100, 30, 200, true, {3, 0, 1}, "MRY POR ANN",
     {"Yellow Heart", "Timor"}, 0.3, 0.1},
    {"ackee", 700, 5, 10, 100, 30, 200, true, {5, 0, 1}, "ANN CAT CLA", {}, 0.3, 0.35},
    {"pineapple", 350, 20, 40, 40000, 450, 540, false, {1, 0, 2}, "ANN CAT",
     {"Smooth Cayenne", "Sugar Loaf", "Ripley"}, 0.1, 0.9},
    {"papaya", 150, 20, 40, 1600, 240, 300, false, {4, 0, 2}, "CAT CLA ELZ",
     {"Red Lady", "Solo Sunrise"}, 0.1, 0.6},
    {"orange", 400, 10, 20, 400, 30, 200, true, {0, 3, 1}, "CLA MAN ANN",
     {"Valencia", "Navel"}, 0.25, 0.5},
    {"ortanique", 500, 10, 20, 400, 30, 200, true, {0, 2, 1}, "MAN CLA", {}, 0.25, 0.55},
    {"watermelon", 100, 15, 30, 3000, 70, 90, false, {0, 0, 3}, "ELZ CLA",
     {"Charleston Grey", "Crimson Sweet"}, 0.2, 0.9},
    {"coconut", 120, 5, 10, 160, 30, 200, true, {0, 2, 1}, "POR MRY THO",
     {"Malayan Dwarf", "Maypan"}, 0.05, 0.5},
    {"callaloo", 200, 10, 20, 0, 35, 50, false, {0, 0, 6}, "CAT ELZ AND", {}, 0.25, 0.2},
    {"cabbage", 150, 20, 35, 30000, 80, 100, false, {0, 0, 5}, "ELZ MAN AND",
     {"Green Boy", "KK Cross"}, 0.3, 0.75},
    {"pak choi", 200, 10, 20, 60000, 35, 45, false, {0, 0, 4}, "CAT AND ELZ", {}, 0.25, 0.75},
    {"lettuce", 350, 10, 20, 60000, 45, 60, false, {0, 0, 3}, "AND MAN ELZ",
     {"Romaine", "Iceberg"}, 0.3, 0.7},
    {"tomato", 350, 15, 30, 15000, 75, 100, false, {0, 0, 5}, "ELZ MAN CAT",
     {"Heat Master", "Roma"}, 0.35, 0.75},
    {"sweet pepper", 600, 10, 20, 20000, 80, 100, false, {0, 0, 3}, "ELZ MAN",
     {"California Wonder", "Aristotle"}, 0.3, 0.75},
    {"cucumber", 160, 15, 25, 15000, 50, 65, false, {0, 0, 4}, "ELZ CAT CLA",
     {"Poinsett", "Market More"}, 0.25, 0.7},
    {"carrot", 250, 15, 30, 0, 80, 100, false, {0, 0, 3}, "MAN ELZ AND",
     {"Chantenay", "Nantes"}, 0.25, 0.7},
    {"pumpkin", 120, 10, 20, 1500, 90, 120, false, {3, 0, 3}, "THO ELZ CLA", {"Bowden"}, 0.15, 0.3},
    {"escallion", 450, 10, 20, 0, 75, 100, false, {0, 0, 4}, "ELZ MAN", {}, 0.3, 0.2},
    {"thyme", 100, 5, 10, 0, 90, 120, false, {0, 0, 3}, "ELZ MAN AND",
     {"Broad Leaf", "Fine Leaf"}, 0.3, 0.2},
    {"scotch bonnet pepper", 800, 8, 15, 12000, 90, 120, false, {6, 0, 2}, "ELZ CLA CAT THO",
     {"West Indian Red", "Jamaican Yellow"}, 0.35, 0.8},
    {"pimento", 600, 2, 5, 200, 30, 200, true, {0, 3, 0}, "ANN TRL MRY", {}, 0.1, 0.4},
    {"coffee", 400, 1, 2, 3000, 30, 200, true, {0, 4, 0}, "AND POR THO MAN",
     {"Blue Mountain", "High Mountain"}, 0.05, 0.1},
    {"cocoa", 350, 0.5, 1, 1100, 30, 200, true, {0, 3, 0}, "CLA MRY ANN",
     {"Trinitario"}, 0.05, 0.3},
    {"sugar cane", 12, 50, 80, 0, 330, 400, false, {0, 4, 0}, "CLA CAT WML TRL ELZ", {}, 0.02, 0.2},
    {"goat meat", 1800, 0, 0, 0, 0, 0, false, {}, "", {}, 0.08, 0.95},
    {"beef", 1700, 0, 0, 0, 0, 0, false, {}, "", {}, 0.05, 0.95},
    {"pork", 1000, 0, 0, 0, 0, 0, false, {}, "", {}, 0.08, 0.95},
    {"chicken", 700, 0, 0, 0, 0, 0, false, {}, "", {}, 0.05, 0.95},
};
// clang-format on

// Used for a commodity added to the registry after this table was written: priced, not grown.
constexpr CropFacts kGenericVegetable = {"", 250, 0, 0, 0, 0, 0, false, {}, "", {}, 0.15, 0.5};
constexpr CropFacts kGenericFruit = {"", 200, 0, 0, 0, 0, 0, false, {}, "", {}, 0.15, 0.5};
constexpr CropFacts kGenericLivestock = {"", 1200, 0, 0, 0, 0, 0, false, {}, "", {}, 0.05, 0.95};

}  // namespace

std::string_view ActivityName(Activity activity) {
  return kActivities[static_cast<size_t>(activity)].name;
}

double ActivityWeight(Activity activity) {
  return kActivities[static_cast<size_t>(activity)].weight;
}

bool GrowsCrops(Activity activity) {
  return kActivities[static_cast<size_t>(activity)].crops;
}

std::span<const CropFacts> AllCropFacts() {
  return kCrops;
}

const CropFacts& FactsFor(std::string_view commodity, std::string_view category) {
  for (const CropFacts& facts : kCrops) {
    if (facts.name == commodity) {
      return facts;
    }
  }
  if (category == "livestock") {
    return kGenericLivestock;
  }
  return category == "fruit" ? kGenericFruit : kGenericVegetable;
}

}  // namespace harvest::demo
