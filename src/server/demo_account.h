// Demo content of the children's accounts: chronologies, forum threads, relationships wheels,
// feed items and alerts for the demo children with rich multi-agency pictures — above all Leo
// Carter (about 60 contacts from many agencies over 8 months, rising; missed health
// appointments; A&E attendances; police call-outs; a new adult in the household nobody has
// checked). Written straight to storage; the caller rebuilds the word statistics afterwards
// (app::WordIndex::Rebuild). Deterministic: ids come from `rng`, dates from `now`.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/random.h"
#include "storage/store.h"

namespace kith::server {

struct DemoChildren {
  std::string leo, amira, yusuf, kayden, ruby;
};

// Returns the number of chronology entries written. `user_id` maps a demo username to its id.
int CreateAccountDemo(storage::Store& store, Random& rng, TimePoint now, const DemoChildren& children,
                      const std::function<std::string(std::string_view)>& user_id);

}  // namespace kith::server
