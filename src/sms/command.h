// Parses the text of one incoming SMS into a command (SPEC §6: R, F, S, LOST, P, HELP and their
// aliases), tolerating what people really type on a phone at a roadside: any case, stray spaces
// and newlines, "#", "-" and "." inside numbers, "500kg" or "500 KG", plural and misspelt units.
// Pure text work: it must not depend on gateways, the store, HTTP or SQL. Who may use which
// command is the caller's business.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace harvest::sms {

enum class CommandKind { kReceipt, kFarmer, kSell, kLost, kPrice, kHelp, kUnknown, kEmpty };

struct Quantity {
  double amount = 0;
  std::string unit;  // canonical (verify::CanonicalUnit), or "" when none was typed
};

struct Command {
  CommandKind kind = CommandKind::kEmpty;
  std::string word;         // the command word as typed, uppercased ("CHECK", "STOLEN", "?")
  int64_t receipt = 0;      // R, S; for LOST the number's value, whether receipt or book serial
  std::string number_text;  // the number's digits as typed, leading zeros kept (R, S, F, LOST)
  std::string farmer_id;    // F
  std::optional<Quantity> quantity;  // R (optional), S (required, with a unit)
  std::string commodity;             // lowercased, single-spaced; "" when not given
  std::string buyer_phone;           // S: digits, with a leading '+' when typed; "" when not given
  std::string query;                 // P: the rest of the text, single-spaced, as typed
  // Non-empty when the text cannot be acted on: a sentence saying what is wrong and showing
  // the right form, ready to follow "ERROR " in a reply. The other fields then hold whatever
  // was understood.
  std::string error;
};

// Never throws; every problem is reported in Command::error. kEmpty is a blank message and
// kUnknown a first word that is no command; both carry an error too.
Command ParseCommand(std::string_view text);

// A one-line example of the command's form for error and help texts, e.g. "R 4512 [500kg yam]";
// "" for kUnknown and kEmpty.
std::string_view CommandForm(CommandKind kind);

}  // namespace harvest::sms
