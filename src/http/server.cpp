// The only translation unit that includes Beast and Asio.
#include "http/server.h"

#include <pthread.h>
#include <sched.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <iostream>
#include <thread>
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

struct Shared {
  Shared(const ServerOptions& o, const Handler& h, unsigned threads)
      : options(o), handler(h), serving_threads(threads), busy_since(threads + kStandbyThreads) {}
  const ServerOptions& options;
  const Handler& handler;
  std::atomic<bool> stopping{false};
  std::atomic<int> in_flight{0};
  const unsigned serving_threads;
  // Per thread (I/O threads first, then standbys): when its running handler started, in
  // steady-clock ticks; 0 while it runs none.
  std::vector<std::atomic<int64_t>> busy_since;

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

asio::awaitable<void> Session(beast::tcp_stream stream, Shared& shared) {
  const ServerOptions& opt = shared.options;
  beast::flat_buffer buffer;
  std::string remote;
  beast::error_code ignored;
  auto endpoint = stream.socket().remote_endpoint(ignored);
  remote = ignored ? "" : endpoint.address().to_string();

  while (!shared.stopping) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(opt.max_header_bytes));
    parser.body_limit(opt.max_body_bytes);
    stream.expires_after(std::chrono::seconds(opt.read_timeout_seconds));
    auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
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
      break;
    }
    if (ec) {
      if (ec != bhttp::error::end_of_stream && ec != beast::error::timeout &&
          ec != asio::error::connection_reset && ec != asio::error::eof &&
          ec != asio::error::operation_aborted) {
        co_await Write(stream, PlainError(400, "bad_request", "malformed HTTP request"), 11, false,
                       false, opt.read_timeout_seconds);
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
    bool head = in.method() == bhttp::verb::head;
    keep_alive = keep_alive && !shared.stopping;
    beast::error_code wec = co_await Write(stream, std::move(out), in.version(), keep_alive, head,
                                           opt.read_timeout_seconds);
    --shared.in_flight;
    if (wec || !keep_alive) {
      break;
    }
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> Accept(tcp::acceptor& acceptor, Shared& shared) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) {
        co_return;
      }
      continue;  // e.g. too many open files: keep serving the others
    }
    socket.set_option(tcp::no_delay(true), ec);
    // Each connection lives on its own strand-free coroutine; handlers are synchronous.
    asio::co_spawn(acceptor.get_executor(), Session(beast::tcp_stream(std::move(socket)), shared),
                   asio::detached);
  }
}

asio::awaitable<void> Drain(asio::io_context& ioc, Shared& shared) {
  asio::steady_timer timer(ioc);
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::seconds(shared.options.shutdown_grace_seconds);
  while (shared.in_flight > 0 && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(kTuple);
  }
  ioc.stop();
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
  asio::io_context ioc(static_cast<int>(threads + kStandbyThreads));
  Shared shared(options, handler, threads);

  tcp::endpoint endpoint(asio::ip::make_address(options.host), options.port);
  tcp::acceptor acceptor(ioc);
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
  on_listening(acceptor.local_endpoint().port());

  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const beast::error_code& ec, int) {
    if (ec) {
      return;
    }
    shared.stopping = true;
    beast::error_code ignored;
    acceptor.close(ignored);
    asio::co_spawn(ioc, Drain(ioc, shared), asio::detached);
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
