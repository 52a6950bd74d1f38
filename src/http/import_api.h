// Importing source feeds through the running server (issue 6), for index stewards:
//   POST /api/v1/index/imports?source=&filename=&last=true|false   body: text/csv, the file or
//        its first part (at most the server's body limit, 1 MiB)   → 202 ImportJob
//   POST /api/v1/index/imports/{id}/parts?offset=N&last=true|false body: text/csv, the next
//        part, starting at byte N of the file                       → 202 ImportJob
//   GET  /api/v1/index/imports                                      → 200 {"imports":[ImportJob]} (no bad_rows)
//   GET  /api/v1/index/imports/{id}?wait_seconds=0..30              → 200 ImportJob with its progress and bad
//        rows (with wait_seconds: once it has finished, or after that long)
// Thin handlers over app::ImportJobs. See docs/openapi.yaml and docs/linkage.md ("Importing").
// Thread safety: handlers are safe from any thread once registered.
#pragma once

#include "app/auth_service.h"
#include "app/import_jobs.h"
#include "http/api.h"
#include "http/router.h"

namespace kith::http {

struct ImportApiServices {
  app::AuthService& auth;
  app::ImportJobs& imports;
};

// At most this many bad rows are listed in one import's answer (bad_rows_total counts them all).
inline constexpr size_t kListedBadRows = 1000;

void RegisterImportApi(Router& router, ImportApiServices services, ApiOptions options);

}  // namespace kith::http
