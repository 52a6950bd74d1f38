// A channel between the processes (the nodes of a cluster) over one database: a payload one
// process sends reaches every process listening on the same database, the sender included.
//
// Best effort, not durable: a listener that is away (reconnecting after a failover, not yet
// started) misses what was sent meanwhile, so use it only for what may be lost — a prompt, with
// the truth in the database (the live updates of issue 16: a client that missed one refetches).
// Payloads arrive in the order each sender sent them; senders are not ordered among themselves.
//
// Thread safety: Send may be called from any thread at once; Listen once. Destroying the bus
// stops its listener thread (no callback runs after the destructor returns).
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace kith::storage {

class MessageBus {
 public:
  using Receive = std::function<void(const std::string& payload)>;
  // The largest payload Send takes (PostgreSQL's NOTIFY limit, less a margin).
  static constexpr size_t kMaxPayload = 7900;

  virtual ~MessageBus() = default;
  // Sends `payload` (at most kMaxPayload bytes: a longer one is refused with std::invalid_argument)
  // to every listener. Throws StorageUnavailable if the database cannot be reached.
  virtual void Send(const std::string& payload) = 0;
  // Starts the listener: `receive` is called on the bus's own thread for every payload sent from
  // now on, one at a time. A lost connection is re-established by itself (logged).
  virtual void Listen(Receive receive) = 0;
};

}  // namespace kith::storage
