// The early help API (issue 7) under /api/v1/children/{id}/early-help: thin handlers over
// app::EarlyHelpService. See docs/openapi.yaml (tag "Early help") and docs/early-help.md.
// Thread safety: handlers are safe from any thread once registered.
#pragma once

#include <nlohmann/json.hpp>

#include "app/auth_service.h"
#include "app/early_help_service.h"
#include "http/api.h"
#include "http/router.h"

namespace kith::http {

struct EarlyHelpApiServices {
  app::AuthService& auth;
  app::EarlyHelpService& early_help;
};

// The content of a version (schema EarlyHelpContent); also used by the family portal's view.
nlohmann::json EarlyHelpContentJson(const domain::early_help::Content& content);
// The whole assessment (schema EarlyHelpAssessment); also used by the subject-access export.
nlohmann::json EarlyHelpAssessmentJson(const app::AssessmentView& view);

void RegisterEarlyHelpApi(Router& router, EarlyHelpApiServices services, ApiOptions options);

}  // namespace kith::http
