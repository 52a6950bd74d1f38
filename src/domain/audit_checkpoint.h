// Signed audit checkpoints: a statement, signed with Ed25519, of the hash the audit log's chain
// had reached at a moment. Kept outside the database (a directory and, optionally, an external
// endpoint), they let `kith audit verify` catch what the chain alone cannot: a record changed and
// every later hash recomputed, a record deleted and the rest renumbered, the newest records
// removed. Checkpoints are numbered 1, 2, 3 … and each names the hash of the one before, so a
// checkpoint removed from the sequence is seen as well.
//
// The file format is specified in docs/audit-format.md ("Checkpoints") so that anyone can write
// an independent verifier. A checkpoint names the head of every chain of the log (one line each,
// by chain number: docs/adr/0014-audit-chains-per-writer.md); SQLite's log has one, chain 0.
// Pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/ed25519.h"
#include "common/result.h"
#include "domain/audit.h"

namespace kith::domain {

struct AuditCheckpoint {
  int64_t number = 0;  // 1, 2, 3 …
  TimePoint issued_at;
  // SHA-256 (hex) of the whole file of checkpoint number - 1; 64 zeros for checkpoint 1.
  std::string previous;
  std::vector<AuditChainHead> chains;  // in chain order, at least one
  ed25519::PublicKey key{};            // who signed
  ed25519::Signature signature{};      // over CheckpointStatement()
};

// The bytes that are signed: every line of the file before the "signature" line.
std::string CheckpointStatement(const AuditCheckpoint& checkpoint);

// Fills in the key and signature and returns the checkpoint's file.
std::string SignCheckpoint(AuditCheckpoint& checkpoint, const ed25519::SigningKey& key);

// Reads a checkpoint file strictly (the exact lines, in order, nothing else). It does not check
// the signature: see CheckpointSignatureValid. kInvalidInput names what is wrong.
Result<AuditCheckpoint> ParseCheckpoint(std::string_view file);

// True if the checkpoint's signature is valid for its own key (whether that key is trusted is
// the verifier's question).
bool CheckpointSignatureValid(const AuditCheckpoint& checkpoint);

// What the next checkpoint's `previous` holds for this file.
std::string CheckpointFileHash(std::string_view file);

// A public key as one line of text, "ed25519 <base64>", as `kith audit public-key` prints it and
// verifiers accept it.
std::string FormatPublicKey(const ed25519::PublicKey& key);
std::optional<ed25519::PublicKey> ParsePublicKey(std::string_view text);

// RFC 3339 in UTC with microseconds, "2026-12-04T10:15:00.123456Z": the checkpoint's time.
std::string FormatMicrosUtc(TimePoint t);
std::optional<TimePoint> ParseMicrosUtc(std::string_view text);

}  // namespace kith::domain
