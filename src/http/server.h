// The HTTP/1.1 server: Boost.Beast over Asio with C++20 coroutines, one I/O thread per
// core, keep-alive, header/body limits, read timeouts and graceful shutdown. It knows
// nothing of Harvest's routes: it hands each request to one Handler.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "http/message.h"

namespace harvest::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port
  unsigned threads = 0;  // I/O threads; 0: one per core this process may run on
  size_t max_body_bytes = 1024 * 1024;
  size_t max_header_bytes = 16 * 1024;
  int read_timeout_seconds = 30;
  int shutdown_grace_seconds = 20;
};

// Serves until SIGINT or SIGTERM, then stops accepting, lets requests in flight finish
// (up to the grace period) and returns. `on_listening` gets the bound port.
void Serve(const ServerOptions& options, const Handler& handler,
           const std::function<void(uint16_t port)>& on_listening);

}  // namespace harvest::http
