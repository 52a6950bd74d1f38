#include "http/json_codec.h"

#include <algorithm>
#include <utility>

namespace kith::http {

ObjectReader::ObjectReader(const json& object, std::string path, std::initializer_list<std::string_view> allowed)
    : object_(object), path_(std::move(path)) {
  if (!object_.is_object()) {
    error_ = Error::Invalid(path_.empty() ? "body" : path_, "Expected a JSON object.");
    return;
  }
  for (auto it = object_.begin(); it != object_.end(); ++it) {
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
      Fail(it.key(), "This field is not recognised.");
      return;
    }
  }
}

std::string ObjectReader::Path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void ObjectReader::Fail(std::string_view key, std::string message) {
  if (!error_) error_ = Error::Invalid(Path(key), std::move(message));
}

const json* ObjectReader::Get(std::string_view key) const {
  if (!object_.is_object()) return nullptr;
  auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

bool ObjectReader::Has(std::string_view key) const { return Get(key) != nullptr; }

std::optional<std::string> ObjectReader::OptionalString(std::string_view key, size_t max_length) {
  const json* v = Get(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    Fail(key, "Expected text.");
    return std::nullopt;
  }
  const auto& s = v->get_ref<const std::string&>();
  if (s.size() > max_length) {
    Fail(key, "Too long (at most " + std::to_string(max_length) + " characters).");
    return std::nullopt;
  }
  return s;
}

// "Enter the date of birth." for "date_of_birth": what a person reads when a field is missing.
std::string ObjectReader::Missing(std::string_view key) {
  const auto dot = key.rfind('.');
  std::string words(dot == std::string_view::npos ? key : key.substr(dot + 1));
  for (auto& c : words) {
    if (c == '_') c = ' ';
  }
  return "Enter the " + words + ".";
}

std::string ObjectReader::String(std::string_view key, bool required, size_t max_length) {
  auto s = OptionalString(key, max_length);
  if (!s && required && !error_) Fail(key, Missing(key));
  return s.value_or("");
}

std::optional<bool> ObjectReader::OptionalBool(std::string_view key) {
  const json* v = Get(key);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    Fail(key, "Expected true or false.");
    return std::nullopt;
  }
  return v->get<bool>();
}

bool ObjectReader::Bool(std::string_view key, bool fallback) { return OptionalBool(key).value_or(fallback); }

int64_t ObjectReader::Int(std::string_view key, bool required) {
  const json* v = Get(key);
  if (!v) {
    if (required) Fail(key, Missing(key));
    return 0;
  }
  if (!v->is_number_integer()) {
    Fail(key, "Expected a whole number.");
    return 0;
  }
  return v->get<int64_t>();
}

std::optional<Date> ObjectReader::DateValue(std::string_view key, bool required) {
  auto s = OptionalString(key, 10);
  if (!s) {
    if (required && !error_) Fail(key, Missing(key));
    return std::nullopt;
  }
  auto d = Date::Parse(*s);
  if (!d) Fail(key, "Expected a date as YYYY-MM-DD.");
  return d;
}

const json& ObjectReader::Array(std::string_view key, size_t max_items) {
  static const json kEmpty = json::array();
  const json* v = Get(key);
  if (!v) return kEmpty;
  if (!v->is_array()) {
    Fail(key, "Expected a list.");
    return kEmpty;
  }
  if (v->size() > max_items) {
    Fail(key, "Too many items (at most " + std::to_string(max_items) + ").");
    return kEmpty;
  }
  return *v;
}

Result<json> ParseObject(const std::string& body) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return Error::Invalid("body", "The request body is not valid JSON.");
  if (!j.is_object()) return Error::Invalid("body", "The request body must be a JSON object.");
  return j;
}

namespace {

json DateOrNull(const std::optional<Date>& d) { return d ? json(d->ToString()) : json(nullptr); }

json CarersJson(const std::vector<domain::Carer>& list) {
  json carers = json::array();
  for (const auto& k : list) {
    carers.push_back({{"name", k.name},
                      {"relationship", k.relationship},
                      {"parental_responsibility", k.parental_responsibility},
                      {"phone", k.phone},
                      {"email", k.email},
                      {"address", k.address}});
  }
  return carers;
}

}  // namespace

