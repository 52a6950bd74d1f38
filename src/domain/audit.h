// The audit record: who did what to which child, acting as what, why, when and with what
// outcome. Records are append-only and hash-chained: each holds the hash of the previous record
// of its chain, so any change to a stored record, or a removal, breaks the chain from that point
// on. A log has one chain or several (one per database writer, so that writers never queue on a
// shared head: docs/adr/0014-audit-chains-per-writer.md); each chain runs 1, 2, 3, … on its own.
// Pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace kith::domain {

enum class AuditOutcome { kAllowed, kDenied, kFailed };
std::string_view ToString(AuditOutcome outcome);

struct AuditRecord {
  int64_t chain = 0;  // which chain of the log (0 when the log has one); assigned by the log
  int64_t seq = 0;    // 1, 2, 3, ... within the chain, assigned by the log
  TimePoint at;
  std::string actor_id;      // user id; empty for anonymous requests
  std::string actor_role;    // the actor's role at the time
  std::string authority_id;  // the actor's authority
  std::string action;        // "child.read", "team.join", "session.create", ...
  std::string child_id;      // the child concerned, if any
  std::string target_id;     // another record concerned (a user, an agency), if any
  std::string reason;        // the reason the actor stated, if any
  AuditOutcome outcome = AuditOutcome::kAllowed;
  std::string why;        // the access decision's explanation ("team member")
  std::string detail;     // a small JSON object (search terms, changed fields), or empty
  std::string client;     // the client address
  std::string prev_hash;  // hash of record seq-1 of the same chain; kGenesisHash for the first
  std::string hash;       // ComputeAuditHash of this record
};

// The prev_hash of record 1.
inline constexpr std::string_view kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

// SHA-256 (hex) over an unambiguous encoding of every field but `chain` and `hash`, including
// prev_hash. The chain number is not hashed: a record's place is fixed by its link to the one
// before it, so moving it to another chain breaks both chains; and the hashes of logs written
// before there were several chains stay valid.
std::string ComputeAuditHash(const AuditRecord& record);

}  // namespace kith::domain
