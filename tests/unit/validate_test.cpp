// Validation and normalisation of incoming records.
#include "registry/validate.h"

#include <gtest/gtest.h>

namespace harvest::registry {
namespace {

std::vector<InputCell> Cells(const DatasetDef& set,
                             std::initializer_list<std::pair<const char*, const char*>> values) {
  std::vector<InputCell> cells(set.fields.size());
  for (const auto& [name, value] : values) {
    cells[static_cast<size_t>(set.FieldIndex(name))] = InputCell::Text(value);
  }
  return cells;
}

std::string Problems(const std::vector<FieldProblem>& problems) {
  std::string text;
  for (const auto& p : problems) {
    text += p.field + ": " + p.message + "\n";
  }
  return text;
}

TEST(Validate, FarmerIsNormalised) {
  const DatasetDef& set = *FindDataset("farmers");
  store::Row row;
  auto problems = BuildRow(set,
                           Cells(set, {{"id", "081117655"},
                                       {"first_name", " Errol "},
                                       {"last_name", "Campbell"},
                                       {"parish", "ST.ELIZABETH"},
                                       {"phone", "555-0123"},
                                       {"verified", "Yes"},
                                       {"sex", "m"}}),
                           ValidationContext{}, row);
  ASSERT_TRUE(problems.empty()) << Problems(problems);
  EXPECT_EQ(std::get<std::string>(row[set.FieldIndex("id")]), "081117655");
  EXPECT_EQ(std::get<std::string>(row[set.FieldIndex("first_name")]), "Errol");
  EXPECT_EQ(std::get<std::string>(row[set.FieldIndex("parish")]), "ELZ");
  EXPECT_EQ(std::get<std::string>(row[set.FieldIndex("phone")]), "+18765550123");
  EXPECT_EQ(std::get<int64_t>(row[set.FieldIndex("verified")]), 1);
  EXPECT_EQ(std::get<std::string>(row[set.FieldIndex("sex")]), "M");
  // Fallbacks fill what a new record leaves empty.
  EXPECT_EQ(std::get<std::string>(row[set.FieldIndex("status")]), "active");
  EXPECT_EQ(std::get<int64_t>(row[set.FieldIndex("under_investigation")]), 0);
}

TEST(Validate, EveryProblemIsNamedWithItsValue) {
  const DatasetDef& set = *FindDataset("farmers");
  store::Row row;
  auto problems = BuildRow(set,
                           Cells(set, {{"id", "0811"},
                                       {"parish", "Atlantis"},
                                       {"verified", "perhaps"},
                                       {"date_of_birth", "1970-02-30"},
                                       {"status", "retired"}}),
                           ValidationContext{}, row);
  std::string text = Problems(problems);
  EXPECT_NE(text.find("first_name: is required"), std::string::npos) << text;
  EXPECT_NE(text.find("parish: unknown parish 'Atlantis'"), std::string::npos) << text;
  EXPECT_NE(text.find("verified: must be true or false"), std::string::npos) << text;
  EXPECT_NE(text.find("date_of_birth: must be a date"), std::string::npos) << text;
  EXPECT_NE(text.find("status: must be one of active, suspended, deceased, not 'retired'"),
            std::string::npos)
      << text;
}

TEST(Validate, FarmerIdMustBeNineDigits) {
  const DatasetDef& set = *FindDataset("farmers");
  store::Row row;
  auto problems = BuildRow(
      set,
      Cells(set, {{"id", "81117655"}, {"first_name", "A"}, {"last_name", "B"}, {"parish", "KIN"}}),
      ValidationContext{}, row);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "id");
}

TEST(Validate, PricesWantKnownCommoditiesMondaysAndCents) {
  const DatasetDef& set = *FindDataset("prices");
  store::Row row;
  auto ok = BuildRow(set,
                     Cells(set, {{"commodity", "Yellow  Yam"},
                                 {"unit", "KG"},
                                 {"price", "250.50"},
                                 {"price_point", "Wholesale"},
                                 {"parish", "Kingston"},
                                 {"week_of", "2026-11-16"}}),
                     ValidationContext{}, row);
  ASSERT_TRUE(ok.empty()) << Problems(ok);
  EXPECT_EQ(std::get<std::string>(row[set.FieldIndex("commodity")]), "yellow yam");
  EXPECT_EQ(std::get<std::string>(row[set.FieldIndex("unit")]), "kg");
  auto bad = BuildRow(set,
                      Cells(set, {{"commodity", "unobtainium"},
                                  {"unit", "kg"},
                                  {"price", "2.505"},
                                  {"price_point", "retail"},
                                  {"parish", "KIN"},
                                  {"week_of", "2026-11-17"}}),
                      ValidationContext{}, row);
  std::string text = Problems(bad);
  EXPECT_NE(text.find("price: must be an amount with at most 2 decimals"), std::string::npos)
      << text;
  bad = BuildRow(set,
                 Cells(set, {{"commodity", "unobtainium"},
                             {"unit", "kg"},
                             {"price", "2.5"},
                             {"price_point", "retail"},
                             {"parish", "KIN"},
                             {"week_of", "2026-11-17"}}),
                 ValidationContext{}, row);
  text = Problems(bad);
  EXPECT_NE(text.find("commodity: unknown commodity"), std::string::npos) << text;
  EXPECT_NE(text.find("week_of: must be a Monday"), std::string::npos) << text;
}

TEST(Validate, BookRangesAndFarmCoordinates) {
  const DatasetDef& books = *FindDataset("books");
  store::Row row;
  auto problems = BuildRow(books,
                           Cells(books, {{"serial", "000045"},
                                         {"first_receipt", "4501"},
                                         {"last_receipt", "4400"},
                                         {"farmer_id", "081117655"}}),
                           ValidationContext{}, row);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "last_receipt");
  const DatasetDef& farms = *FindDataset("farms");
  problems = BuildRow(
      farms,
      Cells(farms,
            {{"farmer_id", "081117655"}, {"parish", "THO"}, {"lat", "-76.5"}, {"lon", "17.9"}}),
      ValidationContext{}, row);
  EXPECT_EQ(problems.size(), 2u) << "swapped lat/lon are off the island";
}