json ToJson(const domain::Child& c) {
  json carers = CarersJson(c.carers);
  json services = json::array();
  for (const auto& s : c.services) {
    services.push_back({{"agency_id", s.agency_id},
                        {"description", s.description},
                        {"start", s.start.ToString()},
                        {"end", DateOrNull(s.end)}});
  }
  return {{"id", c.id},
          {"authority_id", c.authority_id},
          {"version", c.version},
          {"given_names", c.given_names},
          {"family_name", c.family_name},
          {"other_names", c.other_names},
          {"date_of_birth", DateOrNull(c.date_of_birth)},
          {"date_of_death", DateOrNull(c.date_of_death)},
          {"sex", domain::ToString(c.sex)},
          {"address", c.address},
          {"postcode", c.postcode},
          {"nhs_number", c.nhs_number},
          {"upn", c.upn},
          {"carers", std::move(carers)},  // moved: a braced list copies the lvalues it is given
          {"school_agency_id", c.school_agency_id},
          {"gp_agency_id", c.gp_agency_id},
          {"services", std::move(services)},
          {"flags",
           {{"early_help_assessment", c.flags.early_help_assessment},
            {"child_protection_plan", c.flags.child_protection_plan},
            {"looked_after", c.flags.looked_after},
            {"care_leaver", c.flags.care_leaver},
            {"special_educational_needs", c.flags.special_educational_needs}}},
          {"shielded", c.shielded},
          {"created_at", FormatUtc(c.created_at)},
          {"updated_at", FormatUtc(c.updated_at)}};
}

json ToJson(const domain::Agency& a) {
  return {{"id", a.id},
          {"authority_id", a.authority_id},
          {"name", a.name},
          {"kind", domain::ToString(a.kind)},
          {"kind_name", domain::DisplayName(a.kind)},
          {"phone", a.phone},
          {"email", a.email},
          {"address", a.address}};
}

json ToJson(const domain::LocalAuthority& la) {
  return {{"id", la.id}, {"code", la.code}, {"name", la.name}, {"require_second_factor", la.require_second_factor}};
}

json ToJson(const domain::User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"job_title", u.job_title},
          {"email", u.email},
          {"phone", u.phone},
          {"role", domain::ToString(u.role)},
          {"authority_id", u.authority_id},
          {"agency_id", u.agency_id},
          {"active", u.active},
          {"index_steward", u.index_steward},
          {"information_governance", u.information_governance},
          {"second_factor_enrolled", u.totp_enrolled},
          {"locked_until", u.locked_until ? json(FormatUtc(*u.locked_until)) : json(nullptr)},
          {"last_login_at", u.last_login_at ? json(FormatUtc(*u.last_login_at)) : json(nullptr)},
          {"version", u.version}};
}

json ToJson(const app::AuditEntryView& v) {
  json out = ToJson(v.record);
  out["actor_name"] = v.actor_name;
  return out;
}

json ToJson(const domain::AuditRecord& r) {
  json detail = r.detail.empty() ? json(nullptr) : json::parse(r.detail, nullptr, false);
  if (detail.is_discarded()) detail = r.detail;
  return {{"chain", r.chain},
          {"seq", r.seq},
          {"at", FormatUtc(r.at)},
          {"actor_id", r.actor_id},
          {"actor_role", r.actor_role},
          {"authority_id", r.authority_id},
          {"action", r.action},
          {"child_id", r.child_id},
          {"target_id", r.target_id},
          {"reason", r.reason},
          {"outcome", domain::ToString(r.outcome)},
          {"why", r.why},
          {"detail", detail},
          {"client", r.client},
          {"found_children", r.found_children},
          {"prev_hash", r.prev_hash},
          {"hash", r.hash}};
}

json ToJson(const app::MemberView& m) {
  return {{"user_id", m.member.user_id},
          {"display_name", m.display_name},
          {"job_title", m.job_title},
          {"role", m.member.role},
          {"reason", m.member.reason},
          {"lead", m.member.lead},
          {"joined_at", FormatUtc(m.member.joined_at)},
          {"email", m.email},
          {"phone", m.phone},
          {"agency", m.agency ? ToJson(*m.agency) : json(nullptr)}};
}

json ToJson(const app::ChildAccount& a) {
  json team = json::array();
  for (const auto& m : a.team) team.push_back(ToJson(m));
  json agencies = json::array();
  for (const auto& ag : a.agencies) agencies.push_back(ToJson(ag));
  return {
      {"child", ToJson(a.child)}, {"team", std::move(team)}, {"agencies", std::move(agencies)}, {"access", a.access}};
}

