// An error that ends a request, carrying what the error envelope of SPEC §4 needs:
// {"error": {"code", "message", "details": [{field, message}]}}.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "registry/validate.h"
#include "store/store.h"

namespace harvest::api {

class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, const std::string& message,
           std::vector<registry::FieldProblem> details = {})
      : std::runtime_error(message),
        status_(status),
        code_(std::move(code)),
        details_(std::move(details)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::vector<registry::FieldProblem>& details() const { return details_; }
  // Extra headers the answer needs (Allow, Retry-After, WWW-Authenticate).
  ApiError& WithHeader(std::string name, std::string value) {
    headers_.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }

 private:
  int status_;
  std::string code_;
  std::vector<registry::FieldProblem> details_;
  std::vector<std::pair<std::string, std::string>> headers_;
};

// Text from a request made fit to quote in a message: invalid UTF-8 bytes and control
// characters as \xNN (so the error's JSON stays valid UTF-8), cut to `max_bytes`.
std::string Shown(std::string_view text, size_t max_bytes = 60);

inline ApiError BadParameter(const std::string& message) {
  return ApiError(400, "bad_parameter", message);
}

// The database cannot take a write now (SPEC §10): 503 naming why, with Retry-After.
inline ApiError UnavailableError(const store::Unavailable& e) {
  bool full = e.reason() == store::Unavailable::Reason::kDiskFull;
  return ApiError(503, full ? "disk_full" : "database_locked", e.what())
      .WithHeader("Retry-After", std::to_string(e.retry_after_seconds()));
}

}  // namespace harvest::api
