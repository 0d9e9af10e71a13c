#include "web/shell.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <unordered_map>

#include "api/responses.h"
#include "auth/keys.h"
#include "pages/layout.h"
#include "registry/clock.h"
#include "store/store.h"

namespace harvest::web {
namespace {

using api::ApiError;

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

// Larger answers are not kept: an answer that big is a download, not a hot read.
constexpr size_t kCacheBodyLimit = 256 * 1024;

std::string CacheKey(const http::Request& request) {
  const std::string* accept = request.Header("Accept");
  return request.method + " " + request.target + "\n" + (accept ? *accept : "");
}

bool Cacheable(const http::Request& request) {
  return (request.method == "GET" || request.method == "HEAD") &&
         !request.Header("Authorization") && !request.Header("Cookie");
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

// Errors before any group claimed the request (a bad key, a path nobody owns).
// A browser asking for a page gets a page; programs get the JSON envelope.
Channel UnclaimedChannel(const http::Request& request) {
  const std::string* accept = request.Header("Accept");
  bool program_path = request.path.starts_with("/api/") || request.path.starts_with("/sms/");
  return accept && !program_path && accept->find("text/html") != std::string::npos ? Channel::kHtml
                                                                                   : Channel::kJson;
}

// A key's last use (shown on /admin) is kept to the minute: at most one write a minute per
// key and process, queued with the logs so it shares their group commit, but not awaited:
// the answer does not depend on it (a minute of it lost to a failed commit is harmless).
void NoteKeyUse(store::LogWriter& log, int64_t key_id) {
  static std::mutex mutex;
  static std::unordered_map<int64_t, std::chrono::steady_clock::time_point> noted;
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex);
    auto [it, fresh] = noted.try_emplace(key_id, now);
    if (!fresh && now - it->second < std::chrono::minutes(1)) {
      return;
    }
    it->second = now;
  }
  log.AddUnawaited(store::KeyUse{key_id, registry::NowRfc3339()});
}

}  // namespace

http::Response RenderError(const ApiError& error, Channel channel, const auth::Principal& who) {
  if (channel == Channel::kJson) {
    return api::ErrorResponse(error);
  }
  if (channel == Channel::kHtml) {
    return pages::ErrorPage(error, who);
  }
  http::Response res;
  res.status = error.status();
  res.Set("Content-Type", "text/plain; charset=utf-8");
  res.body = "ERROR " + api::Shown(error.what(), SIZE_MAX) + "\n";
  for (const auto& [name, value] : error.headers()) {
    res.Set(name, value);
  }
  res.Set("Cache-Control", "no-store");
  return res;
}

Shell::Shell(Context context)
    : context_(std::move(context)),
      answers_(static_cast<size_t>(context_.config.limits.cache_mb) * 1024 * 1024) {}

void Shell::AddGroup(RouteGroup group) {
  groups_.push_back(std::move(group));
}

std::optional<http::Response> Shell::Route(http::Request& request, auth::Principal& who,
                                           std::string& group, Channel& channel) {
  // A group that throws has claimed the request (its 403, 404, 405...), so the label is
  // set before it runs and put back only when it lets the next group try.
  for (RouteGroup& candidate : groups_) {
    group = candidate.name;
    channel = candidate.channel;
    if (auto res = candidate.handle(request, who)) {
      return res;
    }
  }
  group = "other";
  channel = UnclaimedChannel(request);
  return std::nullopt;
}

// An API key when one is sent; otherwise the web session's cookie. The cookie authenticates
// pages and the API's reads, not the API's writes: those carry no CSRF token, so a browser
// must not be able to make them with a cookie it sends by itself (SameSite=Lax already keeps
// it off cross-site POSTs; this does not rely on that alone).
void Shell::Authenticate(const http::Request& request, auth::Principal& who,
                         std::optional<uint64_t> stamp) {
  auth::KeyCheck key =
      auth::Authenticate(context_.store, request.Header("Authorization"), who, stamp);
  if (key == auth::KeyCheck::kInvalid) {
    throw ApiError(401, "unauthorized", "the API key is unknown or revoked")
        .WithHeader("WWW-Authenticate", R"(Bearer realm="harvest", error="invalid_token")");
  }
  if (key == auth::KeyCheck::kValid) {
    NoteKeyUse(context_.audit.log(), who.key_id);
    return;
  }
  if (!sessions_) {
    return;
  }
  bool safe = request.method == "GET" || request.method == "HEAD";
  if (!safe && request.path.starts_with("/api/")) {
    return;
  }
  if (std::optional<std::string> token = request.Cookie(kSessionCookie)) {
    sessions_->Resolve(*token, who);
  }
}

