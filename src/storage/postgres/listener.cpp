#include "storage/postgres/listener.h"

#include <libpq-fe.h>
#include <poll.h>

#include <chrono>

#include "common/log.h"
#include "storage/postgres/connection.h"

namespace kith::storage::postgres {

std::string JoinPayload(std::string_view topic, std::string_view message) {
  std::string out(topic);
  out += '\n';
  out += message;
  return out;
}

std::pair<std::string_view, std::string_view> SplitPayload(std::string_view payload) {
  const auto newline = payload.find('\n');
  if (newline == std::string_view::npos) return {payload, {}};
  return {payload.substr(0, newline), payload.substr(newline + 1)};
}

Listener::Listener(std::string url, std::string application_name, Subscribers& subscribers)
    : url_(std::move(url)), application_name_(std::move(application_name)), subscribers_(subscribers) {
  thread_ = std::thread([this] { Run(); });
}

Listener::~Listener() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  thread_.join();
}

void Listener::Run() {
  std::unique_ptr<Connection> connection;
  auto pause = std::chrono::milliseconds(500);
  auto stopping = [this] {
    std::lock_guard lock(mutex_);
    return stopping_;
  };
  while (!stopping()) {
    if (!connection) {
      try {
        connection = std::make_unique<Connection>(url_, application_name_ + " (listener)");
        connection->Exec("LISTEN " + std::string(kChannel));
        pause = std::chrono::milliseconds(500);
        subscribers_.Deliver("", "");  // whatever was sent meanwhile was not heard
      } catch (const StorageError& e) {
        connection.reset();
        log::Warn("database.listener_unavailable", {{"reason", e.what()}, {"retry_in_ms", pause.count()}});
        std::unique_lock lock(mutex_);
        stop_cv_.wait_for(lock, pause, [this] { return stopping_; });
        pause = std::min(pause * 2, std::chrono::milliseconds(5000));
        continue;
      }
    }
    PGconn* conn = connection->raw();
    // Wakes at least twice a second to see whether the store is stopping.
    pollfd fd{PQsocket(conn), POLLIN, 0};
    const int ready = ::poll(&fd, 1, 500);
    if (ready < 0) continue;  // interrupted
    if (ready > 0 && PQconsumeInput(conn) == 0) {
      connection.reset();  // lost: reconnect, and say so
      continue;
    }
    while (PGnotify* n = PQnotifies(conn)) {
      const auto [topic, message] = SplitPayload(n->extra);
      subscribers_.Deliver(topic, message);
      PQfreemem(n);
    }
    if (PQstatus(conn) != CONNECTION_OK) connection.reset();
  }
}

}  // namespace kith::storage::postgres
