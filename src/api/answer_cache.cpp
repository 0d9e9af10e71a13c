#include "api/answer_cache.h"

namespace harvest::api {

AnswerCache::AnswerCache(size_t max_bytes) : max_bytes_(max_bytes) {}

size_t AnswerCache::Cost(const std::string& key, const http::Response& response) {
  // Bytes held for the entry: key (twice: list and index), body, headers, and a rough
  // figure for the nodes and allocations around them.
  size_t bytes = 2 * key.size() + response.body.size() + 256;
  for (const auto& [name, value] : response.headers) {
    bytes += name.size() + value.size() + 64;
  }
  return bytes;
}

std::optional<http::Response> AnswerCache::Find(const std::string& key, uint64_t stamp,
                                                std::string* label,
                                                std::vector<auth::AuditNote>* notes) {
  std::shared_ptr<const http::Response> found;
  {
    std::lock_guard lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end() || it->second->stamp != stamp) {
      return std::nullopt;
    }
    order_.splice(order_.begin(), order_, it->second);
    found = it->second->response;
    if (label) {
      *label = it->second->label;
    }
    if (notes) {
      *notes = it->second->notes;
    }
  }
  return *found;  // copied outside the lock
}

void AnswerCache::Store(const std::string& key, uint64_t stamp, const http::Response& response,
                        const std::string& label, std::vector<auth::AuditNote> notes) {
  size_t bytes = Cost(key, response) + label.size();
  for (const auth::AuditNote& note : notes) {
    bytes += note.action.size() + note.dataset.size() + note.record.size() + note.detail.size() +
             128;
  }
  if (bytes > max_bytes_ / 8) {
    return;
  }
  auto copy = std::make_shared<const http::Response>(response);
  std::lock_guard lock(mutex_);
  if (auto it = index_.find(key); it != index_.end()) {
    bytes_ -= it->second->bytes;
    order_.erase(it->second);
    index_.erase(it);
  }
  EvictTo(max_bytes_ - bytes);
  order_.push_front(Entry{key, stamp, std::move(copy), label, std::move(notes), bytes});
  index_.emplace(key, order_.begin());
  bytes_ += bytes;
}

void AnswerCache::EvictTo(size_t bytes) {
  while (bytes_ > bytes && !order_.empty()) {
    bytes_ -= order_.back().bytes;
    index_.erase(order_.back().key);
    order_.pop_back();
  }
}

size_t AnswerCache::Bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

size_t AnswerCache::Entries() const {
  std::lock_guard lock(mutex_);
  return index_.size();
}

}  // namespace harvest::api
