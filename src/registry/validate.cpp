#include "registry/validate.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "registry/clock.h"
#include "registry/parish.h"
#include "registry/text_values.h"

namespace harvest::registry {
namespace {

std::string Quote(const std::string& text) {
  std::string shown = text.size() > 40 ? text.substr(0, 40) + "..." : text;
  return "'" + shown + "'";
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<int64_t> ParseInteger(std::string_view text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) {
    return std::nullopt;
  }
  return value;
}

std::optional<double> ParseReal(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

// The cell as text for fields that keep text. Only text is text: a JSON number given for
// a registration number would have lost its leading zeros, and an object or array is
// never a name.
std::optional<std::string> CellText(const InputCell& cell) {
  if (cell.kind == InputCell::kText) {
    return Trim(cell.text);
  }
  return std::nullopt;
}

// The next code point of valid UTF-8 at `at` (advanced past it), or -1 for an invalid,
// overlong or surrogate sequence.
int32_t NextCodePoint(std::string_view text, size_t& at) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(at);
  size_t length = lead < 0x80           ? 1
                  : (lead >> 5) == 0x6  ? 2
                  : (lead >> 4) == 0xE  ? 3
                  : (lead >> 3) == 0x1E ? 4
                                        : 0;
  if (length == 0 || at + length > text.size()) {
    return -1;
  }
  int32_t point = length == 1 ? lead : lead & (0x7F >> length);
  for (size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) {
      return -1;
    }
    point = (point << 6) | (byte(at + i) & 0x3F);
  }
  static constexpr int32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (point < kSmallest[length] || point > 0x10FFFF || (point >= 0xD800 && point <= 0xDFFF)) {
    return -1;
  }
  at += length;
  return point;
}

std::string TypeNoun(FieldType type) {
  switch (type) {
    case FieldType::kInteger:
      return "a whole number";
    case FieldType::kReal:
      return "a number";
    case FieldType::kMoney:
      return "an amount with at most 2 decimals";
    case FieldType::kBoolean:
      return "true or false (yes/no, y/n, 1/0)";
    case FieldType::kDate:
      return "a date YYYY-MM-DD";
    case FieldType::kTimestamp:
      return "a UTC timestamp like 2026-11-20T14:03:00Z";
    default:
      return "text";
  }
}

std::string CompoundNoun(const InputCell& cell) {
  return cell.text.starts_with("[") ? "a JSON array" : "a JSON object";
}

bool TextType(FieldType type) {
  return type == FieldType::kText || type == FieldType::kId;
}

// Commodity names of `sales`: the registry's name, or words that name one commodity alone
// ("ackee", "bonnet" for "scotch bonnet pepper"). nullptr with the candidates otherwise.
const Commodity* ResolveCommodity(std::string_view text, std::vector<std::string_view>& near) {
  if (const Commodity* exact = FindCommodity(text)) {
    return exact;
  }
  std::vector<std::string> words;
  std::string word;
  for (char c : Lower(text) + " ") {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!word.empty()) {
        words.push_back(' ' + word + ' ');
      }
      word.clear();
    } else {
      word.push_back(c);
    }
  }
  const Commodity* found = nullptr;
  for (const Commodity& c : Commodities()) {
    std::string name(1, ' ');
    name.append(c.name).push_back(' ');
    bool all = !words.empty();
    for (const std::string& w : words) {
      all = all && name.find(w) != std::string::npos;
    }
    if (all) {
      near.push_back(c.name);
      found = &c;
    }
  }
  return near.size() == 1 ? found : nullptr;
}

}  // namespace

std::optional<std::string> CheckText(std::string_view text, size_t max_length, bool multiline) {
  size_t characters = 0;
  for (size_t at = 0; at < text.size();) {
    size_t start = at;
    int32_t point = NextCodePoint(text, at);
    if (point < 0) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[start]));
      return "is not valid UTF-8 (byte " + std::string(hex) + " after " +
             std::to_string(characters) + " characters)";
    }
    bool allowed_space = multiline && (point == '\t' || point == '\n' || point == '\r');
    if ((point < 0x20 || (point >= 0x7F && point < 0xA0)) && !allowed_space) {
      char code[12];
      std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(point));
      return "must not contain control characters (" + std::string(code) + " after " +
             std::to_string(characters) + " characters)";
    }
    ++characters;
  }
  if (characters > max_length) {
    return "must be at most " + std::to_string(max_length) + " characters, not " +
           std::to_string(characters);
  }
  return std::nullopt;
}

