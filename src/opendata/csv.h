// RFC 4180 CSV: a streaming reader for imports and a writer for exports.
// Knows nothing of datasets, field names or the store; it only turns text into records of
// strings and back. Must not depend on anything outside the C++ standard library.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace harvest::csv {

// A malformed file. `line` is the 1-based physical line at fault; what() is the bare message so
// that callers can report it as "FILE:LINE: message".
struct CsvError : std::runtime_error {
  size_t line;
  CsvError(size_t error_line, const std::string& msg);
};

class Reader {
 public:
  // `text` is the whole file; the caller keeps it alive while reading.
  explicit Reader(std::string_view text);

  // Reads the next record into `fields` (strings are reused to avoid allocation) and sets `line`
  // to the 1-based physical line on which the record starts. Returns false at end of input.
  // Accepts a leading UTF-8 BOM; LF, CRLF and lone CR line ends; quoted fields with "" escapes
  // and embedded separators or newlines (CRLF inside quotes becomes LF). Zero-length lines are
  // skipped. Throws CsvError for an unterminated quote, a quote inside an unquoted field, or
  // anything but a separator or line end after a closing quote.
  bool Next(std::vector<std::string>& fields, size_t& line);

 private:
  // Both parse one field starting at pos_ into `out` and leave pos_ on the byte after it.
  void ReadQuoted(std::string& out);
  void ReadUnquoted(std::string& out);
  // Consumes one line end (LF, CRLF or CR) at pos_, if any, and counts it.
  void SkipLineEnd();

  std::string_view text_;
  size_t pos_ = 0;
  size_t line_ = 1;
};

// Appends one record in RFC 4180 form, ending with CRLF. A lone empty field is written as ""
// so the record does not read back as a skipped empty line.
void AppendRecord(std::string& out, const std::vector<std::string_view>& fields);

// Appends one field, quoted when it contains a comma, double quote, CR or LF, or starts or ends
// with a space (spreadsheets silently trim unquoted edge spaces), or starts with a UTF-8 byte
// order mark (which the reader drops at the start of a file). No separator is added.
void AppendField(std::string& out, std::string_view field);

}  // namespace harvest::csv
