// The demo generator on a real SQLite store: every dataset filled, the same seed giving the same
// rows, values that fit the schema, books that never overlap, and samples that mean what the
// docs say they mean.
#include "demo/demo.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>

#include "registry/parish.h"
#include "registry/schema.h"
#include "registry/text_values.h"

namespace harvest::demo {
namespace {

using store::Row;
using store::Value;

constexpr int64_t kFarmers = 2000;
const char* const kToday = "2026-11-23";

// A fresh database file, removed with its WAL files when the test ends.
class TempDb {
 public:
  TempDb() {
    static std::atomic<int> counter{0};
    path_ =
        (std::filesystem::temp_directory_path() / ("harvest_demo_test_" + std::to_string(getpid()) +
                                                   "_" + std::to_string(counter++) + ".db"))
            .string();
    Remove();
    store_ = store::OpenStore(path_);
  }
  ~TempDb() {
    store_.reset();
    Remove();
  }
  store::Store& store() { return *store_; }

 private:
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path_ + suffix);
    }
  }
  std::string path_;
  std::unique_ptr<store::Store> store_;
};

DemoOptions Options(uint64_t seed = 2014) {
  DemoOptions options;
  options.farmers = kFarmers;
  options.seed = seed;
  options.today = kToday;
  return options;
}

const registry::DatasetDef& Set(std::string_view name) {
  return *registry::FindDataset(name);
}

std::vector<Row> All(store::Store& store, std::string_view dataset) {
  return store.Select(Set(dataset), store::Selection{});
}

const Value& Cell(const Row& row, std::string_view dataset, std::string_view field) {
  int index = Set(dataset).FieldIndex(field);
  EXPECT_GE(index, 0) << dataset << "." << field;
  return row.at(static_cast<size_t>(index));
}

std::string Text(const Row& row, std::string_view dataset, std::string_view field) {
  return store::ValueText(Cell(row, dataset, field));
}

double Number(const Row& row, std::string_view dataset, std::string_view field) {
  const Value& v = Cell(row, dataset, field);
  return std::holds_alternative<double>(v) ? std::get<double>(v)
                                           : static_cast<double>(std::get<int64_t>(v));
}

// The book holding a receipt, if any: the greatest first_receipt not above it.
std::optional<Row> BookOf(store::Store& store, int64_t receipt) {
  const registry::DatasetDef& books = Set("books");
  store::Selection selection;
  selection.filters.push_back(
      {books.FieldIndex("first_receipt"), store::FilterOp::kLte, {Value(receipt)}});
  selection.sort.push_back({books.FieldIndex("first_receipt"), true});
  selection.limit = 1;
  std::vector<Row> rows = store.Select(books, selection);
  if (rows.empty() || Number(rows[0], "books", "last_receipt") < static_cast<double>(receipt)) {
    return std::nullopt;
  }
  return rows[0];
}

// One generation shared by the tests that only read it.
class DemoData : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = new TempDb();
    summary_ = new DemoSummary(GenerateDemo(db_->store(), Options()));
  }
  static void TearDownTestSuite() {
    delete summary_;
    delete db_;
  }
  store::Store& store() { return db_->store(); }
  const DemoSummary& summary() { return *summary_; }

  static TempDb* db_;
  static DemoSummary* summary_;
};
TempDb* DemoData::db_ = nullptr;
DemoSummary* DemoData::summary_ = nullptr;

TEST_F(DemoData, FillsEveryDatasetAndCountsWhatItWrote) {
  const std::pair<std::string_view, int64_t> counts[] = {
      {"farmers", summary().farmers}, {"farms", summary().farms},
      {"crops", summary().crops},     {"livestock", summary().livestock},
      {"prices", summary().prices},   {"books", summary().books},
      {"sales", summary().sales},     {"officers", summary().officers},
  };
  for (const auto& [dataset, count] : counts) {
    EXPECT_GT(count, 0) << dataset;
    EXPECT_EQ(store().Count(Set(dataset), {}), count) << dataset;
  }
  EXPECT_EQ(summary().farmers, kFarmers);
  EXPECT_GT(summary().stolen_books, 0);
  EXPECT_LE(summary().prices, 100000);
}

