// The SMS command parser (sms::ParseCommand) and what a reply does with its text: GSM-7
// transliteration and cutting to the segment budget.
#include <string>

#include "fuzz_check.h"
#include "sms/command.h"
#include "sms/gsm7.h"
#include "sms/replies.h"

using namespace harvest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = fuzz::Text(data, size);
  sms::Command command = sms::ParseCommand(text);  // never throws
  bool acted_on = command.kind != sms::CommandKind::kUnknown &&
                  command.kind != sms::CommandKind::kEmpty && command.error.empty();
  if (command.kind == sms::CommandKind::kUnknown || command.kind == sms::CommandKind::kEmpty) {
    FUZZ_CHECK(!command.error.empty());
  }
  if (acted_on && (command.kind == sms::CommandKind::kReceipt ||
                   command.kind == sms::CommandKind::kSell)) {
    FUZZ_CHECK(command.receipt >= 0);
    FUZZ_CHECK(!command.number_text.empty());
  }
  if (acted_on && command.kind == sms::CommandKind::kSell) {
    FUZZ_CHECK(command.quantity.has_value() && !command.quantity->unit.empty());
  }
  // An error reply quotes what was typed: it must still fit the SMS budget and be GSM-7.
  std::string reply = sms::FormatError(command.error.empty() ? "x" : command.error);
  for (size_t segments : {size_t{1}, size_t{3}}) {
    std::string fitted = sms::FitSms(reply, segments);
    FUZZ_CHECK(sms::IsGsm7(fitted));
    FUZZ_CHECK(sms::Segments(fitted) <= segments);
  }
  std::string plain = sms::Transliterate(text);
  FUZZ_CHECK(sms::IsGsm7(plain));
  std::string cut = sms::FitSms(text, 1);
  FUZZ_CHECK(sms::Septets(cut) <= sms::kSingleSmsSeptets);
  return 0;
}
