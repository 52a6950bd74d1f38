// An authority node's side of the hub: keeps the hub holding exactly the tokens of the node's
// children. Reconcile() compares every child of the authority (its identity: names, date of
// birth, sex, postcode, NHS number, UPN) with what the node last published, and queues a change
// for each child created or changed (its tokens) and each child gone (merged away, or no longer
// held);
// Flush() sends the queue in order, in batches, and forgets what the hub acknowledged. The
// queue and what was published live in the node's journal (its own SQLite file beside the
// database), so a node or hub that was down catches up: after a failure Flush asks the hub where
// it stands (GET /hub/v1/cursor) and resends from there.
// Thread safety: Reconcile and Flush serialise on an internal mutex; call them from one
// background thread (the composition root's) or from tests.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "hub/hub_store.h"
#include "pprl/encoder.h"
#include "storage/store.h"

namespace kith::hub {

// The wire to the hub, signed as the node's authority (an HTTP implementation in hub_client.h;
// tests use a fake).
class HubChannel {
 public:
  virtual ~HubChannel() = default;
  // Sends changes; the hub's last applied sequence, kConflict when the hub expects another
  // sequence, or another error when the hub cannot be reached or refuses.
  virtual Result<uint64_t> Publish(const std::string& encoding, const std::vector<HubChange>& changes) = 0;
  // The last sequence the hub holds of this authority.
  virtual Result<uint64_t> Cursor() = 0;
};

struct PublisherStats {
  size_t children = 0;        // seen by the last Reconcile
  size_t queued = 0;          // changes queued by the last Reconcile
  size_t pending = 0;         // changes not yet acknowledged by the hub
  uint64_t acknowledged = 0;  // the hub's last applied sequence, as last heard
};

class Publisher {
 public:
  // `journal_path`: the node's journal (created when missing). Throws StorageError when it
  // cannot be opened.
  Publisher(storage::Store& store, std::string authority_id, const pprl::Encoder& encoder, HubChannel& channel,
            const std::string& journal_path);
  ~Publisher();

  // Queues the changes since the last Reconcile. Returns how many it queued.
  size_t Reconcile();
  // Sends what is queued (at most `batch` changes a request). Ok when the queue is empty
  // afterwards; the channel's error otherwise (the queue is kept for the next Flush).
  Status Flush(size_t batch = 1000);
  PublisherStats Stats();

 private:
  struct Journal;
  storage::Store& store_;
  std::string authority_id_;
  const pprl::Encoder& encoder_;
  HubChannel& channel_;
  std::unique_ptr<Journal> journal_;
  std::mutex mutex_;
  PublisherStats stats_;
};

}  // namespace kith::hub