TEST_F(DemoData, FarmerIdentifiersAreWellFormedAndUnique) {
  std::set<std::string> phones;
  for (const Row& farmer : All(store(), "farmers")) {
    std::string id = Text(farmer, "farmers", "id");
    EXPECT_EQ(id.size(), 9u) << id;
    EXPECT_EQ(id.find_first_not_of("0123456789"), std::string::npos) << id;
    std::string trn = Text(farmer, "farmers", "trn");
    EXPECT_EQ(trn.size(), 9u) << trn;
    std::string phone = Text(farmer, "farmers", "phone");
    if (!phone.empty()) {
      EXPECT_EQ(registry::NormalizePhone(phone, "876"), phone);
      EXPECT_EQ(phone.rfind("+1876", 0), 0u) << phone;
      EXPECT_TRUE(phones.insert(phone).second) << "phone used twice: " << phone;
    }
  }
}

TEST_F(DemoData, ValuesFitTheSchema) {
  for (std::string_view dataset :
       {"farmers", "farms", "crops", "livestock", "prices", "books", "sales", "officers"}) {
    const registry::DatasetDef& set = Set(dataset);
    for (const Row& row : All(store(), dataset)) {
      ASSERT_EQ(row.size(), set.fields.size());
      for (size_t i = 0; i < row.size(); ++i) {
        const registry::FieldDef& field = set.fields[i];
        if (store::IsNull(row[i])) {
          EXPECT_FALSE(field.required) << dataset << "." << field.name;
          continue;
        }
        std::string text = store::ValueText(row[i]);
        std::string where = std::string(dataset) + "." + field.name + " = " + text;
        switch (field.type) {
          case registry::FieldType::kEnum:
            EXPECT_NE(std::find(field.choices.begin(), field.choices.end(), text),
                      field.choices.end())
                << where;
            break;
          case registry::FieldType::kDate:
            EXPECT_TRUE(registry::IsIsoDate(text)) << where;
            break;
          case registry::FieldType::kTimestamp:
            EXPECT_TRUE(registry::IsRfc3339Utc(text)) << where;
            break;
          case registry::FieldType::kParish:
            EXPECT_EQ(registry::ParishName(text).empty(), false) << where;
            break;
          case registry::FieldType::kPhone:
            EXPECT_EQ(registry::NormalizePhone(text, "876"), text) << where;
            break;
          case registry::FieldType::kBoolean:
            EXPECT_TRUE(text == "0" || text == "1") << where;
            break;
          case registry::FieldType::kMoney:
            EXPECT_TRUE(registry::ParseDecimalCents(text).has_value()) << where;
            break;
          default:
            break;
        }
      }
    }
  }
  for (const Row& crop : All(store(), "crops")) {
    const registry::Commodity* c = registry::FindCommodity(Text(crop, "crops", "crop"));
    ASSERT_NE(c, nullptr) << Text(crop, "crops", "crop");
    EXPECT_NE(c->category, "livestock");
    EXPECT_GT(Text(crop, "crops", "expected_harvest_on"), Text(crop, "crops", "planted_on"));
  }
  for (const Row& farm : All(store(), "farms")) {
    double lat = Number(farm, "farms", "lat");
    double lon = Number(farm, "farms", "lon");
    EXPECT_TRUE(lat > 17 && lat < 19 && lon > -79 && lon < -75.5) << lat << "," << lon;
    double size = Number(farm, "farms", "size_ha");
    EXPECT_TRUE(size >= 0.2 && size <= 20) << size;
  }
}

TEST_F(DemoData, FarmerDatesAreConsistent) {
  int expired = 0;
  int total = 0;
  for (const Row& farmer : All(store(), "farmers")) {
    std::string registered = Text(farmer, "farmers", "registered_on");
    std::string born = Text(farmer, "farmers", "date_of_birth");
    std::string verified_on = Text(farmer, "farmers", "verified_on");
    std::string expires = Text(farmer, "farmers", "card_expires_on");
    EXPECT_GE(registered, "2008-01-01");
    EXPECT_LT(registered, kToday);
    EXPECT_LT(born, "2008-11-23") << "younger than 18";
    EXPECT_GT(born, "1940-11-23") << "older than 86";
    EXPECT_EQ(Text(farmer, "farmers", "verified") == "1", !verified_on.empty());
    if (!verified_on.empty()) {
      EXPECT_GE(verified_on, registered);
    }
    EXPECT_GT(expires, registered);
    expired += expires < kToday ? 1 : 0;
    ++total;
  }
  EXPECT_GT(expired, total / 10);
  EXPECT_LT(expired, total * 3 / 10);
}

