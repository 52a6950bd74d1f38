// The JSON API under /api/v1: thin handlers that authenticate, decode, call one use case and
// encode. Routes are registered on a Router by RegisterApi; see docs/openapi.yaml.
#pragma once

#include "app/admin_service.h"
#include "app/auth_service.h"
#include "app/child_service.h"
#include "http/router.h"

namespace kith::http {

struct ApiOptions {
  // Behind TLS the cookie is "__Host-kith" with Secure; on plain HTTP (development, tests)
  // browsers refuse __Host- cookies, so it is "kith_session" without Secure.
  bool secure_cookies = false;
  int session_cookie_max_age_seconds = 12 * 3600;
};

struct Services {
  app::AuthService& auth;
  app::ChildService& children;
  app::AdminService& admin;
};

void RegisterApi(Router& router, Services services, ApiOptions options);

}  // namespace kith::http
