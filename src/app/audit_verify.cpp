#include "app/audit_verify.h"

#include "domain/audit.h"

namespace kith::app {

ChainReport VerifyAuditChain(storage::Store& store, const std::function<void(int64_t)>& progress) {
  constexpr int kPage = 5000;
  ChainReport report;
  std::string prev_hash(domain::kGenesisHash);
  int64_t expected_seq = 1;
  for (;;) {
    auto page = store.ReadValue([&](storage::Repositories& r) { return r.Audit().Range(expected_seq - 1, kPage); });
    for (const auto& rec : page) {
      auto fail = [&](std::string problem) {
        report.ok = false;
        report.first_broken_seq = rec.seq;
        report.problem = std::move(problem);
      };
      if (rec.seq != expected_seq) {
        fail("records " + std::to_string(expected_seq) + " to " + std::to_string(rec.seq - 1) + " are missing");
      } else if (rec.prev_hash != prev_hash) {
        fail("it does not follow the record before it (prev_hash differs)");
      } else if (rec.hash != domain::ComputeAuditHash(rec)) {
        fail("its contents were changed after it was written (hash differs)");
      }
      if (!report.ok) return report;
      prev_hash = rec.hash;
      ++expected_seq;
      ++report.checked;
    }
    report.head_hash = prev_hash;
    if (progress) progress(report.checked);
    if (static_cast<int>(page.size()) < kPage) return report;
  }
}

}  // namespace kith::app