TEST(Validate, JsonTypedCells) {
  const FieldDef& price = *FindDataset("prices")->Field("price");
  store::Value out;
  InputCell number{.kind = InputCell::kReal, .real = 12.5};
  EXPECT_FALSE(ConvertCell(price, number, {}, out));
  EXPECT_DOUBLE_EQ(std::get<double>(out), 12.5);
  InputCell flag{.kind = InputCell::kBool, .boolean = true};
  EXPECT_TRUE(ConvertCell(price, flag, {}, out));
  const FieldDef& verified = *FindDataset("farmers")->Field("verified");
  EXPECT_FALSE(ConvertCell(verified, flag, {}, out));
  EXPECT_EQ(std::get<int64_t>(out), 1);
}

TEST(Validate, BookSizeIsBounded) {
  const DatasetDef& books = *FindDataset("books");
  auto size = [&](const char* last, int64_t max) {
    store::Row row;
    return BuildRow(books,
                    Cells(books, {{"serial", "000045"},
                                  {"first_receipt", "1"},
                                  {"last_receipt", last},
                                  {"farmer_id", "081117655"}}),
                    ValidationContext{.max_book_receipts = max}, row);
  };
  EXPECT_TRUE(size("1000", 1000).empty());
  ASSERT_EQ(size("1001", 1000).size(), 1u);
  EXPECT_EQ(size("1001", 1000)[0].field, "last_receipt");
  EXPECT_EQ(size("9223372036854775807", 1000).size(), 1u) << "no book spans every number";
  EXPECT_TRUE(size("1", 1).empty());
  EXPECT_EQ(size("2", 1).size(), 1u);
}

