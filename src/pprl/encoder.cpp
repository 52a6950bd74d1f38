#include "pprl/encoder.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <cmath>

#include "linkage/text.h"

namespace kith::pprl {
namespace {

IdToken Hmac16(const SubKey& key, std::string_view value) {
  uint8_t mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key.data(), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const uint8_t*>(value.data()), value.size());
  crypto_auth_hmacsha256_final(&state, mac);
  IdToken token{};
  std::copy_n(mac, token.size(), token.begin());
  return token;
}

int BitsEach(int budget, size_t features) {
  return features == 0 ? 0 : std::max(1, static_cast<int>(std::lround(static_cast<double>(budget) / features)));
}

// Padded bigrams of each space-separated token: "_s", "sm", …, "h_".
void AddBigrams(std::string_view text, std::vector<std::string>* out) {
  linkage::ForEachToken(text, [&](std::string_view token) {
    const std::string padded = "_" + std::string(token) + "_";
    for (size_t i = 0; i + 1 < padded.size(); ++i) out->push_back(padded.substr(i, 2));
  });
}

uint64_t Hmac8(const SubKey& key, std::string_view value) {
  const IdToken t = Hmac16(key, value);
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = (v << 8) | t[i];
  return v;
}

}  // namespace

const std::vector<std::string_view>& BlockingRuleNames() {
  static const std::vector<std::string_view> names = {"given+family+dob", "given+dob+district", "family+dob+district",
                                                      "given+family+district+year", "given+family+year+daymonth"};
  return names;
}

Encoder::Encoder(const LinkageSecret& secret, EncoderOptions options)
    : options_(options),
      encoding_(fmt::format("{}{}{}:{}", kSchemeName,
                            options.diffusion_width == EncoderOptions{}.diffusion_width ? ""
                            : options.diffusion_width <= 0                              ? "-unhardened"
                                                           : fmt::format("-d{}", options.diffusion_width),
                            options.bits == FieldBits{} ? "" : "-custom", secret.KeyId())),
      nhs_key_(secret.Derive("nhs-number")),
      upn_key_(secret.Derive("upn")),
      block_key_(secret.Derive("blocks")),
      field_{secret.Derive("clk/given"),    secret.Derive("clk/family"),   secret.Derive("clk/dob"),
             secret.Derive("clk/sex"),      secret.Derive("clk/district"), secret.Derive("clk/address"),
             secret.Derive("clk/locality"), secret.Derive("clk/other-id")} {
  if (options_.diffusion_width <= 0) return;
  // Each output bit reads diffusion_width distinct input bits, chosen by a stream keyed by the
  // secret (libsodium's ChaCha20-based deterministic generator).
  const SubKey seed = secret.Derive("clk/diffusion");
  const size_t width = static_cast<size_t>(options_.diffusion_width);
  std::vector<uint16_t> stream(kClkBits * width * 2);
  randombytes_buf_deterministic(stream.data(), stream.size() * sizeof(uint16_t), seed.data());
  diffusion_.reserve(kClkBits * width);
  size_t next = 0;
  for (size_t out = 0; out < kClkBits; ++out) {
    const size_t first = diffusion_.size();
    while (diffusion_.size() - first < width) {
      if (next == stream.size()) {
        // Practically unreachable (needs many repeats); extend the stream deterministically.
        randombytes_buf_deterministic(stream.data(), stream.size() * sizeof(uint16_t),
                                      secret.Derive(fmt::format("clk/diffusion/{}", out)).data());
        next = 0;
      }
      const uint16_t in = stream[next++] % kClkBits;
      if (std::find(diffusion_.begin() + static_cast<long>(first), diffusion_.end(), in) == diffusion_.end()) {
        diffusion_.push_back(in);
      }
    }
  }
}

void Encoder::AddFeature(const SubKey& key, std::string_view feature, int bits, Clk* filter) const {
  uint8_t hash[32];
  for (int block = 0; bits > 0; ++block) {
    std::string input(feature);
    input.push_back(static_cast<char>(block));
    crypto_generichash(hash, sizeof hash, reinterpret_cast<const uint8_t*>(input.data()), input.size(), key.data(),
                       key.size());
    for (int i = 0; i < 16 && bits > 0; ++i, --bits) {
      filter->Set((hash[2 * i] | (hash[2 * i + 1] << 8)) % kClkBits);
    }
  }
}

Tokens Encoder::Encode(const linkage::InputRecord& record) const {
  return EncodeNormalised(record.record_id, linkage::NormaliseRecord(record));
}

