#include "http/server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <sys/resource.h>

#include <array>
#include <charconv>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/log.h"
#include "common/net_address.h"
#include "http/fiber.h"
#include "http/problem.h"

namespace kith::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;

// `peer` is the TCP peer's canonical address; the request's client is read from X-Forwarded-For
// only if the peer is a trusted proxy.
Request ToRequest(bhttp::request<bhttp::string_body>&& in, const std::string& peer, const TrustedProxies& proxies,
                  const std::string& id, bool tls) {
  Request r;
  r.method = std::string(in.method_string());
  r.target = std::string(in.target());
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto& slot = r.headers[name];
    slot = slot.empty() ? std::string(field.value()) : slot + ", " + std::string(field.value());
  }
  r.body = std::move(in.body());
  r.client = proxies.empty() ? peer : proxies.ClientOf(peer, r.Header("x-forwarded-for"));
  r.request_id = id;
  r.tls = tls;
  return r;
}

// A response ready to write: the head serialised by hand (Beast's field container allocates per
// header, and every API response carries a dozen security headers), then the body.
struct Wire {
  std::string head;
  std::string body;  // framed as a chunk when `chunked`
  std::function<bool(std::string&)> stream;  // Response::body_stream
  bool chunked = false;
  std::array<asio::const_buffer, 2> Buffers() const { return {asio::buffer(head), asio::buffer(body)}; }
};

// The size line of a chunk (RFC 9112, 7.1): hexadecimal, no extensions.
std::string ChunkSize(size_t size) {
  char digits[2 * sizeof(size_t) + 2];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits) - 2, size, 16);
  (void)ec;
  *end++ = '\r';
  *end++ = '\n';
  return std::string(digits, end);
}

void AppendHeader(std::string& head, std::string_view name, std::string_view value) {
  head += name;
  head += ": ";
  if (value.find_first_of("\r\n") == std::string_view::npos) {
    head += value;
  } else {
    for (const char c : value) {
      if (c != '\r' && c != '\n') head += c;  // a value can never start another header
    }
  }
  head += "\r\n";
}

Wire ToWire(Response&& out, unsigned version, bool keep_alive) {
  Wire wire;
  wire.body = std::move(out.body);
  std::string& head = wire.head;
  head.reserve(768);
  head += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  head += std::to_string(out.status);
  head += ' ';
  head += bhttp::obsolete_reason(static_cast<bhttp::status>(out.status));
  head += "\r\nServer: Kith\r\n";
  if (!out.content_type.empty()) AppendHeader(head, "Content-Type", out.content_type);
  for (const auto& [name, value] : out.headers) AppendHeader(head, name, value);
  if (out.status == 204 || out.status == 304 || out.status < 200) {
    wire.body.clear();  // no content, and no Content-Length (RFC 9110, 8.6)
  } else if (out.body_stream) {
    // The length is not known in advance: HTTP/1.1 sends chunks, HTTP/1.0 ends with the
    // connection (the caller has made keep_alive false).
    wire.stream = std::move(out.body_stream);
    wire.chunked = version != 10;
    if (wire.chunked) {
      AppendHeader(head, "Transfer-Encoding", "chunked");
      if (!wire.body.empty()) wire.body = ChunkSize(wire.body.size()) + wire.body + "\r\n";
    }
  } else {
    AppendHeader(head, "Content-Length", std::to_string(wire.body.size()));
  }
  if (version == 10 && keep_alive) head += "Connection: keep-alive\r\n";
  if (version != 10 && !keep_alive) head += "Connection: close\r\n";
  head += "\r\n";
  return wire;
}

