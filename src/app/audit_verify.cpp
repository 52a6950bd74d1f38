#include "app/audit_verify.h"

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "domain/audit.h"

namespace kith::app {
namespace {

using domain::AuditCheckpoint;

std::string N(int64_t n) { return std::to_string(n); }

// A checkpoint of the archive as the verifier sees it.
struct Held {
  std::string file;
  std::optional<AuditCheckpoint> checkpoint;  // when well formed
};

std::string Describe(const AuditCheckpoint& c) {
  return "checkpoint " + N(c.number) + " (signed " + domain::FormatMicrosUtc(c.issued_at) + ")";
}

// Reads and checks the archive on its own: format, signature, trusted key, numbering, links.
std::map<int64_t, Held> CheckArchive(const AuditVerifyOptions& o, ChainReport& report) {
  std::map<int64_t, Held> held;
  if (!o.checkpoints) return held;
  const auto numbers = o.checkpoints->Numbers();
  if (!numbers.empty() && o.trusted_keys.empty()) {
    report.problems.push_back("There is no public key to check the checkpoints in " + o.checkpoints->Describe() +
                              " against; give the exported key (kith audit public-key).");
  }
  int64_t expected = 1;
  const Held* before = nullptr;
  for (int64_t n : numbers) {
    Held h;
    auto file = o.checkpoints->Read(n);
    if (!file) {
      report.problems.push_back("Checkpoint " + N(n) + " in " + o.checkpoints->Describe() + " cannot be read.");
      continue;
    }
    h.file = std::move(*file);
    if (n != expected) {
      report.problems.push_back(n - 1 == expected ? "Checkpoint " + N(expected) + " is missing from " +
                                                        o.checkpoints->Describe() + "."
                                                  : "Checkpoints " + N(expected) + " to " + N(n - 1) +
                                                        " are missing from " + o.checkpoints->Describe() + ".");
      before = nullptr;
    }
    expected = n + 1;
    auto parsed = domain::ParseCheckpoint(h.file);
    if (!parsed) {
      report.problems.push_back("Checkpoint " + N(n) + " is not a valid checkpoint: " + parsed.error().message);
    } else if (parsed->number != n) {
      report.problems.push_back("The file of checkpoint " + N(n) + " holds checkpoint " + N(parsed->number) + ".");
    } else if (!domain::CheckpointSignatureValid(*parsed)) {
      report.problems.push_back(Describe(*parsed) + " does not match its signature: it was altered.");
    } else if (!o.trusted_keys.empty() &&
               std::find(o.trusted_keys.begin(), o.trusted_keys.end(), parsed->key) == o.trusted_keys.end()) {
      report.problems.push_back(Describe(*parsed) + " is signed by a key that is not trusted (" +
                                domain::FormatPublicKey(parsed->key) + ").");
    } else {
      // Without trusted keys (reported once above) the contents are still compared with the log.
      const std::string expected_previous =
          n == 1 ? std::string(domain::kGenesisHash) : before ? domain::CheckpointFileHash(before->file) : "";
      if (!expected_previous.empty() && parsed->previous != expected_previous) {
        report.problems.push_back(Describe(*parsed) + " does not follow checkpoint " + N(n - 1) +
                                  " (its \"previous\" differs): a checkpoint was replaced or removed.");
      }
      if (before && before->checkpoint) {
        for (const auto& head : parsed->chains) {
          for (const auto& old : before->checkpoint->chains) {
            if (old.chain == head.chain && old.seq > head.seq) {
              report.problems.push_back(Describe(*parsed) + " vouches for fewer records of chain " + N(head.chain) +
                                        " than checkpoint " + N(n - 1) + ".");
            }
          }
        }
      }
      h.checkpoint = *parsed;
      if (!o.trusted_keys.empty()) {
        ++report.checkpoints_valid;
        report.newest_checkpoint = *parsed;
      }
    }
    before = &(held[n] = std::move(h));
  }
  return held;
}

}  // namespace

ChainReport VerifyAuditChain(storage::Store& store, const AuditVerifyOptions& o) {
  constexpr int kPage = 5000;
  ChainReport report;
  auto held = CheckArchive(o, report);

  // What each checkpoint says each chain held at a sequence number.
  struct Vouched {
    const AuditCheckpoint* checkpoint;
    std::string hash;
  };
  std::map<int64_t, std::multimap<int64_t, Vouched>> vouched;  // chain -> seq -> vouched
  for (const auto& [n, h] : held) {
    if (!h.checkpoint) continue;
    for (const auto& head : h.checkpoint->chains) {
      vouched[head.chain].emplace(head.seq, Vouched{&*h.checkpoint, head.hash});
    }
  }
  // Checkpoints the log says were made, with the hash of their files.
  struct Recorded {
    int64_t chain;
    int64_t seq;
    std::string file_sha256;
  };
  std::map<int64_t, Recorded> recorded;  // by checkpoint number

  // Every chain the log has, and every chain a checkpoint names (a chain removed whole is one
  // the log no longer has).
  std::set<int64_t> chains;
  for (const auto& head : store.ReadValue([](storage::Repositories& r) { return r.Audit().Heads(); })) {
    chains.insert(head.chain);
  }
  for (const auto& entry : vouched) chains.insert(entry.first);

  for (const int64_t chain : chains) {
    const std::string of_chain = " of chain " + N(chain);
    std::string prev_hash(domain::kGenesisHash);
    int64_t expected_seq = 1;
    int64_t last_good_checkpoint_seq = 0;
    const auto& vouched_here = vouched[chain];
    auto broken = [&](int64_t seq, std::string problem) {
      if (report.first_broken_seq == 0) {
        report.first_broken_chain = chain;
        report.first_broken_seq = seq;
      }
      report.problems.push_back(std::move(problem));
    };
    for (;;) {
      auto page = store.ReadValue(
          [&](storage::Repositories& r) { return r.Audit().Range(chain, expected_seq - 1, kPage); });
      for (const auto& rec : page) {
        const std::string record = "Record " + N(rec.seq) + of_chain;
        if (rec.seq != expected_seq) {
          broken(rec.seq, "Records " + N(expected_seq) + " to " + N(rec.seq - 1) + of_chain + " are missing.");
        } else if (rec.prev_hash != prev_hash) {
          broken(rec.seq, record + " does not follow the record before it (prev_hash differs).");
        } else if (rec.hash != domain::ComputeAuditHash(rec)) {
          broken(rec.seq, record + "'s contents were changed after it was written (hash differs).");
        }
        for (auto [it, end] = vouched_here.equal_range(rec.seq); it != end; ++it) {
          if (rec.hash == it->second.hash) {
            last_good_checkpoint_seq = rec.seq;
          } else {
            broken(rec.seq, record + " is not the record " + Describe(*it->second.checkpoint) +
                                " vouches for: a record after " +
                                (last_good_checkpoint_seq ? "record " + N(last_good_checkpoint_seq) : "the start") +
                                " and up to record " + N(rec.seq) + of_chain +
                                " was changed, removed or inserted, and the later hashes recomputed.");
          }
        }
        if (rec.action == "audit.checkpoint") {
          auto detail = nlohmann::json::parse(rec.detail, nullptr, false);
          if (detail.is_object() && detail.contains("number") && detail["number"].is_number_integer() &&
              detail.contains("file_sha256") && detail["file_sha256"].is_string()) {
            const int64_t number = detail["number"].get<int64_t>();
            if (const auto before = recorded.find(number); before != recorded.end()) {
              // Two checkpointers numbered alike (docs/adr/0019-one-audit-checkpointer-per-cluster.md).
              report.problems.push_back("Checkpoint " + N(number) + " was made twice: at record " +
                                        N(before->second.seq) + " of chain " + N(before->second.chain) + " and at " +
                                        N(rec.seq) + of_chain + " of the log.");
            }
            recorded[number] = {chain, rec.seq, detail["file_sha256"].get<std::string>()};
          } else {
            broken(rec.seq, record + " is an audit.checkpoint record without its number and file hash.");
          }
        }
        prev_hash = rec.hash;
        expected_seq = rec.seq + 1;
        ++report.checked;
      }
      if (o.progress) o.progress(report.checked);
      if (static_cast<int>(page.size()) < kPage) break;
    }
    const int64_t last_seq = expected_seq - 1;
    if (last_seq > 0) report.heads.push_back({chain, last_seq, prev_hash});
    for (auto it = vouched_here.upper_bound(last_seq); it != vouched_here.end(); ++it) {
      broken(last_seq + 1, last_seq == 0 ? "Chain " + N(chain) + " is gone but " + Describe(*it->second.checkpoint) +
                                               " vouches for its records 1 to " + N(it->first) + ": they were removed."
                                         : "Chain " + N(chain) + " ends at record " + N(last_seq) + " but " +
                                               Describe(*it->second.checkpoint) + " vouches for record " +
                                               N(it->first) + ": records " + N(last_seq + 1) + " to " +
                                               N(it->first) + of_chain + " were removed.");
    }
  }
  if (o.checkpoints) {
    for (const auto& [number, what] : recorded) {
      const auto h = held.find(number);
      const std::string where = "record " + N(what.seq) + " of chain " + N(what.chain);
      if (h == held.end()) {
        report.problems.push_back("Checkpoint " + N(number) + ", made at " + where + " of the log, is missing from " +
                                  o.checkpoints->Describe() + ".");
      } else if (domain::CheckpointFileHash(h->second.file) != what.file_sha256) {
        report.problems.push_back("Checkpoint " + N(number) + " in " + o.checkpoints->Describe() +
                                  " is not the file recorded at " + where + " of the log.");
      }
    }
  }
  report.ok = report.problems.empty();
  return report;
}

}  // namespace kith::app