TEST(Validate, TextIsUtf8WithoutControlsAndBounded) {
  EXPECT_FALSE(CheckText("Zo\xc3\xab", 100, false));
  EXPECT_TRUE(CheckText("Ren\xe9", 100, false)) << "Latin-1 byte";
  EXPECT_TRUE(CheckText("\xc0\xaf", 100, false)) << "overlong";
  EXPECT_TRUE(CheckText("\xed\xa0\x80", 100, false)) << "surrogate";
  EXPECT_TRUE(CheckText("a\x01", 100, false));
  EXPECT_TRUE(CheckText("a\xc2\x85", 100, false)) << "C1 control";
  EXPECT_TRUE(CheckText("a\tb", 100, false));
  EXPECT_FALSE(CheckText("a\tb\r\nc", 100, true)) << "remarks keep tabs and lines";
  EXPECT_TRUE(CheckText("a\x1b", 100, true));
  EXPECT_FALSE(CheckText(std::string(100, 'x'), 100, false));
  EXPECT_TRUE(CheckText(std::string(101, 'x'), 100, false));
  std::string hundred_e;
  for (int i = 0; i < 100; ++i) {
    hundred_e += "\xc3\xa9";
  }
  EXPECT_FALSE(CheckText(hundred_e, 100, false)) << "characters, not bytes";

  const DatasetDef& farmers = *FindDataset("farmers");
  store::Value out;
  EXPECT_TRUE(
      ConvertCell(*farmers.Field("first_name"), InputCell::Text(std::string(101, 'x')), {}, out));
  EXPECT_FALSE(
      ConvertCell(*farmers.Field("remarks"), InputCell::Text(std::string(2000, 'x')), {}, out));
  EXPECT_TRUE(
      ConvertCell(*farmers.Field("remarks"), InputCell::Text(std::string(2001, 'x')), {}, out));
  InputCell object{.kind = InputCell::kCompound, .text = "{\"a\":1}"};
  EXPECT_TRUE(ConvertCell(*farmers.Field("first_name"), object, {}, out));
  InputCell number{.kind = InputCell::kInteger, .integer = 81117655};
  EXPECT_TRUE(ConvertCell(*farmers.Field("id"), number, {}, out)) << "a number loses zeros";
}

TEST(Validate, QuantitiesAndSaleCommodities) {
  const DatasetDef& sales = *FindDataset("sales");
  auto sale = [&](const char* commodity, const char* quantity, store::Row& row) {
    return BuildRow(sales,
                    Cells(sales, {{"receipt", "4512"},
                                  {"commodity", commodity},
                                  {"quantity", quantity},
                                  {"unit", "kg"}}),
                    ValidationContext{}, row);
  };
  store::Row row;
  EXPECT_TRUE(sale("Yellow Yam", "1000000", row).empty());
  EXPECT_EQ(std::get<std::string>(row[sales.FieldIndex("commodity")]), "yellow yam");
  EXPECT_TRUE(sale("bonnet", "5", row).empty());
  EXPECT_EQ(std::get<std::string>(row[sales.FieldIndex("commodity")]), "scotch bonnet pepper");
  for (const char* bad : {"1000001", "1e300", "0", "-1"}) {
    auto problems = sale("ackee", bad, row);
    ASSERT_EQ(problems.size(), 1u) << bad;
    EXPECT_EQ(problems[0].field, "quantity");
  }
  auto unknown = sale("unobtainium", "5", row);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].field, "commodity");
  auto vague = sale("yam", "5", row);
  ASSERT_EQ(vague.size(), 1u);
  EXPECT_NE(vague[0].message.find("yellow yam"), std::string::npos) << vague[0].message;
}

TEST(Validate, MergeChangesOnlyTheGivenCells) {
  const DatasetDef& farmers = *FindDataset("farmers");
  store::Row row;
  ASSERT_TRUE(BuildRow(farmers,
                       Cells(farmers, {{"id", "081117655"},
                                       {"first_name", "Errol"},
                                       {"last_name", "Campbell"},
                                       {"parish", "THO"},
                                       {"phone", "555-0123"},
                                       {"under_investigation", "yes"}}),
                       ValidationContext{}, row)
                  .empty());
  std::vector<int> changed;
  auto problems = MergeRow(farmers, Cells(farmers, {{"district", "Seaforth"}}), {}, row, &changed);
  ASSERT_TRUE(problems.empty()) << Problems(problems);
  EXPECT_EQ(changed, std::vector<int>{farmers.FieldIndex("district")});
  EXPECT_EQ(std::get<std::string>(row[farmers.FieldIndex("phone")]), "+18765550123");
  EXPECT_EQ(std::get<int64_t>(row[farmers.FieldIndex("under_investigation")]), 1);
  problems = MergeRow(farmers, Cells(farmers, {{"last_name", ""}}), {}, row);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "last_name");
}

}  // namespace
}  // namespace harvest::registry
