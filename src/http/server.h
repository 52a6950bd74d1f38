// The HTTP server: Boost.Beast on Asio with one C++20 coroutine per connection. Only this
// component (server.cpp) includes Beast.
//
// Handlers run on the server's worker threads and may block (on the group commit of the
// store), so the number of threads bounds how many requests are in flight at once.
// Thread safety: Run blocks the calling thread; Stop may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>

#include "http/client_address.h"
#include "http/message.h"
#include "http/metrics.h"
#include "http/pipeline.h"

namespace kith::http {

// Limits that keep slow or greedy clients from holding the server (docs/limits.md). A
// connection over a limit is closed; a time limit that runs out closes the connection too.
struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port
  int threads = 32;
  size_t body_limit = 1 << 20;  // bytes
  size_t header_limit = 16 << 10;  // bytes of request line and headers
  // Whose X-Forwarded-For names the client (Request::client); see client_address.h.
  TrustedProxies trusted_proxies;
  // Open connections at once, and from one client address (by AddressKey of the TCP peer; a
  // trusted proxy's connections are not limited per address). A connection over either is sent
  // a bare 503 and closed at once. Clamped at start-up to what the open-files limit allows.
  int max_connections = 4096;
  int max_connections_per_address = 256;
  std::chrono::seconds idle_timeout{30};    // from one response (or the connection) to the next request's first byte
  std::chrono::seconds header_timeout{10};  // from a request's first byte to the end of its head
  std::chrono::seconds body_timeout{60};    // to receive a request's body; also to write a response
  // WebSocket: the largest message a client may send, how many it may send (a burst, then one a
  // second), and how much may wait to be sent to a client that does not read before it is
  // closed.
  size_t websocket_message_limit = 4 << 10;
  int websocket_message_burst = 20;
  size_t websocket_queue_limit = 1 << 20;
  std::chrono::seconds shutdown_grace{20};  // in-flight requests get this long to finish
  bool tls_terminated = false;              // behind a TLS proxy: requests count as secure
};

// One open WebSocket connection as the layer above sees it (no Beast here).
class WebSocketSession {
 public:
  virtual ~WebSocketSession() = default;  // called once the connection has closed
  // A text message from the client. Runs on the connection's strand; must not block long.
  virtual void OnText(const std::string& text) = 0;
};

// Serves WebSocket upgrades on one path. Open decides at the upgrade request whether to accept
// it (authentication, origin). `send` queues a text message to the client; `close` ends the
// connection from the server's side: messages still queued are dropped, later sends are
// ignored, and the client gets a close frame (1008, policy violation, with `reason`, at most
// 120 bytes) once the handshake is done (at once if it is, else straight after it). A client
// that does not answer the close is disconnected by the closing handshake's timeout. Both may
// be called from any thread, any number of times, also after the connection closed (they then
// do nothing); neither blocks.
class WebSocketEndpoint {
 public:
  using Send = std::function<void(std::string text)>;
  using Close = std::function<void(std::string reason)>;
  virtual ~WebSocketEndpoint() = default;
  // A session to accept the upgrade, or the HTTP response that refuses it.
  virtual std::variant<std::unique_ptr<WebSocketSession>, Response> Open(const Request& upgrade, Send send,
                                                                         Close close) = 0;
};

class Server {
 public:
  Server(ServerOptions options, const Pipeline& pipeline, Metrics& metrics);
  ~Server();

  // Serves WebSocket upgrades of `path` with `endpoint` (which must outlive the server).
  // Call before Run.
  void AddWebSocket(std::string path, WebSocketEndpoint& endpoint);

  // Binds and listens; returns the bound port. Throws std::runtime_error if it cannot bind.
  // Raises the open-files limit to its maximum and lowers max_connections to fit under it.
  uint16_t Listen();
  // Serves until Stop() or SIGTERM/SIGINT, then stops accepting, lets in-flight requests finish
  // (up to shutdown_grace) and returns.
  void Run();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kith::http
