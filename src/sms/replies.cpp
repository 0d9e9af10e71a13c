#include "sms/replies.h"

#include <array>
#include <cctype>
#include <vector>

#include "sms/gsm7.h"

namespace harvest::sms {

namespace {

struct Parish {
  std::string_view code;
  std::string_view name;
};

constexpr std::array<Parish, 14> kParishes = {{
    {"KIN", "Kingston"},
    {"AND", "St. Andrew"},
    {"THO", "St. Thomas"},
    {"POR", "Portland"},
    {"MRY", "St. Mary"},
    {"ANN", "St. Ann"},
    {"TRL", "Trelawny"},
    {"JAM", "St. James"},
    {"HAN", "Hanover"},
    {"WML", "Westmoreland"},
    {"ELZ", "St. Elizabeth"},
    {"MAN", "Manchester"},
    {"CLA", "Clarendon"},
    {"CAT", "St. Catherine"},
}};

// Names read better than codes on a phone; an unexpected code is shown as it is.
std::string ParishName(std::string_view code) {
  std::string upper(code);
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  for (const Parish& p : kParishes) {
    if (p.code == upper) {
      return std::string(p.name);
    }
  }
  return std::string(code);
}

// Longest name or commodity shown before it is cut, so one long field cannot crowd out the
// verdict's reasons.
constexpr size_t kMaxNameSeptets = 40;

std::string FullName(const verify::FarmerFacts& farmer) {
  std::string name = farmer.first_name;
  if (!farmer.last_name.empty()) {
    name += (name.empty() ? "" : " ") + farmer.last_name;
  }
  return CutToSeptets(name, kMaxNameSeptets);
}

std::string Date(std::string_view timestamp) {
  return std::string(timestamp.substr(0, 10));
}

// A sentence that follows "VERDICT N: " reads on from the colon, so it starts in lower case;
// an acronym or a number is left alone.
std::string AfterColon(std::string s) {
  if (s.size() > 1 && std::isupper(static_cast<unsigned char>(s[0])) &&
      std::islower(static_cast<unsigned char>(s[1]))) {
    s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  }
  return s;
}

struct Piece {
  std::string text;
  int rank;  // 0 is always kept; the highest rank is dropped first when room runs out
};

// Joins `head` and the pieces in order, dropping the highest-ranked (least important) pieces,
// latest first, until the text fits one SMS; the pieces of rank 0 are cut if they alone do not.
std::string Compose(std::string_view head, std::vector<Piece> pieces) {
  while (true) {
    std::string text(head);
    for (size_t i = 0; i < pieces.size(); ++i) {
      text += (i == 0 ? "" : " ") + (i == 0 ? AfterColon(pieces[i].text) : pieces[i].text);
    }
    std::string gsm = Transliterate(text);
    if (Septets(gsm) <= kSingleSmsSeptets) {
      return gsm;
    }
    size_t drop = pieces.size();
    for (size_t i = 0; i < pieces.size(); ++i) {
      if (pieces[i].rank > 0 && (drop == pieces.size() || pieces[i].rank >= pieces[drop].rank)) {
        drop = i;
      }
    }
    if (drop == pieces.size()) {
      return FitSms(gsm, 1);
    }
    pieces.erase(pieces.begin() + static_cast<std::ptrdiff_t>(drop));
  }
}

std::string Identity(const verify::ReceiptFacts& facts) {
  std::string text = "Book " + (facts.book ? facts.book->serial : std::string("?"));
  if (facts.farmer) {
    const verify::FarmerFacts& f = *facts.farmer;
    text += ", " + FullName(f) + " (" + f.id + ")";
    if (!f.parish.empty()) {
      text += ", " + ParishName(f.parish);
    }
  }
  return text + ".";
}

std::string SaleLine(const verify::SaleFacts& sale) {
  std::string commodity = CutToSeptets(sale.commodity, kMaxNameSeptets);
  std::string text = "Sale: " + verify::FormatQuantity(sale.quantity, sale.unit);
  if (!commodity.empty()) {
    text += " " + commodity;
  }
  if (!sale.sold_at.empty()) {
    text += " " + Date(sale.sold_at);
  }
  return text + ".";
}

bool IsAlertCode(std::string_view code) {
  return code == verify::code::kBookStolen || code == verify::code::kBookLost ||
         code == verify::code::kBookCancelled || code == verify::code::kFarmerUnderInvestigation ||
         code == verify::code::kFarmerInactive;
}

bool HasCode(const verify::Result& result, std::string_view code) {
  for (const verify::Signal& s : result.signals) {
    if (s.code == code) {
      return true;
    }
  }
  return false;
}

std::vector<Piece> ValidPieces(const verify::ReceiptFacts& facts) {
  std::vector<Piece> pieces{{Identity(facts), 0}};
  if (facts.farmer) {
    const std::string& card = facts.farmer->card_expires_on;
    pieces.push_back({card.empty() ? "Verified." : "Verified, card to " + card + ".", 1});
  }
  if (facts.sale) {
    pieces.push_back({SaleLine(*facts.sale), 2});
  }
  return pieces;
}

std::vector<Piece> SignalPieces(const verify::ReceiptFacts& facts, const verify::Result& result) {
  const bool alert = result.verdict == verify::Verdict::kAlert;
  std::vector<Piece> pieces;
  // Signals come most important first: the first is kept, further ones of the verdict's own
  // class go next, and for ALERT the advice follows them.
  for (size_t i = 0; i < result.signals.size(); ++i) {
    const verify::Signal& s = result.signals[i];
    if (!alert || IsAlertCode(s.code)) {
      pieces.push_back({s.message, i == 0 ? 0 : 1});
    }
  }
  if (alert) {
    pieces.push_back({"Hold the produce; call the station.", 0});
  }
  pieces.push_back({Identity(facts), 2});
  if (alert) {
    for (const verify::Signal& s : result.signals) {
      if (!IsAlertCode(s.code)) {
        pieces.push_back({s.message, 3});
      }
    }
  }
  if (facts.sale && !HasCode(result, verify::code::kSaleMismatch)) {
    pieces.push_back({SaleLine(*facts.sale), 4});
  }
  return pieces;
}

std::string EndSentence(std::string text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) {
    text.pop_back();
  }
  if (!text.empty() && text.back() != '.' && text.back() != '!' && text.back() != '?') {
    text.push_back('.');
  }
  return text;
}

}  // namespace

