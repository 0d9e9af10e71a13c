// Where each gateway message id is in `sms_messages`, kept in memory: the table is written in
// arrival order (a unique index over random message ids cost every SMS a page of its own in
// the log, see migration 10), so finding the reply of a retried message needs an index, and
// this one costs no write. An open-addressing table of (keyed hash, row id): 16 bytes a slot,
// about 24 a message. The hash is SipHash (libsodium's crypto_shorthash) under a key drawn
// at start, so message ids chosen to collide cannot slow it down. A hash names candidates
// only: the store compares each candidate row's gateway, sender and id before trusting it,
// so a stale entry (its commit rolled back) is harmless. Not thread-safe, except Hash.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace harvest::store::sqlite {

class SmsIdIndex {
 public:
  SmsIdIndex();

  uint64_t Hash(std::string_view gateway, std::string_view sender,
                std::string_view message_id) const;
  // Adds (hash, row); a pair already present is not added twice.
  void Add(uint64_t hash, int64_t row);
  // The rows added under `hash`.
  std::vector<int64_t> Rows(uint64_t hash) const;
  size_t size() const { return count_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    int64_t row = 0;  // 0: empty (SQLite row ids start at 1)
  };
  void Grow();

  std::vector<Slot> slots_;
  size_t count_ = 0;
  unsigned char key_[16];
};

}  // namespace harvest::store::sqlite
