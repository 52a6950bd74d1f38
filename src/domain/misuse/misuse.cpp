#include "domain/misuse/misuse.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/encoding.h"
#include "domain/account/uk_time.h"

namespace kith::domain {
namespace {

constexpr std::array<std::pair<MisuseKind, std::string_view>, 9> kKinds{{
    {MisuseKind::kSameSurname, "same_surname"},
    {MisuseKind::kSameAddress, "same_address"},
    {MisuseKind::kSamePostcode, "same_postcode"},
    {MisuseKind::kVolume, "volume"},
    {MisuseKind::kOutOfHours, "out_of_hours"},
    {MisuseKind::kShieldedChild, "shielded_child"},
    {MisuseKind::kBreakGlassUnjustified, "break_glass_unjustified"},
    {MisuseKind::kJoinLeaveQuickly, "join_leave_quickly"},
    {MisuseKind::kNoInvolvement, "no_involvement"},
}};

constexpr std::string_view kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                        "July",    "August",   "September", "October", "November", "December"};

std::string DayText(const Date& d) { return fmt::format("{} {} {}", d.day, kMonths[d.month - 1], d.year); }

std::string ClockText(TimePoint t) {
  const auto civil = ToUkCivil(t);
  return fmt::format("{:02}:{:02}", civil.time.hour, civil.time.minute);
}

// The access decision said the actor was on the child's team (or supervises someone who is).
bool TeamReason(std::string_view why) {
  return why.starts_with("team member") || why == "lead professional" || why == "manager of a team member";
}

bool Counts(const AuditRecord& r, AuditActionKind kind) {
  if (r.outcome != AuditOutcome::kAllowed) return false;
  const auto* action = FindAuditAction(r.action);
  return action && action->kind == kind;
}

std::string Plural(size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

double Median(std::vector<int> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2.0;
}

double Percentile95(std::vector<int> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(0.95 * static_cast<double>(v.size())))];
}

}  // namespace

std::string_view ToString(MisuseKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return "volume";
}

std::optional<MisuseKind> ParseMisuseKind(std::string_view text) {
  for (const auto& [k, name] : kKinds) {
    if (name == text) return k;
  }
  return std::nullopt;
}

MisuseDetector::MisuseDetector(MisusePolicy policy, std::vector<MisuseUser> users, ChildLookup children)
    : policy_(policy), lookup_(std::move(children)) {
  for (auto& u : users) {
    const std::string id = u.id;
    users_.emplace(id, std::move(u));
  }
}

const MisuseChild* MisuseDetector::Child(const std::string& id) {
  auto [it, fresh] = children_.try_emplace(id, nullptr);
  if (fresh) it->second = lookup_(id);
  return it->second;
}

bool MisuseDetector::OnTeam(const MisuseUser& user, const AuditRecord& record, const std::string& child) const {
  if (record.child_id == child && TeamReason(record.why)) return true;
  if (user.team_children.count(child)) return true;
  return joined_in_window_.count({user.id, child}) > 0;
}

void MisuseDetector::Note(const Key& key, const AuditRecord& record, const std::string& child) {
  Finding& f = findings_[key];
  if (f.count == 0) f.first = record.at;
  f.last = record.at;
  ++f.count;
  if (f.records.size() < policy_.max_records_per_flag && (f.records.empty() || f.records.back() != RefOf(record))) {
    f.records.push_back(RefOf(record));
  }
  if (!child.empty()) f.children.insert(child);
}

void MisuseDetector::AddBaseline(const AuditRecord& r) {
  if (!users_.count(r.actor_id)) return;
  if (Counts(r, AuditActionKind::kView) || Counts(r, AuditActionKind::kSearch)) {
    ++baseline_[{r.actor_id, UkDayNumber(r.at)}];
  }
}

