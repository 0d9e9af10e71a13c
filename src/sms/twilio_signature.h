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

// True when the header equals the expected signature. The comparison takes the same time
// wherever the first difference is, so an attacker cannot learn the signature byte by byte; an
// empty header never matches.
bool TwilioSignatureMatches(std::string_view expected_b64, std::string_view header_value);

}  // namespace harvest::sms
