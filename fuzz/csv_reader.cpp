// The CSV reader of imports (csv::Reader), and the writer's round trip: whatever the reader
// accepts, written back with AppendRecord, reads back as the same records — but for CRLF in a
// value, which the reader turns into LF (a lone CR is kept, so "\r\r\n" reads as "\r\n").
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "opendata/csv.h"

using namespace harvest;

namespace {

// Every record of `text`, or false at the first CsvError.
bool ReadAll(std::string_view text, std::vector<std::vector<std::string>>& records,
             std::vector<size_t>& lines) {
  csv::Reader reader(text);
  std::vector<std::string> fields;
  size_t line = 0;
  size_t last_line = 0;
  try {
    while (reader.Next(fields, line)) {
      FUZZ_CHECK(line >= 1 && line > last_line);
      last_line = line;
      records.push_back(fields);
      lines.push_back(line);
    }
  } catch (const csv::CsvError& e) {
    FUZZ_CHECK(e.line >= 1);
    return false;
  }
  return true;
}

// What reading a written value gives: each CRLF, left to right, becomes LF.
std::string CrlfToLf(const std::string& value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\r' && i + 1 < value.size() && value[i + 1] == '\n') {
      continue;
    }
    out.push_back(value[i]);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = fuzz::Text(data, size);
  std::vector<std::vector<std::string>> records;
  std::vector<size_t> lines;
  if (!ReadAll(text, records, lines)) {
    return 0;
  }
  std::string written;
  for (const auto& record : records) {
    FUZZ_CHECK(!record.empty());
    std::vector<std::string_view> views(record.begin(), record.end());
    csv::AppendRecord(written, views);
  }
  std::vector<std::vector<std::string>> again;
  std::vector<size_t> again_lines;
  FUZZ_CHECK(ReadAll(written, again, again_lines));
  for (auto& record : records) {
    for (auto& value : record) {
      value = CrlfToLf(value);
    }
  }
  FUZZ_CHECK(again == records);
  return 0;
}
