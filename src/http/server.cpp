#include "http/server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/log.h"
#include "http/problem.h"

namespace kith::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

Request ToRequest(bhttp::request<bhttp::string_body>&& in, const std::string& client, const std::string& id,
                  bool tls) {
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
  r.client = client;
  r.request_id = id;
  r.tls = tls;
  return r;
}

bhttp::response<bhttp::string_body> ToBeast(Response&& out, unsigned version, bool keep_alive) {
  bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(out.status), version};
  res.set(bhttp::field::server, "Kith");
  if (!out.content_type.empty()) res.set(bhttp::field::content_type, out.content_type);
  for (auto& [name, value] : out.headers) res.insert(name, value);
  res.body() = std::move(out.body);
  res.keep_alive(keep_alive);
  res.prepare_payload();
  return res;
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  const Pipeline& pipeline;
  Metrics& metrics;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  asio::signal_set signals{ioc, SIGTERM, SIGINT};
  std::atomic<bool> draining{false};
  std::atomic<uint64_t> next_request{0};
  std::string instance;  // distinguishes request ids across restarts

  // Live connections, so that draining can close the idle ones.
  struct Connection {
    beast::tcp_stream stream;
    bool busy = false;  // touched only on the connection's strand
    explicit Connection(tcp::socket&& s) : stream(std::move(s)) {}
  };
  std::mutex connections_mutex;
  std::set<std::shared_ptr<Connection>> connections;

  Impl(ServerOptions o, const Pipeline& p, Metrics& m) : options(std::move(o)), pipeline(p), metrics(m) {
    instance = std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 100000);
  }

  asio::awaitable<void> Session(std::shared_ptr<Connection> conn) {
    beast::flat_buffer buffer;
    std::string client;
    beast::error_code ec;
    auto endpoint = conn->stream.socket().remote_endpoint(ec);
    if (!ec) client = endpoint.address().to_string();
    for (;;) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(options.body_limit);
      parser.header_limit(16 * 1024);
      conn->stream.expires_after(options.read_timeout);
      auto [read_ec, n] = co_await bhttp::async_read(conn->stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      (void)n;
      if (read_ec == bhttp::error::body_limit) {
        Response too_big = ProblemResponse(413, "payload_too_large", "Request too large",
                                           "The request body is larger than the server accepts.", "-");
        auto res = ToBeast(std::move(too_big), 11, false);
        co_await bhttp::async_write(conn->stream, res, asio::as_tuple(asio::use_awaitable));
        break;
      }
      if (read_ec) break;  // closed, timed out, malformed or cancelled while draining
      conn->busy = true;
      auto req = parser.release();
      const unsigned version = req.version();
      const bool keep_alive = req.keep_alive() && !draining;
      Request request = ToRequest(std::move(req), client,
                                  instance + "-" + std::to_string(next_request.fetch_add(1)), options.tls_terminated);
      Response response;
      if (!ParseTarget(request.target, &request.path, &request.query)) {
        response = ProblemResponse(400, "bad_target", "Bad request", "The request address is malformed.",
                                   request.request_id);
      } else {
        response = pipeline.Handle(request);
      }
      auto res = ToBeast(std::move(response), version, keep_alive);
      conn->stream.expires_after(options.read_timeout);
      auto [write_ec, written] = co_await bhttp::async_write(conn->stream, res, asio::as_tuple(asio::use_awaitable));
      (void)written;
      conn->busy = false;
      if (write_ec || !keep_alive || draining) break;
    }
    beast::error_code ignored;
    conn->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    {
      std::lock_guard lock(connections_mutex);
      connections.erase(conn);
    }
    metrics.ConnectionClosed();
  }

  asio::awaitable<void> Accept() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), asio::as_tuple(asio::use_awaitable));
      if (ec) {
        if (!acceptor.is_open()) co_return;
        continue;  // e.g. too many open files: keep serving the connections we have
      }
      auto conn = std::make_shared<Connection>(std::move(socket));
      {
        std::lock_guard lock(connections_mutex);
        connections.insert(conn);
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
      asio::post(conn->stream.get_executor(), [conn] {
        if (!conn->busy) conn->stream.cancel();
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
        ioc.stop();
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

uint16_t Server::Listen() {
  auto& i = *impl_;
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
  for (int t = 1; t < i.options.threads; ++t) threads.emplace_back([&i] { i.ioc.run(); });
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