json ToJson(const app::Signposting& s) {
  json services = json::array();
  for (const auto& v : s.services) {
    services.push_back(
        {{"description", v.service.description},
         {"start", v.service.start.ToString()},
         {"end", DateOrNull(v.service.end)},
         {"agency", v.agency ? ToJson(*v.agency) : json(nullptr)},
         {"agency_kind", v.agency_kind ? json(domain::ToString(*v.agency_kind)) : json(nullptr)},
         {"agency_kind_name", v.agency_kind ? json(domain::DisplayName(*v.agency_kind)) : json(nullptr)}});
  }
  auto contact = [](const app::MemberView& m) -> json {
    return {{"user_id", m.member.user_id},
            {"display_name", m.display_name},
            {"role", m.member.role},
            {"email", m.email},
            {"phone", m.phone},
            {"agency", m.agency ? ToJson(*m.agency) : json(nullptr)}};
  };
  const json lead = s.lead_professional ? contact(*s.lead_professional) : json(nullptr);
  json practitioners = json::array();
  for (const auto& m : s.practitioners) practitioners.push_back(contact(m));
  return {{"child_id", s.child_id},
          {"given_names", s.given_names},
          {"family_name", s.family_name},
          {"date_of_birth", DateOrNull(s.date_of_birth)},
          {"sex", domain::ToString(s.sex)},
          {"shielded", s.shielded},
          {"address", s.address},
          {"postcode", s.postcode},
          {"early_help_assessment", s.early_help_assessment},
          {"has_lead_professional", s.has_lead_professional},
          {"lead_professional", lead},
          {"practitioners", std::move(practitioners)},
          {"services", std::move(services)},
          {"withheld", s.withheld},
          {"contact_broker", s.contact_broker ? ToJson(*s.contact_broker) : json(nullptr)},
          {"contact_through", s.contact_through.empty() ? json(nullptr) : json(s.contact_through)},
          {"break_glass", s.break_glass ? json{{"id", s.break_glass->id},
                                               {"starts_at", FormatUtc(s.break_glass->starts_at)},
                                               {"ends_at", FormatUtc(s.break_glass->ends_at)}}
                                        : json(nullptr)},
          {"carers", CarersJson(s.carers)}};
}

json ToJson(const app::ChildSummary& s) {
  return {{"child_id", s.child_id},
          {"given_names", s.given_names},
          {"family_name", s.family_name},
          {"date_of_birth", DateOrNull(s.date_of_birth)},
          {"my_role", s.my_role},
          {"i_am_lead", s.i_am_lead},
          {"flags",
           {{"early_help_assessment", s.flags.early_help_assessment},
            {"child_protection_plan", s.flags.child_protection_plan},
            {"looked_after", s.flags.looked_after},
            {"care_leaver", s.flags.care_leaver},
            {"special_educational_needs", s.flags.special_educational_needs}}}};
}

json ToJson(const app::Principal& p) {
  return {{"user", ToJson(p.user)},
          {"state", app::ToString(p.state)},
          {"csrf_token", p.session.csrf_token},
          {"session_started_at", FormatUtc(p.session.created_at)}};
}

