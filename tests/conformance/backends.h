// The storage back ends the conformance suite runs against. Adding a back end means adding one
// entry to Backends() in backends.cpp; the suite itself does not change.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "storage/store.h"

namespace kith::conformance {

struct Backend {
  std::string name;
  // Opens a fresh, empty, migrated store whose files (if any) live under `dir`.
  std::function<std::unique_ptr<storage::Store>(const std::string& dir)> open;
  // Opens the same store again (as after a restart), or null if the back end cannot.
  std::function<std::unique_ptr<storage::Store>(const std::string& dir)> reopen;
};

std::vector<Backend> Backends();

// Names the back end in test output.
inline void PrintTo(const Backend& backend, std::ostream* os) { *os << backend.name; }

}  // namespace kith::conformance
