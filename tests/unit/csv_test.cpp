#include "opendata/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace harvest::csv {
namespace {

using Records = std::vector<std::vector<std::string>>;

struct Parsed {
  Records records;
  std::vector<size_t> lines;
};

Parsed ReadAll(std::string_view text) {
  Parsed parsed;
  Reader reader(text);
  std::vector<std::string> fields;
  size_t line = 0;
  while (reader.Next(fields, line)) {
    parsed.records.push_back(fields);
    parsed.lines.push_back(line);
  }
  return parsed;
}

// The line a CsvError names, or 0 if none was thrown.
size_t ErrorLine(std::string_view text) {
  try {
    ReadAll(text);
  } catch (const CsvError& e) {
    return e.line;
  }
  return 0;
}

TEST(CsvReader, SimpleRecordsWithLf) {
  const Parsed p = ReadAll("id,name\n1,Ann\n2,Bob\n");
  EXPECT_EQ(p.records, (Records{{"id", "name"}, {"1", "Ann"}, {"2", "Bob"}}));
  EXPECT_EQ(p.lines, (std::vector<size_t>{1, 2, 3}));
}

TEST(CsvReader, CrlfAndLoneCrLineEnds) {
  EXPECT_EQ(ReadAll("a,b\r\nc,d\r\n").records, (Records{{"a", "b"}, {"c", "d"}}));
  const Parsed p = ReadAll("a\rb\rc");
  EXPECT_EQ(p.records, (Records{{"a"}, {"b"}, {"c"}}));
  EXPECT_EQ(p.lines, (std::vector<size_t>{1, 2, 3}));
}

TEST(CsvReader, SkipsUtf8BomOnlyAtStart) {
  const Parsed p = ReadAll("\xEF\xBB\xBFid,name\r\n1,x\r\n");
  ASSERT_EQ(p.records.size(), 2u);
  EXPECT_EQ(p.records[0][0], "id");
  EXPECT_EQ(p.lines[0], 1u);
  // A BOM-like sequence later is data, not skipped.
  EXPECT_EQ(ReadAll("a\n\xEF\xBB\xBF"
                    "b\n")
                .records[1][0],
            "\xEF\xBB\xBF"
            "b");
}

TEST(CsvReader, FinalLineWithoutNewline) {
  EXPECT_EQ(ReadAll("a,b\nc,d").records, (Records{{"a", "b"}, {"c", "d"}}));
  EXPECT_EQ(ReadAll("a,\"b\"").records, (Records{{"a", "b"}}));
}

TEST(CsvReader, EmptyInputAndBomOnly) {
  EXPECT_TRUE(ReadAll("").records.empty());
  EXPECT_TRUE(ReadAll("\xEF\xBB\xBF").records.empty());
  EXPECT_TRUE(ReadAll("\r\n\n\r").records.empty());
}

TEST(CsvReader, EmptyFieldsAreKept) {
  EXPECT_EQ(ReadAll("a,b,\n").records, (Records{{"a", "b", ""}}));
  EXPECT_EQ(ReadAll("a,b,").records, (Records{{"a", "b", ""}}));
  EXPECT_EQ(ReadAll(",,\n").records, (Records{{"", "", ""}}));
  EXPECT_EQ(ReadAll(",a\n").records, (Records{{"", "a"}}));
  EXPECT_EQ(ReadAll("\"\"\n").records, (Records{{""}}));
  EXPECT_EQ(ReadAll("a,\"\",b\n").records, (Records{{"a", "", "b"}}));
}

TEST(CsvReader, EmptyLinesSkippedButCounted) {
  const Parsed p = ReadAll("a\n\n\r\nb\n");
  EXPECT_EQ(p.records, (Records{{"a"}, {"b"}}));
  EXPECT_EQ(p.lines, (std::vector<size_t>{1, 4}));
}

TEST(CsvReader, WhitespaceOnlyLineIsARecord) {
  EXPECT_EQ(ReadAll("a\n \nb\n").records, (Records{{"a"}, {" "}, {"b"}}));
}

TEST(CsvReader, SpacesInUnquotedFieldsArePreserved) {
  EXPECT_EQ(ReadAll(" a , b \n").records, (Records{{" a ", " b "}}));
}

TEST(CsvReader, QuotedCommasAndEscapedQuotes) {
  const Parsed p = ReadAll("\"Smith, John\",\"He said \"\"hi\"\"\",\"\"\"\"\n");
  EXPECT_EQ(p.records, (Records{{"Smith, John", "He said \"hi\"", "\""}}));
}

TEST(CsvReader, NewlinesInsideQuotes) {
  const Parsed p = ReadAll("id,remarks\n1,\"line one\nline two\"\n2,x\n");
  EXPECT_EQ(p.records, (Records{{"id", "remarks"}, {"1", "line one\nline two"}, {"2", "x"}}));
  // The record after a two-line quoted field starts on physical line 4.
  EXPECT_EQ(p.lines, (std::vector<size_t>{1, 2, 4}));
}

TEST(CsvReader, CrlfInsideQuotesBecomesLfAndCountsLines) {
  const Parsed p = ReadAll("a,\"x\r\ny\r\nz\"\r\nb,c\r\n");
  EXPECT_EQ(p.records, (Records{{"a", "x\ny\nz"}, {"b", "c"}}));
  EXPECT_EQ(p.lines, (std::vector<size_t>{1, 4}));
}

TEST(CsvReader, LoneCrInsideQuotesIsKept) {
  const Parsed p = ReadAll("\"a\rb\"\nc\n");
  EXPECT_EQ(p.records, (Records{{"a\rb"}, {"c"}}));
  EXPECT_EQ(p.lines, (std::vector<size_t>{1, 3}));
}

TEST(CsvReader, CrBeforeEscapedQuoteInsideQuotes) {
  EXPECT_EQ(ReadAll("\"a\r\"\"b\"\n").records, (Records{{"a\r\"b"}}));
}

TEST(CsvReader, FieldsVectorIsReusedAndShrunk) {
  Reader reader("a,b,c\nd\n");
  std::vector<std::string> fields = {"stale", "stale", "stale", "stale", "stale"};
  size_t line = 0;
  ASSERT_TRUE(reader.Next(fields, line));
  EXPECT_EQ(fields, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_TRUE(reader.Next(fields, line));
  EXPECT_EQ(fields, (std::vector<std::string>{"d"}));
  EXPECT_EQ(line, 2u);
  EXPECT_FALSE(reader.Next(fields, line));
  EXPECT_FALSE(reader.Next(fields, line));
}

TEST(CsvReader, UnterminatedQuoteNamesTheLineWhereItOpened) {
  EXPECT_EQ(ErrorLine("a,b\nc,\"never closed\nmore\nlines\n"), 2u);
  EXPECT_EQ(ErrorLine("\""), 1u);
}

TEST(CsvReader, QuoteInsideUnquotedFieldIsAnError) {
  EXPECT_EQ(ErrorLine("a,b\nc,d\"e\n"), 2u);
  EXPECT_EQ(ErrorLine("ab\"\n"), 1u);
}

TEST(CsvReader, GarbageAfterClosingQuoteIsAnError) {
  EXPECT_EQ(ErrorLine("x\n\"a\"b,c\n"), 2u);
  EXPECT_EQ(ErrorLine("\"a\" ,b\n"), 1u);
  // The error is on the line where the closing quote is, after a multi-line field.
  EXPECT_EQ(ErrorLine("h\n\"one\ntwo\"x\n"), 3u);
}

TEST(CsvReader, ErrorMessageIsBareAndLineIsSeparate) {
  try {
    ReadAll("a\n\"b\n");
    FAIL() << "expected CsvError";
  } catch (const CsvError& e) {
    EXPECT_EQ(e.line, 2u);
    EXPECT_NE(std::string(e.what()).find("never closed"), std::string::npos);
  }
}

TEST(CsvWriter, QuotesOnlyWhenNeeded) {
  std::string out;
  AppendField(out, "plain");
  EXPECT_EQ(out, "plain");
  out.clear();
  AppendField(out, "");
  EXPECT_EQ(out, "");
  out.clear();
  AppendField(out, "a,b");
  EXPECT_EQ(out, "\"a,b\"");
  out.clear();
  AppendField(out, "say \"hi\"");
  EXPECT_EQ(out, "\"say \"\"hi\"\"\"");
  out.clear();
  AppendField(out, "a\nb");
  EXPECT_EQ(out, "\"a\nb\"");
  out.clear();
  AppendField(out, "a\rb");
  EXPECT_EQ(out, "\"a\rb\"");
  out.clear();
  AppendField(out, " lead");
  EXPECT_EQ(out, "\" lead\"");
  out.clear();
  AppendField(out, "trail ");
  EXPECT_EQ(out, "\"trail \"");
  out.clear();
  AppendField(out, "in side");
  EXPECT_EQ(out, "in side");
  out.clear();
  AppendField(out, "+18765550123");
  EXPECT_EQ(out, "+18765550123");
}

TEST(CsvWriter, RecordEndsWithCrlf) {
  std::string out;
  AppendRecord(out, {"id", "name", ""});
  AppendRecord(out, {"1", "Smith, J"});
  EXPECT_EQ(out, "id,name,\r\n1,\"Smith, J\"\r\n");
}

TEST(CsvWriter, LoneEmptyFieldIsQuotedSoItIsNotASkippedLine) {
  std::string out;
  AppendRecord(out, {""});
  EXPECT_EQ(out, "\"\"\r\n");
  EXPECT_EQ(ReadAll(out).records, (Records{{""}}));
}

TEST(CsvRoundTrip, TrickyValuesSurvive) {
  const Records rows = {
      {"id", "remarks", "name"},
      {"1", "comma, inside", "\"quoted\""},
      {"2", "multi\nline\nvalue", " spaced "},
      {"3", "", "lone\rcr"},
      {"4", "\"", "\"\""},
      {"5", "tab\there", "unicode: Jamaïca ₤"},
      {""},
      {"", ""},
  };
  std::string out;
  for (const auto& row : rows) {
    std::vector<std::string_view> views(row.begin(), row.end());
    AppendRecord(out, views);
  }
  const Parsed p = ReadAll(out);
  EXPECT_EQ(p.records, rows);
  // Row 2 spans three physical lines and row 3 two (a lone CR ends a line too).
  EXPECT_EQ(p.lines, (std::vector<size_t>{1, 2, 3, 6, 8, 9, 10, 11}));
}

TEST(CsvReader, ManyRowsParseConsistently) {
  std::string text = "\xEF\xBB\xBFid,parish,remarks\r\n";
  for (int i = 0; i < 1000; ++i) {
    text += std::to_string(i) + ",ELZ,\"note " + std::to_string(i) + ", ok\"\r\n";
  }
  const Parsed p = ReadAll(text);
  ASSERT_EQ(p.records.size(), 1001u);
  EXPECT_EQ(p.records[1000], (std::vector<std::string>{"999", "ELZ", "note 999, ok"}));
  EXPECT_EQ(p.lines[1000], 1001u);
}

}  // namespace
}  // namespace harvest::csv
