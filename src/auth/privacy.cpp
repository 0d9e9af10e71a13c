#include "auth/privacy.h"

#include <openssl/evp.h>

#include <array>
#include <cmath>
#include <memory>
#include <stdexcept>

namespace harvest::auth {
namespace {

// Set once at start-up, before any thread formats a row.
std::array<unsigned char, 16> farm_token_key{};
bool farm_token_key_set = false;

int HexDigit(char c) {
  return c >= '0' && c <= '9'   ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

// One AES-128 block through the key, either way. A context per thread: fetching the
// cipher for every farm of a page would cost more than the encryption.
bool Crypt(const unsigned char* in, unsigned char* out, bool encrypt) {
  if (!farm_token_key_set) {
    throw std::logic_error("the farm token key was not loaded from the database");
  }
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
  if (EVP_CipherInit_ex(ctx, EVP_aes_128_ecb(), nullptr, farm_token_key.data(), nullptr,
                        encrypt ? 1 : 0) != 1) {
    return false;
  }
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  return EVP_CipherUpdate(ctx, out, &length, in, 16) == 1 && length == 16;
}

}  // namespace

bool CanList(const registry::DatasetDef& set, registry::Role role) {
  return (set.list_roles & role) != 0;
}

bool CanRead(const registry::DatasetDef& set, registry::Role role) {
  return (set.item_roles & role) != 0;
}

bool CanWrite(const registry::DatasetDef& set, registry::Role role) {
  return (set.write_roles & role) != 0;
}

bool FieldVisible(const registry::FieldDef& field, registry::Role role) {
  return (field.visible & role) != 0;
}

bool FieldCoarsened(const registry::FieldDef& field, registry::Role role) {
  return (field.rounded & role) != 0;
}

std::vector<int> VisibleFields(const registry::DatasetDef& set, registry::Role role) {
  std::vector<int> fields;
  for (size_t i = 0; i < set.fields.size(); ++i) {
    if (FieldVisible(set.fields[i], role)) {
      fields.push_back(static_cast<int>(i));
    }
  }
  return fields;
}

store::Value Present(const registry::FieldDef& field, registry::Role role, const store::Value& v) {
  if (FieldOpaque(field, role)) {
    if (const auto* farm = std::get_if<int64_t>(&v)) {
      return FarmToken(*farm);
    }
  }
  if (FieldCoarsened(field, role)) {
    if (const auto* d = std::get_if<double>(&v)) {
      return std::round(*d * 10.0) / 10.0;
    }
  }
  return v;
}

}  // namespace harvest::auth

namespace harvest::auth {

bool FieldOpaque(const registry::FieldDef& field, registry::Role role) {
  return (field.opaque & role) != 0;
}

void SetFarmTokenKey(std::string_view hex) {
  if (hex.size() != 32) {
    throw std::runtime_error("farm_token_key in the database must be 32 hex digits");
  }
  for (size_t i = 0; i < 16; ++i) {
    int high = HexDigit(hex[2 * i]);
    int low = HexDigit(hex[2 * i + 1]);
    if (high < 0 || low < 0) {
      throw std::runtime_error("farm_token_key in the database must be 32 hex digits");
    }
    farm_token_key[i] = static_cast<unsigned char>(high * 16 + low);
  }
  farm_token_key_set = true;
}

// The block is the farm number (8 bytes, big-endian) and 8 zero bytes: a token that does
// not decrypt to zeros there was not made by this server.
std::string FarmToken(int64_t farm) {
  std::array<unsigned char, 16> block{};
  for (int i = 0; i < 8; ++i) {
    block[static_cast<size_t>(7 - i)] =
        static_cast<unsigned char>(static_cast<uint64_t>(farm) >> (8 * i));
  }
  std::array<unsigned char, 16> sealed{};
  if (!Crypt(block.data(), sealed.data(), true)) {
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

std::optional<int64_t> FarmFromToken(std::string_view token) {
  if (token.size() != 32) {
    return std::nullopt;
  }
  std::array<unsigned char, 16> sealed{};
  for (size_t i = 0; i < 16; ++i) {
    int high = HexDigit(token[2 * i]);
    int low = HexDigit(token[2 * i + 1]);
    if (high < 0 || low < 0) {
      return std::nullopt;
    }
    sealed[i] = static_cast<unsigned char>(high * 16 + low);
  }
  std::array<unsigned char, 16> block{};
  if (!Crypt(sealed.data(), block.data(), false)) {
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

std::optional<store::Value> Unpresent(const registry::FieldDef& field, registry::Role role,
                                      const std::string& text) {
  if (!FieldOpaque(field, role)) {
    return store::Value{text};
  }
  if (std::optional<int64_t> farm = FarmFromToken(text)) {
    return store::Value{*farm};
  }
  return std::nullopt;
}

}  // namespace harvest::auth
