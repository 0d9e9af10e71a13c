#include "sms/command.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <vector>

#include "verify/verdict.h"

namespace harvest::sms {

namespace {

using Tokens = std::vector<std::string>;

bool IsDigit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}
bool IsAlpha(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string Join(const Tokens& tokens, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to && i < tokens.size(); ++i) {
    if (!out.empty()) {
      out.push_back(' ');
    }
    out += tokens[i];
  }
  return out;
}

// Echoes user input inside an error without letting a pasted essay crowd out the help text.
std::string Quoted(std::string_view s) {
  constexpr size_t kMax = 15;
  std::string shown(s.substr(0, kMax));
  if (s.size() > kMax) {
    shown += "...";
  }
  return "\"" + shown + "\"";
}

// Splits on any whitespace, including the no-break space phones insert, and drops the commas,
// semicolons and colons people put between items ("R 4512, 500kg, yam").
Tokens Tokenize(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0') {
      clean.push_back(' ');
      ++i;
    } else {
      clean.push_back(text[i]);
    }
  }
  Tokens tokens;
  std::string token;
  auto flush = [&] {
    while (!token.empty() && (token.back() == ',' || token.back() == ';' || token.back() == ':')) {
      token.pop_back();
    }
    if (!token.empty()) {
      tokens.push_back(token);
    }
    token.clear();
  };
  for (char c : clean) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      flush();
    } else {
      token.push_back(c);
    }
  }
  flush();
  return tokens;
}

struct CommandWord {
  std::string_view word;
  CommandKind kind;
};

constexpr std::array<CommandWord, 13> kCommandWords = {{
    {"R", CommandKind::kReceipt},
    {"RECEIPT", CommandKind::kReceipt},
    {"CHECK", CommandKind::kReceipt},
    {"F", CommandKind::kFarmer},
    {"FARMER", CommandKind::kFarmer},
    {"S", CommandKind::kSell},
    {"SELL", CommandKind::kSell},
    {"LOST", CommandKind::kLost},
    {"STOLEN", CommandKind::kLost},
    {"P", CommandKind::kPrice},
    {"PRICE", CommandKind::kPrice},
    {"HELP", CommandKind::kHelp},
    {"?", CommandKind::kHelp},
}};

std::optional<CommandKind> KindOf(std::string_view upper_word) {
  for (const CommandWord& w : kCommandWords) {
    if (w.word == upper_word) {
      return w.kind;
    }
  }
  return std::nullopt;
}

// Words people put between the command and its number: "R no. 4512", "LOST book 000045".
bool IsFiller(std::string_view token) {
  static constexpr std::array<std::string_view, 10> kFillers = {
      "NO", "NO.", "NUM", "NUMBER", "NR", "#", "RECEIPT", "BOOK", "ID", "SERIAL"};
  std::string upper = Upper(token);
  return std::find(kFillers.begin(), kFillers.end(), upper) != kFillers.end();
}

// The digits of a number typed with "#", "-", "." or "," in it ("#45-12", "081-117-655"), or
// nullopt when the token holds anything else.
std::optional<std::string> NumberDigits(std::string_view token) {
  std::string digits;
  for (char c : token) {
    if (IsDigit(c)) {
      digits.push_back(c);
    } else if (c != '#' && c != '-' && c != '.' && c != ',') {
      return std::nullopt;
    }
  }
  if (digits.empty()) {
    return std::nullopt;
  }
  return digits;
}

// "1,000" is a thousands separator; any other comma is a decimal comma ("2,5").
std::optional<double> ParseAmount(std::string_view text) {
  std::string s;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != ',') {
      s.push_back(text[i]);
      continue;
    }
    bool thousands = i + 3 < text.size() && IsDigit(text[i + 1]) && IsDigit(text[i + 2]) &&
                     IsDigit(text[i + 3]) && (i + 4 == text.size() || !IsDigit(text[i + 4]));
    if (!thousands) {
      s.push_back('.');
    }
  }
  if (std::count(s.begin(), s.end(), '.') > 1 || std::none_of(s.begin(), s.end(), IsDigit)) {
    return std::nullopt;
  }
  if (!std::all_of(s.begin(), s.end(), [](char c) { return IsDigit(c) || c == '.'; })) {
    return std::nullopt;
  }
  return std::strtod(s.c_str(), nullptr);
}