void MisuseDetector::Add(const AuditRecord& r) {
  // Joining: at once ("team.join", by the joiner) or by a decision ("team.join_approve", by the
  // lead, duty team or manager; the joiner is the request's "requester").
  if (r.outcome == AuditOutcome::kAllowed && (r.action == "team.join" || r.action == "team.join_approve")) {
    std::string joiner = r.actor_id;
    if (r.action == "team.join_approve") {
      const auto detail = nlohmann::json::parse(r.detail, nullptr, false);
      joiner = detail.is_object() && detail.value("requester", nlohmann::json()).is_string()
                   ? detail["requester"].get<std::string>()
                   : "";
    }
    if (users_.count(joiner)) {
      joined_[{joiner, r.child_id}] = {r.at, RefOf(r)};
      joined_in_window_.try_emplace({joiner, r.child_id}, r.at);
    }
  }
  const auto user_it = users_.find(r.actor_id);
  if (user_it == users_.end()) return;
  const MisuseUser& user = user_it->second;
  const int64_t day = UkDayNumber(r.at);

  if (r.outcome == AuditOutcome::kAllowed && r.action == "team.leave") {
    auto it = joined_.find({user.id, r.child_id});
    if (it != joined_.end()) {
      if (r.at - it->second.first <= policy_.join_leave_within) {
        AuditRecord join = r;
        join.chain = it->second.second.chain;
        join.seq = it->second.second.seq;
        join.at = it->second.first;
        const Key key{MisuseKind::kJoinLeaveQuickly, user.id, r.child_id, UkDayNumber(join.at)};
        Note(key, join);
        Note(key, r);
      }
      joined_.erase(it);
    }
  }

  const bool view = Counts(r, AuditActionKind::kView);
  const bool search = Counts(r, AuditActionKind::kSearch);
  if (!view && !search) return;
  Day& counted = volume_[{user.id, day}];
  ++counted.count;
  if (counted.records.size() < policy_.max_records_per_flag) counted.records.push_back(RefOf(r));

  // Working hours are Monday to Friday, workday_start_hour to workday_end_hour, UK time.
  const auto civil = ToUkCivil(r.at);
  const int weekday = DayOfWeek(civil.date);
  if (weekday >= 5 || civil.time.hour < policy_.workday_start_hour || civil.time.hour >= policy_.workday_end_hour) {
    Note({MisuseKind::kOutOfHours, user.id, "", day}, r);
  }

  // The children concerned: the one viewed, or those the search found.
  std::vector<std::string> concerned = r.found_children;
  if (view && !r.child_id.empty()) concerned.push_back(r.child_id);
  for (const auto& child_id : concerned) {
    const MisuseChild* child = Child(child_id);
    if (!child || OnTeam(user, r, child_id)) continue;
    if (!user.home_address.empty() && child->address == user.home_address) {
      Note({MisuseKind::kSameAddress, user.id, child_id, -1}, r, child_id);
    } else if (!user.home_postcode.empty() && child->postcode == user.home_postcode) {
      Note({MisuseKind::kSamePostcode, user.id, child_id, -1}, r, child_id);
    }
    if (!child->family_name.empty() &&
        std::find(user.surnames.begin(), user.surnames.end(), child->family_name) != user.surnames.end()) {
      Note({MisuseKind::kSameSurname, user.id, child_id, -1}, r, child_id);
    }
    if (view && child->shielded) Note({MisuseKind::kShieldedChild, user.id, child_id, day}, r, child_id);
    if (view && r.action == "child.signposting" && !user.agency_id.empty() &&
        !child->involved_agencies.count(user.agency_id)) {
      Note({MisuseKind::kNoInvolvement, user.id, "", day}, r, child_id);
    }
  }
}

void MisuseDetector::AddBreakGlass(const BreakGlassReview& review) { break_glass_.push_back(review); }

std::string MisuseDetector::Explain(const Key& key, const Finding& f) {
  const auto& [kind, user_id, child_id, day] = key;
  const MisuseChild* child = child_id.empty() ? nullptr : Child(child_id);
  const std::string who = users_.count(user_id) ? users_.at(user_id).name : user_id;
  const std::string whom = child ? child->name : child_id;
  const std::string times = Plural(f.count, "time", "times");
  switch (kind) {
    case MisuseKind::kSameSurname:
      return fmt::format("{} looked at or found {} {}, who shares their surname, without being on the child's team "
                         "(between {} and {}).",
                         who, whom, times, DayText(UkDate(f.first)), DayText(UkDate(f.last)));
    case MisuseKind::kSameAddress:
      return fmt::format("{} looked at or found {} {}; the child lives at {}'s own home address, and {} is not on "
                         "the child's team.",
                         who, whom, times, who, who);
    case MisuseKind::kSamePostcode:
      return fmt::format("{} looked at or found {} {}; the child's postcode is {}'s home postcode, and {} is not on "
                         "the child's team.",
                         who, whom, times, who, who);
    case MisuseKind::kOutOfHours:
      return fmt::format("{} viewed or searched {} outside working hours (Monday to Friday, {:02}:00 to {:02}:00) on "
                         "{}, from {} to {}.",
                         who, times, policy_.workday_start_hour, policy_.workday_end_hour,
                         DayText(Date::FromDays(day)), ClockText(f.first), ClockText(f.last));
    case MisuseKind::kShieldedChild:
      return fmt::format("{} viewed shielded child {} {} on {} without being on the child's team.", who, whom, times,
                         DayText(Date::FromDays(day)));
    case MisuseKind::kJoinLeaveQuickly:
      return fmt::format("{} joined the team of {} at {} on {} and left it at {} on {}.", who, whom,
                         ClockText(f.first), DayText(UkDate(f.first)), ClockText(f.last), DayText(UkDate(f.last)));
    case MisuseKind::kNoInvolvement:
      return fmt::format("{} looked up {} on {} (signposting) with whom neither they nor their agency has any "
                         "recorded involvement, and whose teams they did not join.",
                         who, Plural(f.children.size(), "child", "children"), DayText(Date::FromDays(day)));
    case MisuseKind::kVolume:
    case MisuseKind::kBreakGlassUnjustified:
      break;  // explained where they are found
  }
  return {};
}

