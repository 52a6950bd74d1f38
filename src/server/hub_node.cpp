#include "server/hub_node.h"

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>

#include <nlohmann/json.hpp>

#include "common/log.h"
#include "hub/hub_client.h"
#include "hub/publisher.h"
#include "pprl/encoder.h"

namespace kith::server {

Result<std::optional<std::jthread>> StartHubPublishing(const Config& config, storage::Store& store, const Clock& clock,
                                                       Random& random) {
  if (config.hub_url.empty()) return std::optional<std::jthread>();
  auto key = hub::SigningKey::FromFile(config.hub_key_file);
  if (!key) return Error::Invalid("hub_key_file", key.error().message);
  auto secret = pprl::LinkageSecret::FromFile(config.linkage_secret_file);
  if (!secret) return Error::Invalid("linkage_secret_file", secret.error().message);
  auto owned_key = std::make_shared<hub::SigningKey>(*key);
  auto channel = hub::MakeHttpHubChannel(config.hub_url, *owned_key, clock, random);
  if (!channel) return channel.error();
  auto encoder = std::make_shared<pprl::Encoder>(*secret);
  auto publisher =
      std::make_shared<hub::Publisher>(store, config.hub_authority, *encoder, **channel,
                                       (std::filesystem::path(config.data_dir) / "hub-journal.db").string());
  std::shared_ptr<hub::HubChannel> shared_channel = std::move(*channel);
  const auto interval = std::chrono::seconds(config.hub_interval);
  log::Info("hub.publishing", {{"hub", config.hub_url},
                               {"authority", config.hub_authority},
                               {"as", owned_key->authority()},
                               {"encoding", encoder->Encoding()}});
  return std::optional<std::jthread>(
      std::jthread([&store, owned_key, shared_channel, encoder, publisher, interval](std::stop_token stop) {
        uint64_t seen_version = UINT64_MAX;
        std::mutex mutex;
        std::condition_variable_any wake;
        while (!stop.stop_requested()) {
          try {
            const uint64_t version = store.RecordsVersion();
            if (version != seen_version) {
              if (const size_t queued = publisher->Reconcile(); queued > 0)
                log::Info("hub.changes_queued", {{"changes", queued}});
              seen_version = version;
            }
            if (publisher->Stats().pending > 0) {
              if (auto sent = publisher->Flush(); !sent) {
                log::Warn("hub.publish_failed",
                          {{"reason", sent.error().message}, {"pending", publisher->Stats().pending}});
              } else {
                log::Info("hub.published", {{"acknowledged", publisher->Stats().acknowledged}});
              }
            }
          } catch (const std::exception& e) {
            log::Error("hub.publisher_failed", {{"reason", e.what()}});
          }
          std::unique_lock lock(mutex);
          wake.wait_for(lock, stop, interval, [] { return false; });
        }
      }));
}

}  // namespace kith::server
