// Requests between authority nodes and the hub are signed with the sending authority's Ed25519
// key (libsodium) and carry replay protection. A signed request has the headers
//   Kith-Authority: <authority code>
//   Kith-Timestamp: <Unix seconds>
//   Kith-Nonce:     <32 hex characters, never reused>
//   Kith-Signature: <base64 Ed25519 signature>
// over the canonical text "kith-hub-1\n" METHOD "\n" PATH "\n" AUTHORITY "\n" TIMESTAMP "\n"
// NONCE "\n" hex(SHA-256(BODY)). The receiver accepts it only when the authority's public key
// verifies the signature, the timestamp is within the allowed skew of its own clock, and the
// nonce has not been seen from that authority within the skew window (NonceLedger).
// Thread safety: SigningKey and Verifier are immutable after construction; VerifyRequest is safe
// from any thread when the ledger is.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/random.h"
#include "common/result.h"

namespace kith::hub {

using PublicKey = std::array<uint8_t, 32>;

// An authority's signing key. Key files hold comment lines ('#') and one line
// "<authority code> <base64 of the 64-byte secret key>"; they must not be readable by group or
// others.
class SigningKey {
 public:
  static SigningKey Generate(std::string authority, Random& random);
  // Fails with kNotFound when the file cannot be opened and with kInvalidInput (naming the
  // file and line) otherwise.
  static Result<SigningKey> FromFile(const std::string& path);
  SigningKey(const SigningKey&) = default;
  ~SigningKey();

  const std::string& authority() const { return authority_; }
  PublicKey public_key() const;
  std::string FileText() const;
  // The line naming this authority's public key in the hub's authorities file.
  std::string PublicLine() const;

  // The four headers for a request (nonce from `random`, timestamp from `now`).
  std::map<std::string, std::string> Sign(std::string_view method, std::string_view path, std::string_view body,
                                          TimePoint now, Random& random) const;

 private:
  SigningKey(std::string authority, std::array<uint8_t, 64> secret)
      : authority_(std::move(authority)), secret_(secret) {}
  std::string authority_;
  std::array<uint8_t, 64> secret_;
};

// The authorities a receiver trusts: lines "<authority code> <base64 public key>" (comments '#').
// Fails with kInvalidInput naming the line of a malformed or repeated entry.
Result<std::map<std::string, PublicKey>> ParseAuthorities(std::string_view text, std::string_view name);

// Remembers nonces seen so that a request cannot be replayed. Implementations are durable (the
// hub's store) so that a restart does not reopen the window.
class NonceLedger {
 public:
  virtual ~NonceLedger() = default;
  // Records the nonce; false when it was already recorded for this authority. Entries older
  // than `forget_before` may be forgotten.
  virtual bool Remember(const std::string& authority, const std::string& nonce, TimePoint now,
                        TimePoint forget_before) = 0;
};

struct VerifyOptions {
  std::chrono::seconds max_skew{300};
};

// The verified sending authority, or kUnauthenticated saying why not (for the receiver's log; the
// caller is told only that it was refused): no or malformed headers, an unknown authority, a
// bad signature, a timestamp outside the skew, a replayed nonce.
Result<std::string> VerifyRequest(const std::map<std::string, PublicKey>& authorities, NonceLedger& ledger,
                                  std::string_view method, std::string_view path,
                                  const std::map<std::string, std::string>& headers, std::string_view body,
                                  TimePoint now, VerifyOptions options = {});

}  // namespace kith::hub
