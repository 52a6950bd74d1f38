// The family portal's API (issue 5) under /api/v1 — thin handlers over app::FamilyService:
// invitations, family accounts, visibility and restriction review for the team
// (/children/{id}/family/..., /children/{id}/visibility/..., /children/{id}/restrictions...),
// the authority's settings (/authority/family-settings), the subject-access export
// (/children/{id}/subject-access), and the family's own pages (/family/...). See
// docs/openapi.yaml (tag "Family") and docs/family-portal.md.
// Thread safety: handlers are safe from any thread once registered.
#pragma once

#include <optional>

#include "app/auth_service.h"
#include "app/family_service.h"
#include "http/api.h"
#include "http/json_codec.h"
#include "http/router.h"

namespace kith::http {

struct FamilyApiServices {
  app::AuthService& auth;
  app::FamilyService& family;
};

void RegisterFamilyApi(Router& router, FamilyApiServices services, ApiOptions options);

// The "family_visibility" object of an entry or thread as the team sees it (null row: team
// only, nothing recorded).
json VisibilityJson(const std::optional<storage::VisibilityRow>& row);

// Reads "visibility", "restriction_reason" and "restriction_text" of a request body; nullopt
// when "visibility" is absent (the authority's default applies). Problems are noted on `in`.
std::optional<domain::VisibilityChoice> ReadVisibilityChoice(ObjectReader& in);

}  // namespace kith::http
