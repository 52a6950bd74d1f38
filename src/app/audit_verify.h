// Verifies the whole audit log (docs/audit-format.md), chain by chain (domain/audit.h): within
// each chain sequence numbers run 1, 2, 3 … without gaps, each record's prev_hash is the previous
// record's hash, each hash matches the record's contents — and, given an archive of signed
// checkpoints and the public keys to trust, the log against every checkpoint:
// - each checkpoint is well formed, signed by a trusted key, numbered 1, 2, 3 … without gaps
//   and names the hash of the one before (a removed or altered checkpoint is seen);
// - for every chain head a checkpoint vouches for, that record is still there with the same
//   hash (a record changed and the later hashes recomputed, or deleted and the rest renumbered,
//   is seen; so are records removed from the end of a chain up to a checkpoint, and a chain
//   removed whole);
// - every checkpoint the log says was made (`audit.checkpoint` records) is in the archive, with
//   the same file.
// Records after the newest checkpoint are protected by their chain alone until the next one.
// Thread safety: reads the store in consistent pages; safe from any thread. Records appended
// while it runs may or may not be checked; every record there was when it started is.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/audit_checkpoints.h"
#include "common/ed25519.h"
#include "domain/audit_checkpoint.h"
#include "storage/store.h"

namespace kith::app {

struct AuditVerifyOptions {
  // Checkpoints to check the log against; null: the chains alone.
  const CheckpointArchive* checkpoints = nullptr;
  // Keys whose signatures are believed. A checkpoint signed by any other key is a problem.
  std::vector<ed25519::PublicKey> trusted_keys;
  // Called now and then with the number of records checked so far.
  std::function<void(int64_t)> progress;
};

struct ChainReport {
  int64_t checked = 0;  // records read, over every chain
  bool ok = true;       // no problem of any kind
  // The first record whose chain is broken (chain, seq); first_broken_seq is 0 if none.
  int64_t first_broken_chain = 0;
  int64_t first_broken_seq = 0;
  // The last record read of each chain, in chain order (the heads when the chains are intact).
  std::vector<storage::AuditChainHead> heads;
  // Checkpoints found valid (well formed, trusted signature, in sequence) and the newest of them.
  int64_t checkpoints_valid = 0;
  std::optional<domain::AuditCheckpoint> newest_checkpoint;
  // Every problem found, in the order found, each a sentence saying what is wrong and where.
  std::vector<std::string> problems;
};

ChainReport VerifyAuditChain(storage::Store& store, const AuditVerifyOptions& options);

}  // namespace kith::app
