// The hub's durable storage: the tokens each authority has published per child, the change
// sequence applied per authority (so that a node resends from where the hub stopped), the
// nonces of signed requests (so that a restart does not reopen the replay window) and the
// refused requests. Nothing else: the hub holds no names, dates, addresses or identifiers.
// Thread safety: implementations serialise calls internally; safe from any thread. Every
// method that writes returns only once the write is durable.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "hub/signing.h"
#include "pprl/encoder.h"

namespace kith::hub {

// One change an authority publishes: a child's tokens created or changed (tokens set), or the
// child removed (merged away, or no longer held).
struct HubChange {
  uint64_t seq = 0;  // the authority's change sequence, from 1, consecutive
  std::string ref;   // the authority's opaque reference for the child
  std::optional<pprl::Tokens> tokens;
};

struct RefusedRequest {
  TimePoint at;
  std::string client;     // the peer's address
  std::string authority;  // as claimed (may be forged)
  std::string path;
  std::string reason;
};

class HubStore : public NonceLedger {
 public:
  // Applies an authority's changes in one transaction. Changes at or below the authority's last
  // applied sequence are skipped (a resend after a lost answer); a change beyond the next
  // expected one fails with kConflict naming the expected sequence, and nothing is applied.
  // Returns the changes newly applied (for the index) and the authority's new last sequence.
  struct Applied {
    std::vector<HubChange> applied;
    uint64_t last_seq = 0;
  };
  virtual Result<Applied> Apply(const std::string& authority, std::vector<HubChange> changes) = 0;
  virtual uint64_t LastSeq(const std::string& authority) = 0;
  // Calls fn for every child held, authority by authority.
  virtual void ForEachHeld(const std::function<void(const std::string& authority, const std::string& ref,
                                                    const pprl::Tokens& tokens)>& fn) = 0;
  // The encoding (scheme and key id) the hub holds tokens of; empty until the first is stored.
  virtual std::string Encoding() = 0;
  virtual void SetEncoding(const std::string& encoding) = 0;
  virtual void LogRefusal(const RefusedRequest& refused) = 0;
  virtual std::vector<RefusedRequest> Refusals(size_t limit) = 0;
};

// The SQLite back end: one file in WAL mode with synchronous=FULL (created, with its schema,
// when missing). Throws StorageError when the file cannot be opened.
std::unique_ptr<HubStore> OpenSqliteHubStore(const std::string& path);

}  // namespace kith::hub
