// Text as Kith folds and compares it: UTF-8 decoding and escaping, name folding (the search
// index and record linkage), phonetic codes, the word cloud's tokens, and the byte encodings
// (base-32 TOTP secrets, base64 CLKs). Invariants: decoding terminates, Escape gives valid UTF-8,
// and what decodes encodes back to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/encoding.h"
#include "common/utf8.h"
#include "domain/account/word_cloud.h"
#include "linkage/text.h"

using namespace kith;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t pos = 0, count = 0;
  while (pos < text.size()) {
    (void)utf8::Next(text, pos);
    ++count;
  }
  if (count != utf8::Length(text)) std::abort();
  if (!utf8::IsValid(utf8::Escape(text))) std::abort();

  const std::string name = linkage::FoldName(text);
  (void)linkage::FoldText(text);
  (void)linkage::CanonicalGivenName(linkage::WithoutLeadingTitles(name));
  (void)linkage::GivenNameGroupsOf(name);
  (void)linkage::PhoneticCode(name);
  const std::string_view half = std::string_view(name).substr(0, name.size() / 2);
  const double similarity = linkage::JaroWinkler(name, half);
  if (!(similarity >= 0 && similarity <= 1)) std::abort();
  (void)linkage::WithinTwoEdits(name, half);
  for (const auto& token : domain::Tokenise(text)) (void)domain::Stem(token.surface);

  if (auto bytes = Base64Decode(text)) {
    if (Base64Decode(Base64Encode(*bytes)) != bytes) std::abort();
  }
  if (auto bytes = Base32Decode(text)) {
    (void)Base32Encode(*bytes, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
  }
  (void)UrlEncode(text);
  return 0;
}
