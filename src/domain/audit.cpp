#include "domain/audit.h"

#include "common/encoding.h"
#include "common/utf8.h"

namespace kith::domain {

std::string_view ToString(AuditOutcome outcome) {
  switch (outcome) {
    case AuditOutcome::kAllowed:
      return "allowed";
    case AuditOutcome::kDenied:
      return "denied";
    case AuditOutcome::kFailed:
      return "failed";
  }
  return "failed";
}

std::string ComputeAuditHash(const AuditRecord& r) {
  // Each field is length-prefixed, so no choice of field contents can make two different
  // records encode alike.
  std::string buf;
  auto add = [&buf](std::string_view field) {
    buf += std::to_string(field.size());
    buf += ':';
    buf += field;
  };
  add(std::to_string(r.seq));
  add(std::to_string(ToMicros(r.at)));
  add(r.actor_id);
  add(r.actor_role);
  add(r.authority_id);
  add(r.action);
  add(r.child_id);
  add(r.target_id);
  add(r.reason);
  add(ToString(r.outcome));
  add(r.why);
  add(r.detail);
  add(r.client);
  add(r.prev_hash);
  // Added with the field; a record without found children hashes as records always did.
  if (!r.found_children.empty()) {
    std::string list;
    for (const auto& id : r.found_children) {
      list += std::to_string(id.size());
      list += ':';
      list += id;
    }
    add(list);
  }
  return Sha256Hex(buf);
}

void SealAuditRecord(AuditRecord& r, int64_t chain, int64_t seq, std::string prev_hash) {
  for (std::string* field : {&r.actor_id, &r.actor_role, &r.authority_id, &r.action, &r.child_id, &r.target_id,
                             &r.reason, &r.why, &r.detail, &r.client}) {
    if (!utf8::IsValid(*field)) *field = utf8::Escape(*field);
  }
  for (auto& id : r.found_children) {
    if (!utf8::IsValid(id)) id = utf8::Escape(id);
  }
  r.chain = chain;
  r.seq = seq;
  r.prev_hash = std::move(prev_hash);
  r.hash = ComputeAuditHash(r);
}

}  // namespace kith::domain
