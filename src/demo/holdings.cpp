// Demo farms, and the crops and livestock on them. Farms are small (most under 1.5 ha), lie near
// the farmer's district, and grow what the farmer's activity and parish suggest.
#include <algorithm>
#include <cmath>

#include "demo/generator.h"
#include "registry/parish.h"
#include "registry/schema.h"

namespace harvest::demo {
namespace {

constexpr std::string_view kTenures[] = {"owned", "family", "leased", "rented", "crown", "other"};
constexpr double kTenureWeights[] = {40, 25, 15, 10, 5, 5};

// Crop activities index CropFacts::group_weight directly.
static_assert(static_cast<int>(Activity::kNonTraditionalExport) == 0 &&
              static_cast<int>(Activity::kTraditionalExport) == 1 &&
              static_cast<int>(Activity::kDomesticCrops) == 2);
constexpr int kDomesticGroup = 2;

// A value in [low, high] skewed towards low: most herds and flocks are small.
int64_t Skewed(Random& random, int64_t low, int64_t high) {
  double u = random.Unit();
  return low + static_cast<int64_t>(static_cast<double>(high - low) * u * u);
}

// Where a district's farms cluster: a fixed point near the parish centroid, the same for every
// seed so the map of the country does not move between runs.
std::pair<double, double> DistrictAnchor(size_t parish, size_t district) {
  uint64_t state = parish * 64 + district;
  const registry::Parish& p = registry::Parishes()[parish];
  double spread = Places()[parish].spread * 0.6;
  double u = static_cast<double>(SplitMix64(state) >> 11) * 0x1.0p-53;
  double v = static_cast<double>(SplitMix64(state) >> 11) * 0x1.0p-53;
  return {p.lat + spread * (2 * u - 1), p.lon + spread * (2 * v - 1)};
}

double FarmSize(Random& random, Activity activity) {
  double u = random.Unit();
  double size = u < 0.6    ? random.Real(0.2, 1.5)
                : u < 0.9  ? random.Real(1.5, 5)
                : u < 0.99 ? random.Real(5, 12)
                           : random.Real(12, 20);
  if (activity == Activity::kCattle) {
    size = std::min(20.0, size * 2.5);  // pasture
  }
  return Round(size, 2);
}

template <typename T>
const T& Get(const store::Row& row, size_t field) {
  return std::get<T>(row[field]);
}

}  // namespace

HoldingMaker::HoldingMaker(uint64_t seed, int64_t today)
    : farm_random_(seed, kFarmStream),
      stock_random_(seed, kStockStream),
      today_(today),
      tenures_(kTenureWeights) {
  std::span<const CropFacts> facts = AllCropFacts();
  for (int group = 0; group < 3; ++group) {
    std::vector<WeightedTable> per_parish;
    for (const ParishPlaces& place : Places()) {
      std::vector<double> weights;
      for (const CropFacts& crop : facts) {
        bool known = registry::FindCommodity(crop.name) != nullptr;
        bool strong = crop.strong_parishes.find(place.code) != std::string_view::npos;
        weights.push_back(known ? crop.group_weight[group] * (strong ? 3 : 1) : 0);
      }
      per_parish.emplace_back(weights);
    }
    crop_tables_.push_back(std::move(per_parish));
  }
}

int HoldingMaker::MakeFarms(const FarmerPlan& farmer, PendingRows& farms) {
  double u = farm_random_.Unit();
  int count = u < 0.75 ? 1 : u < 0.95 ? 2 : 3;
  for (int k = 0; k < count; ++k) {
    size_t parish = farmer.parish;
    size_t district = farmer.district;
    const std::vector<size_t>& neighbours = Places()[parish].neighbours;
    if (farm_random_.Chance(0.1) && !neighbours.empty()) {
      parish = neighbours[farm_random_.Below(neighbours.size())];
      district = farm_random_.Below(Places()[parish].districts.size());
    } else if (k > 0 || farm_random_.Chance(0.2)) {
      district = farm_random_.Below(Places()[parish].districts.size());
    }
    const ParishPlaces& place = Places()[parish];
    auto [anchor_lat, anchor_lon] = DistrictAnchor(parish, district);
    double jitter = place.spread * 0.4;

    store::Row& row = farms.Add();
    auto set = [&](std::string_view field, store::Value value) {
      row[farms.Field(field)] = std::move(value);
    };
    set("farmer_id", farmer.id);
    set("parish", std::string(place.code));
    set("district", std::string(place.districts[district].name));
    set("extension_area", std::string(place.districts[district].extension_area));
    set("size_ha", FarmSize(farm_random_, farmer.activity));
    set("lat", Round(anchor_lat + jitter * farm_random_.Real(-1, 1), 5));
    set("lon", Round(anchor_lon + jitter * farm_random_.Real(-1, 1), 5));
    set("tenure", std::string(kTenures[tenures_.Pick(farm_random_)]));
    set("status", std::string(farm_random_.Chance(0.95) ? "active" : "inactive"));
  }
  return count;
}

std::vector<CropPlan> HoldingMaker::Stock(const FarmerPlan& farmer, const store::Row& farm,
                                          bool first_farm, PendingRows& crops,
                                          PendingRows& livestock) {
  const registry::DatasetDef& farms = *registry::FindDataset("farms");
  auto field = [&](std::string_view name) { return static_cast<size_t>(farms.FieldIndex(name)); };
  int64_t farm_id = Get<int64_t>(farm, field("id"));
  size_t parish = ParishIndex(Get<std::string>(farm, field("parish")));
  double size_ha = Get<double>(farm, field("size_ha"));

  std::vector<CropPlan> grown;
  if (GrowsCrops(farmer.activity)) {
    double u = stock_random_.Unit();
    int count = u < 0.5 ? 1 : u < 0.85 ? 2 : 3;
    AddCrops(farm_id, parish, size_ha, count, static_cast<int>(farmer.activity), crops, grown);
    if (stock_random_.Chance(0.12)) {
      AddHerd(farmer, farm_id, livestock);  // a few goats or chickens in the yard
    }
    return grown;
  }
  if (first_farm || stock_random_.Chance(0.5)) {
    AddHerd(farmer, farm_id, livestock);
  }
  if (stock_random_.Chance(farmer.activity == Activity::kFisheries ? 0.25 : 0.3)) {
    AddCrops(farm_id, parish, size_ha, 1, kDomesticGroup, crops, grown);
  }
  return grown;
}

void HoldingMaker::AddCrops(int64_t farm_id, size_t parish, double size_ha, int count, int group,
                            PendingRows& crops, std::vector<CropPlan>& grown) {
  std::span<const CropFacts> facts = AllCropFacts();
  std::vector<size_t> chosen;
  std::vector<double> shares;
  for (int k = 0; k < count; ++k) {
    // Export growers often keep a plot of food crops too.
    int from = k > 0 && stock_random_.Chance(0.4) ? kDomesticGroup : group;
    for (int attempt = 0; attempt < 8; ++attempt) {
      size_t pick = crop_tables_[from][parish].Pick(stock_random_);
      if (std::find(chosen.begin(), chosen.end(), pick) == chosen.end()) {
        chosen.push_back(pick);
        shares.push_back(stock_random_.Real(0.5, 1.5));
        break;
      }
    }
  }
  double planted_total = size_ha * stock_random_.Real(0.5, 0.95);
  double share_sum = 0;
  for (double s : shares) {
    share_sum += s;
  }
  for (size_t k = 0; k < chosen.size(); ++k) {
    const CropFacts& crop = facts[chosen[k]];
    double area = std::max(0.02, Round(planted_total * shares[k] / share_sum, 2));
    int64_t planted;
    int64_t harvest;
    std::string status = "growing";
    if (crop.tree) {
      planted = today_ - stock_random_.Between(2 * 365, 25 * 365);
      harvest = today_ + stock_random_.Between(crop.days_low, crop.days_high);
    } else if (stock_random_.Chance(0.05)) {
      planted = today_ + stock_random_.Between(7, 60);
      harvest = planted + stock_random_.Between(crop.days_low, crop.days_high);
      status = "planned";
    } else {
      planted = today_ - stock_random_.Between(0, 364);
      harvest = planted + stock_random_.Between(crop.days_low, crop.days_high);
      if (harvest < today_) {
        status = stock_random_.Chance(0.88) ? "harvested" : "failed";
      }
    }
    double volume = Round(area * stock_random_.Real(crop.yield_low_t, crop.yield_high_t) * 1000, 0);

    store::Row& row = crops.Add();
    auto set = [&](std::string_view field, store::Value value) {
      row[crops.Field(field)] = std::move(value);
    };
    set("farm_id", farm_id);
    set("crop", std::string(crop.name));
    size_t varieties =
        static_cast<size_t>(std::count_if(crop.varieties.begin(), crop.varieties.end(),
                                          [](std::string_view v) { return !v.empty(); }));
    if (varieties > 0 && stock_random_.Chance(0.7)) {
      set("variety", std::string(crop.varieties[stock_random_.Below(varieties)]));
    }
    set("area_ha", area);
    if (crop.plants_per_ha > 0) {
      set("plant_count",
          static_cast<int64_t>(area * crop.plants_per_ha * stock_random_.Real(0.8, 1.1)));
    }
    set("planted_on", IsoDate(planted));
    set("expected_harvest_on", IsoDate(harvest));
    set("expected_volume_kg", volume);
    set("status", status);
    grown.push_back({std::string(crop.name), volume});
  }
}

void HoldingMaker::AddHerd(const FarmerPlan& farmer, int64_t farm_id, PendingRows& livestock) {
  switch (farmer.activity) {
    case Activity::kGoats:
      AddLivestock(farm_id, "goats", stock_random_.Chance(0.5) ? "mixed" : "breeding",
                   Skewed(stock_random_, 5, 60), livestock);
      if (stock_random_.Chance(0.2)) {
        AddLivestock(farm_id, "sheep", "mixed", Skewed(stock_random_, 5, 30), livestock);
      }
      return;
    case Activity::kCattle: {
      static constexpr std::string_view kStages[] = {"beef", "beef", "dairy", "breeding"};
      AddLivestock(farm_id, "cattle", kStages[stock_random_.Below(4)], Skewed(stock_random_, 3, 60),
                   livestock);
      return;
    }
    case Activity::kPigs: {
      static constexpr std::string_view kStages[] = {"breeding", "growers", "weaners"};
      AddLivestock(farm_id, "pigs", kStages[stock_random_.Below(3)], Skewed(stock_random_, 3, 80),
                   livestock);
      return;
    }
    case Activity::kPoultry: {
      double u = stock_random_.Unit();
      if (u < 0.55 || u >= 0.8) {
        AddLivestock(farm_id, "poultry", "broilers", Skewed(stock_random_, 100, 5000), livestock);
      }
      if (u >= 0.55) {
        AddLivestock(farm_id, "poultry", "layers", Skewed(stock_random_, 100, 3000), livestock);
      }
      return;
    }
    case Activity::kApiculture:
      AddLivestock(farm_id, "bees", "honey", Skewed(stock_random_, 5, 80), livestock);
      return;
    case Activity::kFisheries:
      return;  // ponds: no species in the register
    default: {
      double u = stock_random_.Unit();
      if (u < 0.45) {
        AddLivestock(farm_id, "goats", "mixed", stock_random_.Between(2, 10), livestock);
      } else if (u < 0.85) {
        AddLivestock(farm_id, "poultry", "backyard", stock_random_.Between(20, 100), livestock);
      } else {
        AddLivestock(farm_id, "pigs", "growers", stock_random_.Between(1, 5), livestock);
      }
      return;
    }
  }
}

void HoldingMaker::AddLivestock(int64_t farm_id, std::string_view species, std::string_view stage,
                                int64_t count, PendingRows& livestock) {
  store::Row& row = livestock.Add();
  auto set = [&](std::string_view field, store::Value value) {
    row[livestock.Field(field)] = std::move(value);
  };
  set("farm_id", farm_id);
  set("species", std::string(species));
  set("stage", std::string(stage));
  set("count", count);
  set("capacity",
      static_cast<int64_t>(std::ceil(static_cast<double>(count) * stock_random_.Real(1.0, 1.5))));
}

}  // namespace harvest::demo
