// The auditors' API (issue 14), thin handlers over app::AuditService:
//   GET  /api/v1/audit/actions                 → {"actions":[{action, label, kind}]} (signed-in staff)
//   GET  /api/v1/audit/records?child_id&user_id&from&to&before&limit
//                                               → {"records":[AuditRecord + names], "next": cursor|null}
//   GET  /api/v1/audit/export?child_id&user_id&from&to   → text/csv (attachment), streamed a page
//                                                          at a time (chunked), without limit
//   POST /api/v1/audit/children/find {name, date_of_birth?} → {"children":[…]}
//   POST /api/v1/audit/users/find {name}                  → {"users":[…]}
//   GET  /api/v1/audit/misuse?from&to&include_reviewed      → {"flags":[…]} (the misuse report)
//   GET  /api/v1/audit/misuse/{flag_id}                     → flag + {"records":[…]}
//   POST /api/v1/audit/misuse/{flag_id}/review {note}       → flag
//   POST /api/v1/audit/misuse/runs {from, to}               → {records, flags, new_flags, seconds}
//   PUT  /api/v1/users/{id}/home {address, postcode, other_surnames} → the home (administrators)
// Names travel in bodies, never in the address (SECURITY.md); ids and dates may. CSV cells that a
// spreadsheet would run as a formula are prefixed with an apostrophe. See docs/openapi.yaml.
// Thread safety: the handlers are safe from any thread once registered.
#pragma once

#include <string>
#include <vector>

#include "app/audit_service.h"
#include "app/auth_service.h"
#include "app/misuse_service.h"
#include "http/api.h"
#include "http/router.h"

namespace kith::http {

struct AuditApiServices {
  app::AuthService& auth;
  app::AuditService& audit;
  app::MisuseService& misuse;
};

void RegisterAuditApi(Router& router, AuditApiServices services, ApiOptions options);

// The export's CSV (RFC 4180, CRLF line ends): its header row, then each record's row appended
// to `out`, as the export sends them.
std::string AuditCsvHeader();
void AppendAuditCsv(const std::vector<app::AuditRecordView>& records, std::string& out);

}  // namespace kith::http
