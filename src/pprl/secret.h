// The linkage secret that the local authorities share and the hub never has (see
// docs/adr/0013-pprl-tokens.md). Every keyed hash of privacy-preserving linkage is derived from
// it: the NHS-number and UPN tokens (HMAC-SHA-256) and the per-field keys and diffusion of the
// Bloom-filter encodings. Encodings made with different secrets never match, so the key id (a
// public fingerprint of the secret) travels with every token and linking refuses to mix them.
//
// The secret file holds comment lines starting with '#' and one line of 64 to 128 hexadecimal
// characters (32 to 64 bytes); it must not be readable by group or others. A key custodian
// generates it (`kith pprl keygen`) and hands it to each authority's node; rotation is a new
// file and re-encoding (the key id changes).
// Thread safety: immutable after construction; safe to share between threads.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/random.h"
#include "common/result.h"

namespace kith::pprl {

using SubKey = std::array<uint8_t, 32>;

class LinkageSecret {
 public:
  static constexpr size_t kMinBytes = 32;
  static constexpr size_t kMaxBytes = 64;

  // Reads a secret file. Fails with kNotFound when it cannot be opened and with kInvalidInput
  // (the message names the file, the line and what to do) when it is readable by group or
  // others, has no key line, several key lines, or a line that is not 64–128 hex characters.
  static Result<LinkageSecret> FromFile(const std::string& path);
  // From hexadecimal text (64–128 characters). Fails with kInvalidInput otherwise.
  static Result<LinkageSecret> FromHex(std::string_view hex);
  // A new 32-byte secret from `random`.
  static LinkageSecret Generate(Random& random);

  LinkageSecret(const LinkageSecret&) = default;
  LinkageSecret& operator=(const LinkageSecret&) = default;
  ~LinkageSecret();

  // The text of a secret file for this secret (comment lines and the key line).
  std::string FileText() const;

  // HMAC-SHA-256(secret, "kith-pprl-1/" + purpose): one independent key per use.
  SubKey Derive(std::string_view purpose) const;

  // 16 hex characters naming the secret (a keyed hash of a fixed label: reveals nothing of it).
  std::string KeyId() const;

 private:
  explicit LinkageSecret(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
  std::vector<uint8_t> bytes_;
};

}  // namespace kith::pprl
