#include "app/live_hub.h"

namespace kith::app {

uint64_t LiveHub::Subscribe(std::string user_id, Deliver deliver, Stands stands, Close close) {
  std::lock_guard lock(mutex_);
  const uint64_t id = next_id_++;
  subscribers_.emplace(id, Subscriber{id, std::move(user_id), std::make_shared<Deliver>(std::move(deliver)),
                                      std::move(stands), std::move(close)});
  return id;
}

void LiveHub::Unsubscribe(uint64_t id) {
  std::lock_guard lock(mutex_);
  subscribers_.erase(id);
}

size_t LiveHub::subscribers() const {
  std::lock_guard lock(mutex_);
  return subscribers_.size();
}

void LiveHub::Drop(const Subscriber& s, const std::string& reason) {
  Unsubscribe(s.id);
  if (s.close) s.close(reason);
}

int LiveHub::Publish(const LiveEvent& event) {
  const int delivered = DeliverHere(event);
  if (relay_) relay_(event);
  return delivered;
}

int LiveHub::DeliverHere(const LiveEvent& event) {
  // Copy the list so that the checks (database reads) run without the hub's lock.
  std::vector<Subscriber> targets;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, s] : subscribers_) {
      if (event.recipient_id.empty() || event.recipient_id == s.user_id) targets.push_back(s);
    }
  }
  std::map<std::string, bool> allowed;  // one decision per user per message
  std::vector<const Subscriber*> to;
  for (const auto& s : targets) {
    if (s.stands && !s.stands()) {
      Drop(s, "signed out");
      continue;
    }
    auto [it, fresh] = allowed.try_emplace(s.user_id, false);
    if (fresh) it->second = authorise_(s.user_id, event);
    if (it->second) to.push_back(&s);
  }
  if (to.empty()) return 0;
  if (record_) {
    std::vector<std::string> users;
    for (const auto& [user_id, yes] : allowed) {
      if (yes) users.push_back(user_id);
    }
    record_(event, users);
  }
  for (const auto* s : to) (*s->deliver)(event);
  return static_cast<int>(to.size());
}

int LiveHub::Revalidate() {
  std::vector<Subscriber> all;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, s] : subscribers_) all.push_back(s);
  }
  int dropped = 0;
  for (const auto& s : all) {
    if (s.stands && !s.stands()) {
      Drop(s, "signed out");
      ++dropped;
    }
  }
  return dropped;
}

}  // namespace kith::app
