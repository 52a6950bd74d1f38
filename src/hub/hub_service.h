// The hub's use cases, free of HTTP: an authority publishes changes to its children's tokens
// (durably stored, then filed in the index); an authority asks which authorities hold likely
// matches for an encoded record; an authority asks where its published changes stand (to catch
// up after the hub or the node was down). Authentication is decided before these are called
// (hub/signing.h); the authority passed in is the verified sender.
// Thread safety: every method is safe from any thread.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.h"
#include "hub/hub_store.h"
#include "hub/token_index.h"

namespace kith::hub {

struct HubMatch {
  std::string authority;  // the code of the authority holding the record
  std::string ref;        // that authority's opaque reference
  MatchBand band = MatchBand::kPossible;
};

class HubService {
 public:
  // Loads every held child from the store into the index. `authorities` are the codes the hub
  // trusts (its authorities file), in a fixed order.
  HubService(HubStore& store, std::vector<std::string> authorities, TokenIndexOptions options = {});

  // Stores and indexes an authority's changes. Fails with kInvalidInput when a change's
  // reference is empty or longer than 64 bytes or its tokens carry another encoding than the
  // hub holds, and with kConflict when it skips ahead of the next expected sequence (see
  // HubStore::Apply); nothing is applied then. Returns the authority's last applied sequence.
  Result<uint64_t> Publish(const std::string& authority, const std::string& encoding, std::vector<HubChange> changes);

  // Likely matches for an encoded record, strongest first. The asking authority's own records
  // are left out (its node searches its own children itself). kInvalidInput for another encoding.
  Result<std::vector<HubMatch>> Query(const std::string& authority, const std::string& encoding,
                                      const pprl::Tokens& tokens) const;

  uint64_t LastSeq(const std::string& authority) const;
  size_t Size() const { return index_.Size(); }

 private:
  Status CheckEncoding(const std::string& encoding, bool adopt) const;
  uint16_t Number(const std::string& authority) const;

  HubStore& store_;
  std::vector<std::string> authorities_;
  std::map<std::string, uint16_t> number_;
  TokenIndex index_;
  mutable std::mutex encoding_mutex_;
  mutable std::string encoding_;
};

}  // namespace kith::hub
