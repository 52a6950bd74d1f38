// The catalogue of audit actions: every `action` the server writes to the audit log, with the
// words the auditors' pages show for it and what kind of act it is. One list, used by the server
// (the misuse report counts views and searches by kind), served to the web application
// (GET /api/v1/audit/actions) so that its labels always match, and checked by the functional
// tests (every action written in any test is in it).
// Pure data; safe from any thread.
#pragma once

#include <span>
#include <string_view>

namespace kith::domain {

enum class AuditActionKind {
  kView,            // reading a child's record or case content (signposting included)
  kSearch,          // searching the child index
  kChange,          // changing a child's record, case content or team
  kSignIn,          // signing in and out, second factors
  kOwn,             // the caller's own caseload, feed and alerts
  kAdministration,  // people, agencies, authorities, the index's imports, reviews and merges
  kFamily,          // acts of family members in the family portal
  kAudit,           // looking at the audit trail, the misuse report, checkpoints
  kSystem,          // the server's own acts
};

std::string_view ToString(AuditActionKind kind);

struct AuditAction {
  std::string_view name;   // as in the audit record, "child.read"
  std::string_view label;  // what the auditors' pages say, "Opened the child's account"
  AuditActionKind kind;
};

// Every action, in name order.
std::span<const AuditAction> AuditActions();

// The catalogue entry for `name`, or null.
const AuditAction* FindAuditAction(std::string_view name);

}  // namespace kith::domain
