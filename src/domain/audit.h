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
#include <vector>

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
  // Children the act found without opening their records: the children a search returned, in
  // order. Stored and indexed beside child_id, so that "who searched for this child" is answered.
  std::vector<std::string> found_children;
  std::string prev_hash;  // hash of record seq-1 of the same chain; kGenesisHash for the first
  std::string hash;       // ComputeAuditHash of this record
};

// The newest record of one chain of the log: what `kith audit head` prints and a checkpoint signs.
struct AuditChainHead {
  int64_t chain = 0;
  int64_t seq = 0;
  std::string hash;  // 64 lower-case hex digits

  bool operator==(const AuditChainHead&) const = default;
};

// Where one record is in the log: its chain and its seq within the chain (together unique).
struct AuditRef {
  int64_t chain = 0;
  int64_t seq = 0;

  bool operator==(const AuditRef&) const = default;
};
inline AuditRef RefOf(const AuditRecord& record) { return {record.chain, record.seq}; }

// The prev_hash of record 1.
inline constexpr std::string_view kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

// SHA-256 (hex) over an unambiguous encoding of every field but `chain` and `hash`, including
// prev_hash (docs/audit-format.md). The chain number is not hashed: a record's place is fixed by
// its link to the one before it, so moving it to another chain breaks both chains; and the hashes
// of logs written before there were several chains stay valid.
std::string ComputeAuditHash(const AuditRecord& record);

// Makes `record` ready to be stored as record `seq` of chain `chain` after the record whose hash
// is `prev_hash`: every text field made valid UTF-8 (bytes that are not become "\xNN",
// utf8::Escape), then chain, seq, prev_hash and hash set. Every back end's AuditLog::Append seals through this one function, so
// an audit record never holds invalid UTF-8 and every back end hashes alike.
void SealAuditRecord(AuditRecord& record, int64_t chain, int64_t seq, std::string prev_hash);

}  // namespace kith::domain
