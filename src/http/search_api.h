// The search API (issue 6): POST /api/v1/search
//   {given_name?, family_name?, date_of_birth?, age_from?, age_to?, postcode?, nhs_number?, upn?,
//    reason} → 200 {"results":[{child_id, given_names, family_name, date_of_birth,
//    postcode_district|null, score, shielded, on_my_team}], "truncated": bool}
// At most 20 results; reason required (10..500 characters); audited with its terms. A thin
// handler over app::SearchService. See docs/openapi.yaml.
// Thread safety: the handler is safe from any thread once registered.
#pragma once

#include "app/auth_service.h"
#include "app/search_service.h"
#include "http/api.h"
#include "http/router.h"

namespace kith::http {

struct SearchApiServices {
  app::AuthService& auth;
  app::SearchService& search;
};

void RegisterSearchApi(Router& router, SearchApiServices services, ApiOptions options);

}  // namespace kith::http