TEST_F(DemoData, BooksNeverOverlapAndStartAtReceiptsEndingIn01) {
  const registry::DatasetDef& books = Set("books");
  store::Selection by_range;
  by_range.sort.push_back({books.FieldIndex("first_receipt"), false});
  int64_t previous_last = 0;
  for (const Row& book : store().Select(books, by_range)) {
    auto first = static_cast<int64_t>(Number(book, "books", "first_receipt"));
    auto last = static_cast<int64_t>(Number(book, "books", "last_receipt"));
    EXPECT_EQ(first % 100, 1) << first;
    EXPECT_EQ(last, first + 99);
    EXPECT_GT(first, previous_last);
    EXPECT_EQ(std::stoll(Text(book, "books", "serial")), first / 100);
    EXPECT_EQ(Text(book, "books", "serial").size(), 6u);
    EXPECT_EQ(Text(book, "books", "status") == "active",
              Text(book, "books", "status_changed_on").empty());
    previous_last = last;
  }
}

TEST_F(DemoData, SalesStayWithinWhatTheFarmerGrows) {
  // expected volume per farmer and crop, over all his farms
  std::map<int64_t, std::string> farm_owner;
  for (const Row& farm : All(store(), "farms")) {
    farm_owner[static_cast<int64_t>(Number(farm, "farms", "id"))] =
        Text(farm, "farms", "farmer_id");
  }
  std::map<std::pair<std::string, std::string>, double> expected;
  for (const Row& crop : All(store(), "crops")) {
    std::string owner = farm_owner.at(static_cast<int64_t>(Number(crop, "crops", "farm_id")));
    expected[{owner, Text(crop, "crops", "crop")}] += Number(crop, "crops", "expected_volume_kg");
  }
  std::map<std::pair<std::string, std::string>, double> sold;
  for (const Row& sale : All(store(), "sales")) {
    sold[{Text(sale, "sales", "farmer_id"), Text(sale, "sales", "commodity")}] +=
        Number(sale, "sales", "quantity");
    EXPECT_EQ(Text(sale, "sales", "unit"), "kg");
    std::string at = Text(sale, "sales", "sold_at");
    EXPECT_GE(at, "2026-09-24");
    EXPECT_LT(at, kToday);
  }
  for (const auto& [key, quantity] : sold) {
    ASSERT_TRUE(expected.contains(key)) << key.first << " sold " << key.second;
    EXPECT_LE(quantity, 0.5 * expected.at(key)) << key.first << " " << key.second;
  }
}

TEST_F(DemoData, PricesRiseAlongTheChainEveryMondayOfTheYear) {
  std::map<std::tuple<std::string, std::string, std::string>, std::map<std::string, double>> cells;
  std::set<std::string> weeks;
  std::set<std::string> commodities;
  for (const Row& price : All(store(), "prices")) {
    std::string week = Text(price, "prices", "week_of");
    EXPECT_TRUE(registry::IsMonday(week)) << week;
    EXPECT_LE(week, kToday);
    weeks.insert(week);
    commodities.insert(Text(price, "prices", "commodity"));
    cells[{Text(price, "prices", "commodity"), Text(price, "prices", "parish"), week}]
         [Text(price, "prices", "price_point")] = Number(price, "prices", "price");
  }
  EXPECT_EQ(weeks.size(), 52u);
  EXPECT_EQ(commodities.size(), registry::Commodities().size());
  for (const auto& [key, points] : cells) {
    ASSERT_EQ(points.size(), 3u);
    EXPECT_LT(points.at("farmgate"), points.at("wholesale")) << std::get<0>(key);
    EXPECT_LT(points.at("wholesale"), points.at("retail")) << std::get<0>(key);
  }
}

