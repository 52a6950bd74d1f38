// Minimal UTF-8 decoding, the one decoder Kith's own code uses: validation counts characters,
// the word cloud splits and folds words (domain/account), audit records are made valid
// (domain/audit.h). Not a general Unicode library: see word_cloud.h for what counts as a letter.
// Thread safety: all functions are pure and safe to call from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kith::utf8 {

inline constexpr char32_t kReplacement = 0xFFFD;

// Decodes the code point starting at text[pos] and advances pos past it. Malformed sequences
// (overlong, surrogates, truncated, > U+10FFFF) yield kReplacement and advance by one byte, so
// decoding always terminates.
char32_t Next(std::string_view text, size_t& pos);

bool IsValid(std::string_view text);
// Number of code points (malformed bytes count one each).
size_t Length(std::string_view text);

void Append(std::string& out, char32_t cp);

// `text` with every byte that is not part of a well-formed sequence written as the four
// characters "\xNN" (NN in upper-case hex); valid text comes back unchanged.
std::string Escape(std::string_view text);

}  // namespace kith::utf8