std::string FormatVerifyReply(const verify::ReceiptFacts& facts, const verify::Result& result) {
  std::string head =
      std::string(verify::VerdictWord(result.verdict)) + " " + std::to_string(facts.receipt) + ": ";
  switch (result.verdict) {
    case verify::Verdict::kUnknown: {
      std::string message = result.signals.empty()
                                ? std::string("This number is in no Harvest receipt book.")
                                : result.signals.front().message;
      return Compose(head, {{message, 0}});
    }
    case verify::Verdict::kValid:
      return Compose(head, ValidPieces(facts));
    case verify::Verdict::kCheck:
    case verify::Verdict::kAlert:
      break;
  }
  return Compose(head, SignalPieces(facts, result));
}

std::string FormatFarmerReply(const verify::FarmerFacts& farmer, std::string_view today) {
  std::string status = farmer.status.empty() ? std::string("status unknown") : farmer.status;
  for (char& c : status) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  std::string card = "no card date";
  if (!farmer.card_expires_on.empty()) {
    bool expired = !today.empty() && farmer.card_expires_on < today;
    card = (expired ? "card EXPIRED " : "card to ") + farmer.card_expires_on;
  }
  // Everything after the name; the name and alias give way before any of it.
  std::string facts;
  if (!farmer.parish.empty()) {
    facts += ", " + ParishName(farmer.parish);
  }
  facts += ", " + status + (farmer.verified ? ", verified, " : ", NOT verified, ") + card +
           ". Under investigation: " + (farmer.under_investigation ? "YES." : "no.");
  const std::string head = "FARMER " + CutToSeptets(farmer.id, 20) + ": ";
  const std::string name = FullName(farmer);
  if (!farmer.alias.empty()) {
    std::string with_alias =
        Transliterate(head + name + " (\"" + CutToSeptets(farmer.alias, 20) + "\")" + facts);
    if (Septets(with_alias) <= kSingleSmsSeptets) {
      return with_alias;
    }
  }
  const size_t fixed = Septets(Transliterate(head + facts));
  const size_t room = fixed < kSingleSmsSeptets ? kSingleSmsSeptets - fixed : 0;
  return FitSms(head + CutToSeptets(name, room) + facts, 1);
}

