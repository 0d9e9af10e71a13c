// Demo receipt books (sold by JAS outlets, 100 receipts each, a few lost, stolen or cancelled)
// and the digital receipts farmers recorded on them by SMS in the last 60 days.
#include <algorithm>
#include <cstdio>

#include "demo/generator.h"
#include "registry/parish.h"

namespace harvest::demo {
namespace {

constexpr int64_t kReceiptsPerBook = 100;

std::string Serial(int64_t book) {
  char text[24];
  std::snprintf(text, sizeof text, "%06lld", static_cast<long long>(book));
  return text;
}

std::string BuyerPhone(Random& random) {
  int64_t exchange = random.Between(300, 898);
  if (exchange >= 555) {
    ++exchange;  // 555 is kept for fictional numbers
  }
  char text[20];
  std::snprintf(text, sizeof text, "+1876%03lld%04lld", static_cast<long long>(exchange),
                static_cast<long long>(random.Between(0, 9999)));
  return text;
}

}  // namespace

ReceiptMaker::ReceiptMaker(uint64_t seed, int64_t today)
    : book_random_(seed, kBookStream), sale_random_(seed, kSaleStream), today_(today) {}

std::vector<BookPlan> ReceiptMaker::MakeBooks(const FarmerPlan& farmer, PendingRows& books,
                                              int64_t& stolen_books) {
  bool forced = farmer.role != FarmerPlan::Role::kOrdinary;
  // JAS sells books to registered farmers; verified ones buy them far more often.
  if (!forced && !book_random_.Chance(farmer.verified ? 0.4 : 0.15)) {
    return {};
  }
  double u = book_random_.Unit();
  int count = u < 0.6 ? 1 : u < 0.88 ? 2 : 3;
  int64_t latest = today_ - 1;
  int64_t earliest = std::min(std::max(farmer.registered_on, today_ - 6 * 365), latest);
  std::vector<int64_t> sold_on;
  for (int k = 0; k < count; ++k) {
    sold_on.push_back(book_random_.Between(earliest, latest));
  }
  std::sort(sold_on.begin(), sold_on.end());

  std::vector<BookPlan> plans;
  for (int k = 0; k < count; ++k) {
    // Some ranges stay in an outlet's stock: their numbers are in no farmer's book.
    if (book_random_.Chance(0.03)) {
      if (unsold_book_ == 0) {
        unsold_book_ = next_book_;
      }
      next_book_ += book_random_.Between(1, 30);
    }
    int64_t number = next_book_++;
    std::string status = "active";
    double fate = book_random_.Unit();
    if (farmer.role == FarmerPlan::Role::kStolenBook && k == 0) {
      status = "stolen";
    } else if (farmer.role != FarmerPlan::Role::kModel) {
      status = fate < 0.005 ? "stolen" : fate < 0.01 ? "lost" : fate < 0.013 ? "cancelled" : status;
    }

    size_t parish = farmer.parish;
    const std::vector<size_t>& neighbours = Places()[parish].neighbours;
    if (book_random_.Chance(0.07) && !neighbours.empty()) {
      parish = neighbours[book_random_.Below(neighbours.size())];
    }
    const ParishPlaces& place = Places()[parish];

    store::Row& row = books.Add();
    auto set = [&](std::string_view field, store::Value value) {
      row[books.Field(field)] = std::move(value);
    };
    BookPlan plan{number * kReceiptsPerBook + 1, sold_on[k], status == "active"};
    set("serial", Serial(number));
    set("first_receipt", plan.first_receipt);
    set("last_receipt", number * kReceiptsPerBook + kReceiptsPerBook);
    set("farmer_id", farmer.id);
    set("sold_on", IsoDate(plan.sold_on));
    set("outlet", "JAS " + std::string(registry::Parishes()[parish].name) + " outlet, " +
                      std::string(book_random_.Pick(std::span(place.outlet_towns))));
    set("parish", std::string(place.code));
    set("status", status);
    if (!plan.active) {
      int64_t changed =
          plan.sold_on < latest ? book_random_.Between(plan.sold_on + 1, latest) : latest;
      set("status_changed_on", IsoDate(changed));
      const ParishPlaces& home = Places()[farmer.parish];
      if (status == "stolen") {
        ++stolen_books;
        set("remarks", "Reported stolen at " +
                           std::string(book_random_.Pick(std::span(home.police_stations))));
      } else if (status == "lost") {
        set("remarks", std::string("Reported lost by the farmer"));
      } else {
        set("remarks",
            std::string(book_random_.Chance(0.5) ? "Cancelled at the farmer's request"
                                                 : "Cancelled by JAS: misprinted receipts"));
      }
    }
    plans.push_back(plan);
  }
  return plans;
}

void ReceiptMaker::MakeSales(const FarmerPlan& farmer, const std::vector<BookPlan>& books,
                             const std::vector<CropPlan>& crops, PendingRows& sales) {
  if (!farmer.active || books.empty() || !sale_random_.Chance(0.045)) {
    return;
  }
  const BookPlan* book = nullptr;
  for (const BookPlan& b : books) {
    if (b.active && b.sold_on < today_ - 1) {
      book = &b;  // the most recent active book
    }
  }
  std::vector<const CropPlan*> sellable;
  for (const CropPlan& crop : crops) {
    if (crop.expected_kg >= 40) {
      sellable.push_back(&crop);
    }
  }
  if (book == nullptr || sellable.empty()) {
    return;
  }
  int count = static_cast<int>(sale_random_.Between(1, 3));
  std::vector<int64_t> days;
  for (int j = 0; j < count; ++j) {
    days.push_back(sale_random_.Between(std::max(today_ - 60, book->sold_on), today_ - 1));
  }
  std::sort(days.begin(), days.end());
  for (int j = 0; j < count; ++j) {
    const CropPlan& crop = *sellable[sale_random_.Below(sellable.size())];
    // Well inside what the farm expects to harvest, so no sale looks implausible.
    double quantity =
        Round(std::min(sale_random_.Real(20, 450), 0.25 * crop.expected_kg / count), 0);
    store::Row& row = sales.Add();
    auto set = [&](std::string_view field, store::Value value) {
      row[sales.Field(field)] = std::move(value);
    };
    set("receipt", book->first_receipt + j);
    set("farmer_id", farmer.id);
    set("commodity", crop.crop);
    set("quantity", std::max(quantity, 5.0));
    set("unit", std::string("kg"));
    if (sale_random_.Chance(0.75)) {
      set("buyer_name",
          PersonName(sale_random_, sale_random_.Chance(0.55)));  // many higglers are women
    }
    if (sale_random_.Chance(0.5)) {
      set("buyer_phone", BuyerPhone(sale_random_));
    }
    // 06:00-18:59 in Jamaica (UTC-5).
    set("sold_at",
        Timestamp(days[static_cast<size_t>(j)], sale_random_.Between(11 * 3600, 24 * 3600 - 1)));
    double channel = sale_random_.Unit();
    set("channel", std::string(channel < 0.8 ? "sms" : channel < 0.92 ? "web" : "api"));
  }
}

int64_t ReceiptMaker::UnknownReceipt() const {
  return (unsold_book_ != 0 ? unsold_book_ : next_book_) * kReceiptsPerBook + 37;
}

}  // namespace harvest::demo
