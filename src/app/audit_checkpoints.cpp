#include "app/audit_checkpoints.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/log.h"
#include "domain/audit.h"

namespace kith::app {
namespace {

constexpr std::string_view kCheckpointAction = "audit.checkpoint";

}  // namespace

std::vector<domain::AuditChainHead> ReadChainHeads(storage::Repositories& r) {
  const int64_t seq = r.Audit().LastSeq();
  std::string hash(domain::kGenesisHash);
  if (seq > 0) {
    auto last = r.Audit().Range(seq - 1, 1);
    if (last.empty()) throw storage::StorageError("the audit log's newest record could not be read");
    hash = last[0].hash;
  }
  return {{std::string(domain::kMainAuditChain), seq, hash}};
}

AuditCheckpointer::AuditCheckpointer(storage::Store& store, const Clock& clock, ed25519::SigningKey key,
                                     CheckpointArchive& archive, CheckpointPublisher* publisher)
    : store_(store), clock_(clock), key_(std::move(key)), archive_(archive), publisher_(publisher) {}

std::optional<domain::AuditCheckpoint> AuditCheckpointer::Checkpoint() {
  std::lock_guard lock(mutex_);
  const auto numbers = archive_.Numbers();
  const int64_t newest = numbers.empty() ? 0 : numbers.back();
  std::optional<std::string> newest_file;
  if (newest > 0) {
    newest_file = archive_.Read(newest);
    if (!newest_file) throw std::runtime_error("checkpoint " + std::to_string(newest) + " could not be read from " + archive_.Describe());
  }
  const auto newest_parsed =
      newest_file ? std::optional(domain::ParseCheckpoint(*newest_file)) : std::nullopt;
  bool moved = false;
  const auto heads = store_.ReadValue([&](storage::Repositories& r) {
    auto h = ReadChainHeads(r);
    if (h[0].seq == 0) return h;  // nothing to vouch for yet
    if (newest_parsed && *newest_parsed && (*newest_parsed)->chains == h) return h;
    // The checkpoint's own record, appended after it was signed, is not a move of the log.
    const auto last = r.Audit().Range(h[0].seq - 1, 1);
    moved = !(newest > 0 && last.size() == 1 && last[0].action == kCheckpointAction &&
              last[0].target_id == std::to_string(newest));
    return h;
  });
  if (!moved) {
    PublishPending();
    return std::nullopt;
  }

  domain::AuditCheckpoint c;
  c.number = newest + 1;
  c.issued_at = clock_.Now();
  c.previous = newest_file ? domain::CheckpointFileHash(*newest_file) : std::string(domain::kGenesisHash);
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
  log::Info("audit.checkpoint", {{"number", c.number}, {"seq", c.chains[0].seq}});
  PublishPending();
  return c;
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
    if (head.chain != domain::kMainAuditChain) {
      return "checkpoint " + std::to_string(n) + " names a chain \"" + head.chain + "\" this log does not have";
    }
    const auto record =
        head.seq == 0 ? std::vector<domain::AuditRecord>{}
                      : store_.ReadValue([&](storage::Repositories& r) { return r.Audit().Range(head.seq - 1, 1); });
    if (record.empty() || record[0].seq != head.seq) {
      return "the audit log no longer holds record " + std::to_string(head.seq) + ", which checkpoint " +
             std::to_string(n) + " (" + domain::FormatMicrosUtc(parsed->issued_at) +
             ") vouches for: records were removed";
    }
    if (record[0].hash != head.hash) {
      return "record " + std::to_string(head.seq) + " is not the record checkpoint " + std::to_string(n) + " (" +
             domain::FormatMicrosUtc(parsed->issued_at) + ") vouches for: the audit log was changed";
    }
  }
  return std::nullopt;
}

}  // namespace kith::app
