// In-process publish/subscribe for live updates (the WebSocket at /api/v1/live). Use cases
// publish what happened on a child; each subscriber (one signed-in user's connection) gets a
// message only if, at the moment of sending, the authorisation callback says that user may
// see that child's account — so leaving a team, being disabled or losing access stops
// messages at once, with no cache to invalidate. Knows nothing of JSON or sockets.
//
// Thread safety: all methods may be called from any thread. Deliver callbacks run on the
// publisher's thread, outside the hub's lock, and must not block (queue and return).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

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
  using Deliver = std::function<void(const LiveEvent&)>;

  explicit LiveHub(Authorise authorise) : authorise_(std::move(authorise)) {}

  // Registers a subscriber; returns its id for Unsubscribe.
  uint64_t Subscribe(std::string user_id, Deliver deliver);
  void Unsubscribe(uint64_t id);
  // Sends the event to every subscriber allowed to see the child (and, for an addressed event,
  // only to its recipient). Returns the number of deliveries.
  int Publish(const LiveEvent& event);
  size_t subscribers() const;

 private:
  struct Subscriber {
    std::string user_id;
    std::shared_ptr<Deliver> deliver;
  };
  Authorise authorise_;
  mutable std::mutex mutex_;
  uint64_t next_id_ = 1;
  std::map<uint64_t, Subscriber> subscribers_;
};

}  // namespace kith::app
