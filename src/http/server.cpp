// The only translation unit that includes Beast and Asio.
#include "http/server.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace harvest::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

using SteadyClock = std::chrono::steady_clock;

// A handler running longer than this is taken to be waiting (SQLite's busy timeout while
// another process holds the write lock), and a standby thread starts serving.
constexpr auto kStuckAfter = std::chrono::milliseconds(50);
// Standby threads: the most handlers that may wait at once before the server stops serving.
constexpr unsigned kStandbyThreads = 2;
// Connections being refused with a 503 and a lingering close; past this many, more are
// refused at once (the answer sent if the socket takes it, then closed).
constexpr size_t kMaxRefusing = 32;
// File descriptors kept free beyond the connections: SQLite's files (per thread),
// temporary files, refusals. The total cap on connections leaves this many unused.
constexpr size_t kSpareDescriptors = 64 + kMaxRefusing;

// Lets answers waiting for a commit be resumed from another thread while the io_context
// still runs, and never after (a commit that ends after the server stopped resumes nothing).
struct ResumeGate {
  std::mutex mutex;
  bool open = true;
};

struct Shared {
  Shared(const ServerOptions& o, const Handler& h, unsigned threads)
      : options(o), handler(h), serving_threads(threads), busy_since(threads + kStandbyThreads) {}
  const ServerOptions& options;
  const Handler& handler;
  std::atomic<bool> stopping{false};
  std::atomic<int> in_flight{0};
  // Set once every thread has returned from the io_context.
  std::atomic<bool> threads_done{false};

  // Connections open, in total and per client address, against their caps.
  size_t connection_cap = 0;
  std::mutex connections_mutex;
  size_t connections = 0;
  std::unordered_map<std::string, size_t> per_address;
  std::atomic<size_t> refusing{0};

  // Counts a new connection from `address`; empty when admitted, else why it is refused.
  std::string Admit(const std::string& address) {
    std::lock_guard lock(connections_mutex);
    if (connections >= connection_cap) {
      return "the server has " + std::to_string(connections) +
             " connections open, its limit; try again shortly";
    }
    size_t& mine = per_address[address];
    if (mine >= options.max_connections_per_ip) {
      return "this client address has " + std::to_string(mine) +
             " connections open, the most allowed (limits.connections_per_ip); reuse or close "
             "some";
    }
    ++mine;
    ++connections;
    return {};
  }

  void Release(const std::string& address) {
    std::lock_guard lock(connections_mutex);
    --connections;
    auto it = per_address.find(address);
    if (it != per_address.end() && --it->second == 0) {
      per_address.erase(it);
    }
  }
  const unsigned serving_threads;
  // Per thread (I/O threads first, then standbys): when its running handler started, in
  // steady-clock ticks; 0 while it runs none.
  std::vector<std::atomic<int64_t>> busy_since;
  std::shared_ptr<ResumeGate> gate = std::make_shared<ResumeGate>();

  // How many threads have been inside one handler for longer than kStuckAfter.
  unsigned Stuck() const {
    int64_t before = (SteadyClock::now() - kStuckAfter).time_since_epoch().count();
    unsigned stuck = 0;
    for (const auto& since : busy_since) {
      int64_t t = since.load(std::memory_order_relaxed);
      stuck += t != 0 && t < before;
    }
    return stuck;
  }
};

// An admitted connection's place under the caps, given back when the connection ends
// (or its coroutine is destroyed with the io_context).
class ConnectionSlot {
 public:
  ConnectionSlot(Shared& shared, std::string address)
      : shared_(&shared), address_(std::move(address)) {}
  ConnectionSlot(ConnectionSlot&& other) noexcept
      : shared_(std::exchange(other.shared_, nullptr)), address_(std::move(other.address_)) {}
  ConnectionSlot& operator=(ConnectionSlot&&) = delete;
  ~ConnectionSlot() {
    if (shared_) {
      shared_->Release(address_);
    }
  }
  const std::string& address() const { return address_; }

