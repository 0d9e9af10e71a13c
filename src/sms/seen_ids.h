// The gateway message ids already answered, as a Bloom filter: "certainly new" or "maybe
// seen". Nearly every message is new, so the conversation looks an id up in the store's
// `sms_messages` only on a "maybe" (about one in a hundred new ids, and every retry) instead
// of for each message. Ids are added with their gateway and sender (the conversation's key):
// a gateway message id is matched together with its sender. No Bloom filter ships with
// Boost 1.81 or Debian's C++ libraries, and this one is a few lines. It grows by adding filters twice the size of the last.
// Not thread-safe: the conversation guards it. Must not depend on the store.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace harvest::sms {

class SeenIds {
 public:
  void Add(std::string_view id);
  // False only if `id` was never added.
  bool MaybeSeen(std::string_view id) const;
  size_t size() const { return count_; }

 private:
  struct Filter {
    std::vector<uint64_t> bits;
    size_t capacity = 0;  // ids it takes before the next filter starts
    size_t count = 0;
  };
  std::vector<Filter> filters_;
  size_t count_ = 0;
};

}  // namespace harvest::sms
