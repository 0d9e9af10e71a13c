// Building responses the way every route answers: JSON bodies, the error envelope,
// and the caching/CORS marks that say whether a body is public or personal.
#pragma once

#include <string>

#include "api/api_error.h"
#include "http/message.h"

namespace boost::json {
class value;
}

namespace harvest::api {

http::Response JsonResponse(int status, std::string body);
http::Response ErrorResponse(const ApiError& error);

// Open data: anyone may cache it and any web page may fetch it.
void MarkPublic(http::Response& response);
// Needs a key but identifies nobody (partner data): private caches only, CORS allowed.
void MarkProtected(http::Response& response);
// Identifies people: never cached, no CORS.
void MarkPersonal(http::Response& response);

// Parses a JSON request body; 415 unless the Content-Type is JSON, 400 when malformed.
boost::json::value ParseJsonBody(const http::Request& request);

// One JSON value as an input cell for registry validation.
registry::InputCell CellFromJson(const boost::json::value& v);

// The method is not one the path takes: 405 with Allow.
[[noreturn]] void MethodNotAllowed(const std::string& allow);

}  // namespace harvest::api

namespace harvest::auth {
struct Principal;
}

namespace harvest::api {

// 401 (with WWW-Authenticate) when no key was given, 403 when the key's role is not
// enough; `what` completes "an API key is needed to ..." / "the police role may not ...".
void RequireAccess(bool allowed, const auth::Principal& who, const std::string& what);

}  // namespace harvest::api
