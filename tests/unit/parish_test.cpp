#include "registry/parish.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace harvest::registry {
namespace {

TEST(Parishes, SpecOrderAndNames) {
  const char* const kCodes[] = {"KIN", "AND", "THO", "POR", "MRY", "ANN", "TRL",
                                "JAM", "HAN", "WML", "ELZ", "MAN", "CLA", "CAT"};
  const char* const kNames[] = {"Kingston",  "St. Andrew",   "St. Thomas",    "Portland",
                                "St. Mary",  "St. Ann",      "Trelawny",      "St. James",
                                "Hanover",   "Westmoreland", "St. Elizabeth", "Manchester",
                                "Clarendon", "St. Catherine"};
  const auto& parishes = Parishes();
  ASSERT_EQ(parishes.size(), 14u);
  for (size_t i = 0; i < parishes.size(); ++i) {
    EXPECT_EQ(parishes[i].code, kCodes[i]);
    EXPECT_EQ(parishes[i].name, kNames[i]);
  }
}

TEST(Parishes, CentroidsLieInJamaicaAndAreDistinct) {
  std::set<std::pair<double, double>> seen;
  for (const Parish& p : Parishes()) {
    EXPECT_GT(p.lat, 17.7) << p.code;
    EXPECT_LT(p.lat, 18.55) << p.code;
    EXPECT_GT(p.lon, -78.4) << p.code;
    EXPECT_LT(p.lon, -76.15) << p.code;
    seen.insert({p.lat, p.lon});
  }
  EXPECT_EQ(seen.size(), 14u);
}

TEST(Parishes, CentroidsRespectGeography) {
  auto find = [](std::string_view code) {
    for (const Parish& p : Parishes()) {
      if (p.code == code) {
        return p;
      }
    }
    return Parish{};
  };
  // Hanover and Westmoreland are the western end; Portland and St. Thomas the eastern.
  EXPECT_LT(find("HAN").lon, find("ELZ").lon);
  EXPECT_LT(find("WML").lon, find("MAN").lon);
  EXPECT_GT(find("POR").lon, find("CAT").lon);
  EXPECT_GT(find("THO").lon, find("KIN").lon);
  // St. Ann and Trelawny are on the north coast, Clarendon and Kingston on the south.
  EXPECT_GT(find("ANN").lat, find("CLA").lat);
  EXPECT_GT(find("TRL").lat, find("KIN").lat);
}

TEST(NormalizeParish, EveryCodeInAnyCase) {
  for (const Parish& p : Parishes()) {
    EXPECT_EQ(NormalizeParish(p.code), p.code);
    std::string lower(p.code);
    for (char& c : lower) {
      c = static_cast<char>(c - 'A' + 'a');
    }
    EXPECT_EQ(NormalizeParish(lower), p.code) << lower;
  }
  EXPECT_EQ(NormalizeParish("Elz"), "ELZ");
}

TEST(NormalizeParish, EveryCanonicalName) {
  for (const Parish& p : Parishes()) {
    EXPECT_EQ(NormalizeParish(p.name), p.code) << p.name;
  }
}

TEST(NormalizeParish, StElizabethSpellings) {
  for (const char* s :
       {"ST.ELIZABETH", "St Elizabeth", "st. elizabeth", "Saint Elizabeth", "St. Elizabeth Parish",
        "  St.   Elizabeth  ", "SAINT ELIZABETH", "St Elizabeth parish", "Parish of St. Elizabeth",
        "St.Elizabeth", "St-Elizabeth", "\tSt. Elizabeth\r\n"}) {
    EXPECT_EQ(NormalizeParish(s), "ELZ") << s;
  }
}

TEST(NormalizeParish, OtherRealExtractSpellings) {
  const std::pair<const char*, const char*> kCases[] = {
      {"Kingston", "KIN"},      {"KINGSTON", "KIN"},     {"Kingston Parish", "KIN"},
      {"St Andrew", "AND"},     {"ST.ANDREW", "AND"},    {"Saint Andrew", "AND"},
      {"st andrew", "AND"},     {"St. Thomas", "THO"},   {"ST THOMAS", "THO"},
      {"Portland", "POR"},      {"St Mary", "MRY"},      {"SAINT MARY", "MRY"},
      {"St. Ann", "ANN"},       {"ST.ANN", "ANN"},       {"Trelawny", "TRL"},
      {"St James", "JAM"},      {"ST. JAMES", "JAM"},    {"Hanover", "HAN"},
      {"Westmoreland", "WML"},  {"WESTMORELAND", "WML"}, {"Westmorland", "WML"},
      {"Manchester", "MAN"},    {"manchester", "MAN"},   {"Clarendon", "CLA"},
      {"St.Catherine", "CAT"},  {"St Catherine", "CAT"}, {"Saint Catherine", "CAT"},
      {"ST. CATHERINE", "CAT"},
  };
  for (const auto& [input, code] : kCases) {
    EXPECT_EQ(NormalizeParish(input), code) << input;
  }
}

TEST(NormalizeParish, RejectsUnknownAndAmbiguous) {
  for (const char* s :
       {"", "   ", "KGN", "XYZ", "St", "Saint", "Parish", "St. Elizabeths", "Elizabeth", "Andrew",
        "Kingston & St. Andrew", "KSA", "Montego Bay", "ELZ1", "St. Elizabeth Parish Council",
        "a very long string that cannot be a parish name at all"}) {
    EXPECT_EQ(NormalizeParish(s), std::nullopt) << s;
  }
}

TEST(NormalizeParish, ReturnsViewsIntoStaticStorage) {
  std::string input = "st. ann";
  const std::optional<std::string_view> code = NormalizeParish(input);
  input.assign("overwritten");
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, "ANN");
}

TEST(ParishName, KnownAndUnknownCodes) {
  EXPECT_EQ(ParishName("ELZ"), "St. Elizabeth");
  EXPECT_EQ(ParishName("KIN"), "Kingston");
  EXPECT_EQ(ParishName("CAT"), "St. Catherine");
  EXPECT_EQ(ParishName("KGN"), "");
  EXPECT_EQ(ParishName(""), "");
  EXPECT_EQ(ParishName("elz"), "");
}

}  // namespace
}  // namespace harvest::registry
