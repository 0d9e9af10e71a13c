// Twilio's X-Twilio-Signature for the /sms/twilio webhook (SPEC §6): computing the signature a
// request should carry and comparing it with the header in constant time.
// Depends only on OpenSSL's libcrypto; it must not know about HTTP servers, form parsing or
// configuration: the caller passes the public URL, the decoded form fields and the auth token.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace harvest::sms {

// Base64(HMAC-SHA1(auth_token, url + key1 + value1 + key2 + value2 ...)) with the parameters
// sorted by key, then by value for repeated keys. `url` is the full URL Twilio was configured
// with (HARVEST_PUBLIC_URL plus the path and any query string), exactly as Twilio called it;
// `params` are all the decoded POST form fields, including ones Twilio adds in future.
std::string TwilioSignature(std::string_view url,
                            const std::vector<std::pair<std::string, std::string>>& params,
                            std::string_view auth_token);

// `url` and the form Twilio's own validators accept as the same URL: with the scheme's
// default port added when it has none, or removed when it has it (https and :443, http and
// :80). Twilio may sign either form. Any other port, or another scheme, has one form only.
std::vector<std::string> TwilioUrlForms(std::string_view url);

// True when `header_value` is the signature over one of TwilioUrlForms(url) and `params`.
bool TwilioRequestSigned(std::string_view url,
                         const std::vector<std::pair<std::string, std::string>>& params,
                         std::string_view auth_token, std::string_view header_value);

// True when the header equals the expected signature. The comparison takes the same time
// wherever the first difference is, so an attacker cannot learn the signature byte by byte; an
// empty header never matches.
bool TwilioSignatureMatches(std::string_view expected_b64, std::string_view header_value);

}  // namespace harvest::sms
