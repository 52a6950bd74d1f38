// Byte encodings: hex, base-32 (RFC 4648 for TOTP secrets, Crockford for ids), base64
// (RFC 4648 section 4, with padding), SHA-256.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kith {

inline constexpr std::string_view kRfc4648Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
inline constexpr std::string_view kCrockfordAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

std::string HexEncode(std::span<const uint8_t> bytes);
std::string Base32Encode(std::span<const uint8_t> bytes, std::string_view alphabet);
// Decodes RFC 4648 base-32, ignoring case, spaces and padding. Empty on any other character.
std::optional<std::vector<uint8_t>> Base32Decode(std::string_view text);

// Standard base64 with padding. Decoding refuses any other character (no spaces or line breaks).
std::string Base64Encode(std::span<const uint8_t> bytes);
std::optional<std::vector<uint8_t>> Base64Decode(std::string_view text);

std::array<uint8_t, 32> Sha256(std::string_view data);
std::string Sha256Hex(std::string_view data);

// Percent-encodes everything outside RFC 3986's unreserved set.
std::string UrlEncode(std::string_view text);

}  // namespace kith
