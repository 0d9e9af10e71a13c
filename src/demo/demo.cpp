// GenerateDemo: fills an empty store with the demo country in one transaction. Farmers are made
// in batches; each batch's farmers, farms, crops, livestock, books and sales are written before
// the next batch is made, so memory stays small whatever the number of farmers. Officers and
// prices follow. Two farmers are chosen up front to carry the documented samples.
#include "demo/demo.h"

#include <algorithm>
#include <stdexcept>

#include "demo/generator.h"
#include "registry/parish.h"
#include "registry/schema.h"

namespace harvest::demo {
namespace {

// The two sample farmers need two farmers; beyond five million the phone numbers run out.
constexpr int64_t kMinFarmers = 2;
constexpr int64_t kMaxFarmers = 5000000;
constexpr int64_t kBatchFarmers = 2000;
// Receipts of the sample books that no demo sale uses (sales take a book's first receipts).
constexpr int64_t kValidReceiptOffset = 57;
constexpr int64_t kStolenReceiptOffset = 23;

struct SampleFarmers {
  int64_t model = 0;        // in good standing, owns active books: the VALID sample
  int64_t stolen_book = 0;  // owns a book reported stolen: the ALERT sample
};

SampleFarmers ChooseSampleFarmers(uint64_t seed, int64_t farmers, const FarmerMaker& maker) {
  Random random(seed, kSampleStream);
  int64_t start = static_cast<int64_t>(random.Below(static_cast<uint64_t>(farmers)));
  SampleFarmers chosen{start, 0};
  // Prefer a registration number with a leading zero (like "081117655"), so examples show that
  // ids are text, not numbers.
  for (int64_t step = 0; step < std::min<int64_t>(farmers, 200); ++step) {
    int64_t candidate = (start + step) % farmers;
    if (maker.IdOf(candidate)[0] == '0') {
      chosen.model = candidate;
      break;
    }
  }
  chosen.stolen_book =
      (chosen.model + 1 + static_cast<int64_t>(random.Below(static_cast<uint64_t>(farmers - 1)))) %
      farmers;
  return chosen;
}

// Farmers and everything hanging off them. Returns the model farmer's parish.
size_t WriteRegistry(store::Store& store, const DemoOptions& options, int64_t today,
                     DemoSummary& summary) {
  FarmerMaker farmer_maker(options.seed, today);
  HoldingMaker holding_maker(options.seed, today);
  ReceiptMaker receipt_maker(options.seed, today);
  SampleFarmers samples = ChooseSampleFarmers(options.seed, options.farmers, farmer_maker);
  size_t model_parish = 0;

  PendingRows farmers(store, "farmers", summary.farmers);
  PendingRows farms(store, "farms", summary.farms);
  PendingRows crops(store, "crops", summary.crops);
  PendingRows livestock(store, "livestock", summary.livestock);
  PendingRows books(store, "books", summary.books);
  PendingRows sales(store, "sales", summary.sales);
  for (int64_t start = 0; start < options.farmers; start += kBatchFarmers) {
    int64_t end = std::min(options.farmers, start + kBatchFarmers);
    std::vector<FarmerPlan> plans;
    std::vector<int> farm_counts;
    for (int64_t i = start; i < end; ++i) {
      FarmerPlan::Role role = i == samples.model         ? FarmerPlan::Role::kModel
                              : i == samples.stolen_book ? FarmerPlan::Role::kStolenBook
                                                         : FarmerPlan::Role::kOrdinary;
      plans.push_back(farmer_maker.Make(i, role, farmers));
      farm_counts.push_back(holding_maker.MakeFarms(plans.back(), farms));
    }
    farmers.Flush();
    std::vector<store::Row> stored_farms = farms.Flush();  // with their generated ids

    std::vector<std::vector<CropPlan>> grown(plans.size());
    size_t next_farm = 0;
    for (size_t f = 0; f < plans.size(); ++f) {
      for (int k = 0; k < farm_counts[f]; ++k) {
        std::vector<CropPlan> on_farm =
            holding_maker.Stock(plans[f], stored_farms[next_farm++], k == 0, crops, livestock);
        grown[f].insert(grown[f].end(), on_farm.begin(), on_farm.end());
      }
    }
    crops.Flush();
    livestock.Flush();

    std::vector<std::vector<BookPlan>> owned(plans.size());
    for (size_t f = 0; f < plans.size(); ++f) {
      owned[f] = receipt_maker.MakeBooks(plans[f], books, summary.stolen_books);
    }
    books.Flush();
    for (size_t f = 0; f < plans.size(); ++f) {
      receipt_maker.MakeSales(plans[f], owned[f], grown[f], sales);
    }
    sales.Flush();

    for (size_t f = 0; f < plans.size(); ++f) {
      DemoSamples& s = summary.samples;
      if (plans[f].role == FarmerPlan::Role::kModel) {
        s.valid_receipt_farmer_id = plans[f].id;
        s.valid_receipt = owned[f].front().first_receipt + kValidReceiptOffset;
        s.farmer_id = plans[f].id;
        s.commodity = grown[f].front().crop;
        model_parish = plans[f].parish;
      } else if (plans[f].role == FarmerPlan::Role::kStolenBook) {
        s.stolen_receipt = owned[f].front().first_receipt + kStolenReceiptOffset;
      }
    }
  }
  summary.samples.unknown_receipt = receipt_maker.UnknownReceipt();
  return model_parish;
}

// A parish where the sample commodity has prices: the model farmer's own if it has them.
std::string SampleParish(const std::vector<std::vector<size_t>>& priced, std::string_view commodity,
                         size_t preferred) {
  std::span<const registry::Commodity> all = registry::Commodities();
  for (size_t c = 0; c < all.size(); ++c) {
    if (all[c].name != commodity || priced[c].empty()) {
      continue;
    }
    const std::vector<size_t>& parishes = priced[c];
    bool has_preferred = std::find(parishes.begin(), parishes.end(), preferred) != parishes.end();
    return std::string(registry::Parishes()[has_preferred ? preferred : parishes.front()].code);
  }
  return std::string(registry::Parishes()[preferred].code);
}

}  // namespace

DemoSummary GenerateDemo(store::Store& store, const DemoOptions& options) {
  if (options.farmers < kMinFarmers || options.farmers > kMaxFarmers) {
    throw std::invalid_argument(
        "demo: the number of farmers must be between " + std::to_string(kMinFarmers) + " and " +
        std::to_string(kMaxFarmers) + ", not " + std::to_string(options.farmers));
  }
  int64_t today = ParseDay(options.today);
  if (!store.Empty()) {
    throw std::runtime_error(
        "demo: the database already has farmers; demo data is loaded only into an empty one");
  }
  DemoSummary summary;
  store.Atomically([&] {
    size_t model_parish = WriteRegistry(store, options, today, summary);
    summary.samples.officer_phone = WriteOfficers(store, options.seed, summary.officers);
    std::vector<std::vector<size_t>> priced =
        WritePrices(store, options.seed, today, summary.prices);
    summary.samples.parish = SampleParish(priced, summary.samples.commodity, model_parish);
  });
  return summary;
}

}  // namespace harvest::demo
