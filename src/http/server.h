// The HTTP/1.1 server: Boost.Beast over Asio with C++20 coroutines, one I/O thread per
// core, keep-alive, header/body limits, read timeouts, connection caps and graceful
// shutdown. It knows nothing of Harvest's routes: it hands each request to one Handler.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace harvest::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port
  unsigned threads = 0;  // I/O threads; 0: one per core this process may run on
  size_t max_body_bytes = 1024 * 1024;
  size_t max_header_bytes = 16 * 1024;
  int read_timeout_seconds = 30;  // to read a request, and to wait for the next one
  // Open connections, in total and from one client address; past either, or out of file
  // descriptors, a new connection is answered 503 and closed. The total is lowered to
  // what the process's file-descriptor limit leaves room for.
  size_t max_connections = 4096;
  size_t max_connections_per_ip = 256;
  int shutdown_grace_ms = 10000;
};

// Serves until SIGINT or SIGTERM, then stops accepting, lets requests in flight finish
// and returns. Past the grace period, or at a second signal, the process exits at once
// with status 1, abandoning what still runs. `on_listening` gets the bound port.
void Serve(const ServerOptions& options, const Handler& handler,
           const std::function<void(uint16_t port)>& on_listening);

// Reads one request held whole in `bytes` with the parser and limits a connection uses and
// turns it into `out` as a connection does (remote left empty). Returns 0 when a request was
// read, else the status a connection answers with: 400 malformed (or cut short, or framed
// ambiguously: a Transfer-Encoding other than chunked, or with a Content-Length), 413 body
// or 431 header block over its limit. Bytes after the request are ignored. For tests and
// fuzzing without sockets.
int ParseRequest(std::string_view bytes, const ServerOptions& options, Request& out);

}  // namespace harvest::http
