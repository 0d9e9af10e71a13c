// Gateway form decoding: a Twilio or Kannel POST body (application/x-www-form-urlencoded) →
// the decoded fields, the Twilio signature over them and the comparison with a header, and the
// TwiML answer built from the text.
#include <string>

#include "fuzz_check.h"
#include "http/message.h"
#include "sms/command.h"
#include "sms/gsm7.h"
#include "sms/replies.h"
#include "sms/twilio_signature.h"

using namespace harvest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = fuzz::Text(data, size);
  // Up to the first newline: the X-Twilio-Signature header; the rest: the form body.
  size_t nl = text.find('\n');
  std::string_view header = nl == std::string_view::npos ? "" : text.substr(0, nl);
  std::string_view body = nl == std::string_view::npos ? text : text.substr(nl + 1);
  auto params = http::ParseQueryString(body);
  std::string expected =
      sms::TwilioSignature("https://harvest.example/sms/twilio", params, "fuzz-token");
  FUZZ_CHECK(expected.size() == 28);  // base64 of 20 bytes
  FUZZ_CHECK(sms::TwilioSignatureMatches(expected, expected));
  if (sms::TwilioSignatureMatches(expected, header)) {
    FUZZ_CHECK(header == expected);
  }
  std::string from, message;
  for (const auto& [key, value] : params) {
    if (key == "Body" || key == "text") {
      message = value;
    } else if (key == "From" || key == "from") {
      from = value;
    }
  }
  sms::Command command = sms::ParseCommand(message);
  std::string reply = sms::FitSms(command.error.empty() ? message : command.error, 3);
  std::string twiml = sms::TwimlMessage(reply);
  size_t open = twiml.find("<Message>");
  if (open != std::string::npos) {
    size_t close = twiml.rfind("</Message>");
    FUZZ_CHECK(close != std::string::npos && close > open);
    std::string_view inner(twiml.data() + open + 9, close - open - 9);
    FUZZ_CHECK(inner.find('<') == std::string_view::npos);
  }
  return 0;
}