bool StartsNumeric(std::string_view token) {
  return !token.empty() &&
         (IsDigit(token[0]) || (token[0] == '.' && token.size() > 1 && IsDigit(token[1])));
}

std::string ErrorWithForm(std::string_view what, CommandKind kind) {
  return std::string(what) + ". Send: " + std::string(CommandForm(kind));
}

// Skips filler words, then reads the receipt number. Returns the index after it, or 0 with
// cmd.error set.
size_t ReadReceipt(const Tokens& tokens, size_t i, Command& cmd) {
  while (i < tokens.size() && IsFiller(tokens[i])) {
    ++i;
  }
  if (i >= tokens.size()) {
    cmd.error = ErrorWithForm(cmd.word + " needs a receipt number", cmd.kind);
    return 0;
  }
  std::optional<std::string> digits = NumberDigits(tokens[i]);
  if (!digits) {
    cmd.error = ErrorWithForm("receipt number " + Quoted(tokens[i]) + " is not a number", cmd.kind);
    return 0;
  }
  if (digits->size() > 15) {
    cmd.error = ErrorWithForm("receipt number " + Quoted(*digits) + " is too long", cmd.kind);
    return 0;
  }
  cmd.number_text = *digits;
  cmd.receipt = std::stoll(*digits);
  if (cmd.receipt == 0) {
    cmd.error = ErrorWithForm("there is no receipt number 0", cmd.kind);
    return 0;
  }
  return i + 1;
}

// Reads a quantity starting at tokens[i], looking no further than tokens[to - 1]: "500kg",
// "500 kg" or a bare "500". Sets `consumed` to the tokens used; returns nullopt with cmd.error
// set for a bad number or an unknown unit.
std::optional<Quantity> ReadQuantity(const Tokens& tokens, size_t i, size_t to, size_t& consumed,
                                     Command& cmd) {
  const std::string& token = tokens[i];
  size_t split = 0;
  while (split < token.size() &&
         (IsDigit(token[split]) || token[split] == '.' || token[split] == ',')) {
    ++split;
  }
  std::optional<double> amount = ParseAmount(std::string_view(token).substr(0, split));
  if (!amount) {
    cmd.error = ErrorWithForm("quantity " + Quoted(token) + " is not a number", cmd.kind);
    return std::nullopt;
  }
  if (*amount <= 0) {
    cmd.error = ErrorWithForm("quantity must be more than 0", cmd.kind);
    return std::nullopt;
  }
  Quantity q{*amount, ""};
  consumed = 1;
  if (split < token.size()) {
    std::string_view suffix = std::string_view(token).substr(split);
    q.unit = verify::CanonicalUnit(suffix);
    if (q.unit.empty()) {
      cmd.error = ErrorWithForm("unknown unit " + Quoted(suffix) + " in " + Quoted(token) +
                                    "; use kg, lb, dozen, bunch, bag",
                                cmd.kind);
      return std::nullopt;
    }
  } else if (i + 1 < to && !verify::CanonicalUnit(tokens[i + 1]).empty()) {
    q.unit = verify::CanonicalUnit(tokens[i + 1]);
    consumed = 2;
  }
  return q;
}

std::string NormalizeCommodity(const Tokens& words) {
  std::string joined = Lower(Join(words, 0, words.size()));
  static constexpr std::string_view kEdgePunctuation = " .,;:!?\"'()";
  size_t b = joined.find_first_not_of(kEdgePunctuation);
  if (b == std::string::npos) {
    return "";
  }
  size_t e = joined.find_last_not_of(kEdgePunctuation);
  std::string out = joined.substr(b, e - b + 1);
  // "5 bags of yam"
  if (out.starts_with("of ")) {
    out.erase(0, 3);
  }
  return out;
}

