// The API of access beyond the team's own (issue 14; docs/access.md, docs/openapi.yaml):
//   POST /api/v1/children/{id}/team {role, reason}
//        → 201 JoinRequest approved at once (the caller's agency is involved with the child), or
//          202 JoinRequest pending (the lead professional, the duty team or a manager decides)
//   GET  /api/v1/children/{id}/join-requests             → 200 {"requests":[JoinRequest]} (the team)
//   POST /api/v1/children/{id}/join-requests/{rid}/decision {approve, reason} → 200 JoinRequest
//   POST /api/v1/children/{id}/join-requests/{rid}/withdraw                  → 200 JoinRequest
//   GET  /api/v1/join-requests                           → 200 {"to_decide":[…], "mine":[…]}
//   POST /api/v1/children/{id}/team/leave {reason}       → 204
//   POST /api/v1/children/{id}/lead {user_id, reason}    → 200 ChildAccount
//   POST /api/v1/children/{id}/break-glass {reason_code, reason, duration_hours?, password | code}
//        → 201 BreakGlass (granted at once; audited; the lead and the managers alerted)
//   GET  /api/v1/break-glass                             → 200 {"break_glass":[BreakGlass]} (managers)
//   POST /api/v1/break-glass/{id}/review {justified, note, end?} → 200 BreakGlass
// Thin handlers over app::TeamService and app::BreakGlassService.
// Thread safety: handlers are safe from any thread once registered.
#pragma once

#include "app/auth_service.h"
#include "app/break_glass_service.h"
#include "app/child_service.h"
#include "app/team_service.h"
#include "http/api.h"
#include "http/router.h"

namespace kith::http {

struct AccessApiServices {
  app::AuthService& auth;
  app::ChildService& children;
  app::TeamService& team;
  app::BreakGlassService& break_glass;
};

void RegisterAccessApi(Router& router, AccessApiServices services, ApiOptions options);

}  // namespace kith::http
