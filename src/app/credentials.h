// Password hashing (argon2id, libsodium) and time-based one-time passwords (RFC 6238).
// Thread safety: all functions are safe from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace kith::app {

// The cost of argon2id. kInteractive is libsodium's recommendation for sign-in (about 64 MiB);
// kMinimum exists only so that tests and generated demo data do not spend seconds hashing.
enum class HashCost { kInteractive, kMinimum };

class PasswordHasher {
 public:
  explicit PasswordHasher(HashCost cost) : cost_(cost) {}
  // libsodium's encoded argon2id string (algorithm, parameters, salt and hash together).
  // Throws std::runtime_error if memory cannot be allocated.
  std::string Hash(std::string_view password) const;
  // True if `password` matches `encoded`; false for any mismatch or malformed hash.
  bool Verify(std::string_view encoded, std::string_view password) const;
  // Spends the time a verification would, for unknown usernames, so timing reveals nothing.
  void VerifyDummy(std::string_view password) const;

  // How many argon2id computations (hashes and verifications, dummies included) have been run:
  // the costly work that anonymous requests must not be able to cause at will.
  uint64_t Computations() const { return computations_.load(std::memory_order_relaxed); }

 private:
  HashCost cost_;
  mutable std::atomic<uint64_t> computations_{0};
};

// TOTP with HMAC-SHA1, 30-second steps and 6 digits: what authenticator apps expect.
struct Totp {
  static constexpr int kStepSeconds = 30;
  // The 6-digit code for `secret_base32` at time `t`; empty if the secret is not base-32.
  static std::string Code(std::string_view secret_base32, TimePoint t);
  // The time step `code` belongs to, if it matches the step at `t` or one step either side
  // (clock drift); nullopt otherwise. Callers refuse steps already used (codes are single-use).
  static std::optional<int64_t> Match(std::string_view secret_base32, std::string_view code, TimePoint t);
  // The otpauth:// URI an authenticator app scans as a QR code.
  static std::string Uri(std::string_view issuer, std::string_view account, std::string_view secret_base32);
};

}  // namespace kith::app