// Reads "[quantity] [commodity]" in either order from tokens[from..to).
void ReadLoad(const Tokens& tokens, size_t from, size_t to, Command& cmd) {
  Tokens words;
  for (size_t i = from; i < to; ++i) {
    if (!cmd.quantity && StartsNumeric(tokens[i])) {
      size_t consumed = 1;
      std::optional<Quantity> q = ReadQuantity(tokens, i, to, consumed, cmd);
      if (!q) {
        return;
      }
      cmd.quantity = q;
      i += consumed - 1;
    } else {
      words.push_back(tokens[i]);
    }
  }
  cmd.commodity = NormalizeCommodity(words);
}

bool IsPhoneToken(std::string_view token, bool first) {
  bool any_digit = false;
  for (size_t i = 0; i < token.size(); ++i) {
    char c = token[i];
    if (IsDigit(c)) {
      any_digit = true;
    } else if (c == '+') {
      if (!first || i != 0) {
        return false;
      }
    } else if (c != '-' && c != '(' && c != ')' && c != '.') {
      return false;
    }
  }
  return any_digit;
}

// The buyer's phone is the run of number-like tokens after the last word with a letter in it
// ("... eggs 876-555-0123", "... eggs (876) 555 0123"); 7 to 15 digits make a phone number.
// Returns where the phone starts (tokens.size() when there is none).
size_t ReadTrailingPhone(const Tokens& tokens, size_t from, Command& cmd) {
  size_t start = tokens.size();
  while (start > from &&
         !std::any_of(tokens[start - 1].begin(), tokens[start - 1].end(), IsAlpha)) {
    --start;
  }
  // Only the first token of the run may start with '+'; shrink the run past any that break that.
  while (start < tokens.size()) {
    bool ok = IsPhoneToken(tokens[start], true);
    for (size_t i = start + 1; ok && i < tokens.size(); ++i) {
      ok = IsPhoneToken(tokens[i], false);
    }
    if (ok) {
      break;
    }
    ++start;
  }
  std::string phone;
  for (size_t i = start; i < tokens.size(); ++i) {
    for (char c : tokens[i]) {
      if (IsDigit(c) || c == '+') {
        phone.push_back(c);
      }
    }
  }
  size_t digits = static_cast<size_t>(std::count_if(phone.begin(), phone.end(), IsDigit));
  // The run must leave the quantity behind: "S 4512 500 5550123" has no commodity, no phone.
  if (digits < 7 || digits > 15 || start == from) {
    return tokens.size();
  }
  cmd.buyer_phone = phone;
  return start;
}

// F and LOST take one number, which people split with spaces too ("F 081 117 655").
void ReadWholeNumber(const Tokens& tokens, size_t i, Command& cmd, std::string_view what) {
  while (i < tokens.size() && IsFiller(tokens[i])) {
    ++i;
  }
  if (i >= tokens.size()) {
    cmd.error = ErrorWithForm(cmd.word + " needs " + std::string(what), cmd.kind);
    return;
  }
  std::string digits;
  for (size_t j = i; j < tokens.size(); ++j) {
    std::optional<std::string> part = NumberDigits(tokens[j]);
    if (!part) {
      cmd.error = ErrorWithForm(Quoted(tokens[j]) + " is not a number", cmd.kind);
      return;
    }
    digits += *part;
  }
  if (digits.size() > 18) {
    cmd.error = ErrorWithForm("number " + Quoted(digits) + " is too long", cmd.kind);
    return;
  }
  cmd.number_text = digits;
}

void ParseReceipt(const Tokens& tokens, Command& cmd) {
  size_t next = ReadReceipt(tokens, 1, cmd);
  if (next != 0) {
    ReadLoad(tokens, next, tokens.size(), cmd);
  }
}

