// What every channel's routes are given and how they plug into the shell (web/shell.h): a
// route group answers the requests it owns and says how its errors are written. Must not
// depend on any channel (api, sms, pages).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "api/catalog.h"
#include "auth/audit_log.h"
#include "auth/principal.h"
#include "config/config.h"
#include "http/message.h"
#include "registry/validate.h"
#include "store/store.h"

namespace harvest::web {

// The name of the web session's cookie (SPEC §9).
inline constexpr std::string_view kSessionCookie = "harvest_session";

struct Context {
  store::Store& store;
  const config::Config& config;
  auth::AuditLog& audit;
  registry::ValidationContext validation;
  api::DocsExamples docs_examples{};  // /docs's example numbers (a demo server's own)
};

// How a group's failures are written: the JSON error envelope (REST), a line of plain text
// (SMS gateways, whose callers log the body), or an HTML page (pages).
enum class Channel { kJson, kPlainText, kHtml };

// A group of routes: answers the requests it owns, or nullopt to let the next group try.
// Throws api::ApiError for failures of requests it owns; the shell writes them in the
// group's channel, counted under the group's label like its other answers.
struct RouteGroup {
  std::string name;  // metrics label: dataset, verify, sms, meta, web
  std::function<std::optional<http::Response>(http::Request&, auth::Principal&)> handle;
  Channel channel = Channel::kJson;
};

}  // namespace harvest::web
