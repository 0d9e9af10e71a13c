#include "sms/gateway_routes.h"

#include "api/responses.h"
#include "sms/replies.h"
#include "sms/twilio_signature.h"

namespace harvest::sms {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

const std::string* Param(const Params& params, std::string_view name) {
  for (const auto& [key, value] : params) {
    if (key == name) {
      return &value;
    }
  }
  return nullptr;
}

std::string ParamOr(const Params& params, std::string_view name) {
  const std::string* value = Param(params, name);
  return value ? *value : "";
}

// Compares every byte whatever the first difference, so response times do not reveal how much
// of a guessed secret was right. Only the length (not secret) can end it early.
bool SameSecret(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) {
    return false;
  }
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

[[noreturn]] void NotConfigured(const http::Request& request) {
  throw api::ApiError(404, "not_found", "nothing at " + request.path + " (see /docs)");
}

http::Response Twilio(web::Context& ctx, Conversation& conversation, http::Request& request) {
  if (ctx.config.twilio_auth_token.empty()) {
    NotConfigured(request);
  }
  if (request.method != "POST") {
    api::MethodNotAllowed("POST");
  }
  Params params = http::ParseQueryString(request.body);
  std::string base = ctx.config.public_url;
  while (base.ends_with('/')) {
    base.pop_back();
  }
  // Twilio signs the URL it was configured with, query string included, plus every POST field
  // (with or without the default port, as its own validators accept).
  const std::string* header = request.Header("X-Twilio-Signature");
  if (!header ||
      !TwilioRequestSigned(base + request.target, params, ctx.config.twilio_auth_token, *header)) {
    throw api::ApiError(403, "forbidden",
                        "X-Twilio-Signature is missing or wrong for " + base + request.path);
  }
  IncomingSms sms{"twilio", ParamOr(params, "MessageSid"), ParamOr(params, "From"),
                  ParamOr(params, "Body")};
  std::string reply = conversation.Handle(sms);
  http::Response res;
  res.Set("Content-Type", "text/xml; charset=utf-8");
  res.Set("Cache-Control", "no-store");
  res.body = TwimlMessage(reply);
  return res;
}

http::Response Kannel(web::Context& ctx, Conversation& conversation, http::Request& request) {
  if (ctx.config.kannel_secret.empty()) {
    NotConfigured(request);
  }
  if (request.method != "GET" && request.method != "POST") {
    api::MethodNotAllowed("GET, POST");
  }
  Params params = request.query;
  if (request.method == "POST") {
    for (auto& pair : http::ParseQueryString(request.body)) {
      params.push_back(std::move(pair));
    }
  }
  const std::string* key = Param(params, "key");
  if (!key || !SameSecret(*key, ctx.config.kannel_secret)) {
    throw api::ApiError(403, "forbidden", "the key parameter is missing or wrong");
  }
  IncomingSms sms{"kannel", ParamOr(params, "id"), ParamOr(params, "from"),
                  ParamOr(params, "text")};
  http::Response res;
  res.Set("Content-Type", "text/plain; charset=utf-8");
  res.Set("Cache-Control", "no-store");
  // An empty body is silence: Kannel's sms-service sends nothing back with omit-empty = true.
  res.body = conversation.Handle(sms);
  return res;
}

}  // namespace

web::RouteGroup GatewayRoutes(web::Context& context, Conversation& conversation) {
  return web::RouteGroup{
      "sms",
      [&context, &conversation](http::Request& request,
                                auth::Principal&) -> std::optional<http::Response> {
        if (request.path == "/sms/twilio") {
          return Twilio(context, conversation, request);
        }
        if (request.path == "/sms/kannel") {
          return Kannel(context, conversation, request);
        }
        return std::nullopt;
      },
      web::Channel::kPlainText};
}

}  // namespace harvest::sms
