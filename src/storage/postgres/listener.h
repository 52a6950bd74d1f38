// Hears the database's notifications (LISTEN kith) on a connection of its own, on a thread of
// its own, and hands each to the store's subscribers: how the nodes sharing a database tell
// each other what they did (Store::Broadcast). Reconnects by itself after a lost connection (a
// failover) and then tells the subscribers, with an empty topic, that messages may have been
// missed. Private to the back end.
//
// Thread safety: constructed and destroyed by one thread; the rest happens on its own thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "storage/broadcast.h"

namespace kith::storage::postgres {

// The channel every Kith process listens on.
inline constexpr std::string_view kChannel = "kith";

// Topic and message in one NOTIFY payload ("topic\nmessage"), and back.
std::string JoinPayload(std::string_view topic, std::string_view message);
std::pair<std::string_view, std::string_view> SplitPayload(std::string_view payload);

class Listener {
 public:
  Listener(std::string url, std::string application_name, Subscribers& subscribers);
  ~Listener();  // stops the thread

 private:
  void Run();

  std::string url_;
  std::string application_name_;
  Subscribers& subscribers_;
  std::mutex mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace kith::storage::postgres
