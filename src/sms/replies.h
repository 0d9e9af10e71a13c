// The texts Harvest sends back by SMS (SPEC §6): verification verdicts, farmer lookups, sale and
// book-report confirmations, help and errors, plus the TwiML envelope for Twilio.
// Pure formatting of facts the caller already has: it must not depend on the store, gateways,
// HTTP or SQL. Every text is transliterated to GSM-7 and fits one SMS (160 septets); the least
// important parts are dropped first when room runs out.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "verify/verdict.h"

namespace harvest::sms {

// "VALID 4512: book 000045, John Brown (081117655), St. Thomas. Verified, card to 2027-03-31.
// Sale: 500 kg yam 2026-11-20." The verdict word and receipt number always come first; then the
// most important signal (and for ALERT what to do), then who owns the book, then the recorded
// sale, as room allows.
std::string FormatVerifyReply(const verify::ReceiptFacts& facts, const verify::Result& result);

// "FARMER 081117655: John Brown ("Bigga"), St. Thomas, ACTIVE, verified, card to 2027-03-31.
// Under investigation: no." Only the police view of a farmer (SPEC §3). With `today`
// (YYYY-MM-DD, see verify::UtcDate) an expired card reads "card EXPIRED 2026-03-31".
std::string FormatFarmerReply(const verify::FarmerFacts& farmer, std::string_view today = "");

// "ERROR no farmer with ID ..." for an F lookup that found nobody.
std::string FormatFarmerNotFound(std::string_view farmer_id);

// Confirms an S command: "SOLD 4512: 500 kg yam recorded on book 000045, 2026-11-20. ..."
std::string FormatSaleRecorded(int64_t receipt, const verify::SaleFacts& sale,
                               std::string_view book_serial);

// Confirms a LOST/STOLEN report; `book` carries the new status and its date.
std::string FormatBookReported(const verify::BookFacts& book);

// The commands this sender may use: everyone has P and HELP; officers R and F; farmers S and
// LOST.
std::string FormatHelp(bool officer, bool farmer);

// "ERROR " + what, ending with a full stop. `what` may be a verify or parser message such as
// Command::error; a leading "ERROR" in it is not repeated.
std::string FormatError(std::string_view what);

// <?xml version="1.0" encoding="UTF-8"?><Response><Message>TEXT</Message></Response>, with
// the text XML-escaped and characters XML 1.0 forbids removed. An empty text gives an empty
// <Response/>, which tells Twilio to send nothing (rate-limit silence).
std::string TwimlMessage(std::string_view text);

}  // namespace harvest::sms
