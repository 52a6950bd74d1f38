#include "app/live_hub.h"

#include <vector>

namespace kith::app {

uint64_t LiveHub::Subscribe(std::string user_id, Deliver deliver) {
  std::lock_guard lock(mutex_);
  const uint64_t id = next_id_++;
  subscribers_.emplace(id, Subscriber{std::move(user_id), std::make_shared<Deliver>(std::move(deliver))});
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

int LiveHub::Publish(const LiveEvent& event) {
  // Copy the list so that authorisation (a database read) runs without the hub's lock.
  std::vector<Subscriber> targets;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, s] : subscribers_) {
      if (event.recipient_id.empty() || event.recipient_id == s.user_id) targets.push_back(s);
    }
  }
  std::map<std::string, bool> allowed;  // one decision per user per message
  int sent = 0;
  for (const auto& s : targets) {
    auto [it, fresh] = allowed.try_emplace(s.user_id, false);
    if (fresh) it->second = authorise_(s.user_id, event);
    if (!it->second) continue;
    (*s.deliver)(event);
    ++sent;
  }
  return sent;
}

}  // namespace kith::app
