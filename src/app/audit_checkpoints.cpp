#include "app/audit_checkpoints.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/log.h"
#include "domain/audit.h"

namespace kith::app {
namespace {

constexpr std::string_view kCheckpointAction = "audit.checkpoint";

}  // namespace

AuditCheckpointer::AuditCheckpointer(storage::Store& store, const Clock& clock, ed25519::SigningKey key,
                                     CheckpointArchive& archive, CheckpointPublisher* publisher, std::string holder)
    : store_(store),
      clock_(clock),
      key_(std::move(key)),
      archive_(archive),
      publisher_(publisher),
      holder_(std::move(holder)) {}

std::optional<domain::AuditCheckpoint> AuditCheckpointer::Checkpoint() {
  std::lock_guard lock(mutex_);
  // One checkpointer per cluster: the lease is renewed (or taken over from a dead holder) first.
  const TimePoint now = clock_.Now();
  bool leased = false;
  store_.Write([&](storage::Repositories& r) {
    leased = r.JobClaims().Lease(std::string(kCheckpointerLease), holder_, now, now - kCheckpointerLeaseStale);
    return true;
  });
  if (!leased) return std::nullopt;

  const auto numbers = archive_.Numbers();
  int64_t newest = numbers.empty() ? 0 : numbers.back();
  std::optional<std::string> newest_file;
  if (newest > 0) {
    newest_file = archive_.Read(newest);
    if (!newest_file) throw std::runtime_error("checkpoint " + std::to_string(newest) + " could not be read from " + archive_.Describe());
  }
  std::string previous = newest_file ? domain::CheckpointFileHash(*newest_file) : std::string(domain::kGenesisHash);
  // Another server may have signed since this one's newest (the nodes of a cluster keep archives
  // of their own): the log's record of the newest checkpoint continues the numbering and the
  // link, and this server signs at once, not knowing what that one vouched for (ADR 0019).
  bool continued = false;
  if (const auto logged = store_.ReadValue([](storage::Repositories& r) { return r.Audit().NewestCheckpointRecord(); })) {
    const auto detail = nlohmann::json::parse(logged->detail, nullptr, false);
    const int64_t number = detail.is_object() ? detail.value("number", int64_t{0}) : 0;
    const std::string hash = detail.is_object() ? detail.value("file_sha256", std::string()) : std::string();
    if (number > newest && !hash.empty()) {
      newest = number;
      previous = hash;
      newest_file.reset();
      continued = true;
    }
  }
  const auto newest_parsed =
      newest_file ? std::optional(domain::ParseCheckpoint(*newest_file)) : std::nullopt;
  const std::vector<domain::AuditChainHead>* vouched =
      newest_parsed && *newest_parsed ? &(*newest_parsed)->chains : nullptr;
  bool moved = continued;
  const auto heads = store_.ReadValue([&](storage::Repositories& r) {
    auto h = r.Audit().Heads();
    if (h.empty() || continued || (vouched && *vouched == h)) return h;  // nothing (new) to vouch for
    // The log has moved unless the only change is the newest checkpoint's own record, appended
    // after it was signed, at the head of one chain right after what the checkpoint vouched for.
    int own_records = 0;
    for (const auto& head : h) {
      std::optional<domain::AuditChainHead> before;
      if (vouched) {
        for (const auto& v : *vouched) {
          if (v.chain == head.chain) before = v;
        }
      }
      if (before && *before == head) continue;
      const bool own_record_only = [&] {
        if (newest == 0 || head.seq != (before ? before->seq : 0) + 1) return false;
        const auto last = r.Audit().Range(head.chain, head.seq - 1, 1);
        return last.size() == 1 && last[0].action == kCheckpointAction &&
               last[0].target_id == std::to_string(newest) &&
               last[0].prev_hash == (before ? before->hash : std::string(domain::kGenesisHash));
      }();
      if (!own_record_only) {
        moved = true;
        break;
      }
      ++own_records;
    }
    if (own_records > 1) moved = true;  // the checkpoint's record is in one chain only
    // A chain the checkpoint vouched for that is gone is a change too (verify will say more).
    if (vouched && !moved) {
      for (const auto& v : *vouched) {
        bool present = false;
        for (const auto& head : h) present = present || head.chain == v.chain;
        if (!present) moved = true;
      }
    }
    return h;
  });
  if (!moved) {
    PublishPending();
    return std::nullopt;
  }

  domain::AuditCheckpoint c;
  c.number = newest + 1;
  c.issued_at = clock_.Now();
  c.previous = previous;
  c.chains = heads;
  const std::string file = domain::SignCheckpoint(c, key_);
  archive_.Write(c.number, file);

  // The log remembers every checkpoint, so that removing one from the archive is seen too.
  domain::AuditRecord a;
  a.at = c.issued_at;
  a.actor_role = "system";
  a.action = std::string(kCheckpointAction);
  a.target_id = std::to_string(c.number);
  a.why = "signed audit checkpoint";
  a.detail = nlohmann::json{{"number", c.number}, {"file_sha256", domain::CheckpointFileHash(file)}}.dump();
  store_.Write([&](storage::Repositories& r) {
    r.Audit().Append(a);
    return true;
  });
  int64_t records = 0;
  for (const auto& head : c.chains) records += head.seq;
  log::Info("audit.checkpoint", {{"number", c.number}, {"chains", c.chains.size()}, {"records", records}});
  PublishPending();
  return c;
}

void AuditCheckpointer::Release() {
  std::lock_guard lock(mutex_);
  store_.Write([&](storage::Repositories& r) {
    r.JobClaims().Release(std::string(kCheckpointerLease), holder_);
    return true;
  });
}

void AuditCheckpointer::PublishPending() {
  if (!publisher_) return;
  const auto numbers = archive_.Numbers();
  for (int64_t n : numbers) {
    if (n <= archive_.PublishedThrough()) continue;
    const auto file = archive_.Read(n);
    if (!file) continue;
    if (auto sent = publisher_->Publish(n, *file); !sent) {
      log::Warn("audit.checkpoint_not_sent", {{"number", n}, {"reason", sent.error().message}});
      return;  // in order: the rest wait for this one
    }
    archive_.SetPublishedThrough(n);
  }
}

std::optional<std::string> AuditCheckpointer::CheckNewest() {
  const auto numbers = archive_.Numbers();
  if (numbers.empty()) return std::nullopt;
  const int64_t n = numbers.back();
  const auto file = archive_.Read(n);
  auto parsed = file ? domain::ParseCheckpoint(*file) : Result<domain::AuditCheckpoint>(Error::Invalid("", "unreadable"));
  if (!parsed) {
    return "checkpoint " + std::to_string(n) + " in " + archive_.Describe() + " is not a valid checkpoint (" +
           parsed.error().message + ")";
  }
  for (const auto& head : parsed->chains) {
    const auto record = store_.ReadValue(
        [&](storage::Repositories& r) { return r.Audit().Range(head.chain, head.seq - 1, 1); });
    const std::string which = "record " + std::to_string(head.seq) + " of chain " + std::to_string(head.chain);
    if (record.empty() || record[0].seq != head.seq) {
      return "the audit log no longer holds " + which + ", which checkpoint " + std::to_string(n) + " (" +
             domain::FormatMicrosUtc(parsed->issued_at) + ") vouches for: records were removed";
    }
    if (record[0].hash != head.hash) {
      return which + " is not the record checkpoint " + std::to_string(n) + " (" +
             domain::FormatMicrosUtc(parsed->issued_at) + ") vouches for: the audit log was changed";
    }
  }
  return std::nullopt;
}

}  // namespace kith::app
