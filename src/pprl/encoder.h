// Privacy-preserving linkage tokens of one record about a child (docs/adr/0013-pprl-tokens.md):
//   * a keyed token of the NHS number and one of the UPN (HMAC-SHA-256 under the linkage
//     secret, truncated to 128 bits): equal exactly when the identifiers are equal;
//   * blocking tokens (keyed hashes of a few field combinations) for finding candidates;
//   * a hardened cryptographic long-term key (CLK): one 1,024-bit Bloom filter of the given
//     name (its canonical form, phonetic code and name groups, as linkage normalises them),
//     family name, date of birth, sex and postcode district (and the address, locality and
//     another identifier when a source has them), each field's features hashed
//     with its own key and a fixed budget of bits, then passed through a keyed linear
//     diffusion layer (each output bit the XOR of `diffusion_width` input bits chosen by the
//     secret). Similar records give CLKs of high Dice similarity; a CLK alone does not reveal
//     which bits belong to which name, so frequency and pattern-mining attacks fail.
// The values are normalised by linkage::NormaliseRecord, the same as `kith link` compares.
// Thread safety: an Encoder is immutable after construction; Encode may run concurrently.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linkage/record.h"
#include "pprl/clk.h"
#include "pprl/secret.h"

namespace kith::pprl {

// The name of the encoding scheme; a token file names it with the key id ("kith-pprl-1:<id>").
inline constexpr std::string_view kSchemeName = "kith-pprl-1";

using IdToken = std::array<uint8_t, 16>;

struct Tokens {
  std::string record_id;
  std::optional<IdToken> nhs;  // when the record has a valid NHS number
  std::optional<IdToken> upn;  // when the record has a valid UPN
  Clk clk;                     // all zero when the record has none of the encoded fields
  bool has_clk = false;
  // Blocking tokens: keyed 64-bit hashes of combinations that a record about the same child
  // usually shares whatever one field's error (see BlockingRuleNames); each combination holds a
  // date of birth or a district with the names, so equal tokens are rare and their counts say
  // nothing of how common a name is. For finding candidates among millions (the hub).
  std::vector<uint64_t> blocks;
};

// The blocking rules, in the order their tokens are made (a record lacking a part has none for
// that rule): given+family phonetic+date of birth; given phonetic+date+district; family
// phonetic+date+district; given+family phonetic+district+birth year; given+family
// phonetic+year and the unordered day-month pair.
const std::vector<std::string_view>& BlockingRuleNames();

// Bits each field sets in the input filter, spread evenly over the field's features, so that a
// long name weighs no more than a short one. The defaults are the scheme's; other weights make
// another encoding (named "-custom") that never links with the default's — for tuning only.
struct FieldBits {
  int given = 400;
  int given_group = 20;  // per name group, on top
  int family = 200;
  int dob = 200;
  int sex = 30;
  int district = 100;
  // Fields some sources have and the hub's records do not (FEBRL, other feeds).
  int address = 100;
  int locality = 60;
  int other_id = 100;
  bool operator==(const FieldBits&) const = default;
};

struct EncoderOptions {
  // Input bits XORed into each output bit. 0 turns the diffusion layer off, which leaves a
  // plain (unhardened) keyed CLK: only for measuring what the hardening buys (the red-team
  // test); such encodings carry another scheme name ("-unhardened", or "-dN" for another width)
  // and never link with the scheme's own.
  int diffusion_width = 3;
  FieldBits bits;
};

class Encoder {
 public:
  explicit Encoder(const LinkageSecret& secret, EncoderOptions options = {});

  // "kith-pprl-1:<key id>" ("kith-pprl-1-unhardened:…", "-dN", "-custom" for other options).
  const std::string& Encoding() const { return encoding_; }

  Tokens Encode(const linkage::InputRecord& record) const;
  Tokens EncodeNormalised(std::string record_id, const linkage::Record& record) const;

 private:
  struct FieldKeys {
    SubKey given, family, dob, sex, district, address, locality, other_id;
  };
  void AddFeature(const SubKey& key, std::string_view feature, int bits, Clk* filter) const;

  EncoderOptions options_;
  std::string encoding_;
  SubKey nhs_key_{}, upn_key_{}, block_key_{};
  FieldKeys field_{};
  // For each output bit, diffusion_width input bit positions.
  std::vector<uint16_t> diffusion_;
};

}  // namespace kith::pprl
