// A year of demo weekly prices: every registry commodity in 4-6 parish markets, at farm gate,
// wholesale and retail, for the 52 Mondays up to the reference date. Prices follow a seasonal
// swing peculiar to the commodity plus a slow random walk; retail > wholesale > farm gate.
#include <algorithm>
#include <cmath>

#include "demo/generator.h"
#include "registry/parish.h"
#include "registry/schema.h"
#include "registry/text_values.h"

namespace harvest::demo {
namespace {

constexpr int kWeeks = 52;

// Kingston's Coronation Market and the big parish markets report the most commodities.
double MarketWeight(std::string_view code) {
  constexpr std::pair<std::string_view, double> kWeights[] = {
      {"KIN", 3}, {"CAT", 2}, {"JAM", 2}, {"MAN", 2}, {"ELZ", 2}, {"CLA", 1.5}, {"HAN", 0.7}};
  for (const auto& [parish, weight] : kWeights) {
    if (parish == code) {
      return weight;
    }
  }
  return 1;
}

// A sine-like wave of period 1 from basic arithmetic only (identical on every platform): 0 at
// 0 and 0.5, +1 at 0.25, -1 at 0.75.
double Wave(double phase) {
  double p = phase - std::floor(phase);
  return p < 0.5 ? 8 * p * (1 - 2 * p) : -8 * (p - 0.5) * (1 - 2 * (p - 0.5));
}

double YearFraction(int64_t day) {
  std::string iso = IsoDate(day);
  int year = std::stoi(iso.substr(0, 4));
  return static_cast<double>(day - registry::DaysFromCivil(year, 1, 1)) / 365.25;
}

// Whole dollars, as markets quote them, except for cheap goods (sugar cane by the kg).
double Price(double value) {
  return value >= 100 ? Round(value, 0) : Round(value, 2);
}

std::vector<size_t> ChooseMarkets(Random& random, const CropFacts& facts) {
  std::vector<double> weights;
  for (const ParishPlaces& place : Places()) {
    bool strong = !facts.strong_parishes.empty() &&
                  facts.strong_parishes.find(place.code) != std::string_view::npos;
    weights.push_back(MarketWeight(place.code) * (strong ? 3 : 1));
  }
  size_t count = 4 + random.Below(3);
  std::vector<size_t> chosen;
  while (chosen.size() < count) {
    size_t pick = WeightedTable(weights).Pick(random);
    chosen.push_back(pick);
    weights[pick] = 0;
  }
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

}  // namespace

std::vector<std::vector<size_t>> WritePrices(store::Store& store, uint64_t seed, int64_t today,
                                             int64_t& written) {
  Random random(seed, kPriceStream);
  PendingRows prices(store, "prices", written);
  // Days since 1970-01-01 (a Thursday) + 3 is 0 mod 7 on Mondays.
  int64_t last_monday = today - ((today + 3) % 7 + 7) % 7;
  std::vector<std::vector<size_t>> priced;
  for (const registry::Commodity& commodity : registry::Commodities()) {
    const CropFacts& facts = FactsFor(commodity.name, commodity.category);
    std::vector<size_t> markets = ChooseMarkets(random, facts);
    for (size_t parish : markets) {
      double level = facts.farmgate_jmd * random.Real(0.9, 1.1);
      double wholesale_markup = random.Real(1.2, 1.45);
      double retail_markup = random.Real(1.2, 1.5);
      double walk = 0;
      for (int week = kWeeks - 1; week >= 0; --week) {
        int64_t monday = last_monday - 7 * week;
        walk = 0.85 * walk + random.Real(-0.03, 0.03);
        double season =
            1 + facts.season_amplitude * Wave(YearFraction(monday) - facts.season_phase + 0.25);
        double farmgate = Price(level * season * (1 + walk));
        double wholesale =
            std::max(Price(farmgate * wholesale_markup * random.Real(0.98, 1.02)), farmgate + 1);
        double retail =
            std::max(Price(wholesale * retail_markup * random.Real(0.98, 1.02)), wholesale + 1);
        const std::pair<std::string_view, double> points[] = {
            {"farmgate", farmgate}, {"wholesale", wholesale}, {"retail", retail}};
        for (const auto& [point, price] : points) {
          store::Row& row = prices.Add();
          auto set = [&](std::string_view field, store::Value value) {
            row[prices.Field(field)] = std::move(value);
          };
          set("commodity", std::string(commodity.name));
          set("unit", std::string(commodity.unit));
          set("price", price);
          set("price_point", std::string(point));
          set("parish", std::string(registry::Parishes()[parish].code));
          set("market", std::string(Places()[parish].market));
          set("week_of", IsoDate(monday));
        }
        prices.FlushIfFull();
      }
    }
    priced.push_back(std::move(markets));
  }
  prices.Flush();
  return priced;
}

}  // namespace harvest::demo
