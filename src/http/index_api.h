// The national index's clerical review API (issue 6), for managers of the authority:
//   GET  /api/v1/index/reviews              → 200 {"reviews":[ReviewSummary]}  open items, oldest first
//   GET  /api/v1/index/reviews/{id}         → 200 ReviewDetail: the record under review and its
//                                              candidate children side by side with the evidence
//   POST /api/v1/index/reviews/{id}/decision {decision: "match"|"not_a_match", child_id?, reason}
//                                           → 200 ReviewDetail as decided
//   POST /api/v1/index/merges {survivor_id, merged_id, reason}      → 201 Merge
//   GET  /api/v1/index/merges/{id}                                   → 200 Merge
//   POST /api/v1/index/merges/{id}/undo {reason}                     → 200 Merge (un-merged)
// Thin handlers over app::ReviewService and app::MergeService. See docs/openapi.yaml and docs/linkage.md.
// Thread safety: handlers are safe from any thread once registered.
#pragma once

#include "app/auth_service.h"
#include "app/merge_service.h"
#include "app/review_service.h"
#include "http/api.h"
#include "http/router.h"

namespace kith::http {

struct IndexApiServices {
  app::AuthService& auth;
  app::ReviewService& reviews;
  app::MergeService& merges;
};

void RegisterIndexApi(Router& router, IndexApiServices services, ApiOptions options);

}  // namespace kith::http
