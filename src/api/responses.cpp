#include "api/responses.h"

#include <boost/json.hpp>

#include "opendata/formats.h"

namespace harvest::api {

http::Response JsonResponse(int status, std::string body) {
  http::Response res;
  res.status = status;
  res.Set("Content-Type", "application/json");
  res.body = std::move(body);
  return res;
}

std::string Shown(std::string_view text, size_t max_bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  size_t i = 0;
  while (i < text.size() && out.size() < max_bytes) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t length = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool valid = length > 0 && i + length <= text.size();
    for (size_t k = 1; valid && k < length; ++k) {
      valid = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8 either.
    if (valid && length > 1) {
      auto c1 = static_cast<unsigned char>(text[i + 1]);
      valid = !(c == 0xc0 || c == 0xc1 || (c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 >= 0xa0) ||
                (c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 >= 0x90) || c > 0xf4);
    }
    if (!valid || c < 0x20 || c == 0x7f) {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
      ++i;
      continue;
    }
    out.append(text.substr(i, length));
    i += length;
  }
  if (i < text.size()) {
    out += "...";
  }
  return out;
}

http::Response ErrorResponse(const ApiError& error) {
  std::string body = R"({"error":{"code":)";
  opendata::AppendJsonString(body, error.code());
  body += R"(,"message":)";
  // Messages quote requests; whatever a route forgot to pass through Shown is made valid
  // UTF-8 here.
  opendata::AppendJsonString(body, Shown(error.what(), SIZE_MAX));
  body += R"(,"details":[)";
  bool first = true;
  for (const registry::FieldProblem& p : error.details()) {
    body += first ? "" : ",";
    first = false;
    body += R"({"field":)";
    opendata::AppendJsonString(body, Shown(p.field, SIZE_MAX));
    body += R"(,"message":)";
    opendata::AppendJsonString(body, Shown(p.message, SIZE_MAX));
    body += "}";
  }
  body += "]}}";
  http::Response res = JsonResponse(error.status(), std::move(body));
  for (const auto& [name, value] : error.headers()) {
    res.Set(name, value);
  }
  res.Set("Cache-Control", "no-store");
  return res;
}

void MarkPublic(http::Response& response) {
  response.Set("Cache-Control", "public, max-age=300");
  response.Set("Access-Control-Allow-Origin", "*");
}

void MarkProtected(http::Response& response) {
  response.Set("Cache-Control", "private, max-age=0, must-revalidate");
  response.Set("Vary", "Authorization");
  response.Set("Access-Control-Allow-Origin", "*");
}

void MarkPersonal(http::Response& response) {
  response.Set("Cache-Control", "private, no-store");
  response.headers.erase("Access-Control-Allow-Origin");
}

boost::json::value ParseJsonBody(const http::Request& request) {
  const std::string* type = request.Header("Content-Type");
  if (!type || type->find("json") == std::string::npos) {
    throw ApiError(415, "unsupported_media_type",
                   "send the body as JSON with Content-Type: application/json");
  }
  boost::json::error_code ec;
  boost::json::value value = boost::json::parse(request.body, ec);
  if (ec) {
    throw ApiError(400, "bad_json", "the body is not valid JSON: " + ec.message());
  }
  return value;
}

registry::InputCell CellFromJson(const boost::json::value& v) {
  namespace json = boost::json;
  registry::InputCell cell;
  switch (v.kind()) {
    case json::kind::null:
      cell.kind = registry::InputCell::kNull;
      break;
    case json::kind::bool_:
      cell.kind = registry::InputCell::kBool;
      cell.boolean = v.get_bool();
      break;
    case json::kind::int64:
      cell.kind = registry::InputCell::kInteger;
      cell.integer = v.get_int64();
      break;
    case json::kind::uint64:
      cell.kind = registry::InputCell::kReal;
      cell.real = static_cast<double>(v.get_uint64());
      break;
    case json::kind::double_:
      cell.kind = registry::InputCell::kReal;
      cell.real = v.get_double();
      break;
    case json::kind::string:
      cell.kind = registry::InputCell::kText;
      cell.text = std::string(v.get_string());
      break;
    default:
      cell.kind = registry::InputCell::kCompound;
      cell.text = json::serialize(v);  // an object or array: refused by validation
  }
  return cell;
}

void MethodNotAllowed(const std::string& allow) {
  throw ApiError(405, "method_not_allowed", "this path takes " + allow).WithHeader("Allow", allow);
}

}  // namespace harvest::api

#include "auth/principal.h"

namespace harvest::api {

void RequireAccess(bool allowed, const auth::Principal& who, const std::string& what) {
  if (allowed) {
    return;
  }
  if (who.key_id == 0 && who.role == registry::kPublic) {
    throw ApiError(401, "unauthorized", "an API key is needed to " + what)
        .WithHeader("WWW-Authenticate", "Bearer realm=\"harvest\"");
  }
  throw ApiError(403, "forbidden",
                 "the " + std::string(registry::RoleName(who.role)) + " role may not " + what);
}

}  // namespace harvest::api