 private:
  Shared* shared_;
  std::string address_;
};

// The calling thread's slot in Shared::busy_since.
thread_local std::atomic<int64_t>* busy_slot = nullptr;

// Marks the calling thread as running a handler for as long as it lives.
class BusyMark {
 public:
  BusyMark() {
    if (busy_slot) {
      busy_slot->store(SteadyClock::now().time_since_epoch().count(), std::memory_order_relaxed);
    }
  }
  ~BusyMark() {
    if (busy_slot) {
      busy_slot->store(0, std::memory_order_relaxed);
    }
  }
  BusyMark(const BusyMark&) = delete;
  BusyMark& operator=(const BusyMark&) = delete;
};

// A response for errors the server answers itself, in the API's error envelope.
Response PlainError(int status, std::string_view code, std::string_view message) {
  Response out;
  out.status = status;
  out.Set("Content-Type", "application/json");
  out.body = std::string(R"({"error":{"code":")") + std::string(code) + R"(","message":")" +
             std::string(message) + R"(","details":[]}})";
  return out;
}

Request ToRequest(const bhttp::request<bhttp::string_body>& in, const std::string& remote) {
  Request req;
  req.method = std::string(in.method_string());
  req.target = std::string(in.target());
  for (const auto& field : in) {
    std::string name(field.name_string());
    auto [it, inserted] = req.headers.emplace(name, std::string(field.value()));
    if (!inserted) {
      it->second += ", " + std::string(field.value());
    }
  }
  req.body = in.body();
  req.remote = remote;
  SplitTarget(req);
  return req;
}

// 1xx, 204 and 304 carry no body and no length (RFC 9110 8.6).
bool Bodiless(int status) {
  return status < 200 || status == 204 || status == 304;
}

// The header block of a response: framed by Content-Length when its body is held whole
// (HEAD: the length a GET would have, none for a streamed one), or `chunked`. Written here
// rather than through Beast's serializer, which walks the header fields through layered
// buffer views on every write (about 4 % of a receipt check's time).
std::string HeadOf(const Response& out, unsigned version, bool keep_alive, bool chunked) {
  auto status = static_cast<bhttp::status>(out.status);
  std::string text = version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  text += std::to_string(out.status);
  text += ' ';
  text += bhttp::obsolete_reason(status);
  text += "\r\nServer: Harvest\r\n";
  for (const auto& [name, value] : out.headers) {
    // Framing is this function's alone; a line break in a value would end the header.
    if (beast::iequals(name, "Content-Length") || beast::iequals(name, "Connection") ||
        beast::iequals(name, "Transfer-Encoding") ||
        value.find_first_of("\r\n") != std::string::npos) {
      continue;
    }
    text += name;
    text += ": ";
    text += value;
    text += "\r\n";
  }
  if (chunked) {
    text += "Transfer-Encoding: chunked\r\n";
  } else if (!Bodiless(out.status) && !out.stream) {
    text += "Content-Length: ";
    text += std::to_string(out.body.size());
    text += "\r\n";
  }
  if (version == 10 && keep_alive) {
    text += "Connection: keep-alive\r\n";
  } else if (version != 10 && !keep_alive) {
    text += "Connection: close\r\n";
  }
  text += "\r\n";
  return text;
}

