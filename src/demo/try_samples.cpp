// FindTrySamples: what `harvest serve --demo` suggests trying by SMS, looked up in the store
// rather than remembered from generation, so the suggestions still answer sensibly on a
// database that earlier tries have changed (a receipt sold by the last S is not offered again).
#include <algorithm>
#include <cmath>

#include "demo/demo.h"
#include "demo/generator.h"

namespace harvest::demo {
namespace {

using registry::DatasetDef;

const DatasetDef& Set(std::string_view name) {
  return *registry::FindDataset(name);
}

store::Filter Where(const DatasetDef& set, std::string_view field, store::FilterOp op,
                    store::Value value) {
  return store::Filter{set.FieldIndex(field), op, {std::move(value)}};
}

store::Filter Eq(const DatasetDef& set, std::string_view field, store::Value value) {
  return Where(set, field, store::FilterOp::kEq, std::move(value));
}

std::string Text(const DatasetDef& set, const store::Row& row, std::string_view field) {
  return store::ValueText(row[set.FieldIndex(field)]);
}

int64_t Integer(const DatasetDef& set, const store::Row& row, std::string_view field) {
  const store::Value& v = row[set.FieldIndex(field)];
  return std::holds_alternative<int64_t>(v) ? std::get<int64_t>(v) : 0;
}

double Number(const DatasetDef& set, const store::Row& row, std::string_view field) {
  const store::Value& v = row[set.FieldIndex(field)];
  if (std::holds_alternative<double>(v)) {
    return std::get<double>(v);
  }
  return std::holds_alternative<int64_t>(v) ? static_cast<double>(std::get<int64_t>(v)) : 0;
}

std::string ActiveOfficerPhone(store::Store& store) {
  const DatasetDef& officers = Set("officers");
  store::Selection active;
  active.filters.push_back(Eq(officers, "status", std::string("active")));
  active.limit = 1;
  std::vector<store::Row> rows = store.Select(officers, active);
  return rows.empty() ? "" : Text(officers, rows[0], "phone");
}

// The crop the farmer expects most of, with that expectation in kg ("" when he grows none).
std::pair<std::string, double> MainCrop(store::Store& store, const std::string& farmer_id) {
  const DatasetDef& farms = Set("farms");
  const DatasetDef& crops = Set("crops");
  store::Selection his_farms;
  his_farms.filters.push_back(Eq(farms, "farmer_id", farmer_id));
  std::pair<std::string, double> best{"", 0};
  for (const store::Row& farm : store.Select(farms, his_farms)) {
    store::Selection on_farm;
    on_farm.filters.push_back(Eq(crops, "farm_id", Integer(farms, farm, "id")));
    on_farm.filters.push_back(Where(crops, "status", store::FilterOp::kNe, std::string("failed")));
    for (const store::Row& crop : store.Select(crops, on_farm)) {
      double kg = Number(crops, crop, "expected_volume_kg");
      if (kg > best.second) {
        best = {Text(crops, crop, "crop"), kg};
      }
    }
  }
  return best;
}

struct Unsold {
  std::string serial;
  int64_t first = 0;
  int64_t second = 0;
};

// Two receipts of one of the farmer's active books with no sale on them.
std::optional<Unsold> UnsoldReceipts(store::Store& store, const std::string& farmer_id) {
  const DatasetDef& books = Set("books");
  const DatasetDef& sales = Set("sales");
  store::Selection his_books;
  his_books.filters.push_back(Eq(books, "farmer_id", farmer_id));
  his_books.filters.push_back(Eq(books, "status", std::string("active")));
  for (const store::Row& book : store.Select(books, his_books)) {
    std::vector<int64_t> unsold;
    // From the middle of the book: demo sales, like a farmer's, use a book's first receipts.
    int64_t first = Integer(books, book, "first_receipt");
    int64_t last = Integer(books, book, "last_receipt");
    for (int64_t r = first + (last - first) / 2; r <= last && unsold.size() < 2; ++r) {
      if (!store.Get(sales, r)) {
        unsold.push_back(r);
      }
    }
    if (unsold.size() == 2) {
      return Unsold{Text(books, book, "serial"), unsold[0], unsold[1]};
    }
  }
  return std::nullopt;
}

int64_t StolenReceipt(store::Store& store) {
  const DatasetDef& books = Set("books");
  store::Selection stolen;
  stolen.filters.push_back(Eq(books, "status", std::string("stolen")));
  stolen.limit = 1;
  std::vector<store::Row> rows = store.Select(books, stolen);
  return rows.empty() ? 0 : Integer(books, rows[0], "first_receipt") + 7;
}

}  // namespace

std::optional<TrySamples> FindTrySamples(store::Store& store, std::string_view today) {
  TrySamples s;
  s.officer_phone = ActiveOfficerPhone(store);
  if (s.officer_phone.empty()) {
    return std::nullopt;
  }
  const DatasetDef& farmers = Set("farmers");
  store::Selection good;
  good.filters.push_back(Eq(farmers, "status", std::string("active")));
  good.filters.push_back(Eq(farmers, "verified", int64_t{1}));
  good.filters.push_back(Eq(farmers, "under_investigation", int64_t{0}));
  // A card that stays valid for a while, so the suggestion keeps answering VALID.
  good.filters.push_back(
      Where(farmers, "card_expires_on", store::FilterOp::kGt, IsoDate(ParseDay(today) + 30)));
  good.filters.push_back(Where(farmers, "phone", store::FilterOp::kIsNull, int64_t{0}));
  bool found = false;
  store.Scan(farmers, good, [&](const store::Row& farmer) {
    std::string id = Text(farmers, farmer, "id");
    std::string phone = Text(farmers, farmer, "phone");
    // A phone a family shares would make the S reply ask whose book it is.
    if (store.Count(farmers, {Eq(farmers, "phone", phone)}) != 1) {
      return true;
    }
    auto [crop, expected_kg] = MainCrop(store, id);
    if (expected_kg < 200) {
      return true;
    }
    std::optional<Unsold> receipts = UnsoldReceipts(store, id);
    if (!receipts) {
      return true;
    }
    s.farmer_id = id;
    s.farmer_phone = phone;
    s.check_receipt = receipts->first;
    s.sell_receipt = receipts->second;
    s.book_serial = receipts->serial;
    s.commodity = crop;
    s.sell_kg = std::min(50.0, std::floor(expected_kg / 20));
    found = true;
    return false;
  });
  if (!found) {
    return std::nullopt;
  }
  s.stolen_receipt = StolenReceipt(store);
  return s;
}

}  // namespace harvest::demo
