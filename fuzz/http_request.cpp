// The HTTP request parser: bytes as a client sends them → http::Request, through the same
// parser, limits and conversion a connection uses (http::ParseRequest).
#include <string>

#include "fuzz_check.h"
#include "http/server.h"

using namespace harvest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  http::ServerOptions options;
  // Small limits so the fuzzer reaches them.
  options.max_body_bytes = 2048;
  options.max_header_bytes = 1024;
  http::Request req;
  int status = http::ParseRequest(fuzz::Text(data, size), options, req);
  FUZZ_CHECK(status == 0 || status == 400 || status == 413 || status == 431);
  if (status != 0) {
    return 0;
  }
  FUZZ_CHECK(!req.method.empty());
  FUZZ_CHECK(req.body.size() <= options.max_body_bytes);
  FUZZ_CHECK(req.target.find_first_of("\r\n ") == std::string::npos);
  // What handlers read: headers by name, the decoded path and query.
  for (const auto& [name, value] : req.headers) {
    FUZZ_CHECK(req.Header(name) == &value);
    FUZZ_CHECK(value.find_first_of("\r\n") == std::string::npos);
  }
  (void)req.Header("Content-Type");
  http::Request again = req;
  http::SplitTarget(again);
  FUZZ_CHECK(again.path == req.path && again.query == req.query);
  FUZZ_CHECK(req.path.size() <= req.target.size());
  return 0;
}