// Sends a response: the head and a whole body in one gather write; a streamed body (not for
// HEAD) with chunked transfer encoding, a chunk per call of `out.stream`, so a whole-dataset
// CSV never sits in memory.
asio::awaitable<beast::error_code> Write(beast::tcp_stream& stream, Response out, unsigned version,
                                         bool keep_alive, bool head, int timeout) {
  bool chunked = out.stream && !head;
  std::string head_block = HeadOf(out, version, keep_alive, chunked);
  bool no_body = head || Bodiless(out.status);
  std::array<asio::const_buffer, 2> parts{asio::buffer(head_block),
                                          no_body ? asio::const_buffer() : asio::buffer(out.body)};
  stream.expires_after(std::chrono::seconds(timeout));
  if (!chunked) {
    auto [ec, n] = co_await asio::async_write(stream, parts, kTuple);
    co_return ec;
  }
  auto [ec, n] = co_await asio::async_write(stream, asio::buffer(head_block), kTuple);
  std::string chunk = std::move(out.body);
  bool more = true;
  while (!ec) {
    if (!chunk.empty()) {
      stream.expires_after(std::chrono::seconds(timeout));
      std::tie(ec, n) =
          co_await asio::async_write(stream, bhttp::make_chunk(asio::buffer(chunk)), kTuple);
      chunk.clear();
    }
    if (ec || !more) {
      break;
    }
    more = out.stream(chunk);
  }
  if (!ec) {
    std::tie(ec, n) = co_await asio::async_write(stream, bhttp::make_chunk_last(), kTuple);
  }
  co_return ec;
}

// Closes a connection the server is done with without losing its last answer: a close
// with unread bytes in the socket would send a reset, which may discard that answer on
// the client's side before it is read (RFC 9112 9.6). So: end our side, read and drop what
// the client still sends, for a short while, then close.
asio::awaitable<void> LingeringClose(beast::tcp_stream& stream) {
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) {
    co_return;
  }
  stream.expires_after(std::chrono::seconds(2));
  std::array<char, 4096> scratch;
  size_t dropped = 0;
  while (dropped < 1024 * 1024) {
    auto [rec, n] = co_await stream.async_read_some(asio::buffer(scratch), kTuple);
    if (rec) {
      break;
    }
    dropped += n;
  }
}

// A Transfer-Encoding other than exactly `chunked`, or one with a Content-Length, frames
// the body in a way some other reader of the same bytes (a proxy in front) may take
// differently: read as a request without a body, its body would run as a second request.
// Such a request is refused and its connection closed.
bool AmbiguousFraming(const bhttp::request<bhttp::string_body>& in) {
  auto [first, last] = in.equal_range(bhttp::field::transfer_encoding);
  if (first == last) {
    return false;
  }
  if (std::next(first) != last || in.count(bhttp::field::content_length) != 0) {
    return true;
  }
  std::string_view value = first->value();
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
    value.remove_prefix(1);
  }
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) {
    value.remove_suffix(1);
  }
  return !beast::iequals(value, "chunked");
}

constexpr std::string_view kFramingMessage =
    "Transfer-Encoding must be exactly 'chunked' and may not come with Content-Length";

// Waits, without holding the thread, for the commit an answer depends on (see
// Response::after_commit); returns the answer to send instead, if any.
asio::awaitable<std::optional<Response>> AfterCommit(std::function<void(Response::Resume)> wait,
                                                     std::shared_ptr<ResumeGate> gate) {
  auto executor = co_await asio::this_coro::executor;
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&,
                                          void(std::optional<Response>)>(
      [&wait, &gate, executor](auto handler) {
        auto held = std::make_shared<decltype(handler)>(std::move(handler));
        wait([held, gate, executor](std::optional<Response> instead) {
          std::lock_guard lock(gate->mutex);
          if (gate->open) {
            asio::post(executor, [held, instead = std::move(instead)]() mutable {
              (*held)(std::move(instead));
            });
          }
        });
      },
      asio::use_awaitable);
}