// Runs `fn` on a fiber (see fiber.h) and completes, on the calling coroutine's executor, with
// its result. The executor must be a single thread's: the fiber is continued there.
template <typename T>
asio::awaitable<T> OnFiber(std::function<T()> fn) {
  auto executor = co_await asio::this_coro::executor;
  std::optional<asio::steady_timer> finished;  // only for a task that waits
  std::optional<T> result;
  FiberTask task([&] { result.emplace(fn()); },
                 [executor](std::function<void()> step) { asio::post(executor, std::move(step)); },
                 [&finished] {
                   if (finished) finished->cancel();
                 });
  task.Start();
  if (!task.done()) {
    // The task is continued by posts to this executor, which run only while this coroutine is
    // suspended below; the last of them cancels the timer.
    finished.emplace(executor, asio::steady_timer::time_point::max());
    while (!task.done()) co_await finished->async_wait(asio::as_tuple(asio::use_awaitable));
  }
  if (task.error()) std::rethrow_exception(task.error());
  co_return std::move(*result);
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  const Pipeline& pipeline;
  Metrics& metrics;
  // One io_context per server thread: a connection, and the fibers of its requests, stay on
  // the thread that accepted it. The first also runs the acceptor, signals and draining.
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
  asio::io_context& ioc;
  size_t next_context = 0;  // round robin for accepted connections; touched by the acceptor only
  tcp::acceptor acceptor{ioc};
  asio::signal_set signals{ioc, SIGTERM, SIGINT};
  std::atomic<bool> draining{false};
  std::atomic<uint64_t> next_request{0};
  std::string instance;  // distinguishes request ids across restarts

  std::map<std::string, WebSocketEndpoint*> websockets;  // by path; fixed before Run

  // Live connections, so that draining can close the idle ones.
  struct Connection {
    beast::tcp_stream stream;
    std::string peer;         // canonical address of the TCP peer
    std::string address_key;  // what max_connections_per_address counts; empty: not counted
    bool busy = false;        // touched only on the connection's strand
    // Set while the connection is a WebSocket (its stream moved into it): closes it.
    std::function<void()> close_websocket;  // touched only on the connection's strand
    bool upgraded = false;                  // `stream` was moved into a WebSocket and must not be used
    asio::any_io_executor executor;         // its thread's; kept here as `stream` may be moved out
    explicit Connection(tcp::socket&& s) : stream(std::move(s)), executor(stream.get_executor()) {}
  };

  // A WebSocket connection: messages queued from any thread are written by one coroutine on
  // the connection's thread, woken by cancelling `wake`.
  struct WebSocketState {
    websocket::stream<beast::tcp_stream> ws;
    asio::steady_timer wake;
    std::deque<std::string> queue;
    size_t queued_bytes = 0;
    bool closed = false;
    bool accepted = false;     // the handshake is done: a close frame may be sent
    std::string close_reason;  // set when the server closes it (WebSocketEndpoint::Close)
    explicit WebSocketState(beast::tcp_stream&& stream) : ws(std::move(stream)), wake(ws.get_executor()) {}
  };

  static asio::awaitable<void> WriteQueued(std::shared_ptr<WebSocketState> state) {
    for (;;) {
      while (!state->queue.empty() && !state->closed) {
        const std::string message = std::move(state->queue.front());
        state->queue.pop_front();
        state->queued_bytes -= message.size();
        state->ws.text(true);
        auto [ec, n] = co_await state->ws.async_write(asio::buffer(message), asio::as_tuple(asio::use_awaitable));
        (void)n;
        if (ec) state->closed = true;
      }
      if (state->closed) co_return;
      state->wake.expires_at(asio::steady_timer::time_point::max());
      co_await state->wake.async_wait(asio::as_tuple(asio::use_awaitable));
    }
  }

  // Sends the close frame of a connection the server closed (WebSocketEndpoint::Close). The
  // read loop then ends when the client answers, or when the closing handshake times out.
  static void SendClose(const std::shared_ptr<WebSocketState>& state) {
    asio::co_spawn(
        state->ws.get_executor(),
        [state]() -> asio::awaitable<void> {
          co_await state->ws.async_close(websocket::close_reason(websocket::close_code::policy_error, state->close_reason),
                                         asio::as_tuple(asio::use_awaitable));
        },
        asio::detached);
  }

  // Serves one upgraded connection until either side closes it.
  asio::awaitable<void> ServeWebSocket(std::shared_ptr<Connection> conn, bhttp::request<bhttp::string_body> upgrade,
                                       const Request& request, WebSocketEndpoint& endpoint) {
    conn->upgraded = true;
    auto state = std::make_shared<WebSocketState>(std::move(conn->stream));
    std::weak_ptr<WebSocketState> weak = state;
    auto executor = state->ws.get_executor();
    WebSocketEndpoint::Send send = [weak, executor, limit = options.websocket_queue_limit](std::string text) {
      asio::post(executor, [weak, limit, text = std::move(text)]() mutable {
        auto s = weak.lock();
        if (!s || s->closed) return;
        if (s->queued_bytes + text.size() > limit) {
          // A client that does not read would make the server hold everything sent to it.
          log::Warn("websocket.closed", {{"reason", "client not reading"}, {"queued_bytes", s->queued_bytes}});
          s->closed = true;
          s->ws.next_layer().cancel();
          s->wake.cancel();
          return;
        }
        s->queued_bytes += text.size();
        s->queue.push_back(std::move(text));
        s->wake.cancel();
      });
    };
    WebSocketEndpoint::Close close = [weak, executor](std::string reason) {
      asio::post(executor, [weak, reason = std::move(reason)]() mutable {
        auto s = weak.lock();
        if (!s || s->closed) return;
        log::Info("websocket.closed", {{"reason", reason}});
        // What was queued before the close is not sent: the reason to close may be that the
        // client may no longer see it.
        s->closed = true;
        s->queue.clear();
        s->queued_bytes = 0;
        s->close_reason = reason.substr(0, 120);  // a close frame's payload is at most 125 bytes
        if (s->close_reason.empty()) s->close_reason = "closed";
        s->wake.cancel();
        if (s->accepted) SendClose(s);
      });
    };
    auto opened = co_await OnFiber<std::variant<std::unique_ptr<WebSocketSession>, Response>>(
        [&] { return endpoint.Open(request, send, close); });
    if (auto* refusal = std::get_if<Response>(&opened)) {
      Response out = std::move(*refusal);
      out.SetHeader("Cache-Control", "no-store");
      const Wire wire = ToWire(std::move(out), upgrade.version(), false);
      co_await asio::async_write(state->ws.next_layer(), wire.Buffers(), asio::as_tuple(asio::use_awaitable));
      co_return;
    }
    auto session = std::move(std::get<std::unique_ptr<WebSocketSession>>(opened));
    state->ws.next_layer().expires_never();
    state->ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    state->ws.read_message_max(options.websocket_message_limit);  // a larger message closes the connection (1009)
    auto [accept_ec] = co_await state->ws.async_accept(upgrade, asio::as_tuple(asio::use_awaitable));
    if (accept_ec) co_return;
    state->accepted = true;
    if (!state->close_reason.empty()) SendClose(state);  // closed while the handshake was under way
    conn->close_websocket = [weak] {
      if (auto s = weak.lock()) s->ws.next_layer().cancel();
    };
    asio::co_spawn(executor, WriteQueued(state), asio::detached);
    beast::flat_buffer buffer;
    // A burst of messages, then one a second (a token bucket).
    double tokens = options.websocket_message_burst;
    auto refilled = std::chrono::steady_clock::now();
    for (;;) {
      auto [ec, n] = co_await state->ws.async_read(buffer, asio::as_tuple(asio::use_awaitable));
      (void)n;
      if (ec) break;
      if (state->closed) {
        // Closed by the server: what the client still sends is not acted on, but the read goes
        // on until the client answers the close frame.
        if (!state->close_reason.empty()) {
          buffer.consume(buffer.size());
          continue;
        }
        break;
      }
      const auto now = std::chrono::steady_clock::now();
      tokens = std::min<double>(options.websocket_message_burst,
                                tokens + std::chrono::duration<double>(now - refilled).count());
      refilled = now;
      if (tokens < 1) {
        log::Warn("websocket.closed", {{"reason", "too many messages"}, {"client", request.client}});
        state->closed = true;
        state->wake.cancel();
        co_await state->ws.async_close(websocket::close_reason(websocket::close_code::policy_error, "too many messages"),
                                       asio::as_tuple(asio::use_awaitable));
        break;
      }
      tokens -= 1;
      if (state->ws.got_text()) {
        co_await OnFiber<bool>([&] {
          session->OnText(beast::buffers_to_string(buffer.data()));
          return true;
        });
      }
      buffer.consume(buffer.size());
    }
    state->closed = true;
    state->wake.cancel();
    conn->close_websocket = nullptr;
    session.reset();  // unsubscribes before the connection is forgotten
  }
  std::mutex connections_mutex;
  std::set<std::shared_ptr<Connection>> connections;
  std::unordered_map<std::string, int> per_address;  // open connections by address key
  std::atomic<uint64_t> refused_logged{0};

  static std::vector<std::unique_ptr<asio::io_context>> MakeContexts(int threads) {
    std::vector<std::unique_ptr<asio::io_context>> out;
    for (int t = 0; t < std::max(threads, 1); ++t) out.push_back(std::make_unique<asio::io_context>(1));
    return out;
  }

  Impl(ServerOptions o, const Pipeline& p, Metrics& m)
      : options(std::move(o)), pipeline(p), metrics(m), contexts(MakeContexts(options.threads)), ioc(*contexts[0]) {
    for (auto& context : contexts) keep_running.push_back(asio::make_work_guard(*context));
    instance = std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 100000);
  }

  // After answering a request whose body is left unread: stop sending, then read and drop what
  // the client is still sending (at most 16 MiB, for at most 2 s). Closing a socket with unread
  // data resets the connection, and the client could lose the answer before reading it.
  static asio::awaitable<void> LingeringClose(Connection& conn) {
    beast::error_code ignored;
    conn.stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    conn.stream.expires_after(std::chrono::seconds(2));
    std::array<char, 16384> sink;
    for (size_t drained = 0; drained < (16u << 20);) {
      auto [ec, n] = co_await conn.stream.async_read_some(asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
      if (ec) break;
      drained += n;
    }
  }

  std::string NextId() { return instance + "-" + std::to_string(next_request.fetch_add(1)); }

  // Reads one request into `parser`, each stage within its time limit: the first byte within
  // idle_timeout, the head within header_timeout of it, the body within body_timeout, so that a
  // client sending slowly (or not at all) cannot hold the connection for long.
  asio::awaitable<beast::error_code> ReadRequest(Connection& conn, beast::flat_buffer& buffer,
                                                 bhttp::request_parser<bhttp::string_body>& parser) {
    if (buffer.size() == 0) {
      conn.stream.expires_after(options.idle_timeout);
      auto [ec, n] = co_await conn.stream.async_read_some(buffer.prepare(8192), asio::as_tuple(asio::use_awaitable));
      if (ec) co_return ec;
      buffer.commit(n);
    }
    conn.stream.expires_after(options.header_timeout);
    auto [head_ec, head_n] =
        co_await bhttp::async_read_header(conn.stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    (void)head_n;
    if (head_ec || parser.is_done()) co_return head_ec;
    conn.stream.expires_after(options.body_timeout);
    auto [body_ec, body_n] = co_await bhttp::async_read(conn.stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    (void)body_n;
    co_return body_ec;
  }

  // Writes the pieces of a streamed body as they are made, each within body_timeout, then the
  // last chunk. False if the body could not be finished (the producer failed or the client
  // stopped reading): the connection must then close without the last chunk.
  asio::awaitable<bool> WriteStream(Connection& conn, Wire& wire, const std::string& request_id) {
    static const std::string kCrLf = "\r\n";
    static const std::string kLastChunk = "0\r\n\r\n";
    std::string piece;
    size_t pieces = 0;
    for (;;) {
      bool more = false;
      try {
        more = co_await OnFiber<bool>([&] { return wire.stream(piece); });
      } catch (const std::exception& e) {
        log::Error("response.stream_failed", {{"request_id", request_id}, {"pieces", pieces}, {"error", e.what()}});
        co_return false;
      }
      if (!more) break;
      if (piece.empty()) continue;  // an empty chunk would end the body
      ++pieces;
      const std::string size = wire.chunked ? ChunkSize(piece.size()) : std::string();
      const std::array<asio::const_buffer, 3> buffers{asio::buffer(size), asio::buffer(piece),
                                                      wire.chunked ? asio::buffer(kCrLf) : asio::const_buffer()};
      conn.stream.expires_after(options.body_timeout);
      auto [ec, n] = co_await asio::async_write(conn.stream, buffers, asio::as_tuple(asio::use_awaitable));
      (void)n;
      if (ec) co_return false;
    }
    if (!wire.chunked) co_return true;
    conn.stream.expires_after(options.body_timeout);
    auto [ec, n] = co_await asio::async_write(conn.stream, asio::buffer(kLastChunk), asio::as_tuple(asio::use_awaitable));
    (void)n;
    co_return !ec;
  }

  asio::awaitable<void> Session(std::shared_ptr<Connection> conn) {
    beast::flat_buffer buffer;
    for (;;) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(options.body_limit);
      parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
      const beast::error_code read_ec = co_await ReadRequest(*conn, buffer, parser);
      if (read_ec == bhttp::error::body_limit) {
        // Answered through the pipeline like any request (security headers, metrics, logs),
        // from the head alone; the connection then closes, as the rest of the body is unread.
        bhttp::request<bhttp::string_body> head{parser.get().base()};
        Request request = ToRequest(std::move(head), conn->peer, options.trusted_proxies, NextId(),
                                    options.tls_terminated);
        request.body_too_large = true;
        const Wire wire =
            ToWire(co_await OnFiber<Response>([&] { return pipeline.Handle(std::move(request)); }), 11, false);
        conn->stream.expires_after(options.body_timeout);
        co_await asio::async_write(conn->stream, wire.Buffers(), asio::as_tuple(asio::use_awaitable));
        co_await LingeringClose(*conn);
        break;
      }
      if (read_ec) break;  // closed, timed out, malformed or cancelled while draining
      conn->busy = true;
      auto req = parser.release();
      if (websocket::is_upgrade(req)) {
        Request upgrade = ToRequest(bhttp::request<bhttp::string_body>(req), conn->peer, options.trusted_proxies,
                                    NextId(), options.tls_terminated);
        const bool parsed = ParseTarget(upgrade.target, &upgrade.path, &upgrade.query);
        if (auto it = websockets.find(upgrade.path); parsed && it != websockets.end() && !draining) {
          co_await ServeWebSocket(conn, std::move(req), upgrade, *it->second);
          break;
        }
      }
      const unsigned version = req.version();
      bool keep_alive = req.keep_alive() && !draining;
      Request request = ToRequest(std::move(req), conn->peer, options.trusted_proxies, NextId(), options.tls_terminated);
      const std::string request_id = request.request_id;
      Response response = co_await OnFiber<Response>([&] { return pipeline.Handle(std::move(request)); });
      if (response.body_stream && version == 10) keep_alive = false;  // the body ends with the connection
      Wire wire = ToWire(std::move(response), version, keep_alive);
      conn->stream.expires_after(options.body_timeout);  // a client that does not read its response
      auto [write_ec, written] =
          co_await asio::async_write(conn->stream, wire.Buffers(), asio::as_tuple(asio::use_awaitable));
      (void)written;
      bool whole = !write_ec;
      if (whole && wire.stream) whole = co_await WriteStream(*conn, wire, request_id);
      wire.stream = nullptr;  // whatever it holds (a read position, a page) goes now
      conn->busy = false;
      if (!whole || !keep_alive || draining) break;
    }
    beast::error_code ignored;
    if (!conn->upgraded) conn->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    Forget(conn);
    metrics.ConnectionClosed();
  }

  // Removes a connection from the live set and its address's count.
  void Forget(const std::shared_ptr<Connection>& conn) {
    std::lock_guard lock(connections_mutex);
    if (!conn->address_key.empty()) {
      auto it = per_address.find(conn->address_key);
      if (it != per_address.end() && --it->second <= 0) per_address.erase(it);
    }
    connections.erase(conn);
  }

  // A connection over a limit gets a bare 503 (written without waiting: it fits in the socket's
  // buffer, and a client that does not read must not hold us) and is closed.
  static void Refuse(tcp::socket& socket) {
    static const std::string kBusy = [] {
      const std::string body =
          R"({"type":"https://kith.example/problems/busy","title":"Too many connections","status":503,)"
          R"("detail":"The server has too many connections open; try again shortly.","code":"busy"})";
      return "HTTP/1.1 503 Service Unavailable\r\nServer: Kith\r\nRetry-After: 5\r\nContent-Type: "
             "application/problem+json\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
             "Connection: close\r\nContent-Length: " +
             std::to_string(body.size()) + "\r\n\r\n" + body;
    }();
    beast::error_code ignored;
    socket.non_blocking(true, ignored);
    socket.write_some(asio::buffer(kBusy), ignored);
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }

  asio::awaitable<void> Accept() {
    asio::steady_timer backoff(ioc);
    for (;;) {
      auto& context = *contexts[next_context++ % contexts.size()];
      auto [ec, socket] = co_await acceptor.async_accept(context, asio::as_tuple(asio::use_awaitable));
      if (ec) {
        if (!acceptor.is_open()) co_return;
        // E.g. too many open files: keep serving the connections we have, and wait a moment
        // rather than spin on the error.
        log::Warn("server.accept_failed", {{"error", ec.message()}});
        backoff.expires_after(std::chrono::milliseconds(50));
        co_await backoff.async_wait(asio::as_tuple(asio::use_awaitable));
        continue;
      }
      beast::error_code peer_ec;
      const auto endpoint = socket.remote_endpoint(peer_ec);
      const std::string peer = peer_ec ? std::string() : CanonicalAddress(endpoint.address().to_string());
      auto conn = std::make_shared<Connection>(std::move(socket));
      conn->peer = peer;
      if (!options.trusted_proxies.Contains(peer)) conn->address_key = AddressKey(peer);
      std::string_view refused;
      {
        std::lock_guard lock(connections_mutex);
        if (static_cast<int>(connections.size()) >= options.max_connections) {
          refused = "server";
        } else if (!conn->address_key.empty() &&
                   per_address[conn->address_key] >= options.max_connections_per_address) {
          refused = "address";
          if (per_address[conn->address_key] == 0) per_address.erase(conn->address_key);
        } else {
          connections.insert(conn);
          if (!conn->address_key.empty()) ++per_address[conn->address_key];
        }
      }
      if (!refused.empty()) {
        metrics.ConnectionRefused();
        if (refused_logged.fetch_add(1) % 1000 == 0) {  // one line per thousand, not a flood
          log::Warn("server.connection_refused", {{"limit", refused}, {"peer", peer}});
        }
        Refuse(conn->stream.socket());
        continue;
      }
      metrics.ConnectionOpened();
      asio::co_spawn(conn->stream.get_executor(), Session(conn), asio::detached);
    }
  }

  void BeginDrain() {
    if (draining.exchange(true)) return;
    log::Info("server.draining", {{"grace_seconds", options.shutdown_grace.count()}});
    beast::error_code ignored;
    acceptor.close(ignored);
    // Idle keep-alive connections are closed now; busy ones close after their response.
    std::lock_guard lock(connections_mutex);
    for (const auto& conn : connections) {
      asio::post(conn->executor, [conn] {
        if (conn->close_websocket) {
          conn->close_websocket();
        } else if (!conn->busy && !conn->upgraded) {
          conn->stream.cancel();
        }
      });
    }
  }

  asio::awaitable<void> WaitForDrain() {
    asio::steady_timer timer(ioc);
    const auto deadline = std::chrono::steady_clock::now() + options.shutdown_grace;
    for (;;) {
      size_t open;
      {
        std::lock_guard lock(connections_mutex);
        open = connections.size();
      }
      if (open == 0 || std::chrono::steady_clock::now() > deadline) {
        log::Info("server.stopped", {{"abandoned_connections", open}});
        keep_running.clear();
        for (auto& context : contexts) context->stop();
        co_return;
      }
      timer.expires_after(std::chrono::milliseconds(20));
      co_await timer.async_wait(asio::use_awaitable);
    }
  }
};

Server::Server(ServerOptions options, const Pipeline& pipeline, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), pipeline, metrics)) {}

