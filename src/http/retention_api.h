// Retention by rule for administrators of an authority (issue 18; docs/retention.md, ADR 0020):
//   GET  /api/v1/authorities/{id}/retention-rules     → 200 RetentionRules (stored, or the defaults
//                                                      with version 0)
//   PUT  /api/v1/authorities/{id}/retention-rules     {version, archive_age_years, ...every rule}
//                                                    → 200 RetentionRules; 409 when `version` is
//                                                      stale or the rules would purge a held child
//   GET  /api/v1/authorities/{id}/legal-holds         → 200 {"holds":[LegalHold]}  in force today
//   GET  /api/v1/authorities/{id}/retention-due?days= → 200 RetentionOutlook  what falls due from
//                                                      today to `days` ahead (90 by default)
//   POST /api/v1/children/{id}/legal-holds            {kind, reason, ends_on} → 201 LegalHold
//   POST /api/v1/legal-holds/{id}/release             {reason} → 200 LegalHold
// Thin handlers over app::RetentionAdmin. See docs/openapi.yaml.
// Thread safety: handlers are safe from any thread once registered.
#pragma once

#include "app/auth_service.h"
#include "app/retention_service.h"
#include "http/api.h"
#include "http/router.h"

namespace kith::http {

struct RetentionApiServices {
  app::AuthService& auth;
  app::RetentionAdmin& retention;
};

void RegisterRetentionApi(Router& router, RetentionApiServices services, ApiOptions options);

}  // namespace kith::http
