// The subscribers of a store's broadcasts (Store::Listen), and delivery to them: shared by the
// back ends, which differ only in how a message reaches this process (PostgreSQL: LISTEN/NOTIFY;
// SQLite: straight from Broadcast, there being one process).
//
// Thread safety: every method may be called from any thread. Listeners run on the delivering
// thread, outside the lock.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>

#include "storage/store.h"

namespace kith::storage {

class Subscribers {
 public:
  // Adds `listener`; it is removed when the returned subscription is destroyed (which waits for
  // a delivery to it in progress to end).
  std::unique_ptr<Subscription> Add(Listener listener);
  // Calls every listener with (topic, message).
  void Deliver(std::string_view topic, std::string_view message);

 private:
  struct Entry {
    Listener listener;
    std::mutex running;    // held while the listener runs, so that removing it waits
    bool removed = false;  // under `running`
  };
  class Handle;
  void Remove(uint64_t id);

  std::mutex mutex_;
  uint64_t next_id_ = 1;
  std::map<uint64_t, std::shared_ptr<Entry>> entries_;
};

}  // namespace kith::storage