void ParseSell(const Tokens& tokens, Command& cmd) {
  size_t next = ReadReceipt(tokens, 1, cmd);
  if (next == 0) {
    return;
  }
  size_t phone_at = ReadTrailingPhone(tokens, next, cmd);
  ReadLoad(tokens, next, phone_at, cmd);
  if (!cmd.error.empty()) {
    return;
  }
  if (!cmd.quantity) {
    cmd.error = ErrorWithForm(cmd.word + " needs the quantity sold, e.g. 500kg", cmd.kind);
  } else if (cmd.quantity->unit.empty()) {
    cmd.error = ErrorWithForm("give a unit after the quantity, e.g. 500kg or 12 dozen", cmd.kind);
  } else if (cmd.commodity.empty()) {
    cmd.error = ErrorWithForm(cmd.word + " needs the crop sold", cmd.kind);
  }
}

// The word as typed, minus trailing punctuation ("R:", "HELP?"), split from a number glued to it
// ("R4512", "F#081117655") when the letters form a command.
std::string SplitCommandWord(Tokens& tokens) {
  std::string first = tokens[0];
  while (first.size() > 1 && std::string_view(":.,;!?").find(first.back()) != std::string::npos) {
    first.pop_back();
  }
  size_t letters = 0;
  while (letters < first.size() && IsAlpha(first[letters])) {
    ++letters;
  }
  if (letters > 0 && letters < first.size() && KindOf(Upper(first.substr(0, letters)))) {
    std::string rest = first.substr(letters);
    size_t digit = rest.find_first_not_of(":#-.,");
    if (digit != std::string::npos && IsDigit(rest[digit])) {
      tokens.insert(tokens.begin() + 1, rest);
      first.resize(letters);
    }
  }
  tokens[0] = first;
  return Upper(first);
}

}  // namespace

std::string_view CommandForm(CommandKind kind) {
  switch (kind) {
    case CommandKind::kReceipt:
      return "R 4512 [500kg yam]";
    case CommandKind::kFarmer:
      return "F 081117655";
    case CommandKind::kSell:
      return "S 4512 500kg yam [buyer phone]";
    case CommandKind::kLost:
      return "LOST 4512";
    case CommandKind::kPrice:
      return "P yam [parish]";
    case CommandKind::kHelp:
      return "HELP";
    case CommandKind::kUnknown:
    case CommandKind::kEmpty:
      break;
  }
  return "";
}

Command ParseCommand(std::string_view text) {
  Command cmd;
  Tokens tokens = Tokenize(text);
  if (tokens.empty()) {
    cmd.kind = CommandKind::kEmpty;
    cmd.error = "empty message. Send HELP for the list of commands";
    return cmd;
  }
  cmd.word = SplitCommandWord(tokens);
  std::optional<CommandKind> kind = KindOf(cmd.word);
  if (!kind) {
    cmd.kind = CommandKind::kUnknown;
    if (NumberDigits(cmd.word)) {
      cmd.error = "start with a command. To check a receipt send: R " + *NumberDigits(cmd.word);
    } else {
      cmd.error = "unknown command " + Quoted(cmd.word) + ". Send HELP for the list of commands";
    }
    return cmd;
  }
  cmd.kind = *kind;
  switch (cmd.kind) {
    case CommandKind::kReceipt:
      ParseReceipt(tokens, cmd);
      break;
    case CommandKind::kSell:
      ParseSell(tokens, cmd);
      break;
    case CommandKind::kFarmer:
      ReadWholeNumber(tokens, 1, cmd, "a farmer ID");
      cmd.farmer_id = cmd.number_text;
      break;
    case CommandKind::kLost:
      ReadWholeNumber(tokens, 1, cmd, "a receipt or book number");
      if (cmd.error.empty()) {
        cmd.receipt = std::stoll(cmd.number_text);
      }
      break;
    case CommandKind::kPrice:
      cmd.query = Join(tokens, 1, tokens.size());
      if (cmd.query.empty()) {
        cmd.error = ErrorWithForm(cmd.word + " needs a crop", cmd.kind);
      }
      break;
    case CommandKind::kHelp:
    case CommandKind::kUnknown:
    case CommandKind::kEmpty:
      break;
  }
  return cmd;
}

}  // namespace harvest::sms
