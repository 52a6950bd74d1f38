// Managers' lookups (issue 15):
//   GET  /api/v1/me/caseload        → 200 {"workers":[{user_id, display_name, job_title,
//                                      children:[ChildSummary]}]}  the caller's workers and the
//                                      children the caller may see (managers; others 403)
// Thin handlers over app::CaseloadService. See docs/openapi.yaml. (Auditors find a child by
// name through POST /api/v1/audit/children/find: http/audit_api.h.)
// Thread safety: handlers are safe from any thread once registered.
#pragma once

#include "app/auth_service.h"
#include "app/caseload.h"
#include "http/api.h"
#include "http/router.h"

namespace kith::http {

struct OversightApiServices {
  app::AuthService& auth;
  app::CaseloadService& caseloads;
};

void RegisterOversightApi(Router& router, OversightApiServices services, ApiOptions options);

}  // namespace kith::http
