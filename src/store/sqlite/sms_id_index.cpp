#include "store/sqlite/sms_id_index.h"

#include <sodium.h>

#include <string>

#include "auth/keys.h"

namespace harvest::store::sqlite {

static_assert(crypto_shorthash_KEYBYTES == 16 && crypto_shorthash_BYTES == 8);

SmsIdIndex::SmsIdIndex() : slots_(1024) {
  auth::EnsureSodium();
  crypto_shorthash_keygen(key_);
}

uint64_t SmsIdIndex::Hash(std::string_view gateway, std::string_view sender,
                          std::string_view message_id) const {
  // Newlines cannot occur in any of the three (gateway names and phone numbers are plain, and
  // the gateway routes refuse control characters), so the joined text names one triple.
  std::string joined;
  joined.reserve(gateway.size() + sender.size() + message_id.size() + 2);
  joined.append(gateway).append(1, '\n').append(sender).append(1, '\n').append(message_id);
  unsigned char out[crypto_shorthash_BYTES];
  crypto_shorthash(out, reinterpret_cast<const unsigned char*>(joined.data()), joined.size(),
                   key_);
  uint64_t hash = 0;
  for (unsigned char byte : out) {
    hash = (hash << 8) | byte;
  }
  return hash;
}

void SmsIdIndex::Add(uint64_t hash, int64_t row) {
  if ((count_ + 1) * 10 > slots_.size() * 7) {
    Grow();
  }
  size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.row == 0) {
      slot = Slot{hash, row};
      ++count_;
      return;
    }
    if (slot.hash == hash && slot.row == row) {
      return;
    }
  }
}

std::vector<int64_t> SmsIdIndex::Rows(uint64_t hash) const {
  std::vector<int64_t> rows;
  size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask; slots_[i].row != 0; i = (i + 1) & mask) {
    if (slots_[i].hash == hash) {
      rows.push_back(slots_[i].row);
    }
  }
  return rows;
}

void SmsIdIndex::Grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  count_ = 0;
  for (const Slot& slot : old) {
    if (slot.row != 0) {
      Add(slot.hash, slot.row);
    }
  }
}

}  // namespace harvest::store::sqlite
