#include "app/audit_verify.h"

#include "domain/audit.h"

namespace kith::app {
namespace {

// Checks one chain from its first record; false (with the report filled in) at the first fault.
bool VerifyChain(storage::Store& store, int64_t chain, ChainReport& report,
                 const std::function<void(int64_t)>& progress) {
  constexpr int kPage = 5000;
  std::string prev_hash(domain::kGenesisHash);
  int64_t expected_seq = 1;
  for (;;) {
    auto page =
        store.ReadValue([&](storage::Repositories& r) { return r.Audit().Range(chain, expected_seq - 1, kPage); });
    for (const auto& rec : page) {
      auto fail = [&](std::string problem) {
        report.ok = false;
        report.first_broken_chain = chain;
        report.first_broken_seq = rec.seq;
        report.problem = std::move(problem);
        return false;
      };
      if (rec.seq != expected_seq) {
        return fail("records " + std::to_string(expected_seq) + " to " + std::to_string(rec.seq - 1) +
                    " of its chain are missing");
      }
      if (rec.prev_hash != prev_hash) return fail("it does not follow the record before it (prev_hash differs)");
      if (rec.hash != domain::ComputeAuditHash(rec)) {
        return fail("its contents were changed after it was written (hash differs)");
      }
      prev_hash = rec.hash;
      ++expected_seq;
      ++report.checked;
    }
    if (progress) progress(report.checked);
    if (static_cast<int>(page.size()) < kPage) break;
  }
  if (expected_seq > 1) report.heads.push_back({chain, expected_seq - 1, prev_hash});
  return true;
}

}  // namespace

ChainReport VerifyAuditChain(storage::Store& store, const std::function<void(int64_t)>& progress) {
  ChainReport report;
  const auto heads = store.ReadValue([](storage::Repositories& r) { return r.Audit().Heads(); });
  for (const auto& head : heads) {
    if (!VerifyChain(store, head.chain, report, progress)) break;
  }
  return report;
}

}  // namespace kith::app
