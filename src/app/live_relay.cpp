#include "app/live_relay.h"

#include <nlohmann/json.hpp>

#include "common/log.h"

namespace kith::app {

std::string EncodeLiveEvent(const LiveEvent& event, const std::string& node_id) {
  nlohmann::json j{{"node", node_id},
                   {"child_id", event.child_id},
                   {"what", event.what},
                   {"recipient_id", event.recipient_id},
                   {"family_visible", event.family_visible}};
  if (event.item) {
    const FeedItemView& i = *event.item;
    j["item"] = {{"id", i.id},
                 {"at", ToMicros(i.at)},
                 {"child_id", i.child_id},
                 {"child_name", i.child_name},
                 {"kind", i.kind},
                 {"summary", i.summary},
                 {"actor_name", i.actor_name},
                 {"significance", i.significance}};
  }
  std::string out = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (out.size() > storage::MessageBus::kMaxPayload && event.item) {
    j.erase("item");  // clients refetch the feed item
    out = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return out;
}

std::optional<std::pair<std::string, LiveEvent>> DecodeLiveEvent(const std::string& payload) {
  try {
    const auto j = nlohmann::json::parse(payload);
    LiveEvent e;
    e.child_id = j.at("child_id").get<std::string>();
    e.what = j.at("what").get<std::string>();
    e.recipient_id = j.at("recipient_id").get<std::string>();
    e.family_visible = j.at("family_visible").get<bool>();
    if (const auto it = j.find("item"); it != j.end()) {
      FeedItemView i;
      i.id = it->at("id").get<std::string>();
      i.at = FromMicros(it->at("at").get<int64_t>());
      i.child_id = it->at("child_id").get<std::string>();
      i.child_name = it->at("child_name").get<std::string>();
      i.kind = it->at("kind").get<std::string>();
      i.summary = it->at("summary").get<std::string>();
      i.actor_name = it->at("actor_name").get<std::string>();
      i.significance = it->at("significance").get<std::string>();
      e.item = std::move(i);
    }
    return std::pair{j.at("node").get<std::string>(), std::move(e)};
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

void LiveRelay::Send(const LiveEvent& event) {
  try {
    bus_->Send(EncodeLiveEvent(event, node_id_));
  } catch (const std::exception& e) {
    log::Warn("live.relay_failed", {{"child_id", event.child_id}, {"reason", e.what()}});
  }
}

void LiveRelay::Start() {
  bus_->Listen([this](const std::string& payload) {
    auto decoded = DecodeLiveEvent(payload);
    if (!decoded) {
      log::Warn("live.relay_unreadable", {{"bytes", payload.size()}});
      return;
    }
    if (decoded->first == node_id_) return;  // published here, delivered here already
    try {
      hub_.DeliverRelayed(decoded->second);
    } catch (const std::exception& e) {
      log::Error("live.relay_delivery_failed", {{"child_id", decoded->second.child_id}, {"reason", e.what()}});
    }
  });
  hub_.SetRelay([this](const LiveEvent& event) { Send(event); });
}

}  // namespace kith::app