TEST_F(DemoData, SamplesMeanWhatTheySay) {
  const DemoSamples& s = summary().samples;

  std::optional<Row> valid_book = BookOf(store(), s.valid_receipt);
  ASSERT_TRUE(valid_book.has_value());
  EXPECT_EQ(Text(*valid_book, "books", "status"), "active");
  EXPECT_EQ(Text(*valid_book, "books", "farmer_id"), s.valid_receipt_farmer_id);
  EXPECT_FALSE(store().Get(Set("sales"), Value(s.valid_receipt)).has_value());
  std::optional<Row> farmer = store().Get(Set("farmers"), Value(s.valid_receipt_farmer_id));
  ASSERT_TRUE(farmer.has_value());
  EXPECT_EQ(Text(*farmer, "farmers", "status"), "active");
  EXPECT_EQ(Text(*farmer, "farmers", "verified"), "1");
  EXPECT_EQ(Text(*farmer, "farmers", "under_investigation"), "0");
  EXPECT_GT(Text(*farmer, "farmers", "card_expires_on"), "2027-11-23") << "valid a year on";
  EXPECT_FALSE(Text(*farmer, "farmers", "phone").empty());

  std::optional<Row> stolen_book = BookOf(store(), s.stolen_receipt);
  ASSERT_TRUE(stolen_book.has_value());
  EXPECT_EQ(Text(*stolen_book, "books", "status"), "stolen");

  EXPECT_FALSE(BookOf(store(), s.unknown_receipt).has_value());

  EXPECT_TRUE(store().Get(Set("farmers"), Value(s.farmer_id)).has_value());

  const registry::DatasetDef& officers = Set("officers");
  std::vector<Row> officer =
      store().Select(officers, store::Selection{.filters = {{officers.FieldIndex("phone"),
                                                             store::FilterOp::kEq,
                                                             {Value(s.officer_phone)}}}});
  ASSERT_EQ(officer.size(), 1u);
  EXPECT_EQ(Text(officer[0], "officers", "status"), "active");

  ASSERT_NE(registry::FindCommodity(s.commodity), nullptr);
  const registry::DatasetDef& prices = Set("prices");
  EXPECT_GT(
      store().Count(prices,
                    {{prices.FieldIndex("commodity"), store::FilterOp::kEq, {Value(s.commodity)}},
                     {prices.FieldIndex("parish"), store::FilterOp::kEq, {Value(s.parish)}}}),
      0);
}

TEST(Demo, SameSeedSameDataOtherSeedOtherData) {
  TempDb first;
  TempDb second;
  TempDb other;
  DemoSummary a = GenerateDemo(first.store(), Options(7));
  DemoSummary b = GenerateDemo(second.store(), Options(7));
  GenerateDemo(other.store(), Options(8));
  for (std::string_view dataset : {"farmers", "farms", "crops", "books", "sales", "prices"}) {
    EXPECT_EQ(All(first.store(), dataset), All(second.store(), dataset)) << dataset;
  }
  EXPECT_EQ(a.samples.valid_receipt, b.samples.valid_receipt);
  EXPECT_EQ(a.samples.farmer_id, b.samples.farmer_id);
  EXPECT_NE(All(first.store(), "farmers"), All(other.store(), "farmers"));
  EXPECT_NE(All(first.store(), "books"), All(other.store(), "books"));
}

TEST(Demo, RefusesBadOptionsAndAFilledStore) {
  TempDb db;
  DemoOptions few = Options();
  few.farmers = 1;
  EXPECT_THROW(GenerateDemo(db.store(), few), std::invalid_argument);
  DemoOptions bad_day = Options();
  bad_day.today = "2026-02-30";
  EXPECT_THROW(GenerateDemo(db.store(), bad_day), std::invalid_argument);
  EXPECT_TRUE(db.store().Empty());

  DemoOptions small = Options();
  small.farmers = 2;
  DemoSummary summary = GenerateDemo(db.store(), small);
  EXPECT_EQ(summary.farmers, 2);
  EXPECT_FALSE(summary.samples.valid_receipt_farmer_id.empty());
  EXPECT_NE(summary.samples.stolen_receipt, 0);
  EXPECT_THROW(GenerateDemo(db.store(), small), std::runtime_error);
  EXPECT_EQ(db.store().Count(Set("farmers"), {}), 2);
}

}  // namespace
}  // namespace harvest::demo