std::vector<MisuseFlag> MisuseDetector::Finish() {
  std::vector<MisuseFlag> out;
  auto flag = [&](MisuseKind kind, const std::string& user, const std::string& child, const Date& day,
                  std::string explanation, std::vector<AuditRef> records) {
    MisuseFlag f;
    f.kind = kind;
    f.user_id = user;
    f.child_id = child;
    f.day = day;
    f.explanation = std::move(explanation);
    f.records = std::move(records);
    f.id = "F" + Sha256Hex(std::string(ToString(kind)) + "|" + user + "|" + child + "|" + day.ToString()).substr(0, 16);
    out.push_back(std::move(f));
  };

  for (const auto& [key, finding] : findings_) {
    const auto& [kind, user, child, day] = key;
    // Looking up uninvolved children is ordinary signposting until it becomes a pattern, and
    // a child whose team the practitioner then joined was not uninvolved.
    if (kind == MisuseKind::kNoInvolvement) {
      size_t uninvolved = 0;
      for (const auto& c : finding.children) uninvolved += joined_in_window_.count({user, c}) ? 0 : 1;
      if (uninvolved < static_cast<size_t>(policy_.uninvolved_children_per_day)) continue;
    }
    const Date first_day = day >= 0 ? Date::FromDays(day) : UkDate(finding.first);
    flag(kind, user, child, first_day, Explain(key, finding), finding.records);
  }

  // Volume: the practitioner's own usual day, and their peers' (same role and agency) days.
  std::map<std::string, std::vector<int>> own;  // user -> baseline active-day counts
  for (const auto& [k, n] : baseline_) own[k.first].push_back(n);
  // Each peer group's (role, agency) days in the window, by user.
  std::map<std::pair<std::string, std::string>, std::map<std::string, std::vector<int>>> groups;
  for (const auto& [k, counted] : volume_) {
    const MisuseUser& u = users_.at(k.first);
    groups[{u.role, u.agency_id}][u.id].push_back(counted.count);
  }
  std::map<std::string, std::pair<double, size_t>> peer_p95;  // user -> (p95 of the others' days, days)
  for (const auto& [k, counted] : volume_) {
    const MisuseUser& u = users_.at(k.first);
    const int count = counted.count;
    if (count < policy_.volume_min) continue;
    const double usual = Median(own[u.id]);
    auto [cached, fresh] = peer_p95.try_emplace(u.id);
    if (fresh) {
      std::vector<int> others;
      for (const auto& [peer, days] : groups[{u.role, u.agency_id}]) {
        if (peer != u.id) others.insert(others.end(), days.begin(), days.end());
      }
      const size_t days = others.size();
      cached->second = {Percentile95(std::move(others)), days};
    }
    const auto [peer, peer_days] = cached->second;
    if (count <= policy_.volume_own_factor * std::max(usual, 1.0) ||
        count <= policy_.volume_peer_factor * std::max(peer, 1.0)) {
      continue;
    }
    const Date d = Date::FromDays(k.second);
    flag(MisuseKind::kVolume, u.id, "", d,
         fmt::format("{} viewed or searched {} on {}: their usual day over the previous {} days is {:g} ({}), and "
                     "95% of their peers' days ({}, same role and agency) are at most {:g}.",
                     u.name, Plural(static_cast<size_t>(count), "time", "times"), DayText(d), policy_.baseline_days,
                     usual, usual > 0 ? fmt::format("{:.0f} times as many today", count / usual) : "no activity before",
                     Plural(peer_days, "day", "days"), peer),
         counted.records);
  }

  for (const auto& review : break_glass_) {
    if (review.justified) continue;
    const MisuseChild* child = Child(review.child_id);
    const std::string who = users_.count(review.user_id) ? users_.at(review.user_id).name : review.user_id;
    flag(MisuseKind::kBreakGlassUnjustified, review.user_id, review.child_id, UkDate(review.at),
         fmt::format("A manager judged {}'s emergency access to {} on {} unjustified: {}", who,
                     child ? child->name : review.child_id, DayText(UkDate(review.at)), review.note),
         review.records);
  }

  std::sort(out.begin(), out.end(), [](const MisuseFlag& a, const MisuseFlag& b) {
    return std::tie(a.day, a.kind, a.user_id, a.child_id) < std::tie(b.day, b.kind, b.user_id, b.child_id);
  });
  return out;
}

}  // namespace kith::domain
