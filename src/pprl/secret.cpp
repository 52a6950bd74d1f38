#include "pprl/secret.h"

#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "common/encoding.h"

namespace kith::pprl {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<LinkageSecret> LinkageSecret::FromHex(std::string_view hex) {
  hex = Trim(hex);
  if (hex.size() < 2 * kMinBytes || hex.size() > 2 * kMaxBytes || hex.size() % 2 != 0) {
    return Error::Invalid("secret", fmt::format("a linkage secret is 64 to 128 hexadecimal characters (32 to 64 "
                                                "bytes); this one has {} characters",
                                                hex.size()));
  }
  std::vector<uint8_t> bytes(hex.size() / 2);
  for (size_t i = 0; i < bytes.size(); ++i) {
    const int hi = HexValue(hex[2 * i]), lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      sodium_memzero(bytes.data(), bytes.size());
      return Error::Invalid("secret", fmt::format("a linkage secret is hexadecimal; character {} is not",
                                                  hi < 0 ? 2 * i + 1 : 2 * i + 2));
    }
    bytes[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return LinkageSecret(std::move(bytes));
}

Result<LinkageSecret> LinkageSecret::FromFile(const std::string& path) {
  struct stat st {};
  std::ifstream in(path, std::ios::binary);
  if (!in || stat(path.c_str(), &st) != 0) {
    return Error::NotFound(fmt::format("cannot open the secret file {}: check the path", path));
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Error::Invalid("secret_file", fmt::format("the secret file {} can be read by group or others: "
                                                     "`chmod 600 {}` and ask the key custodian whether it "
                                                     "must be rotated",
                                                     path, path));
  }
  std::string line, key_line;
  size_t line_no = 0, key_line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    const std::string_view t = Trim(line);
    if (t.empty() || t.front() == '#') continue;
    if (key_line_no != 0) {
      sodium_memzero(key_line.data(), key_line.size());
      return Error::Invalid("secret_file", fmt::format("{} line {}: a second key line (the first is line {}); "
                                                       "a secret file holds one key",
                                                       path, line_no, key_line_no));
    }
    key_line = std::string(t);
    key_line_no = line_no;
  }
  sodium_memzero(line.data(), line.size());
  if (key_line_no == 0) {
    return Error::Invalid("secret_file",
                          fmt::format("{}: no key line; create one with `kith pprl keygen --out {}`", path, path));
  }
  auto secret = FromHex(key_line);
  sodium_memzero(key_line.data(), key_line.size());
  if (!secret) {
    return Error::Invalid("secret_file", fmt::format("{} line {}: {}", path, key_line_no, secret.error().message));
  }
  return secret;
}

LinkageSecret LinkageSecret::Generate(Random& random) {
  std::vector<uint8_t> bytes(kMinBytes);
  random.Fill(bytes);
  return LinkageSecret(std::move(bytes));
}

LinkageSecret::~LinkageSecret() {
  if (!bytes_.empty()) sodium_memzero(bytes_.data(), bytes_.size());
}

std::string LinkageSecret::FileText() const {
  return fmt::format(
      "# Kith linkage secret (key id {}). Held by the local authorities' nodes and the key custodian;\n"
      "# never give it to the hub. See docs/adr/0013-pprl-tokens.md.\n{}\n",
      KeyId(), HexEncode(bytes_));
}

SubKey LinkageSecret::Derive(std::string_view purpose) const {
  const std::string label = fmt::format("kith-pprl-1/{}", purpose);
  SubKey key{};
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, bytes_.data(), bytes_.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const uint8_t*>(label.data()), label.size());
  crypto_auth_hmacsha256_final(&state, key.data());
  sodium_memzero(&state, sizeof state);
  return key;
}

std::string LinkageSecret::KeyId() const {
  const SubKey id = Derive("key-id");
  return HexEncode(std::span<const uint8_t>(id.data(), 8));
}

}  // namespace kith::pprl
