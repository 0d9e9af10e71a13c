#include "registry/text_values.h"

#include <gtest/gtest.h>

namespace harvest::registry {
namespace {

TEST(NormalizePhone, NanpForms) {
  for (const char* s :
       {"+18765550123", "18765550123", "876-555-0123", "(876) 555-0123", "876 555 0123",
        "8765550123", "876.555.0123", "1-876-555-0123", "+1 (876) 555-0123", " 876-555-0123 ",
        "1 876 555 0123", "(876)5550123", "+1.876.555.0123"}) {
    EXPECT_EQ(NormalizePhone(s, "876"), "+18765550123") << s;
  }
}

TEST(NormalizePhone, SevenDigitsTakeDefaultAreaCode) {
  EXPECT_EQ(NormalizePhone("555-0123", "876"), "+18765550123");
  EXPECT_EQ(NormalizePhone("5550123", "876"), "+18765550123");
  EXPECT_EQ(NormalizePhone("555 0123", "658"), "+16585550123");
  EXPECT_EQ(NormalizePhone("555.0123", "876"), "+18765550123");
  // Without a usable default there is no way to complete the number.
  EXPECT_EQ(NormalizePhone("5550123", ""), std::nullopt);
  EXPECT_EQ(NormalizePhone("5550123", "87"), std::nullopt);
  EXPECT_EQ(NormalizePhone("5550123", "8a6"), std::nullopt);
}

TEST(NormalizePhone, OtherCountriesNeedPlus) {
  EXPECT_EQ(NormalizePhone("+447911123456", "876"), "+447911123456");
  EXPECT_EQ(NormalizePhone("+44 7911 123456", "876"), "+447911123456");
  EXPECT_EQ(NormalizePhone("+5078123", "876"), std::nullopt);                // 7 digits
  EXPECT_EQ(NormalizePhone("+50781234", "876"), "+50781234");                // 8 digits
  EXPECT_EQ(NormalizePhone("+123456789012345", "876"), std::nullopt);        // +1 but 15 digits
  EXPECT_EQ(NormalizePhone("+234567890123456", "876"), "+234567890123456");  // 15 digits
  EXPECT_EQ(NormalizePhone("+2345678901234567", "876"), std::nullopt);       // 16 digits
  EXPECT_EQ(NormalizePhone("447911123456", "876"), std::nullopt);
  EXPECT_EQ(NormalizePhone("+0447911123456", "876"), std::nullopt);
}

TEST(NormalizePhone, RejectsMalformed) {
  for (const char* s :
       {"", "   ", "+", "abc", "876-555-O123", "876-555-012", "876-555-01234", "555-012",
        "+1876555012", "+187655501234", "28765550123", "1876555012", "0765550123", "876/555/0123",
        "876-555-0123 ext 4", "1+8765550123", "++18765550123", "876_555_0123", "(876) 555-0123#"}) {
    EXPECT_EQ(NormalizePhone(s, "876"), std::nullopt) << s;
  }
}

TEST(ParseBool, AcceptedWords) {
  for (const char* s :
       {"true", "TRUE", "True", "yes", "YES", "Yes", "y", "Y", "1", " yes ", "\ttrue\r\n"}) {
    EXPECT_EQ(ParseBool(s), true) << s;
  }
  for (const char* s : {"false", "FALSE", "False", "no", "NO", "No", "n", "N", "0", "  no  "}) {
    EXPECT_EQ(ParseBool(s), false) << s;
  }
}

TEST(ParseBool, RejectsOthers) {
  for (const char* s : {"", " ", "t", "f", "2", "-1", "yes please", "on", "off", "ye", "nope",
                        "truee", "10", "y es"}) {
    EXPECT_EQ(ParseBool(s), std::nullopt) << s;
  }
}

TEST(IsIsoDate, ValidDates) {
  for (const char* s : {"2026-11-20", "2024-02-29", "2000-02-29", "1970-01-01", "2026-12-31",
                        "0001-01-01", "9999-12-31", "2026-04-30"}) {
    EXPECT_TRUE(IsIsoDate(s)) << s;
  }
}

TEST(IsIsoDate, InvalidDates) {
  for (const char* s : {"2026-02-29", "1900-02-29", "2100-02-29", "2026-04-31", "2026-13-01",
                        "2026-00-10", "2026-01-00", "2026-01-32", "2026-1-05", "2026/01/05",
                        "26-01-05", "2026-01-05 ", " 2026-01-05", "2026-01-05T00:00:00Z",
                        "20260105", "", "2026-0a-05", "+026-01-05", "2026--1-05"}) {
    EXPECT_FALSE(IsIsoDate(s)) << s;
  }
}

TEST(IsMonday, KnownWeekdays) {
  EXPECT_TRUE(IsMonday("2026-11-16"));
  EXPECT_FALSE(IsMonday("2026-11-20"));  // Friday
  EXPECT_FALSE(IsMonday("2026-11-15"));  // Sunday
  EXPECT_FALSE(IsMonday("2026-11-17"));  // Tuesday
  EXPECT_TRUE(IsMonday("2024-01-01"));
  EXPECT_TRUE(IsMonday("1970-01-05"));
  EXPECT_FALSE(IsMonday("1970-01-01"));  // Thursday
  EXPECT_TRUE(IsMonday("1969-12-29"));   // before the epoch
  EXPECT_TRUE(IsMonday("2024-02-26"));
  EXPECT_TRUE(IsMonday("1900-01-01"));
}

TEST(IsRfc3339Utc, Accepts) {
  for (const char* s : {"2026-11-20T14:03:00Z", "2026-11-20T14:03:00.123Z",
                        "2026-11-20T00:00:00.1Z", "2024-02-29T23:59:59.999999999Z"}) {
    EXPECT_TRUE(IsRfc3339Utc(s)) << s;
  }
}

TEST(IsRfc3339Utc, Rejects) {
  for (const char* s :
       {"", "2026-11-20", "2026-11-20T14:03:00", "2026-11-20 14:03:00Z", "2026-11-20t14:03:00z",
        "2026-11-20T14:03:00+00:00", "2026-11-20T14:03:00-05:00", "2026-11-20T24:00:00Z",
        "2026-11-20T14:60:00Z", "2026-11-20T14:03:60Z", "2026-11-20T14:03Z",
        "2026-11-20T14:03:00.Z", "2026-11-20T14:03:00.12aZ", "2026-11-20T14:03:00.1234567890Z",
        "2026-02-29T14:03:00Z", "2026-11-20T4:03:00Z", "2026-11-20T14:03:00ZZ",
        "2026-11-20T14-03-00Z"}) {
    EXPECT_FALSE(IsRfc3339Utc(s)) << s;
  }
}

TEST(DaysFromCivil, KnownValues) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1970, 1, 2), 1);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(2026, 11, 20), 20777);
  EXPECT_EQ(DaysFromCivil(2024, 3, 1) - DaysFromCivil(2024, 2, 28), 2);
  EXPECT_EQ(DaysFromCivil(2026, 3, 1) - DaysFromCivil(2026, 2, 28), 1);
}

