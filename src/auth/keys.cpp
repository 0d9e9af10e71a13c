#include "auth/keys.h"

#include <sodium.h>
#include <strings.h>

#include <stdexcept>
#include <unordered_map>

namespace harvest::auth {

void EnsureSodium() {
  static const int ready = sodium_init();
  if (ready < 0) {
    throw std::runtime_error("libsodium could not initialise");
  }
}

std::string GenerateKey() {
  EnsureSodium();
  static constexpr char kAlphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";  // no l/o/0/1
  unsigned char random[32];
  randombytes_buf(random, sizeof random);
  std::string key = "hv_";
  for (unsigned char byte : random) {
    key.push_back(kAlphabet[byte % 32]);
  }
  return key;
}

std::string HashKey(std::string_view key) {
  EnsureSodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

KeyCheck Authenticate(store::Store& store, const std::string* authorization, Principal& who,
                      std::optional<uint64_t> stamp) {
  if (!authorization || authorization->empty()) {
    return KeyCheck::kNone;
  }
  std::string_view value = *authorization;
  constexpr std::string_view kBearer = "Bearer ";
  if (value.size() <= kBearer.size() || strncasecmp(value.data(), "bearer ", 7) != 0) {
    return KeyCheck::kInvalid;
  }
  value.remove_prefix(kBearer.size());
  while (!value.empty() && value.front() == ' ') {
    value.remove_prefix(1);
  }
  // Keys are looked up once per thread until the database changes (a revocation in
  // another process moves the change stamp too), sparing a hash and a query per request.
  struct Known {
    uint64_t stamp;
    std::optional<store::ApiKey> key;
  };
  thread_local std::unordered_map<std::string, Known> known;
  if (!stamp) {
    stamp = store.ChangeStamp();
  }
  std::string presented(value);
  auto it = known.find(presented);
  if (it == known.end() || it->second.stamp != *stamp) {
    if (known.size() > 4096) {
      known.clear();
    }
    it = known.insert_or_assign(presented, Known{*stamp, store.FindKey(HashKey(value))}).first;
  }
  const std::optional<store::ApiKey>& key = it->second.key;
  if (!key || !key->revoked_at.empty()) {
    return KeyCheck::kInvalid;
  }
  who.role = key->role;
  who.key_id = key->id;
  who.actor = "key:" + std::to_string(key->id);
  return KeyCheck::kValid;
}

}  // namespace harvest::auth
