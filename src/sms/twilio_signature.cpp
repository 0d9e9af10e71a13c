#include "sms/twilio_signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <stdexcept>

namespace harvest::sms {

std::string TwilioSignature(std::string_view url,
                            const std::vector<std::pair<std::string, std::string>>& params,
                            std::string_view auth_token) {
  std::vector<std::pair<std::string, std::string>> sorted = params;
  std::sort(sorted.begin(), sorted.end());
  std::string data(url);
  for (const auto& [key, value] : sorted) {
    data += key;
    data += value;
  }

  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha1(), auth_token.data(), static_cast<int>(auth_token.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac,
           &mac_len) == nullptr) {
    throw std::runtime_error("HMAC-SHA1 failed in OpenSSL");
  }

  // Base64 of n bytes is 4 * ceil(n / 3) characters; EVP_EncodeBlock adds a NUL.
  std::string b64(4 * ((mac_len + 2) / 3) + 1, '\0');
  int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), mac, static_cast<int>(mac_len));
  b64.resize(static_cast<size_t>(written));
  return b64;
}

bool TwilioSignatureMatches(std::string_view expected_b64, std::string_view header_value) {
  // The length of a SHA-1 signature is public, so checking it first leaks nothing.
  if (header_value.empty() || expected_b64.size() != header_value.size()) {
    return false;
  }
  return CRYPTO_memcmp(expected_b64.data(), header_value.data(), expected_b64.size()) == 0;
}

}  // namespace harvest::sms
