// The shield override API (issue 6, docs/shielding.md):
//   POST /api/v1/children/{id}/shield-override {reason_code, reason, duration_hours?, password?}
//                                              → 201 ShieldOverride (granted at once; audited;
//                                                the authority's managers and the lead are alerted)
//   GET  /api/v1/shield-overrides              → 200 {"overrides":[ShieldOverride]}  the caller's
//                                                authority's overrides to review (managers)
//   POST /api/v1/shield-overrides/{id}/review {note, end?}
//                                              → 200 ShieldOverride reviewed (and ended if `end`)
// Thin handlers over app::ShieldService. See docs/openapi.yaml.
// Thread safety: handlers are safe from any thread once registered.
#pragma once

#include "app/auth_service.h"
#include "app/shield_service.h"
#include "http/api.h"
#include "http/router.h"

namespace kith::http {

struct ShieldApiServices {
  app::AuthService& auth;
  app::ShieldService& shield;
};

void RegisterShieldApi(Router& router, ShieldApiServices services, ApiOptions options);

}  // namespace kith::http