asio::awaitable<void> Session(beast::tcp_stream stream, Shared& shared, ConnectionSlot slot) {
  const ServerOptions& opt = shared.options;
  beast::flat_buffer buffer;
  const std::string& remote = slot.address();
  bool linger = false;  // close with LingeringClose: an answer was the last thing sent

  while (!shared.stopping) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(opt.max_header_bytes));
    parser.body_limit(opt.max_body_bytes);
    stream.expires_after(std::chrono::seconds(opt.read_timeout_seconds));
    auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
    if (ec == bhttp::error::bad_transfer_encoding || ec == bhttp::error::bad_content_length ||
        (!ec && AmbiguousFraming(parser.get()))) {
      co_await Write(stream, PlainError(400, "bad_request", kFramingMessage), 11, false, false,
                     opt.read_timeout_seconds);
      linger = true;
      break;
    }
    if (!ec && parser.get()[bhttp::field::expect] == "100-continue" && !parser.is_done()) {
      // Clients such as curl wait for this before sending a body larger than 1 KiB.
      Response cont;
      cont.status = 100;
      co_await Write(stream, std::move(cont), parser.get().version(), true, false,
                     opt.read_timeout_seconds);
    }
    if (!ec && !parser.is_done()) {
      std::tie(ec, n) = co_await bhttp::async_read(stream, buffer, parser, kTuple);
    }
    if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit) {
      bool body = ec == bhttp::error::body_limit;
      co_await Write(
          stream,
          PlainError(body ? 413 : 431, body ? "payload_too_large" : "headers_too_large",
                     body ? "request body is larger than 1 MiB" : "request headers are too large"),
          11, false, false, opt.read_timeout_seconds);
      linger = true;
      break;
    }
    if (ec) {
      if (ec != bhttp::error::end_of_stream && ec != beast::error::timeout &&
          ec != asio::error::connection_reset && ec != asio::error::eof &&
          ec != asio::error::operation_aborted) {
        co_await Write(stream, PlainError(400, "bad_request", "malformed HTTP request"), 11, false,
                       false, opt.read_timeout_seconds);
        linger = true;
      }
      break;
    }
    ++shared.in_flight;
    auto& in = parser.get();
    bool keep_alive = in.keep_alive();
    Request req = ToRequest(in, remote);
    Response out;
    try {
      BusyMark busy;
      out = shared.handler(req);
    } catch (const std::exception& e) {
      std::cerr << "harvest: internal error on " << req.method << " " << req.path << ": "
                << e.what() << "\n";
      out = PlainError(500, "internal", "internal server error");
    }
    if (out.after_commit) {
      auto wait = std::move(out.after_commit);
      out.after_commit = nullptr;
      if (std::optional<Response> instead = co_await AfterCommit(std::move(wait), shared.gate)) {
        out = std::move(*instead);
      }
    }
    bool head = in.method() == bhttp::verb::head;
    keep_alive = keep_alive && !shared.stopping;
    beast::error_code wec = co_await Write(stream, std::move(out), in.version(), keep_alive, head,
                                           opt.read_timeout_seconds);
    --shared.in_flight;
    if (wec || !keep_alive) {
      linger = !wec;
      break;
    }
  }
  if (linger) {
    co_await LingeringClose(stream);
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

// Sends a refusal on a socket without waiting (it is new, so its send buffer takes it
// whole), drops what the client has sent so far and ends our side; the caller closes it.
void RefuseAtOnce(int fd, const std::string& message) {
  Response out = PlainError(503, "service_unavailable", message);
  out.Set("Retry-After", "1");
  std::string text = HeadOf(out, 11, false, false) + out.body;
  [[maybe_unused]] ssize_t sent = ::send(fd, text.data(), text.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  ::shutdown(fd, SHUT_WR);
  std::array<char, 4096> scratch;
  while (::recv(fd, scratch.data(), scratch.size(), MSG_DONTWAIT) > 0) {
  }
}

// A connection past a cap: a 503 with Retry-After, then a lingering close.
asio::awaitable<void> Refuse(beast::tcp_stream stream, Shared& shared, std::string message) {
  struct Counted {
    std::atomic<size_t>& n;
    ~Counted() { --n; }
  } counted{shared.refusing};
  Response out = PlainError(503, "service_unavailable", message);
  out.Set("Retry-After", "1");
  beast::error_code ec = co_await Write(stream, std::move(out), 11, false, false, 2);
  if (!ec) {
    co_await LingeringClose(stream);
  }
}

bool OutOfDescriptors(const beast::error_code& ec) {
  return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
         ec == asio::error::no_memory ||
         ec == beast::error_code(ENFILE, asio::error::get_system_category());
}

constexpr std::string_view kOutOfDescriptors =
    "the server has run out of file descriptors; try again shortly";

// Accepts connections while the acceptor is open. Out of file descriptors, a client
// waiting in the listen queue would leave it ready and the loop spinning: one descriptor is
// kept in reserve to accept that client, answer it 503 and close it; without the reserve
// the loop pauses, and clients wait in the queue.
asio::awaitable<void> Accept(tcp::acceptor& acceptor, Shared& shared) {
  int reserve = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  asio::steady_timer pause(acceptor.get_executor());
  std::optional<SteadyClock::time_point> reported;  // when running out was last logged
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) {
        break;
      }
      if (!OutOfDescriptors(ec)) {
        continue;  // the client went away before it was accepted
      }
      if (!reported || SteadyClock::now() - *reported > std::chrono::minutes(1)) {
        reported = SteadyClock::now();
        std::cerr << "harvest: out of file descriptors (" << ec.message()
                  << "); refusing new connections with 503 until some close\n";
      }
      bool refused = false;
      if (reserve >= 0) {
        ::close(reserve);
        int fd = ::accept4(acceptor.native_handle(), nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0) {
          RefuseAtOnce(fd, std::string(kOutOfDescriptors));
          ::close(fd);
          refused = true;
        }
      }
      reserve = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (!refused) {
        pause.expires_after(std::chrono::milliseconds(100));
        co_await pause.async_wait(kTuple);
      }
      continue;
    }
    beast::error_code ignored;
    auto endpoint = socket.remote_endpoint(ignored);
    std::string address = ignored ? "" : endpoint.address().to_string();
    std::string refusal = shared.Admit(address);
    if (!refusal.empty()) {
      if (shared.refusing.fetch_add(1) < kMaxRefusing) {
        asio::co_spawn(acceptor.get_executor(),
                       Refuse(beast::tcp_stream(std::move(socket)), shared, std::move(refusal)),
                       asio::detached);
      } else {
        --shared.refusing;
        RefuseAtOnce(socket.native_handle(), refusal);
      }
      continue;
    }
    socket.set_option(tcp::no_delay(true), ignored);
    // Each connection lives on its own strand-free coroutine; handlers are synchronous.
    asio::co_spawn(acceptor.get_executor(),
                   Session(beast::tcp_stream(std::move(socket)), shared,
                           ConnectionSlot(shared, std::move(address))),
                   asio::detached);
  }
  if (reserve >= 0) {
    ::close(reserve);
  }
}

