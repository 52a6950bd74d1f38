// A manager's view of their workers' caseloads (issue 15): for each practitioner of the manager's
// agency, the children whose teams they are on. Only children whose accounts the manager may see
// are listed, decided child by child by the same access policy as opening the account
// (LoadChildAccess, domain::ChildAction::kViewAccount), so the list never shows more than the
// manager's access already allows, and follows that policy when it changes. One audit record per
// read, with the number of children listed (like a practitioner's own list).
// Thread safety: safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "app/child_service.h"
#include "app/context.h"
#include "app/principal.h"
#include "common/result.h"

namespace kith::app {

struct WorkerCaseload {
  std::string user_id;
  std::string display_name;
  std::string job_title;
  std::vector<ChildSummary> children;  // my_role and i_am_lead are the worker's
};

class CaseloadService {
 public:
  explicit CaseloadService(Context& context) : ctx_(context) {}

  // The caller's workers (practitioners of the caller's agency, the caller left out), by name,
  // each with the children the caller may see, by name. kForbidden unless the caller is a
  // manager.
  Result<std::vector<WorkerCaseload>> TeamCaseloads(const Principal& p);

 private:
  Context& ctx_;
};

}  // namespace kith::app
