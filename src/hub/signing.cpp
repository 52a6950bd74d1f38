#include "hub/signing.h"

#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>

#include <cctype>
#include <fstream>

#include "common/encoding.h"

namespace kith::hub {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string Base64(const uint8_t* data, size_t size) {
  std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

template <size_t N>
bool FromBase64(std::string_view text, std::array<uint8_t, N>* out) {
  size_t len = 0;
  const char* end = nullptr;
  return sodium_base642bin(out->data(), N, text.data(), text.size(), nullptr, &len, &end,
                           sodium_base64_VARIANT_ORIGINAL) == 0 &&
         len == N && end == text.data() + text.size();
}

std::string Canonical(std::string_view method, std::string_view path, std::string_view authority,
                      std::string_view timestamp, std::string_view nonce, std::string_view body) {
  return fmt::format("kith-hub-1\n{}\n{}\n{}\n{}\n{}\n{}", method, path, authority, timestamp, nonce, Sha256Hex(body));
}

// "<code> <base64>" with a code of 1 to 32 letters, digits, '-' or '_'.
bool SplitLine(std::string_view line, std::string* code, std::string_view* key) {
  const size_t space = line.find(' ');
  if (space == std::string_view::npos || space == 0 || space > 32) return false;
  for (char c : line.substr(0, space)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  *code = std::string(line.substr(0, space));
  *key = Trim(line.substr(space + 1));
  return true;
}

}  // namespace

SigningKey SigningKey::Generate(std::string authority, Random& random) {
  std::array<uint8_t, 32> seed{};
  random.Fill(seed);
  std::array<uint8_t, 32> pk{};
  std::array<uint8_t, 64> sk{};
  crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data());
  sodium_memzero(seed.data(), seed.size());
  return SigningKey(std::move(authority), sk);
}

Result<SigningKey> SigningKey::FromFile(const std::string& path) {
  struct stat st {};
  std::ifstream in(path);
  if (!in || stat(path.c_str(), &st) != 0) return Error::NotFound(fmt::format("cannot open the key file {}", path));
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Error::Invalid("key_file",
                          fmt::format("the key file {} can be read by group or others: `chmod 600 {}`", path, path));
  }
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    const std::string_view t = Trim(line);
    if (t.empty() || t.front() == '#') continue;
    std::string code;
    std::string_view key;
    std::array<uint8_t, 64> sk{};
    if (!SplitLine(t, &code, &key) || !FromBase64(key, &sk)) {
      return Error::Invalid("key_file", fmt::format("{} line {}: expected `<authority code> <base64 of a 64-byte "
                                                    "Ed25519 secret key>` as `kith hub keygen` writes",
                                                    path, n));
    }
    return SigningKey(std::move(code), sk);
  }
  return Error::Invalid("key_file", fmt::format("{}: no key line; create one with `kith hub keygen`", path));
}

SigningKey::~SigningKey() { sodium_memzero(secret_.data(), secret_.size()); }

PublicKey SigningKey::public_key() const {
  PublicKey pk{};
  crypto_sign_ed25519_sk_to_pk(pk.data(), secret_.data());
  return pk;
}

std::string SigningKey::FileText() const {
  return fmt::format("# Kith hub signing key of authority {}. Keep it on this authority's node only.\n{} {}\n",
                     authority_, authority_, Base64(secret_.data(), secret_.size()));
}

std::string SigningKey::PublicLine() const {
  const PublicKey pk = public_key();
  return fmt::format("{} {}", authority_, Base64(pk.data(), pk.size()));
}

std::map<std::string, std::string> SigningKey::Sign(std::string_view method, std::string_view path,
                                                    std::string_view body, TimePoint now, Random& random) const {
  const std::string timestamp =
      std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  const std::string nonce = random.Hex(16);
  const std::string text = Canonical(method, path, authority_, timestamp, nonce, body);
  std::array<uint8_t, crypto_sign_BYTES> sig{};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const uint8_t*>(text.data()), text.size(), secret_.data());
  return {{"kith-authority", authority_},
          {"kith-timestamp", timestamp},
          {"kith-nonce", nonce},
          {"kith-signature", Base64(sig.data(), sig.size())}};
}

Result<std::map<std::string, PublicKey>> ParseAuthorities(std::string_view text, std::string_view name) {
  std::map<std::string, PublicKey> out;
  size_t n = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    ++n;
    const std::string_view t = Trim(text.substr(start, end - start));
    start = end + 1;
    if (t.empty() || t.front() == '#') continue;
    std::string code;
    std::string_view key;
    PublicKey pk{};
    if (!SplitLine(t, &code, &key) || !FromBase64(key, &pk)) {
      return Error::Invalid("authorities", fmt::format("{} line {}: expected `<authority code> <base64 of a 32-byte "
                                                       "Ed25519 public key>` (what `kith hub keygen` prints)",
                                                       name, n));
    }
    if (!out.emplace(code, pk).second) {
      return Error::Invalid("authorities", fmt::format("{} line {}: authority {} is listed twice", name, n, code));
    }
  }
  return out;
}

Result<std::string> VerifyRequest(const std::map<std::string, PublicKey>& authorities, NonceLedger& ledger,
                                  std::string_view method, std::string_view path,
                                  const std::map<std::string, std::string>& headers, std::string_view body,
                                  TimePoint now, VerifyOptions options) {
  auto header = [&](const char* name) -> std::string_view {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string_view() : std::string_view(it->second);
  };
  const std::string_view authority = header("kith-authority"), timestamp = header("kith-timestamp");
  const std::string_view nonce = header("kith-nonce"), signature = header("kith-signature");
  if (authority.empty() || timestamp.empty() || nonce.empty() || signature.empty()) {
    return Error::Unauthenticated(
        "unsigned request: Kith-Authority, Kith-Timestamp, Kith-Nonce and Kith-Signature "
        "are required");
  }
  const auto key = authorities.find(std::string(authority));
  if (key == authorities.end()) return Error::Unauthenticated(fmt::format("unknown authority {}", authority));
  std::array<uint8_t, crypto_sign_BYTES> sig{};
  if (nonce.size() != 32 || nonce.find_first_not_of("0123456789abcdef") != std::string_view::npos ||
      !FromBase64(signature, &sig)) {
    return Error::Unauthenticated("malformed Kith-Nonce or Kith-Signature");
  }
  const std::string text = Canonical(method, path, authority, timestamp, nonce, body);
  if (crypto_sign_verify_detached(sig.data(), reinterpret_cast<const uint8_t*>(text.data()), text.size(),
                                  key->second.data()) != 0) {
    return Error::Unauthenticated("bad signature");
  }
  int64_t seconds = 0;
  for (char c : timestamp) {
    if (c < '0' || c > '9' || seconds > INT64_MAX / 20) return Error::Unauthenticated("malformed Kith-Timestamp");
    seconds = seconds * 10 + (c - '0');
  }
  // Compared in seconds: a timestamp far from now (up to 4.6e18 s) would overflow a TimePoint's
  // microseconds (undefined behaviour; found writing the hub_request fuzz target).
  const int64_t now_seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const int64_t skew = options.max_skew.count();
  if (seconds < now_seconds - skew || seconds > now_seconds + skew) {
    return Error::Unauthenticated("Kith-Timestamp outside the allowed clock skew (check the node's clock)");
  }
  if (!ledger.Remember(std::string(authority), std::string(nonce), now, now - 2 * options.max_skew)) {
    return Error::Unauthenticated("replayed request (nonce already used)");
  }
  return std::string(authority);
}

}  // namespace kith::hub
