// Managers' and auditors' lookups (issue 15):
//   GET  /api/v1/me/caseload        → 200 {"workers":[{user_id, display_name, job_title,
//                                      children:[ChildSummary]}]}  the caller's workers and the
//                                      children the caller may see (managers; others 403)
//   POST /api/v1/audit/children/find {given_name?, family_name?, date_of_birth?}
//                                    → 200 {"children":[{child_id, given_names, family_name,
//                                      date_of_birth, score}]}  children of the auditor's
//                                      authority by name (auditors; others 403). A POST so that
//                                      names never travel in a URL.
// Thin handlers over app::CaseloadService and app::AuditFind. See docs/openapi.yaml.
// Thread safety: handlers are safe from any thread once registered.
#pragma once

#include "app/audit_find.h"
#include "app/auth_service.h"
#include "app/caseload.h"
#include "http/api.h"
#include "http/router.h"

namespace kith::http {

struct OversightApiServices {
  app::AuthService& auth;
  app::CaseloadService& caseloads;
  app::AuditFind& audit_find;
};

void RegisterOversightApi(Router& router, OversightApiServices services, ApiOptions options);

}  // namespace kith::http
