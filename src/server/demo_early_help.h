// Demo content of the early help assessment (issue 7): Amira Begum's assessment, led by her
// school's designated safeguarding lead, in progress — completed and locked, two Team Around
// the Child meetings, an action plan with one action overdue, and a review. Written straight to
// storage through the domain's workflow, so it is a state the application could have reached.
// Deterministic: ids come from `rng`, dates from `now`.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/random.h"
#include "storage/store.h"

namespace kith::server {

// `user_id` maps a demo username to its id.
void CreateEarlyHelpDemo(storage::Store& store, Random& rng, TimePoint now, const std::string& amira_id,
                         const std::function<std::string(std::string_view)>& user_id);

}  // namespace kith::server