http::Response Shell::Handle(http::Request& request) {
  auto start = std::chrono::steady_clock::now();
  std::string group = "other";
  Channel channel = UnclaimedChannel(request);
  http::Response res;
  bool cacheable = Cacheable(request);
  bool from_cache = false;
  bool read = request.method == "GET" || request.method == "HEAD";
  // A read with an API key may be given again from the cache to the same key (a session's
  // pages carry its CSRF token, so they are never reused); known once the key is checked.
  bool with_key = read && request.Header("Authorization") != nullptr;
  bool keyed_read = false;
  auth::Principal who;  // known to the error page too (its header shows who is logged in)
  try {
    // Read before the snapshot below: an answer may then be cached under a stamp older than
    // its data, never newer (which would serve stale data).
    uint64_t stamp = cacheable || with_key ? context_.store.ChangeStamp() : 0;
    std::optional<http::Response> hit;
    std::string cache_key;
    std::vector<auth::AuditNote> notes;
    if (cacheable && request.method != "OPTIONS") {
      cache_key = CacheKey(request);
      hit = answers_.Find(cache_key, stamp, &group);
    } else if (with_key) {
      // The key is checked before anything is reused: a revoked key gets nothing. Against
      // the stamp just read (on PostgreSQL a second read would be a second round trip).
      Authenticate(request, who, stamp);
      keyed_read = who.key_id > 0;
      if (keyed_read) {
        cache_key = who.actor + "\n" + CacheKey(request);
        hit = answers_.Find(cache_key, stamp, &group, &notes);
        if (hit) {
          context_.audit.Replay(who, notes);  // each read of personal data is audited
        }
      }
    }
    if (request.method == "OPTIONS") {
      res = Preflight();
    } else if (hit) {
      res = std::move(*hit);
      from_cache = true;
    } else {
      // The request's queries share one snapshot and one read transaction (a write inside
      // commits on its own).
      store::ReadScope snapshot(context_.store);
      if (!with_key) {
        Authenticate(request, who);
      }
      // Only an answer that may be reused needs the audit entries its making records.
      std::optional<auth::AuditCapture> audited;
      if (keyed_read) {
        audited.emplace();
      }
      auto routed = Route(request, who, group, channel);
      if (!routed) {
        throw ApiError(404, "not_found", "nothing at " + request.path + " (see /docs)");
      }
      res = std::move(*routed);
      if (audited) {
        notes = std::move(audited->notes);
      }
    }
    if (read && res.status == 200 && !res.stream && !from_cache) {
      res.Set("ETag", BodyTag(res.body));
      auto cache_control = res.headers.find("Cache-Control");
      if (cacheable && res.body.size() <= kCacheBodyLimit && cache_control != res.headers.end() &&
          cache_control->second.starts_with("public")) {
        answers_.Store(cache_key, stamp, res, group);
      } else if (keyed_read && res.reusable_by_caller && res.body.size() <= kCacheBodyLimit) {
        answers_.Store(cache_key, stamp, res, group, std::move(notes));
      }
    }
  } catch (const ApiError& e) {
    res = RenderError(e, channel, who);
  } catch (const store::Unavailable& e) {
    res = RenderError(api::UnavailableError(e), channel, who);
  } catch (const store::QueryTimeout& e) {
    // Stopped, not left running: the server goes on answering others (SPEC §10).
    res = RenderError(
        ApiError(503, "query_timeout",
                 std::string(e.what()) + " and was stopped; narrow it (an indexed filter, a "
                                         "smaller limit) or try again later")
            .WithHeader("Retry-After", "5"),
        channel, who);
  } catch (const std::exception& e) {
    std::cerr << "harvest: internal error on " << request.method << " " << request.path << ": "
              << e.what() << "\n";
    res = RenderError(ApiError(500, "internal", "internal server error"), channel, who);
  }
  auto tag = res.headers.find("ETag");
  const std::string* if_none_match = request.Header("If-None-Match");
  if (res.status == 200 && tag != res.headers.end() && if_none_match &&
      Matches(*if_none_match, tag->second)) {
    res.status = 304;
    res.body.clear();
    res.headers.erase("Content-Type");
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.Observe(group, res.status, seconds);
  return res;
}

}  // namespace harvest::web
