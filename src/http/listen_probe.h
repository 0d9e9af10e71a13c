// Whether the server could listen on HOST:PORT now, asked before work that takes minutes
// (`serve --demo` generating a country) so a busy port is reported at once, not afterwards.
// Plain POSIX sockets; the server itself binds with Asio in server.cpp.
#pragma once

#include <cstdint>
#include <string>

namespace harvest::http {

// "" when a socket can be bound to host:port (port 0 always can), else what is wrong, e.g.
// "127.0.0.1:8080 is already in use". The probe socket is closed again at once.
std::string ListenProblem(const std::string& host, uint16_t port);

}  // namespace harvest::http