std::optional<std::string> ConvertCell(const FieldDef& field, const InputCell& cell,
                                       const ValidationContext& context, store::Value& out) {
  out = std::monostate{};
  if (cell.kind == InputCell::kAbsent || cell.kind == InputCell::kNull) {
    return std::nullopt;
  }
  if (cell.kind == InputCell::kText && TrimView(cell.text).empty()) {
    return std::nullopt;
  }
  std::string text = cell.kind == InputCell::kText ? Trim(cell.text) : "";
  auto wrong = [&](const std::string& shown) {
    return "must be " + TypeNoun(field.type) + ", not " + shown;
  };
  if (cell.kind == InputCell::kCompound) {
    return wrong(CompoundNoun(cell));
  }
  if (cell.kind == InputCell::kText) {
    // Before any other message quotes the text back.
    size_t max_length = TextType(field.type) ? field.max_length : SIZE_MAX;
    if (auto problem = CheckText(text, max_length, field.multiline)) {
      return problem;
    }
  }
  std::string shown = cell.kind == InputCell::kText      ? Quote(text)
                      : cell.kind == InputCell::kBool    ? (cell.boolean ? "true" : "false")
                      : cell.kind == InputCell::kInteger ? std::to_string(cell.integer)
                                                         : store::ValueText(cell.real);
  switch (field.type) {
    case FieldType::kText:
    case FieldType::kId: {
      auto value = CellText(cell);
      if (!value) {
        return "must be text, not " + shown;
      }
      out = *value;
      return std::nullopt;
    }
    case FieldType::kInteger: {
      if (cell.kind == InputCell::kInteger) {
        out = cell.integer;
      } else if (cell.kind == InputCell::kReal && cell.real == std::floor(cell.real) &&
                 std::fabs(cell.real) < 9e15) {
        out = static_cast<int64_t>(cell.real);
      } else if (auto n = cell.kind == InputCell::kText ? ParseInteger(text) : std::nullopt) {
        out = *n;
      } else {
        return wrong(shown);
      }
      return std::nullopt;
    }
    case FieldType::kReal:
    case FieldType::kMoney: {
      std::optional<double> value;
      if (cell.kind == InputCell::kInteger) {
        value = static_cast<double>(cell.integer);
      } else if (cell.kind == InputCell::kReal) {
        value = cell.real;
      } else if (cell.kind == InputCell::kText) {
        value = ParseReal(text);
      }
      if (!value) {
        return wrong(shown);
      }
      if (field.type == FieldType::kMoney) {
        double cents = *value * 100.0;
        if (std::fabs(cents - std::round(cents)) > 1e-6) {
          return wrong(shown);
        }
        value = std::round(cents) / 100.0;
      }
      out = *value;
      return std::nullopt;
    }
    case FieldType::kBoolean: {
      std::optional<bool> value;
      if (cell.kind == InputCell::kBool) {
        value = cell.boolean;
      } else if (cell.kind == InputCell::kInteger && (cell.integer == 0 || cell.integer == 1)) {
        value = cell.integer == 1;
      } else if (cell.kind == InputCell::kText) {
        value = ParseBool(text);
      }
      if (!value) {
        return wrong(shown);
      }
      out = static_cast<int64_t>(*value ? 1 : 0);
      return std::nullopt;
    }
    case FieldType::kDate:
      if (cell.kind != InputCell::kText || !IsIsoDate(text)) {
        return wrong(shown);
      }
      out = text;
      return std::nullopt;
    case FieldType::kTimestamp:
      if (cell.kind != InputCell::kText || !IsRfc3339Utc(text)) {
        return wrong(shown);
      }
      out = text;
      return std::nullopt;
    case FieldType::kEnum: {
      auto value = CellText(cell);
      for (const std::string& choice : field.choices) {
        if (value && Lower(*value) == Lower(choice)) {
          out = choice;
          return std::nullopt;
        }
      }
      std::string list;
      for (const std::string& choice : field.choices) {
        list += (list.empty() ? "" : ", ") + choice;
      }
      return "must be one of " + list + ", not " + shown;
    }
    case FieldType::kParish: {
      auto code = cell.kind == InputCell::kText ? NormalizeParish(text) : std::nullopt;
      if (!code) {
        return "unknown parish " + shown + " (use a code like ELZ or a name like St. Elizabeth)";
      }
      out = std::string(*code);
      return std::nullopt;
    }
    case FieldType::kPhone: {
      auto value = CellText(cell);
      auto phone = value ? NormalizePhone(*value, context.default_area_code) : std::nullopt;
      if (!phone) {
        return "not a phone number: " + shown;
      }
      out = *phone;
      return std::nullopt;
    }
  }
  return wrong(shown);
}