TEST(IsoDateDays, RoundTrip) {
  EXPECT_EQ(IsoDateToDays("1970-01-01"), 0);
  EXPECT_EQ(IsoDateToDays("2026-11-20"), 20777);
  EXPECT_EQ(IsoDateToDays("2026-02-29"), std::nullopt);
  EXPECT_EQ(IsoDateToDays("garbage"), std::nullopt);
  EXPECT_EQ(DaysToIsoDate(0), "1970-01-01");
  EXPECT_EQ(DaysToIsoDate(-1), "1969-12-31");
  EXPECT_EQ(DaysToIsoDate(20777), "2026-11-20");
  EXPECT_EQ(DaysToIsoDate(*IsoDateToDays("2024-02-29")), "2024-02-29");
  EXPECT_EQ(DaysToIsoDate(*IsoDateToDays("2024-02-29") + 1), "2024-03-01");
  // Every year IsIsoDate accepts (0000-9999), stepping by a prime so all months come up.
  for (int64_t d = DaysFromCivil(0, 1, 1); d <= DaysFromCivil(9999, 12, 31); d += 97) {
    const std::string iso = DaysToIsoDate(d);
    ASSERT_EQ(IsoDateToDays(iso), d) << iso;
  }
}

TEST(ParseDecimalCents, Accepts) {
  EXPECT_EQ(ParseDecimalCents("1234.5"), 123450);
  EXPECT_EQ(ParseDecimalCents("12"), 1200);
  EXPECT_EQ(ParseDecimalCents("-3.25"), -325);
  EXPECT_EQ(ParseDecimalCents("+3.25"), 325);
  EXPECT_EQ(ParseDecimalCents("0"), 0);
  EXPECT_EQ(ParseDecimalCents("-0"), 0);
  EXPECT_EQ(ParseDecimalCents("0.01"), 1);
  EXPECT_EQ(ParseDecimalCents("0.1"), 10);
  EXPECT_EQ(ParseDecimalCents("-0.05"), -5);
  EXPECT_EQ(ParseDecimalCents("007.50"), 750);
  EXPECT_EQ(ParseDecimalCents(" 12.50 "), 1250);
  EXPECT_EQ(ParseDecimalCents("12.500"), 1250);
  EXPECT_EQ(ParseDecimalCents("12.5000"), 1250);
  EXPECT_EQ(ParseDecimalCents("999999999999999.99"), 99999999999999999);
}

TEST(ParseDecimalCents, Rejects) {
  for (const char* s : {"",
                        " ",
                        "1.234",
                        "1.2301",
                        "abc",
                        "1,234",
                        "1,234.50",
                        ".5",
                        "5.",
                        "-",
                        "+",
                        "--1",
                        "1-",
                        "1.2.3",
                        "1e3",
                        "$12",
                        "12 50",
                        "- 5",
                        "0x10",
                        "1000000000000000",
                        "12.5a",
                        "\xC2\xA0"
                        "12"}) {
    EXPECT_EQ(ParseDecimalCents(s), std::nullopt) << s;
  }
}

TEST(Trim, AsciiWhitespace) {
  EXPECT_EQ(Trim("  a b  "), "a b");
  EXPECT_EQ(Trim("\t\r\n a\f\v"), "a");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim("   "), "");
  EXPECT_EQ(Trim("x"), "x");
  // Non-ASCII whitespace (NBSP) is data, not trimmed.
  EXPECT_EQ(Trim("\xC2\xA0x"), "\xC2\xA0x");
  const std::string_view s = "  keep  ";
  const std::string_view v = TrimView(s);
  EXPECT_EQ(v, "keep");
  EXPECT_EQ(v.data(), s.data() + 2);
}

}  // namespace
}  // namespace harvest::registry