Server::~Server() = default;

void Server::AddWebSocket(std::string path, WebSocketEndpoint& endpoint) {
  impl_->websockets[std::move(path)] = &endpoint;
}

uint16_t Server::Listen() {
  auto& i = *impl_;
  // Each connection is a file: use all the process may have, and keep the cap under it (with
  // room for the database, logs and the import worker).
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0) {
    if (files.rlim_cur < files.rlim_max) {
      files.rlim_cur = files.rlim_max;
      setrlimit(RLIMIT_NOFILE, &files);
      getrlimit(RLIMIT_NOFILE, &files);
    }
    const auto room = static_cast<int64_t>(files.rlim_cur) - 64 - 2 * i.options.threads;
    if (room < i.options.max_connections) {
      log::Warn("server.max_connections_lowered",
                {{"configured", i.options.max_connections}, {"open_files_limit", files.rlim_cur}, {"now", room}});
      i.options.max_connections = static_cast<int>(std::max<int64_t>(room, 16));
    }
  }
  tcp::endpoint endpoint{asio::ip::make_address(i.options.address), i.options.port};
  i.acceptor.open(endpoint.protocol());
  i.acceptor.set_option(asio::socket_base::reuse_address(true));
  i.acceptor.bind(endpoint);
  i.acceptor.listen(asio::socket_base::max_listen_connections);
  return i.acceptor.local_endpoint().port();
}

void Server::Run() {
  auto& i = *impl_;
  i.signals.async_wait([this](const beast::error_code& ec, int signal) {
    if (ec) return;
    log::Info("server.signal", {{"signal", signal}});
    Stop();
  });
  asio::co_spawn(i.ioc, i.Accept(), asio::detached);
  std::vector<std::thread> threads;
  for (size_t t = 1; t < i.contexts.size(); ++t) threads.emplace_back([&context = *i.contexts[t]] { context.run(); });
  i.ioc.run();
  for (auto& t : threads) t.join();
}

void Server::Stop() {
  auto& i = *impl_;
  asio::post(i.ioc, [&i] {
    i.BeginDrain();
    i.signals.cancel();
    asio::co_spawn(i.ioc, i.WaitForDrain(), asio::detached);
  });
}

}  // namespace kith::http
