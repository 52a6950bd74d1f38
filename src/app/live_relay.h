// Live updates across the nodes of a cluster (issue 16): an event published on one node reaches
// the live-updates connections of every node. Each node's LiveHub relays what is published on it
// through a storage::MessageBus (LISTEN/NOTIFY on PostgreSQL), and each node delivers what the
// others sent to its own subscribers, deciding and auditing who may see it as it does for its
// own events. A node ignores its own events when they come back from the bus.
//
// Best effort, as the bus: an event sent while a node is reconnecting to the database is not
// delivered there (its clients see the change at their next read). An event whose feed item is
// too large for the bus goes without the item (clients refetch it).
//
// Thread safety: Send may be called from any thread; Start once. Destroy the relay before the hub
// and after the last Publish (it owns the bus, whose thread delivers into the hub and is joined
// first).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "app/live_hub.h"
#include "storage/message_bus.h"

namespace kith::app {

// The bus's form of an event: JSON naming the node that published it.
std::string EncodeLiveEvent(const LiveEvent& event, const std::string& node_id);
// The event and its node, or nullopt for a payload that is not one (logged by the caller).
std::optional<std::pair<std::string, LiveEvent>> DecodeLiveEvent(const std::string& payload);

class LiveRelay {
 public:
  // `node_id` tells this process's events apart (random per process).
  LiveRelay(LiveHub& hub, std::unique_ptr<storage::MessageBus> bus, std::string node_id)
      : hub_(hub), node_id_(std::move(node_id)), bus_(std::move(bus)) {}
  LiveRelay(const LiveRelay&) = delete;
  LiveRelay& operator=(const LiveRelay&) = delete;

  // Sends an event published on this node to the others; a failure is logged, never thrown
  // (the change it reports is committed: the live update is only a prompt).
  void Send(const LiveEvent& event);
  // Listens for the other nodes' events and delivers them to the hub's subscribers, and makes
  // this relay the hub's (LiveHub::SetRelay). Call before serving.
  void Start();

 private:
  LiveHub& hub_;
  const std::string node_id_;
  std::unique_ptr<storage::MessageBus> bus_;  // last: destroyed (its thread joined) first
};

}  // namespace kith::app
