// Background sweeps led by one server of the cluster (issue 16): overdue early-help actions,
// join-request escalations, expired idempotency keys, agencies that stopped seeing a child. Every
// server offers to sweep once a minute; the database gives the work to one of them by a lease
// (JobClaimRepository::Lease, job kSweeperLease), as it does the audit checkpointer (ADR 0019).
// A lease not renewed for kSweeperLeaseStale (its holder died or stalled) passes to the next
// server that offers; a server stopping cleanly releases it, and the next takes it at once.
//
// Each sweep decides every item inside its own serialisable write (re-reading whether it was done
// already), so a sweep run twice — by a server that lost its lease while sweeping, or by a read
// that sweeps too — still alerts once; the lease keeps the cluster from repeating the work.
//
// Thread safety: Tick and Release may be called from any thread, one at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "storage/store.h"

namespace kith::app {

inline constexpr std::string_view kSweeperLease = "background.sweeps";
inline constexpr std::chrono::minutes kSweeperLeaseStale{3};

struct Sweep {
  std::string name;             // for the log ("early_help.overdue")
  std::function<int64_t()> run;  // returns how many items it handled
};

class Sweeper {
 public:
  Sweeper(storage::Store& store, const Clock& clock, std::string holder, std::vector<Sweep> sweeps);

  // Renews or takes the lease; if this server holds it, runs every sweep (one failing is logged
  // and the others still run). Returns whether this server led. Throws StorageError if the lease
  // could not be read (the database away): nothing was swept.
  bool Tick();

  // Gives up the lease (a clean stop). Throws StorageError if the database is away (the lease
  // then passes on after kSweeperLeaseStale).
  void Release();

 private:
  storage::Store& store_;
  const Clock& clock_;
  const std::string holder_;
  const std::vector<Sweep> sweeps_;
};

}  // namespace kith::app