std::string FormatFarmerNotFound(std::string_view farmer_id) {
  return FormatError("no farmer with ID " + CutToSeptets(farmer_id, 20) +
                     ". IDs have 9 digits, as on the card: F 081117655");
}

std::string FormatSaleRecorded(int64_t receipt, const verify::SaleFacts& sale,
                               std::string_view book_serial) {
  std::string what = verify::FormatQuantity(sale.quantity, sale.unit);
  if (!sale.commodity.empty()) {
    what += " " + CutToSeptets(sale.commodity, kMaxNameSeptets);
  }
  std::string first = what + " recorded on book " + std::string(book_serial);
  if (!sale.sold_at.empty()) {
    first += ", " + Date(sale.sold_at);
  }
  const std::string number = std::to_string(receipt);
  return Compose("SOLD " + number + ": ",
                 {{first + ".", 0},
                  {"Write receipt " + number + " for the buyer; police checks will match it.", 1}});
}

std::string FormatBookReported(const verify::BookFacts& book) {
  std::string status = book.status;
  for (char& c : status) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  std::string first = "book " + book.serial + " (receipts " + std::to_string(book.first_receipt) +
                      "-" + std::to_string(book.last_receipt) + ") marked " + status;
  if (!book.status_changed_on.empty()) {
    first += " on " + book.status_changed_on;
  }
  std::vector<Piece> pieces{{first + ".", 0}, {"Police checks of its receipts now give ALERT.", 1}};
  if (status == "STOLEN") {
    pieces.push_back({"Report the theft at your police station too.", 2});
  }
  return Compose("REPORTED: ", pieces);
}

std::string FormatHelp(bool officer, bool farmer) {
  // Written out per sender so each reads well and fits; "[...]" marks what may be left out
  // (each bracket costs two septets).
  if (officer && farmer) {
    return FitSms(
        "HELP: R 4512 [500kg yam] check receipt. F 081117655 farmer. S 4512 500kg yam [buyer "
        "phone] record sale. LOST 4512 report book. P yam [parish] prices.",
        1);
  }
  if (officer) {
    return FitSms(
        "HELP: R 4512 [500kg yam] checks a receipt. F 081117655 shows a farmer. P yam [parish] "
        "gives prices. HELP shows this list.",
        1);
  }
  if (farmer) {
    return FitSms(
        "HELP: S 4512 500kg yam [buyer phone] records a sale. LOST 4512 or STOLEN 4512 reports "
        "your book. P yam [parish] gives prices. HELP shows this list.",
        1);
  }
  return FitSms(
      "HELP: P yam [parish] gives the latest prices, e.g. P yam St. Elizabeth. HELP shows this "
      "list.",
      1);
}

std::string FormatError(std::string_view what) {
  std::string_view rest = what;
  while (!rest.empty() && rest.front() == ' ') {
    rest.remove_prefix(1);
  }
  if (rest.starts_with("ERROR")) {
    rest.remove_prefix(5);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == ':')) {
      rest.remove_prefix(1);
    }
  }
  std::string text = EndSentence(std::string(rest));
  return FitSms("ERROR " + (text.empty() ? std::string("something went wrong.") : text), 1);
}

std::string TwimlMessage(std::string_view text) {
  std::string out = R"(<?xml version="1.0" encoding="UTF-8"?><Response>)";
  if (text.empty()) {
    return out + "</Response>";
  }
  out += "<Message>";
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 has no way to carry C0 controls other than tab and line ends.
        if (u >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
          out.push_back(c);
        }
    }
  }
  return out + "</Message></Response>";
}

}  // namespace harvest::sms
