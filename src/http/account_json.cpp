#include "http/account_json.h"

#include <array>

#include <nlohmann/json.hpp>

#include "common/clock.h"

namespace kith::http {
namespace {

// Bytes that send a string to the codec: control characters, quotes, backslashes and non-ASCII.
constexpr auto kNeedsCodec = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = c < 0x20 || c >= 0x7f || c == '"' || c == '\\';
  return t;
}();

// Appends `s` as a JSON string. Printable ASCII without quotes or backslashes (nearly every
// value) is copied; anything else goes through nlohmann, so escaping and the replacement of
// invalid UTF-8 are exactly those of json::dump.

void Str(std::string& out, std::string_view s) {
  for (const char ch : s) {
    if (kNeedsCodec[static_cast<unsigned char>(ch)]) {
      out += nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return;
    }
  }
  out += '"';
  out += s;
  out += '"';
}

// Appends `"key":`; keys are literals that need no escaping.
void Key(std::string& out, std::string_view key) {
  out += '"';
  out += key;
  out += "\":";
}

void Field(std::string& out, std::string_view key, std::string_view value) {
  Key(out, key);
  Str(out, value);
  out += ',';
}

void BoolField(std::string& out, std::string_view key, bool value) {
  Key(out, key);
  out += value ? "true," : "false,";
}

void DateField(std::string& out, std::string_view key, const std::optional<Date>& date) {
  Key(out, key);
  if (date) {
    Str(out, date->ToString());
  } else {
    out += "null";
  }
  out += ',';
}

// Replaces the trailing comma of the last member with `close`.
void Close(std::string& out, char close) {
  if (out.back() == ',') {
    out.back() = close;
  } else {
    out += close;
  }
}

void Agency(std::string& out, const domain::Agency& a) {
  out += '{';
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

void Child(std::string& out, const domain::Child& c) {
  out += '{';
  Field(out, "address", c.address);
  Field(out, "authority_id", c.authority_id);
  Key(out, "carers");
  out += '[';
  for (const auto& k : c.carers) {
    out += '{';
    Field(out, "address", k.address);
    Field(out, "email", k.email);
    Field(out, "name", k.name);
    BoolField(out, "parental_responsibility", k.parental_responsibility);
    Field(out, "phone", k.phone);
    Field(out, "relationship", k.relationship);
    Close(out, '}');
    out += ',';
  }
  Close(out, ']');
  out += ',';
  Field(out, "created_at", FormatUtc(c.created_at));
  DateField(out, "date_of_birth", c.date_of_birth);
  Field(out, "family_name", c.family_name);
  Key(out, "flags");
  out += '{';
  BoolField(out, "child_protection_plan", c.flags.child_protection_plan);
  BoolField(out, "early_help_assessment", c.flags.early_help_assessment);
  BoolField(out, "looked_after", c.flags.looked_after);
  Close(out, '}');
  out += ',';
  Field(out, "given_names", c.given_names);
  Field(out, "gp_agency_id", c.gp_agency_id);
  Field(out, "id", c.id);
  Field(out, "nhs_number", c.nhs_number);
  Key(out, "other_names");
  out += '[';
  for (const auto& name : c.other_names) {
    Str(out, name);
    out += ',';
  }
  Close(out, ']');
  out += ',';
  Field(out, "postcode", c.postcode);
  Field(out, "school_agency_id", c.school_agency_id);
  Key(out, "services");
  out += '[';
  for (const auto& s : c.services) {
    out += '{';
    Field(out, "agency_id", s.agency_id);
    Field(out, "description", s.description);
    DateField(out, "end", s.end);
    Field(out, "start", s.start.ToString());
    Close(out, '}');
    out += ',';
  }
  Close(out, ']');
  out += ',';
  Field(out, "sex", domain::ToString(c.sex));
  BoolField(out, "shielded", c.shielded);
  Field(out, "updated_at", FormatUtc(c.updated_at));
  Field(out, "upn", c.upn);
  Key(out, "version");
  out += std::to_string(c.version);
  out += '}';
}

void Member(std::string& out, const app::MemberView& m) {
  out += '{';
  Key(out, "agency");
  if (m.agency) {
    Agency(out, *m.agency);
  } else {
    out += "null";
  }
  out += ',';
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
  std::string out;
  out.reserve(8192);  // a typical account is about 5 KB
  out += '{';
  Field(out, "access", account.access);
  Key(out, "agencies");
  out += '[';
  for (const auto& a : account.agencies) {
    Agency(out, a);
    out += ',';
  }
  Close(out, ']');
  out += ',';
  Key(out, "child");
  Child(out, account.child);
  out += ',';
  Key(out, "team");
  out += '[';
  for (const auto& m : account.team) {
    Member(out, m);
    out += ',';
  }
  Close(out, ']');
  out += '}';
  return out;
}

}  // namespace kith::http
