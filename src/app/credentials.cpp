#include "app/credentials.h"

#include <openssl/hmac.h>
#include <sodium.h>

#include <stdexcept>

#include "common/await.h"
#include "common/encoding.h"

namespace kith::app {
namespace {

struct Limits {
  unsigned long long ops;
  size_t mem;
};

Limits LimitsFor(HashCost cost) {
  if (cost == HashCost::kMinimum) return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

std::string HashNow(std::string_view password, Limits l) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), l.ops, l.mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("argon2id: out of memory");
  }
  return out;
}

}  // namespace

std::string PasswordHasher::Hash(std::string_view password) const {
  computations_.fetch_add(1, std::memory_order_relaxed);
  std::string out;
  Offload([&] { out = HashNow(password, LimitsFor(cost_)); });
  return out;
}

bool PasswordHasher::Verify(std::string_view encoded, std::string_view password) const {
  if (encoded.empty() || encoded.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string hash(encoded);
  computations_.fetch_add(1, std::memory_order_relaxed);
  bool ok = false;
  Offload([&] { ok = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0; });
  return ok;
}

void PasswordHasher::VerifyDummy(std::string_view password) const {
  // Hashed in place, not offloaded: a fiber must not wait while it holds a static's guard.
  static const std::string kDummy = HashNow("a password nobody has", LimitsFor(cost_));
  Verify(kDummy, password);
}

std::string Totp::Code(std::string_view secret_base32, TimePoint t) {
  const auto key = Base32Decode(secret_base32);
  if (!key || key->empty()) return {};
  const int64_t step = ToMicros(t) / 1'000'000 / kStepSeconds;
  unsigned char counter[8];
  for (int i = 7, v = 0; i >= 0; --i, ++v) counter[i] = static_cast<unsigned char>((step >> (8 * v)) & 0xff);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha1(), key->data(), static_cast<int>(key->size()), counter, sizeof counter, mac, &mac_len);
  const int offset = mac[mac_len - 1] & 0x0f;
  const uint32_t binary = (static_cast<uint32_t>(mac[offset] & 0x7f) << 24) |
                          (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                          (static_cast<uint32_t>(mac[offset + 2]) << 8) | mac[offset + 3];
  std::string code = std::to_string(binary % 1'000'000);
  return std::string(6 - code.size(), '0') + code;
}

std::optional<int64_t> Totp::Match(std::string_view secret_base32, std::string_view code, TimePoint t) {
  if (code.size() != 6) return std::nullopt;
  const int64_t step = ToMicros(t) / 1'000'000 / kStepSeconds;
  for (int drift : {0, -1, 1}) {
    const std::string expected = Code(secret_base32, t + std::chrono::seconds(drift * kStepSeconds));
    if (!expected.empty() && sodium_memcmp(expected.data(), code.data(), 6) == 0) return step + drift;
  }
  return std::nullopt;
}

std::string Totp::Uri(std::string_view issuer, std::string_view account, std::string_view secret_base32) {
  return "otpauth://totp/" + UrlEncode(issuer) + ":" + UrlEncode(account) + "?secret=" + std::string(secret_base32) +
         "&issuer=" + UrlEncode(issuer) + "&algorithm=SHA1&digits=6&period=30";
}

}  // namespace kith::app