Tokens Encoder::EncodeNormalised(std::string record_id, const linkage::Record& r) const {
  Tokens t;
  t.record_id = std::move(record_id);
  if (!r.nhs_number.empty()) t.nhs = Hmac16(nhs_key_, r.nhs_number);
  if (!r.upn.empty()) t.upn = Hmac16(upn_key_, r.upn);

  // A source giving only a full name: its first token is the given name, its last the family.
  std::string given = r.given_canonical, family = r.family;
  linkage::GivenNameGroups groups = r.given_groups;
  if (given.empty() && family.empty() && !r.full_name.empty()) {
    const std::string_view full = r.full_name;
    const size_t first_space = full.find(' '), last_space = full.rfind(' ');
    if (first_space != std::string_view::npos) {
      given = std::string(linkage::CanonicalGivenName(full.substr(0, first_space)));
      groups = linkage::GivenNameGroupsOf(given);
    }
    family = std::string(full.substr(last_space == std::string_view::npos ? 0 : last_space + 1));
  }

  Clk in;
  std::vector<std::string> features;
  if (!given.empty()) {
    AddBigrams(given, &features);
    features.push_back("ph:" + linkage::PhoneticCode(given));
    const int each = BitsEach(options_.bits.given, features.size());
    for (const auto& f : features) AddFeature(field_.given, f, each, &in);
    for (int g = 0; g < 128; ++g) {
      if ((groups.bits[g / 64] >> (g % 64)) & 1)
        AddFeature(field_.given, fmt::format("grp:{}", g), options_.bits.given_group, &in);
    }
  }
  if (!family.empty()) {
    features.clear();
    AddBigrams(family, &features);
    features.push_back("ph:" + linkage::PhoneticCode(family));
    const int each = BitsEach(options_.bits.family, features.size());
    for (const auto& f : features) AddFeature(field_.family, f, each, &in);
  }
  if (r.dob.present) {
    features.clear();
    for (size_t i = 0; i < 8; ++i) features.push_back(fmt::format("{}:{}", i, r.dob.digits[i]));
    // Day and month as an unordered pair, so a transposed date keeps most of its bits.
    const auto [lo, hi] = std::minmax(r.dob.day, r.dob.month);
    features.push_back(fmt::format("dm:{}:{}", lo, hi));
    const int each = BitsEach(options_.bits.dob, features.size());
    for (const auto& f : features) AddFeature(field_.dob, f, each, &in);
  }
  if (r.sex != 0) AddFeature(field_.sex, std::string(1, r.sex), options_.bits.sex, &in);
  if (!r.postcode.empty()) {
    const std::string_view district =
        r.postcode_outward > 0 ? std::string_view(r.postcode).substr(0, r.postcode_outward) : r.postcode;
    features.clear();
    features.push_back("pc:" + std::string(district));
    for (size_t i = 0; i < district.size(); ++i) features.push_back(fmt::format("{}:{}", i, district[i]));
    const int each = BitsEach(options_.bits.district, features.size());
    for (const auto& f : features) AddFeature(field_.district, f, each, &in);
  }

  if (!r.address.empty()) {
    features.clear();
    AddBigrams(r.address, &features);
    const int each = BitsEach(options_.bits.address, features.size());
    for (const auto& f : features) AddFeature(field_.address, f, each, &in);
  }
  if (!r.locality.empty()) {
    features.clear();
    AddBigrams(r.locality, &features);
    const int each = BitsEach(options_.bits.locality, features.size());
    for (const auto& f : features) AddFeature(field_.locality, f, each, &in);
  }
  if (!r.identifier.empty()) {
    features.clear();
    for (size_t i = 0; i < r.identifier.size(); ++i) features.push_back(fmt::format("{}:{}", i, r.identifier[i]));
    const int each = BitsEach(options_.bits.other_id, features.size());
    for (const auto& f : features) AddFeature(field_.other_id, f, each, &in);
  }

  t.has_clk = PopCount(in) > 0;

  const std::string gp = given.empty() ? "" : linkage::PhoneticCode(given);
  const std::string fp = family.empty() ? "" : linkage::PhoneticCode(family);
  const std::string dob = r.dob.present ? std::string(r.dob.digits.begin(), r.dob.digits.end()) : "";
  const std::string district =
      r.postcode.empty() ? "" : r.postcode.substr(0, r.postcode_outward > 0 ? r.postcode_outward : r.postcode.size());
  auto block = [&](int rule, std::initializer_list<std::string_view> parts) {
    std::string key = std::to_string(rule);
    for (std::string_view p : parts) {
      if (p.empty()) return;
      key.push_back('|');
      key.append(p);
    }
    t.blocks.push_back(Hmac8(block_key_, key));
  };
  block(0, {gp, fp, dob});
  block(1, {gp, dob, district});
  block(2, {fp, dob, district});
  if (r.dob.present) {
    const std::string year = dob.substr(0, 4);
    const auto [lo, hi] = std::minmax(r.dob.day, r.dob.month);
    block(3, {gp, fp, district, year});
    block(4, {gp, fp, year, fmt::format("{}-{}", lo, hi)});
  }
  if (options_.diffusion_width <= 0 || !t.has_clk) {
    t.clk = in;
    return t;
  }
  const size_t width = static_cast<size_t>(options_.diffusion_width);
  for (size_t out = 0; out < kClkBits; ++out) {
    bool bit = false;
    for (size_t j = 0; j < width; ++j) bit ^= in.Test(diffusion_[out * width + j]);
    if (bit) t.clk.Set(out);
  }
  return t;
}

}  // namespace kith::pprl