std::vector<FieldProblem> BuildRow(const DatasetDef& set, const std::vector<InputCell>& cells,
                                   const ValidationContext& context, store::Row& row) {
  std::vector<FieldProblem> problems;
  row.assign(set.fields.size(), std::monostate{});
  for (size_t i = 0; i < set.fields.size(); ++i) {
    const FieldDef& field = set.fields[i];
    const InputCell& cell = i < cells.size() ? cells[i] : InputCell{};
    // Server-set fields may arrive in a re-imported export; the store checks or
    // recomputes them, so they are converted like any other field.
    if (auto problem = ConvertCell(field, cell, context, row[i])) {
      problems.push_back({field.name, *problem});
      continue;
    }
    if (store::IsNull(row[i]) && !field.fallback.empty()) {
      InputCell fallback = InputCell::Text(field.fallback);
      ConvertCell(field, fallback, context, row[i]);
    }
    if (store::IsNull(row[i]) && field.required) {
      problems.push_back({field.name, "is required"});
    }
  }
  if (problems.empty()) {
    auto rules = CheckRowRules(set, row, context);
    problems.insert(problems.end(), rules.begin(), rules.end());
  }
  return problems;
}

std::vector<FieldProblem> MergeRow(const DatasetDef& set, const std::vector<InputCell>& cells,
                                   const ValidationContext& context, store::Row& row,
                                   std::vector<int>* changed) {
  std::vector<FieldProblem> problems;
  row.resize(set.fields.size());
  for (size_t i = 0; i < set.fields.size() && i < cells.size(); ++i) {
    const FieldDef& field = set.fields[i];
    if (cells[i].kind == InputCell::kAbsent) {
      continue;
    }
    store::Value value;
    if (auto problem = ConvertCell(field, cells[i], context, value)) {
      problems.push_back({field.name, *problem});
      continue;
    }
    if (store::IsNull(value) && !field.fallback.empty()) {
      ConvertCell(field, InputCell::Text(field.fallback), context, value);
    }
    if (store::IsNull(value) && field.required) {
      problems.push_back({field.name, "is required and cannot be emptied"});
      continue;
    }
    row[i] = std::move(value);
    if (changed) {
      changed->push_back(static_cast<int>(i));
    }
  }
  if (problems.empty()) {
    auto rules = CheckRowRules(set, row, context);
    problems.insert(problems.end(), rules.begin(), rules.end());
  }
  return problems;
}

