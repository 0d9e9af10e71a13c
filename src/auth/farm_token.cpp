#include "auth/farm_token.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace harvest::auth {
namespace {

int HexDigit(char c) {
  return c >= '0' && c <= '9'   ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

// 32 hex digits into 16 bytes; false for anything else.
bool FromHex(std::string_view hex, std::array<unsigned char, 16>& bytes) {
  if (hex.size() != 32) {
    return false;
  }
  for (size_t i = 0; i < 16; ++i) {
    int high = HexDigit(hex[2 * i]);
    int low = HexDigit(hex[2 * i + 1]);
    if (high < 0 || low < 0) {
      return false;
    }
    bytes[i] = static_cast<unsigned char>(high * 16 + low);
  }
  return true;
}

// One AES-128 block through the key, either way. A context per thread: fetching the
// cipher for every farm of a page would cost more than the encryption.
bool Crypt(const FarmTokenKey& key, const unsigned char* in, unsigned char* out, bool encrypt) {
  struct Contexts {
    EVP_CIPHER_CTX* enc = EVP_CIPHER_CTX_new();
    EVP_CIPHER_CTX* dec = EVP_CIPHER_CTX_new();
    ~Contexts() {
      EVP_CIPHER_CTX_free(enc);
      EVP_CIPHER_CTX_free(dec);
    }
  };
  thread_local Contexts contexts;
  EVP_CIPHER_CTX* ctx = encrypt ? contexts.enc : contexts.dec;
  int length = 0;
  if (EVP_CipherInit_ex(ctx, EVP_aes_128_ecb(), nullptr, key.data(), nullptr, encrypt ? 1 : 0) !=
      1) {
    return false;
  }
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  return EVP_CipherUpdate(ctx, out, &length, in, 16) == 1 && length == 16;
}

}  // namespace

std::optional<FarmTokenKey> ParseFarmTokenKey(std::string_view hex) {
  FarmTokenKey key{};
  if (!FromHex(hex, key)) {
    return std::nullopt;
  }
  return key;
}

// The block is the farm number (8 bytes, big-endian) and 8 zero bytes: a token that does
// not decrypt to zeros there was not made under this key.
std::string SealFarm(const FarmTokenKey& key, int64_t farm) {
  std::array<unsigned char, 16> block{};
  for (int i = 0; i < 8; ++i) {
    block[static_cast<size_t>(7 - i)] =
        static_cast<unsigned char>(static_cast<uint64_t>(farm) >> (8 * i));
  }
  std::array<unsigned char, 16> sealed{};
  if (!Crypt(key, block.data(), sealed.data(), true)) {
    throw std::runtime_error("cannot make a farm token");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  for (unsigned char byte : sealed) {
    token.push_back(kHex[byte >> 4]);
    token.push_back(kHex[byte & 15]);
  }
  return token;
}

std::optional<int64_t> OpenFarmToken(const FarmTokenKey& key, std::string_view token) {
  std::array<unsigned char, 16> sealed{};
  if (!FromHex(token, sealed)) {
    return std::nullopt;
  }
  std::array<unsigned char, 16> block{};
  if (!Crypt(key, sealed.data(), block.data(), false)) {
    return std::nullopt;
  }
  uint64_t farm = 0;
  for (size_t i = 0; i < 8; ++i) {
    farm = (farm << 8) | block[i];
  }
  for (size_t i = 8; i < 16; ++i) {
    if (block[i] != 0) {
      return std::nullopt;
    }
  }
  return static_cast<int64_t>(farm);
}

}  // namespace harvest::auth
