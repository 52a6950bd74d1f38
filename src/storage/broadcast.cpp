#include "storage/broadcast.h"

#include <vector>

namespace kith::storage {

class Subscribers::Handle final : public Subscription {
 public:
  Handle(Subscribers& owner, uint64_t id) : owner_(owner), id_(id) {}
  ~Handle() override { owner_.Remove(id_); }

 private:
  Subscribers& owner_;
  uint64_t id_;
};

std::unique_ptr<Subscription> Subscribers::Add(Listener listener) {
  std::lock_guard lock(mutex_);
  const uint64_t id = next_id_++;
  auto entry = std::make_shared<Entry>();
  entry->listener = std::move(listener);
  entries_[id] = std::move(entry);
  return std::make_unique<Handle>(*this, id);
}

void Subscribers::Remove(uint64_t id) {
  std::shared_ptr<Entry> entry;
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(id);
    if (it == entries_.end()) return;
    entry = std::move(it->second);
    entries_.erase(it);
  }
  std::lock_guard wait(entry->running);  // a delivery in progress ends first
  entry->removed = true;                 // and none begins after
}

void Subscribers::Deliver(std::string_view topic, std::string_view message) {
  std::vector<std::shared_ptr<Entry>> now;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, entry] : entries_) now.push_back(entry);
  }
  for (auto& entry : now) {
    std::lock_guard running(entry->running);
    if (!entry->removed) entry->listener(topic, message);
  }
}

}  // namespace kith::storage