std::vector<FieldProblem> CheckRowRules(const DatasetDef& set, store::Row& row,
                                        const ValidationContext& context) {
  std::vector<FieldProblem> problems;
  auto cell = [&](std::string_view name) -> store::Value& {
    return row[static_cast<size_t>(set.FieldIndex(name))];
  };
  auto text = [&](std::string_view name) { return store::ValueText(cell(name)); };

  if (set.name == "farmers") {
    if (!AllDigits(text("id")) || text("id").size() != 9) {
      problems.push_back({"id", "must be a 9-digit registration number, not '" + text("id") + "'"});
    }
    if (!store::IsNull(cell("trn")) && (!AllDigits(text("trn")) || text("trn").size() != 9)) {
      problems.push_back({"trn", "must be 9 digits"});
    }
  }
  if (set.name == "prices" || set.name == "crops") {
    std::string name = set.name == "prices" ? "commodity" : "crop";
    if (!store::IsNull(cell(name))) {
      const Commodity* known = FindCommodity(text(name));
      if (!known) {
        problems.push_back({name, "unknown commodity '" + text(name) +
                                      "' (see /api/v1/commodities for the list)"});
      } else {
        cell(name) = std::string(known->name);
      }
    }
  }
  if (set.name == "prices" && !store::IsNull(cell("week_of")) && !IsMonday(text("week_of"))) {
    problems.push_back({"week_of", "must be a Monday, not " + text("week_of")});
  }
  if (set.name == "sales") {
    if (!store::IsNull(cell("commodity"))) {
      std::vector<std::string_view> near;
      if (const Commodity* known = ResolveCommodity(text("commodity"), near)) {
        cell("commodity") = std::string(known->name);
      } else {
        std::string list;
        for (size_t i = 0; i < near.size() && i < 5; ++i) {
          list += (i ? ", " : "") + std::string(near[i]);
        }
        problems.push_back(
            {"commodity", near.empty()
                              ? "unknown commodity '" + text("commodity") +
                                    "' (see /api/v1/commodities for the list)"
                              : "'" + text("commodity") + "' could be " + list + ": name one"});
      }
    }
    if (store::IsNull(cell("sold_at"))) {
      cell("sold_at") = NowRfc3339();  // a digital receipt is recorded as it happens
    }
  }
  if (set.name == "books" && !store::IsNull(cell("first_receipt")) &&
      !store::IsNull(cell("last_receipt"))) {
    int64_t first = std::get<int64_t>(cell("first_receipt"));
    int64_t last = std::get<int64_t>(cell("last_receipt"));
    if (first < 1) {
      problems.push_back({"first_receipt", "must be 1 or more"});
    } else if (last < first) {
      problems.push_back(
          {"last_receipt", "must not be below first_receipt (" + std::to_string(first) + ")"});
    } else if (last - first >= context.max_book_receipts) {
      // An unbounded range would make every made-up number a receipt of this book.
      problems.push_back(
          {"last_receipt", "a book holds at most " + std::to_string(context.max_book_receipts) +
                               " receipts, not " + std::to_string(last - first) + " + 1 (" +
                               std::to_string(first) + "-" + std::to_string(last) + ")"});
    }
  }
  if (set.has_place && set.FieldIndex("lat") >= 0) {
    // Harvest's registry is Jamaican: a point off the island is a typo or swapped lat/lon.
    const store::Value& lat = cell("lat");
    const store::Value& lon = cell("lon");
    if (auto* v = std::get_if<double>(&lat); v && (*v < 17.0 || *v > 19.0)) {
      problems.push_back({"lat", "must lie in Jamaica (17 to 19), not " + text("lat")});
    }
    if (auto* v = std::get_if<double>(&lon); v && (*v < -79.0 || *v > -75.5)) {
      problems.push_back({"lon", "must lie in Jamaica (-79 to -75.5), not " + text("lon")});
    }
  }
  for (size_t i = 0; i < set.fields.size(); ++i) {
    const FieldDef& f = set.fields[i];
    if ((f.type == FieldType::kReal || f.type == FieldType::kInteger) && f.name != "lat" &&
        f.name != "lon" && f.name != set.key) {
      bool negative = (std::holds_alternative<double>(row[i]) && std::get<double>(row[i]) < 0) ||
                      (std::holds_alternative<int64_t>(row[i]) && std::get<int64_t>(row[i]) < 0);
      double amount = std::holds_alternative<double>(row[i]) ? std::get<double>(row[i])
                      : std::holds_alternative<int64_t>(row[i])
                          ? static_cast<double>(std::get<int64_t>(row[i]))
                          : 0;
      bool present = !store::IsNull(row[i]);
      if (negative) {
        problems.push_back({f.name, "must not be negative"});
      } else if (present && f.positive && amount == 0) {
        problems.push_back({f.name, "must be more than 0"});
      } else if (present && f.max_value > 0 && amount > f.max_value) {
        char shown[32];
        std::snprintf(shown, sizeof shown, "%.6g", amount);
        problems.push_back(
            {f.name, "must be at most " + store::ValueText(f.max_value) + ", not " + shown});
      }
    }
  }
  return problems;
}

}  // namespace harvest::registry
