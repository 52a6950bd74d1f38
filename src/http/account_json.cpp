#include "http/account_json.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include <nlohmann/json.hpp>

#include "common/clock.h"

namespace kith::http {
namespace {

// The output, written into a buffer that grows by doubling: every append is a bounds check
// and a memcpy, with no call into the string library per character.
class Out {
 public:
  explicit Out(size_t reserve) : buf_(reserve, '\0') {}

  void Raw(std::string_view s) {
    if (len_ + s.size() > buf_.size()) [[unlikely]] Grow(s.size());
    std::memcpy(buf_.data() + len_, s.data(), s.size());
    len_ += s.size();
  }
  void Char(char c) {
    if (len_ == buf_.size()) [[unlikely]] Grow(1);
    buf_.data()[len_++] = c;
  }
  char& Back() { return buf_[len_ - 1]; }
  std::string Take() && {
    buf_.resize(len_);
    return std::move(buf_);
  }

 private:
  [[gnu::noinline]] void Grow(size_t n) { buf_.resize(std::max(buf_.size() * 2, len_ + n)); }
  std::string buf_;
  size_t len_ = 0;
};

// True when `s` has a byte that sends it to the codec: a control character, a quote, a
// backslash, DEL or anything not ASCII. Eight bytes at a time.
bool NeedsCodec(std::string_view s) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  auto has_zero = [](uint64_t v) { return ((v - kOnes) & ~v & kHighs) != 0; };
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if ((w & kHighs) || has_zero(w & ~(kOnes * 0x1f)) ||  // a byte below 0x20 has no bit above 0x1f
        has_zero(w ^ (kOnes * '"')) || has_zero(w ^ (kOnes * '\\')) || has_zero(w ^ (kOnes * 0x7f))) {
      break;
    }
  }
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') return true;
  }
  return false;
}

// Appends `s` as a JSON string. Printable ASCII without quotes or backslashes (nearly every
// value) is copied; anything else goes through nlohmann, so escaping and the replacement of
// invalid UTF-8 are exactly those of json::dump.
void Str(Out& out, std::string_view s) {
  if (NeedsCodec(s)) {
    out.Raw(nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return;
  }
  out.Char('"');
  out.Raw(s);
  out.Char('"');
}

// Appends `"key":`; keys are literals that need no escaping.
void Key(Out& out, std::string_view key) {
  out.Char('"');
  out.Raw(key);
  out.Raw("\":");
}

void Field(Out& out, std::string_view key, std::string_view value) {
  Key(out, key);
  Str(out, value);
  out.Char(',');
}

void BoolField(Out& out, std::string_view key, bool value) {
  Key(out, key);
  out.Raw(value ? "true," : "false,");
}

void DateField(Out& out, std::string_view key, const std::optional<Date>& date) {
  Key(out, key);
  if (date) {
    Str(out, date->ToString());
  } else {
    out.Raw("null");
  }
  out.Char(',');
}

// Replaces the trailing comma of the last member with `close`.
void Close(Out& out, char close) {
  if (out.Back() == ',') {
    out.Back() = close;
  } else {
    out.Char(close);
  }
}

void Agency(Out& out, const domain::Agency& a) {
  out.Char('{');
  Field(out, "address", a.address);
  Field(out, "authority_id", a.authority_id);
  Field(out, "email", a.email);
  Field(out, "id", a.id);
  Field(out, "kind", domain::ToString(a.kind));
  Field(out, "kind_name", domain::DisplayName(a.kind));
  Field(out, "name", a.name);
  Field(out, "phone", a.phone);
  Close(out, '}');
}

void Child(Out& out, const domain::Child& c) {
  out.Char('{');
  Field(out, "address", c.address);
  Field(out, "authority_id", c.authority_id);
  Key(out, "carers");
  out.Char('[');
  for (const auto& k : c.carers) {
    out.Char('{');
    Field(out, "address", k.address);
    Field(out, "email", k.email);
    Field(out, "name", k.name);
    BoolField(out, "parental_responsibility", k.parental_responsibility);
    Field(out, "phone", k.phone);
    Field(out, "relationship", k.relationship);
    Close(out, '}');
    out.Char(',');
  }
  Close(out, ']');
  out.Char(',');
  Field(out, "created_at", FormatUtc(c.created_at));
  DateField(out, "date_of_birth", c.date_of_birth);
  DateField(out, "date_of_death", c.date_of_death);
  Field(out, "family_name", c.family_name);
  Key(out, "flags");
  out.Char('{');
  BoolField(out, "care_leaver", c.flags.care_leaver);
  BoolField(out, "child_protection_plan", c.flags.child_protection_plan);
  BoolField(out, "early_help_assessment", c.flags.early_help_assessment);
  BoolField(out, "looked_after", c.flags.looked_after);
  BoolField(out, "special_educational_needs", c.flags.special_educational_needs);
  Close(out, '}');
  out.Char(',');
  Field(out, "given_names", c.given_names);
  Field(out, "gp_agency_id", c.gp_agency_id);
  Field(out, "id", c.id);
  Field(out, "nhs_number", c.nhs_number);
  Key(out, "other_names");
  out.Char('[');
  for (const auto& name : c.other_names) {
    Str(out, name);
    out.Char(',');
  }
  Close(out, ']');
  out.Char(',');
  Field(out, "postcode", c.postcode);
  Field(out, "school_agency_id", c.school_agency_id);
  Key(out, "services");
  out.Char('[');
  for (const auto& s : c.services) {
    out.Char('{');
    Field(out, "agency_id", s.agency_id);
    Field(out, "description", s.description);
    DateField(out, "end", s.end);
    Field(out, "start", s.start.ToString());
    Close(out, '}');
    out.Char(',');
  }
  Close(out, ']');
  out.Char(',');
  Field(out, "sex", domain::ToString(c.sex));
  BoolField(out, "shielded", c.shielded);
  Field(out, "updated_at", FormatUtc(c.updated_at));
  Field(out, "upn", c.upn);
  Key(out, "version");
  out.Raw(std::to_string(c.version));
  out.Char('}');
}

void Member(Out& out, const app::MemberView& m) {
  out.Char('{');
  Key(out, "agency");
  if (m.agency) {
    Agency(out, *m.agency);
  } else {
    out.Raw("null");
  }
  out.Char(',');
  Field(out, "display_name", m.display_name);
  Field(out, "email", m.email);
  Field(out, "job_title", m.job_title);
  Field(out, "joined_at", FormatUtc(m.member.joined_at));
  BoolField(out, "lead", m.member.lead);
  Field(out, "phone", m.phone);
  Field(out, "reason", m.member.reason);
  Field(out, "role", m.member.role);
  Field(out, "user_id", m.member.user_id);
  Close(out, '}');
}

}  // namespace

std::string EncodeChildAccount(const app::ChildAccount& account) {
  Out out(8192);  // a typical account is about 5 KB
  out.Char('{');
  Field(out, "access", account.access);
  Key(out, "agencies");
  out.Char('[');
  for (const auto& a : account.agencies) {
    Agency(out, a);
    out.Char(',');
  }
  Close(out, ']');
  out.Char(',');
  Key(out, "child");
  Child(out, account.child);
  out.Char(',');
  Key(out, "team");
  out.Char('[');
  for (const auto& m : account.team) {
    Member(out, m);
    out.Char(',');
  }
  Close(out, ']');
  out.Char('}');
  return std::move(out).Take();
}

}  // namespace kith::http
