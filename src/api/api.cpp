#include "api/api.h"

#include <chrono>
#include <cstdio>
#include <iostream>

#include "api/responses.h"
#include "auth/keys.h"
#include "store/store.h"

namespace harvest::api {
namespace {

// A strong validator for the body; FNV-1a is plenty to tell two bodies apart.
std::string BodyTag(const std::string& body) {
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : body) {
    hash = (hash ^ c) * 1099511628211ULL;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(hash));
  return buf;
}

bool Matches(const std::string& if_none_match, const std::string& tag) {
  return if_none_match.find(tag) != std::string::npos ||
         if_none_match.find("W/" + tag) != std::string::npos || if_none_match == "*";
}

http::Response Preflight() {
  http::Response res;
  res.status = 204;
  res.Set("Access-Control-Allow-Origin", "*");
  res.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, PATCH, OPTIONS");
  res.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, If-None-Match");
  res.Set("Access-Control-Max-Age", "86400");
  return res;
}

}  // namespace

Api::Api(Context context) : context_(std::move(context)) {}

void Api::AddGroup(RouteGroup group) {
  groups_.push_back(std::move(group));
}

std::optional<http::Response> Api::Route(http::Request& request, auth::Principal& who,
                                         std::string& group) {
  for (RouteGroup& candidate : groups_) {
    if (auto res = candidate.handle(request, who)) {
      group = candidate.name;
      return res;
    }
  }
  return std::nullopt;
}

http::Response Api::Handle(http::Request& request) {
  auto start = std::chrono::steady_clock::now();
  std::string group = "other";
  http::Response res;
  try {
    if (request.method == "OPTIONS") {
      res = Preflight();
    } else {
      auth::Principal who;
      if (auth::Authenticate(context_.store, request.Header("Authorization"), who) ==
          auth::KeyCheck::kInvalid) {
        throw ApiError(401, "unauthorized", "the API key is unknown or revoked")
            .WithHeader("WWW-Authenticate", R"(Bearer realm="harvest", error="invalid_token")");
      }
      auto routed = Route(request, who, group);
      if (!routed) {
        throw ApiError(404, "not_found", "nothing at " + request.path + " (see /docs)");
      }
      res = std::move(*routed);
    }
  } catch (const ApiError& e) {
    res = ErrorResponse(e);
  } catch (const std::exception& e) {
    std::cerr << "harvest: internal error on " << request.method << " " << request.path << ": "
              << e.what() << "\n";
    res = ErrorResponse(ApiError(500, "internal", "internal server error"));
  }
  bool read = request.method == "GET" || request.method == "HEAD";
  if (read && res.status == 200 && !res.stream) {
    std::string tag = BodyTag(res.body);
    res.Set("ETag", tag);
    const std::string* if_none_match = request.Header("If-None-Match");
    if (if_none_match && Matches(*if_none_match, tag)) {
      res.status = 304;
      res.body.clear();
      res.headers.erase("Content-Type");
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.Observe(group, res.status, seconds);
  return res;
}

}  // namespace harvest::api
