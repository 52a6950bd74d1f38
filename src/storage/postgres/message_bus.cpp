// storage::MessageBus over PostgreSQL's LISTEN/NOTIFY (postgres_store.h, OpenPostgresBus).
#include <nlohmann/json.hpp>

#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <stop_token>
#include <thread>

#include "common/log.h"
#include "storage/postgres/connection.h"
#include "storage/postgres/postgres_store.h"

namespace kith::storage {
namespace {

using postgres::Connection;

class PgMessageBus final : public MessageBus {
 public:
  PgMessageBus(std::string url, std::string channel) : url_(std::move(url)), channel_(std::move(channel)) {}
  ~PgMessageBus() override { listener_ = {}; }  // requests stop and joins

  void Send(const std::string& payload) override {
    if (payload.size() > kMaxPayload) {
      throw std::invalid_argument("a message of " + std::to_string(payload.size()) + " bytes is over the bus's " +
                                  std::to_string(kMaxPayload));
    }
    std::lock_guard lock(send_mutex_);
    // One retry on a fresh connection: the one kept may have been lost since (a failover).
    for (int attempt = 0;; ++attempt) {
      try {
        if (!sender_ || !sender_->healthy()) sender_ = std::make_unique<Connection>(url_, "kith-bus");
        sender_->Prepare("SELECT pg_notify($1, $2)").Bind(channel_).Bind(payload).Run();
        return;
      } catch (const StorageUnavailable&) {
        sender_.reset();
        if (attempt == 1) throw;
      }
    }
  }

  void Listen(Receive receive) override {
    listener_ = std::jthread([this, receive = std::move(receive)](std::stop_token stop) {
      std::unique_ptr<Connection> conn;
      bool warned = false;
      while (!stop.stop_requested()) {
        try {
          if (!conn || !conn->healthy()) {
            conn.reset();
            conn = std::make_unique<Connection>(url_, "kith-bus");
            conn->Exec("LISTEN " + channel_);
            if (warned) log::Info("bus.listening_again", {{"channel", channel_}});
            warned = false;
          }
          for (const auto& payload : conn->WaitForNotifications(std::chrono::milliseconds(200))) receive(payload);
        } catch (const StorageError& e) {
          // The database is away (a failover, a restart): listen again once it is back.
          if (!warned) log::Warn("bus.listen_failed", {{"channel", channel_}, {"reason", e.what()}});
          warned = true;
          conn.reset();
          std::mutex m;
          std::condition_variable_any wake;
          std::unique_lock lock(m);
          wake.wait_for(lock, stop, std::chrono::milliseconds(500), [] { return false; });
        }
      }
    });
  }

 private:
  const std::string url_;
  const std::string channel_;  // a plain lower-case identifier
  std::mutex send_mutex_;
  std::unique_ptr<Connection> sender_;  // under send_mutex_
  std::jthread listener_;
};

}  // namespace

std::unique_ptr<MessageBus> OpenPostgresBus(const std::string& url, const std::string& channel) {
  for (char c : channel) {
    if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
      throw std::invalid_argument("a bus channel is lower-case letters, digits and '_': " + channel);
    }
  }
  if (channel.empty() || channel.size() > 63) throw std::invalid_argument("a bus channel is 1-63 characters");
  return std::make_unique<PgMessageBus>(url, channel);
}

}  // namespace kith::storage
