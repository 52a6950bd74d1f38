// In-process publish/subscribe for live updates (the WebSocket at /api/v1/live). Use cases
// publish what happened on a child; each subscriber (one signed-in user's connection) gets a
// message only if, at the moment of sending, its session still stands and the authorisation
// callback says that user may see that child's account as a read would — so leaving a team,
// being disabled or losing access stops messages at once, with no cache to invalidate. What is
// delivered is recorded (audited) through the record callback, once per event on each node that
// delivers it. A subscriber whose session has fallen (signed out, expired, disabled) is closed
// and dropped, when a message would go to it or at the next Revalidate. In a cluster each node's
// hub serves its own connections and relays what is published on it to the others
// (app/live_relay.h). Knows nothing of JSON or sockets.
//
// Thread safety: all methods may be called from any thread, SetRelay only before the first
// Publish. Deliver callbacks run on the publisher's (or the relay's) thread, outside the hub's
// lock, and must not block (queue and return).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

namespace kith::app {

// A feed item as the reader sees it (names resolved).
struct FeedItemView {
  std::string id;
  TimePoint at;
  std::string child_id;
  std::string child_name;
  std::string kind;  // chronology_entry | forum_post | team_change | wheel_person | finding | mention
  std::string summary;
  std::string actor_name;
  std::string significance;  // empty when not applicable
};

struct LiveEvent {
  std::string child_id;
  std::string what;                  // "chronology" | "forum" | "wheel" | "team" | "early_help"
  std::optional<FeedItemView> item;  // the feed item, if the change made one
  std::string recipient_id;          // empty: the whole team; else only this user
  // About something the child's linked family members may see (issue 5); they get nothing else.
  bool family_visible = false;
};

class LiveHub {
 public:
  // May `user_id` see this event about a child now? Called for every subscriber on every
  // message.
  using Authorise = std::function<bool(const std::string& user_id, const LiveEvent& event)>;
  // Called once per published event with the users it is delivered to (before delivery).
  using Record = std::function<void(const LiveEvent& event, const std::vector<std::string>& user_ids)>;
  using Deliver = std::function<void(const LiveEvent&)>;
  // Whether the subscriber's session still stands; and how to close its connection when not.
  using Stands = std::function<bool()>;
  using Close = std::function<void(const std::string& reason)>;

  explicit LiveHub(Authorise authorise, Record record = nullptr)
      : authorise_(std::move(authorise)), record_(std::move(record)) {}

  // Registers a subscriber; returns its id for Unsubscribe.
  uint64_t Subscribe(std::string user_id, Deliver deliver, Stands stands = nullptr, Close close = nullptr);
  void Unsubscribe(uint64_t id);
  // Carries each event published here to the other nodes of a cluster (app/live_relay.h). Set
  // once, before serving; none on SQLite (one process). Must not throw.
  using Relay = std::function<void(const LiveEvent&)>;
  void SetRelay(Relay relay) { relay_ = std::move(relay); }

  // Sends the event to every subscriber allowed to see the child (and, for an addressed event,
  // only to its recipient) whose session stands; closes those whose session has fallen; then
  // relays it to the other nodes, whose hubs do the same for their subscribers. Returns the
  // number of deliveries here.
  int Publish(const LiveEvent& event);
  // An event another node published: delivered here as Publish does, and not relayed again.
  int DeliverRelayed(const LiveEvent& event) { return DeliverHere(event); }
  // Closes and drops every subscriber whose session has fallen (run on a timer, so that a
  // connection closes after sign-out or expiry even when nothing is published). Returns how many.
  int Revalidate();
  size_t subscribers() const;

 private:
  struct Subscriber {
    uint64_t id = 0;
    std::string user_id;
    std::shared_ptr<Deliver> deliver;
    Stands stands;
    Close close;
  };
  // Drops `s` and closes its connection.
  void Drop(const Subscriber& s, const std::string& reason);
  // Delivers to this process's subscribers (Publish without the relay).
  int DeliverHere(const LiveEvent& event);
  Authorise authorise_;
  Record record_;
  Relay relay_;
  mutable std::mutex mutex_;
  uint64_t next_id_ = 1;
  std::map<uint64_t, Subscriber> subscribers_;
};

}  // namespace kith::app