// SIGINT and SIGTERM, written as a byte into a pipe that the stop watcher reads (a handler
// may do little else). A byte 0 wakes the watcher when Serve returns.
int stop_pipe_write = -1;

extern "C" void OnStopSignal(int signal) {
  unsigned char byte = static_cast<unsigned char>(signal);
  [[maybe_unused]] ssize_t n = ::write(stop_pipe_write, &byte, 1);
}

class StopSignals {
 public:
  StopSignals() {
    if (::pipe2(fds_, O_CLOEXEC) != 0) {
      throw std::runtime_error("cannot create the signal pipe");
    }
    stop_pipe_write = fds_[1];
    struct sigaction action {};
    action.sa_handler = OnStopSignal;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
    stop_pipe_write = -1;
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  void Wake() { OnStopSignal(0); }

  // The next byte within `timeout`: a signal number, 0 for Wake, -1 for none.
  int Next(std::chrono::milliseconds timeout) {
    pollfd p{fds_[0], POLLIN, 0};
    int ms = static_cast<int>(std::max<int64_t>(0, timeout.count()));
    if (::poll(&p, 1, ms) <= 0) {
      return -1;
    }
    unsigned char byte = 0;
    return ::read(fds_[0], &byte, 1) == 1 ? byte : -1;
  }

 private:
  int fds_[2] = {-1, -1};
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

[[noreturn]] void Abandon(const Shared& shared, std::string_view why) {
  std::cerr << "harvest: " << why << "; exiting with " << shared.in_flight.load()
            << " request(s) unfinished" << std::endl;
  std::_Exit(1);
}

// Runs on its own thread, so that a signal is acted on even while every I/O thread is
// inside a handler. At SIGINT or SIGTERM: stop accepting and ending keep-alive connections,
// wait for requests in flight (idle connections do not count) up to the grace period,
// stop the I/O threads; if they are still inside handlers at its end, or at a second
// signal, exit the process.
void WatchForStop(StopSignals& signals, asio::io_context& ioc, tcp::acceptor& acceptor,
                  Shared& shared) {
  int got = -1;
  while (got < 0) {
    got = signals.Next(std::chrono::hours(1));
  }
  if (got == 0) {
    return;  // Serve is returning
  }
  shared.stopping = true;
  asio::post(ioc, [&acceptor] {
    beast::error_code ignored;
    acceptor.close(ignored);
  });
  auto deadline = SteadyClock::now() + std::chrono::milliseconds(shared.options.shutdown_grace_ms);
  auto left = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
  };
  while (shared.in_flight > 0 && left().count() > 0) {
    got = signals.Next(std::min(left(), std::chrono::milliseconds(20)));
    if (got > 0) {
      Abandon(shared, "stopped by a second signal");
    }
  }
  if (int left_running = shared.in_flight; left_running > 0) {
    std::cerr << "harvest: " << left_running << " request(s) still running after the "
              << shared.options.shutdown_grace_ms << " ms grace period; closing them\n";
  }
  ioc.stop();
  // Threads outside handlers return at once; give them that moment even with no grace.
  deadline = std::max(deadline, SteadyClock::now() + std::chrono::milliseconds(100));
  while (!shared.threads_done && left().count() > 0) {
    got = signals.Next(std::min(left(), std::chrono::milliseconds(20)));
    if (got > 0) {
      Abandon(shared, "stopped by a second signal");
    }
  }
  if (!shared.threads_done) {
    Abandon(shared, "requests still running after the " +
                        std::to_string(shared.options.shutdown_grace_ms) + " ms grace period");
  }
}

// Raises the soft limit on open files to the hard one, and returns how many connections
// the limit leaves room for beside the descriptors already open and kSpareDescriptors.
size_t ConnectionRoom(unsigned threads) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return SIZE_MAX;
  }
  constexpr rlim_t kEnough = 1 << 20;
  rlim_t want = limit.rlim_max == RLIM_INFINITY ? kEnough : std::min(limit.rlim_max, kEnough);
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < want) {
    rlimit raised{want, limit.rlim_max};
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) {
      limit.rlim_cur = want;
    }
  }
  if (limit.rlim_cur == RLIM_INFINITY) {
    return SIZE_MAX;
  }
  size_t open = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++open;
  }
  // SQLite opens a database and a WAL file per thread's connection.
  size_t spare = open + kSpareDescriptors + 4 * (threads + kStandbyThreads);
  return limit.rlim_cur > spare ? static_cast<size_t>(limit.rlim_cur) - spare : 1;
}

}  // namespace

