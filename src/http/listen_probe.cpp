#include "http/listen_probe.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace harvest::http {

std::string ListenProblem(const std::string& host, uint16_t port) {
  if (port == 0) {
    return "";
  }
  std::string where = host + ":" + std::to_string(port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found); rc != 0) {
    return "cannot listen on " + where + ": " + gai_strerror(rc);
  }
  int error = 0;
  int fd = socket(found->ai_family, found->ai_socktype, found->ai_protocol);
  if (fd < 0) {
    error = errno;
  } else {
    // As the server's acceptor does: a port left in TIME_WAIT by a stopped server is free.
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (bind(fd, found->ai_addr, found->ai_addrlen) != 0) {
      error = errno;
    }
    close(fd);
  }
  freeaddrinfo(found);
  if (error == EADDRINUSE) {
    return where + " is already in use (another server, or a demo already running?)";
  }
  if (error != 0) {
    return "cannot listen on " + where + ": " + std::strerror(error);
  }
  return "";
}

}  // namespace harvest::http
