#include "domain/audit.h"

#include "common/encoding.h"

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
  return Sha256Hex(buf);
}

}  // namespace kith::domain
