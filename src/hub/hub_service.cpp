#include "hub/hub_service.h"

#include <fmt/format.h>

namespace kith::hub {

HubService::HubService(HubStore& store, std::vector<std::string> authorities, TokenIndexOptions options)
    : store_(store), authorities_(std::move(authorities)), index_(options) {
  for (size_t i = 0; i < authorities_.size(); ++i) number_[authorities_[i]] = static_cast<uint16_t>(i);
  encoding_ = store_.Encoding();
  store_.ForEachHeld([&](const std::string& authority, const std::string& ref, const pprl::Tokens& tokens) {
    const auto it = number_.find(authority);
    if (it != number_.end()) index_.Upsert(it->second, ref, tokens);  // a removed authority's stay stored only
  });
}

uint16_t HubService::Number(const std::string& authority) const { return number_.at(authority); }

Status HubService::CheckEncoding(const std::string& encoding, bool adopt) const {
  std::lock_guard lock(encoding_mutex_);
  if (encoding_.empty()) {
    if (!adopt) return Ok{};  // nothing held yet: nothing to match
    store_.SetEncoding(encoding);
    encoding_ = encoding;
  }
  if (encoding != encoding_) {
    return Error::Invalid("encoding", fmt::format("the hub holds tokens encoded as {}, not {}: encode with the "
                                                  "authorities' current linkage secret",
                                                  encoding_.empty() ? "nothing yet" : encoding_, encoding));
  }
  return Ok{};
}

Result<uint64_t> HubService::Publish(const std::string& authority, const std::string& encoding,
                                     std::vector<HubChange> changes) {
  bool has_tokens = false;
  for (const auto& c : changes) {
    if (c.ref.empty() || c.ref.size() > 64) {
      return Error::Invalid("ref", fmt::format("change {}: a reference is 1 to 64 bytes", c.seq));
    }
    has_tokens |= c.tokens.has_value();
  }
  if (has_tokens) {
    if (auto ok = CheckEncoding(encoding, true); !ok) return ok.error();
  }
  auto applied = store_.Apply(authority, std::move(changes));
  if (!applied) return applied.error();
  const uint16_t number = Number(authority);
  for (const auto& c : applied->applied) {
    if (c.tokens) {
      index_.Upsert(number, c.ref, *c.tokens);
    } else {
      index_.Remove(number, c.ref);
    }
  }
  return applied->last_seq;
}

Result<std::vector<HubMatch>> HubService::Query(const std::string& authority, const std::string& encoding,
                                                const pprl::Tokens& tokens) const {
  if (auto ok = CheckEncoding(encoding, false); !ok) return ok.error();
  const uint16_t own = Number(authority);
  std::vector<HubMatch> out;
  for (auto& m : index_.Query(tokens)) {
    if (m.authority == own) continue;
    out.push_back({authorities_[m.authority], std::move(m.ref), m.band});
  }
  return out;
}

uint64_t HubService::LastSeq(const std::string& authority) const { return store_.LastSeq(authority); }

}  // namespace kith::hub
