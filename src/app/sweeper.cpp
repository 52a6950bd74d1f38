#include "app/sweeper.h"

#include <exception>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/log.h"

namespace kith::app {

Sweeper::Sweeper(storage::Store& store, const Clock& clock, std::string holder, std::vector<Sweep> sweeps)
    : store_(store), clock_(clock), holder_(std::move(holder)), sweeps_(std::move(sweeps)) {}

bool Sweeper::Tick() {
  const TimePoint now = clock_.Now();
  bool leading = false;
  store_.Write([&](storage::Repositories& r) {
    leading = r.JobClaims().Lease(std::string(kSweeperLease), holder_, now, now - kSweeperLeaseStale);
    return true;
  });
  if (!leading) return false;
  for (const auto& sweep : sweeps_) {
    try {
      if (const int64_t n = sweep.run(); n > 0) log::Info("sweep.done", {{"sweep", sweep.name}, {"items", n}});
    } catch (const std::exception& e) {
      log::Error("sweep.failed", {{"sweep", sweep.name}, {"reason", e.what()}});
    }
  }
  return true;
}

void Sweeper::Release() {
  store_.Write([&](storage::Repositories& r) {
    r.JobClaims().Release(std::string(kSweeperLease), holder_);
    return true;
  });
}

}  // namespace kith::app
