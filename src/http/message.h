// HTTP requests and responses as plain values. Handlers see only these types, so the
// Beast/Asio headers stay inside server.cpp and most of the code compiles quickly.
#pragma once

#include <functional>
#include <optional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace harvest::http {

struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
};
using Headers = std::map<std::string, std::string, CaseInsensitiveLess>;

struct Request {
  std::string method;                                      // GET, POST...
  std::string target;                                      // path and query as received
  std::string path;                                        // percent-decoded path without the query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  Headers headers;
  std::string body;
  std::string remote;  // peer address

  const std::string* Header(std::string_view name) const;
  // The value of one cookie of the Cookie header, if sent.
  std::optional<std::string> Cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // For bodies too large to hold: when set, `body` is sent first, then the server calls
  // `stream` again and again, sending what it appends to `out` as chunks, until it
  // returns false. It runs on whichever I/O thread resumes the connection.
  std::function<bool(std::string& out)> stream;
  // When set, the answer may leave only once what it implies is committed (group commit):
  // the server, without holding its thread, calls this with `resume`, to be called from any
  // thread once the commit is done, with nothing to send the answer as it is, or with the
  // answer to send instead (the commit failed).
  using Resume = std::function<void(std::optional<Response> instead)>;
  std::function<void(Resume resume)> after_commit;
  // Set by a route whose answer depends only on the registry and on who asked: the shell
  // may give the same answer to the same caller again until the registry changes,
  // recording again the audit entries its first making recorded.
  bool reusable_by_caller = false;

  void Set(std::string name, std::string value) { headers[std::move(name)] = std::move(value); }
};

using Handler = std::function<Response(Request&)>;

// Percent-decoding for paths and query strings ('+' is a space only in queries).
std::string PercentDecode(std::string_view text, bool plus_is_space);
std::string PercentEncode(std::string_view text);
// Splits "a=1&b=2" into decoded pairs; also used for form bodies.
std::vector<std::pair<std::string, std::string>> ParseQueryString(std::string_view text);
// Fills path and query from target.
void SplitTarget(Request& request);

}  // namespace harvest::http
