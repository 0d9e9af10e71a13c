#include "opendata/csv.h"

#include <algorithm>
#include <array>

namespace harvest::csv {
namespace {

// Bytes that end an unquoted field or make it malformed. A table keeps the hot loop to one load
// and one branch per byte, which is what makes large imports cheap.
constexpr std::array<bool, 256> MakeUnquotedStops() {
  std::array<bool, 256> stops{};
  stops[static_cast<unsigned char>(',')] = true;
  stops[static_cast<unsigned char>('"')] = true;
  stops[static_cast<unsigned char>('\r')] = true;
  stops[static_cast<unsigned char>('\n')] = true;
  return stops;
}
constexpr std::array<bool, 256> kUnquotedStops = MakeUnquotedStops();

// The same bytes force quoting on output (the quote itself, separator and line ends).
constexpr std::array<bool, 256> kQuoteTriggers = kUnquotedStops;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool IsLineEnd(char c) {
  return c == '\n' || c == '\r';
}

}  // namespace

CsvError::CsvError(size_t error_line, const std::string& msg)
    : std::runtime_error(msg), line(error_line) {}

Reader::Reader(std::string_view text) : text_(text) {
  if (text_.starts_with(kUtf8Bom)) {
    pos_ = kUtf8Bom.size();
  }
}

bool Reader::Next(std::vector<std::string>& fields, size_t& line) {
  while (pos_ < text_.size() && IsLineEnd(text_[pos_])) {
    SkipLineEnd();
  }
  if (pos_ >= text_.size()) {
    return false;
  }
  line = line_;
  size_t count = 0;
  while (true) {
    if (count == fields.size()) {
      fields.emplace_back();
    }
    std::string& field = fields[count++];
    field.clear();
    if (pos_ < text_.size() && text_[pos_] == '"') {
      ReadQuoted(field);
    } else {
      ReadUnquoted(field);
    }
    if (pos_ < text_.size() && text_[pos_] == ',') {
      ++pos_;
      continue;
    }
    SkipLineEnd();
    break;
  }
  fields.resize(count);
  return true;
}

void Reader::ReadUnquoted(std::string& out) {
  const char* data = text_.data();
  const char* p = data + pos_;
  const char* end = data + text_.size();
  while (p < end && !kUnquotedStops[static_cast<unsigned char>(*p)]) {
    ++p;
  }
  if (p < end && *p == '"') {
    throw CsvError(line_,
                   "double quote inside an unquoted field; quote the whole field and write the "
                   "inner quote as \"\"");
  }
  out.assign(data + pos_, p);
  pos_ = static_cast<size_t>(p - data);
}

void Reader::ReadQuoted(std::string& out) {
  const size_t open_line = line_;
  ++pos_;  // opening quote
  while (true) {
    const size_t quote = text_.find('"', pos_);
    if (quote == std::string_view::npos) {
      throw CsvError(open_line, "quoted field starting on this line is never closed");
    }
    const std::string_view segment = text_.substr(pos_, quote - pos_);
    if (segment.find('\r') == std::string_view::npos) {
      out.append(segment);
      line_ += static_cast<size_t>(std::count(segment.begin(), segment.end(), '\n'));
    } else {
      // Rare path: CRLF inside quotes becomes LF so values do not depend on the exporting OS.
      for (size_t i = 0; i < segment.size(); ++i) {
        const char c = segment[i];
        if (c == '\r') {
          if (i + 1 < segment.size() && segment[i + 1] == '\n') {
            ++i;
            out.push_back('\n');
          } else {
            out.push_back('\r');
          }
          ++line_;
        } else {
          if (c == '\n') {
            ++line_;
          }
          out.push_back(c);
        }
      }
    }
    pos_ = quote + 1;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      out.push_back('"');
      ++pos_;
      continue;
    }
    break;
  }
  if (pos_ < text_.size() && text_[pos_] != ',' && !IsLineEnd(text_[pos_])) {
    throw CsvError(line_,
                   "unexpected character after a closing quote; expected a comma or line end");
  }
}

void Reader::SkipLineEnd() {
  if (pos_ >= text_.size()) {
    return;
  }
  if (text_[pos_] == '\r') {
    ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') {
      ++pos_;
    }
    ++line_;
  } else if (text_[pos_] == '\n') {
    ++pos_;
    ++line_;
  }
}

void AppendField(std::string& out, std::string_view field) {
  // A value starting with a byte order mark is quoted too: unquoted at the start of a file,
  // the reader would take the mark for the file's own and drop it.
  bool needs_quotes = !field.empty() && (field.front() == ' ' || field.back() == ' ' ||
                                         field.starts_with("\xEF\xBB\xBF"));
  for (size_t i = 0; i < field.size() && !needs_quotes; ++i) {
    needs_quotes = kQuoteTriggers[static_cast<unsigned char>(field[i])];
  }
  if (!needs_quotes) {
    out.append(field);
    return;
  }
  out.push_back('"');
  size_t start = 0;
  while (true) {
    const size_t quote = field.find('"', start);
    if (quote == std::string_view::npos) {
      out.append(field.substr(start));
      break;
    }
    out.append(field.substr(start, quote + 1 - start));
    out.push_back('"');
    start = quote + 1;
  }
  out.push_back('"');
}

void AppendRecord(std::string& out, const std::vector<std::string_view>& fields) {
  if (fields.size() == 1 && fields[0].empty()) {
    out.append("\"\"");
  } else {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) {
        out.push_back(',');
      }
      AppendField(out, fields[i]);
    }
  }
  out.append("\r\n");
}

}  // namespace harvest::csv