Result<domain::Child> ChildFromJson(const json& body, bool for_update) {
  ObjectReader r(
      body, "",
      {"version", "given_names", "family_name", "other_names", "date_of_birth", "date_of_death", "sex", "address",
       "postcode",
       "nhs_number", "upn", "carers", "school_agency_id", "gp_agency_id", "services", "flags", "shielded", "reason"});
  domain::Child c;
  c.version = r.Int("version", for_update);
  c.given_names = r.String("given_names", !for_update, 100);
  c.family_name = r.String("family_name", !for_update, 100);
  for (const auto& n : r.Array("other_names", 20)) {
    if (!n.is_string()) {
      r.Fail("other_names", "Expected a list of names.");
      break;
    }
    c.other_names.push_back(n.get<std::string>());
  }
  c.date_of_birth = r.DateValue("date_of_birth");
  c.date_of_death = r.DateValue("date_of_death");
  if (auto sex = r.OptionalString("sex", 20)) {
    auto parsed = domain::ParseSex(*sex);
    if (!parsed) r.Fail("sex", "Expected female, male, indeterminate or not_known.");
    c.sex = parsed.value_or(domain::Sex::kNotKnown);
  }
  c.address = r.String("address", false, 300);
  c.postcode = r.String("postcode", false, 10);
  c.nhs_number = r.String("nhs_number", false, 14);
  c.upn = r.String("upn", false, 16);
  c.school_agency_id = r.String("school_agency_id", false, 64);
  c.gp_agency_id = r.String("gp_agency_id", false, 64);
  c.shielded = r.Bool("shielded");
  if (r.Has("flags")) {
    ObjectReader f(body.at("flags"), "flags",
                   {"early_help_assessment", "child_protection_plan", "looked_after", "care_leaver",
                    "special_educational_needs"});
    c.flags = {f.Bool("early_help_assessment"), f.Bool("child_protection_plan"), f.Bool("looked_after"),
               f.Bool("care_leaver"), f.Bool("special_educational_needs")};
    if (f.error()) return *f.error();
  }
  const json& carers = r.Array("carers", 20);
  for (size_t i = 0; i < carers.size(); ++i) {
    ObjectReader k(carers[i], "carers[" + std::to_string(i) + "]",
                   {"name", "relationship", "parental_responsibility", "phone", "email", "address"});
    c.carers.push_back({k.String("name", true, 200), k.String("relationship", true, 100),
                        k.Bool("parental_responsibility"), k.String("phone", false, 40), k.String("email", false, 254),
                        k.String("address", false, 300)});
    if (k.error()) return *k.error();
  }
  const json& services = r.Array("services", 100);
  for (size_t i = 0; i < services.size(); ++i) {
    ObjectReader s(services[i], "services[" + std::to_string(i) + "]", {"agency_id", "description", "start", "end"});
    domain::ServiceInvolvement v;
    v.agency_id = s.String("agency_id", true, 64);
    v.description = s.String("description", false, 200);
    v.start = s.DateValue("start", true).value_or(Date{});
    v.end = s.DateValue("end");
    if (s.error()) return *s.error();
    c.services.push_back(std::move(v));
  }
  if (r.error()) return *r.error();
  return c;
}

Result<app::ChildChanges> ChildChangesFromJson(const json& body) {
  // Parsed and checked as a whole record, then only the fields present are taken.
  auto parsed = ChildFromJson(body, true);
  if (!parsed) return parsed.error();
  const auto has = [&](const json& object, const char* key) { return object.contains(key); };
  app::ChildChanges c;
  c.version = parsed->version;
  if (has(body, "given_names")) c.given_names = parsed->given_names;
  if (has(body, "family_name")) c.family_name = parsed->family_name;
  if (has(body, "other_names")) c.other_names = parsed->other_names;
  if (has(body, "date_of_birth")) c.date_of_birth = parsed->date_of_birth;
  if (has(body, "date_of_death")) c.date_of_death = parsed->date_of_death;
  if (has(body, "sex")) c.sex = parsed->sex;
  if (has(body, "address")) c.address = parsed->address;
  if (has(body, "postcode")) c.postcode = parsed->postcode;
  if (has(body, "nhs_number")) c.nhs_number = parsed->nhs_number;
  if (has(body, "upn")) c.upn = parsed->upn;
  if (has(body, "carers")) c.carers = parsed->carers;
  if (has(body, "school_agency_id")) c.school_agency_id = parsed->school_agency_id;
  if (has(body, "gp_agency_id")) c.gp_agency_id = parsed->gp_agency_id;
  if (has(body, "services")) c.services = parsed->services;
  if (has(body, "shielded")) c.shielded = parsed->shielded;
  if (has(body, "flags")) {
    const json& f = body.at("flags");
    if (has(f, "early_help_assessment")) c.early_help_assessment = parsed->flags.early_help_assessment;
    if (has(f, "child_protection_plan")) c.child_protection_plan = parsed->flags.child_protection_plan;
    if (has(f, "looked_after")) c.looked_after = parsed->flags.looked_after;
    if (has(f, "care_leaver")) c.care_leaver = parsed->flags.care_leaver;
    if (has(f, "special_educational_needs")) c.special_educational_needs = parsed->flags.special_educational_needs;
  }
  return c;
}

}  // namespace kith::http
