// Inputs the fuzz targets (fuzz/) found, kept as tests of the normal build. Each names its
// target and what went wrong; the same input is in fuzz/corpus/<target>/.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http/server.h"
#include "opendata/csv.h"

namespace harvest {
namespace {

std::vector<std::vector<std::string>> ReadCsv(std::string_view text) {
  std::vector<std::vector<std::string>> records;
  csv::Reader reader(text);
  std::vector<std::string> fields;
  size_t line = 0;
  while (reader.Next(fields, line)) {
    records.push_back(fields);
  }
  return records;
}

// http_request, corpus/http_request/empty: no bytes at all parsed as a complete request with
// no method (Beast takes an end of input before the first byte as a whole message).
TEST(FuzzRegression, HttpNoBytesIsNoRequest) {
  http::Request req;
  EXPECT_EQ(http::ParseRequest("", http::ServerOptions{}, req), 400);
  EXPECT_TRUE(req.method.empty());
}

// csv_reader, corpus/csv_reader/crcrlf_in_quotes: a quoted CR CR LF reads as CR LF (the lone
// CR is kept, the CRLF becomes LF), and that value written back reads as LF. The fuzz property
// allows exactly this normalisation, and this pins it.
TEST(FuzzRegression, CsvCrCrLfInQuotes) {
  auto first = ReadCsv("\"\r\r\n\"");
  ASSERT_EQ(first, (std::vector<std::vector<std::string>>{{"\r\n"}}));
  std::string written;
  csv::AppendRecord(written, {first[0][0]});
  EXPECT_EQ(ReadCsv(written), (std::vector<std::vector<std::string>>{{"\n"}}));
}

// csv_reader, corpus/csv_reader/bom_in_first_value: a file starting with two byte order marks
// has a first value starting with one; written back unquoted, it read as the file's mark and
// was dropped. The writer now quotes a value that starts with a mark.
TEST(FuzzRegression, CsvValueStartingWithByteOrderMark) {
  auto first = ReadCsv(std::string_view("\xEF\xBB\xBF\xEF\xBB\xBF\0", 7));
  ASSERT_EQ(first, (std::vector<std::vector<std::string>>{{std::string("\xEF\xBB\xBF\0", 4)}}));
  std::string written;
  csv::AppendRecord(written, {first[0][0]});
  EXPECT_EQ(written, std::string("\"\xEF\xBB\xBF\0\"\r\n", 8));
  EXPECT_EQ(ReadCsv(written), first);
}

}  // namespace
}  // namespace harvest
