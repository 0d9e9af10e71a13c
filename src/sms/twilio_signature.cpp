#include "sms/twilio_signature.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace harvest::sms {

namespace {

// One keyed HMAC-SHA1 context per thread. OpenSSL 3's one-shot HMAC() fetches the algorithm
// and builds a context on every call, which cost more than hashing a webhook's few hundred
// bytes; re-initialising a context keeps the key schedule and skips both.
class ThreadHmac {
 public:
  ThreadHmac() = default;
  ThreadHmac(const ThreadHmac&) = delete;
  ThreadHmac& operator=(const ThreadHmac&) = delete;
  ~ThreadHmac() { EVP_MAC_CTX_free(ctx_); }

  // Writes HMAC-SHA1(key, data) to `out` (EVP_MAX_MD_SIZE bytes) and returns its length.
  size_t Sha1(std::string_view key, std::string_view data, unsigned char* out) {
    bool ok = true;
    if (ctx_ == nullptr || key != key_) {
      static EVP_MAC* const hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
      EVP_MAC_CTX_free(ctx_);
      ctx_ = hmac != nullptr ? EVP_MAC_CTX_new(hmac) : nullptr;
      char digest[] = "SHA1";
      OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                             OSSL_PARAM_construct_end()};
      ok = ctx_ != nullptr && EVP_MAC_init(ctx_, reinterpret_cast<const unsigned char*>(key.data()),
                                           key.size(), params) == 1;
      if (ok) {
        key_ = key;
      }
    } else {
      // Without a key, EVP_MAC_init restarts with the key already set.
      ok = EVP_MAC_init(ctx_, nullptr, 0, nullptr) == 1;
    }
    ok = ok && EVP_MAC_update(ctx_, reinterpret_cast<const unsigned char*>(data.data()),
                              data.size()) == 1;
    size_t written = 0;
    if (!ok || EVP_MAC_final(ctx_, out, &written, EVP_MAX_MD_SIZE) != 1) {
      EVP_MAC_CTX_free(ctx_);
      ctx_ = nullptr;
      key_.clear();
      throw std::runtime_error("HMAC-SHA1 failed in OpenSSL");
    }
    return written;
  }

 private:
  EVP_MAC_CTX* ctx_ = nullptr;
  std::string key_;
};

ThreadHmac& Hmac() {
  thread_local ThreadHmac hmac;
  return hmac;
}

}  // namespace

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
  size_t mac_len = Hmac().Sha1(auth_token, data, mac);

  // Base64 of n bytes is 4 * ceil(n / 3) characters; EVP_EncodeBlock adds a NUL.
  std::string b64(4 * ((mac_len + 2) / 3) + 1, '\0');
  int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), mac, static_cast<int>(mac_len));
  b64.resize(static_cast<size_t>(written));
  return b64;
}

std::vector<std::string> TwilioUrlForms(std::string_view url) {
  std::vector<std::string> forms{std::string(url)};
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return forms;
  }
  std::string scheme(url.substr(0, scheme_end));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string_view port = scheme == "https" ? "443" : scheme == "http" ? "80" : "";
  if (port.empty()) {
    return forms;
  }
  size_t host_start = scheme_end + 3;
  size_t host_end = url.find_first_of("/?#", host_start);
  if (host_end == std::string_view::npos) {
    host_end = url.size();
  }
  std::string_view authority = url.substr(host_start, host_end - host_start);
  // The port follows the last colon, unless that colon is inside an IPv6 literal ("[::1]").
  size_t colon = authority.rfind(':');
  size_t bracket = authority.rfind(']');
  bool has_port =
      colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket);
  std::string other(url.substr(0, host_start));
  if (!has_port) {
    other += std::string(authority) + ":" + std::string(port);
  } else if (authority.substr(colon + 1) == port) {
    other += std::string(authority.substr(0, colon));
  } else {
    return forms;
  }
  other += url.substr(host_end);
  forms.push_back(std::move(other));
  return forms;
}

bool TwilioRequestSigned(std::string_view url,
                         const std::vector<std::pair<std::string, std::string>>& params,
                         std::string_view auth_token, std::string_view header_value) {
  for (const std::string& form : TwilioUrlForms(url)) {
    if (TwilioSignatureMatches(TwilioSignature(form, params, auth_token), header_value)) {
      return true;
    }
  }
  return false;
}

bool TwilioSignatureMatches(std::string_view expected_b64, std::string_view header_value) {
  // The length of a SHA-1 signature is public, so checking it first leaks nothing.
  if (header_value.empty() || expected_b64.size() != header_value.size()) {
    return false;
  }
  return CRYPTO_memcmp(expected_b64.data(), header_value.data(), expected_b64.size()) == 0;
}

}  // namespace harvest::sms
