// Web login passwords (SPEC §3, §9): salted Argon2id hashes made by libsodium, in its
// self-describing string form (algorithm, limits and salt travel with the hash). Must not
// depend on HTTP or the store.
#pragma once

#include <string>
#include <string_view>

namespace harvest::auth {

// Shortest password `harvest user add` accepts.
constexpr size_t kMinPasswordLength = 10;

// A new Argon2id hash of `password` (libsodium's interactive limits: 64 MiB, 2 passes).
std::string HashPassword(std::string_view password);
// Whether `password` is the one `hash` was made from; false for a malformed hash.
bool PasswordMatches(const std::string& hash, std::string_view password);
// 32 random bytes as 64 hex digits (session tokens, CSRF tokens).
std::string RandomToken();

}  // namespace harvest::auth
