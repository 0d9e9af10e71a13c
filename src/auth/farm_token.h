// The cipher behind the opaque farm ids partners see (auth/privacy.h): a farm number sealed
// with AES-128 under a 16-byte secret, written as 32 hex digits. The key is passed in, so
// the store can fill its token column (store/sqlite) under the secret of its own database
// while privacy.cpp presents rows under the one the process installed.
// Depends on OpenSSL and the standard library alone.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace harvest::auth {

using FarmTokenKey = std::array<unsigned char, 16>;

// The key written as 32 hex digits (as `farm_token_key` is kept in the database); nullopt
// for anything else.
std::optional<FarmTokenKey> ParseFarmTokenKey(std::string_view hex);
// The token of farm number `farm`.
std::string SealFarm(const FarmTokenKey& key, int64_t farm);
// The farm number sealed in `token` under `key`; nullopt for anything not made so.
std::optional<int64_t> OpenFarmToken(const FarmTokenKey& key, std::string_view token);

}  // namespace harvest::auth