// The cores this process may run on (taskset, cgroup cpusets), not all the machine's:
// threads beyond them only take turns on the same core, contending for Asio's locks.
static unsigned UsableCores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0) {
    return static_cast<unsigned>(CPU_COUNT(&set));
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

// A standby thread: idle while the I/O threads serve; serves ready connections while
// `rank + 1` or more handlers are stuck — so standby 0 steps in when every I/O thread is
// waiting, standby 1 when one more is — and goes back to idle when they finish. On one core,
// a second thread serving all the time would take turns with the first and double the tail
// latency; waiting handlers are rare (another process writing), so help is on demand.
void Standby(asio::io_context& ioc, Shared& shared, unsigned rank) {
  busy_slot = &shared.busy_since[shared.serving_threads + rank];
  while (!ioc.stopped()) {
    if (shared.Stuck() >= shared.serving_threads + rank) {
      ioc.run_one_for(std::chrono::milliseconds(20));
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
}

void Serve(const ServerOptions& options, const Handler& handler,
           const std::function<void(uint16_t port)>& on_listening) {
  // All threads share one io_context: one I/O thread per usable core, and standby threads
  // that serve only while handlers are stuck (see Standby).
  unsigned threads = options.threads ? options.threads : UsableCores();
  // Before the io_context: connections still open when it is destroyed give their
  // places back to it.
  Shared shared(options, handler, threads);
  asio::io_context ioc(static_cast<int>(threads + kStandbyThreads));

  tcp::endpoint endpoint(asio::ip::make_address(options.host), options.port);
  tcp::acceptor acceptor(ioc);
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
  size_t room = ConnectionRoom(threads);
  shared.connection_cap = std::min(options.max_connections, room);
  if (room < options.max_connections) {
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    std::cerr << "harvest: the open-file limit (" << limit.rlim_cur << ") leaves room for "
              << room << " connections, fewer than limits.connections (" << options.max_connections
              << "); raise it with ulimit -n or LimitNOFILE\n";
  }

  StopSignals signals;
  on_listening(acceptor.local_endpoint().port());
  std::thread watcher([&] {
    pthread_setname_np(pthread_self(), "harvest-signal");
    WatchForStop(signals, ioc, acceptor, shared);
  });

  asio::co_spawn(ioc, Accept(acceptor, shared), asio::detached);
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) {
    pool.emplace_back([&ioc, &shared, i] {
      pthread_setname_np(pthread_self(), "harvest-io");
      busy_slot = &shared.busy_since[i];
      ioc.run();
    });
  }
  for (unsigned rank = 0; rank < kStandbyThreads; ++rank) {
    pool.emplace_back([&ioc, &shared, rank] {
      pthread_setname_np(pthread_self(), "harvest-standby");
      Standby(ioc, shared, rank);
    });
  }
  busy_slot = &shared.busy_since[0];
  ioc.run();
  busy_slot = nullptr;
  for (std::thread& t : pool) {
    t.join();
  }
  shared.threads_done = true;
  signals.Wake();
  watcher.join();
  std::lock_guard lock(shared.gate->mutex);
  shared.gate->open = false;
}

int ParseRequest(std::string_view bytes, const ServerOptions& options, Request& out) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
  parser.body_limit(options.max_body_bytes);
  parser.eager(true);
  beast::error_code ec;
  asio::const_buffer rest(bytes.data(), bytes.size());
  while (!parser.is_done() && rest.size() > 0) {
    size_t used = parser.put(rest, ec);
    rest += used;
    if (ec == bhttp::error::need_more) {
      ec = {};
      break;  // nothing more will come
    }
    if (ec || used == 0) {
      break;
    }
  }
  if (!ec && !parser.is_header_done()) {
    return 400;  // Beast takes an end before the first byte as a complete message
  }
  if (parser.is_header_done() && AmbiguousFraming(parser.get())) {
    return 400;  // as a connection refuses it (and closes) before reading any body
  }
  if (!ec && !parser.is_done()) {
    parser.put_eof(ec);
  }
  if (ec == bhttp::error::body_limit) {
    return 413;
  }
  if (ec == bhttp::error::header_limit) {
    return 431;
  }
  if (ec || !parser.is_done()) {
    return 400;
  }
  out = ToRequest(parser.get(), "");
  return 0;
}

}  // namespace harvest::http
