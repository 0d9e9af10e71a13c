// API keys: generation and hashing. Keys are 160 random bits, so a single SHA-256 is
// enough to store them safely (no password stretching needed, unlike web logins).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/principal.h"
#include "store/store.h"

namespace harvest::auth {

// Initialises libsodium once per process, before the first use of its random numbers or
// hashes (keys here, passwords in passwords.cpp); throws if it cannot.
void EnsureSodium();
// A new random key: "hv_" and 32 base32 characters.
std::string GenerateKey();
// Hex SHA-256 of the key, as stored.
std::string HashKey(std::string_view key);

enum class KeyCheck { kNone, kValid, kInvalid };
// Resolves an "Authorization: Bearer KEY" header value to a principal. `stamp`: the store's
// change stamp when the caller has just read it (a database server would be asked again).
KeyCheck Authenticate(store::Store& store, const std::string* authorization, Principal& who,
                      std::optional<uint64_t> stamp = std::nullopt);

}  // namespace harvest::auth
