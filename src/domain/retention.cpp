#include "domain/retention.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "domain/team.h"

namespace kith::domain {
namespace {

// Whole periods above this are refused: no retention rule needs a century, and it keeps every
// date computed from a valid rule inside Date's range.
constexpr int kMaxYears = 100;

Date AddWholeMonths(const Date& date, int64_t months) {
  const int64_t index = int64_t{date.year} * 12 + (date.month - 1) + months;
  Date out{static_cast<int>(index / 12), static_cast<int>(index % 12) + 1, date.day};
  if (out.day > DaysInMonth(out.year, out.month)) {
    // The day does not exist in that month: the period ends at the start of the next month.
    out = Date::FromDays(Date{out.year, out.month, DaysInMonth(out.year, out.month)}.ToDays() + 1);
  }
  return out;
}

// Day intervals [begin, end) of the holds counted on `as_of`, sorted and merged.
std::vector<std::pair<int64_t, int64_t>> HeldDays(const std::vector<LegalHold>& holds, const Date& as_of) {
  std::vector<std::pair<int64_t, int64_t>> days;
  for (const auto& h : holds) {
    if (h.starts_on > as_of) continue;
    const int64_t begin = h.starts_on.ToDays();
    const int64_t end = h.EndsBefore().ToDays();
    if (end > begin) days.emplace_back(begin, end);
  }
  std::sort(days.begin(), days.end());
  std::vector<std::pair<int64_t, int64_t>> merged;
  for (const auto& d : days) {
    if (!merged.empty() && d.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, d.second);
    } else {
      merged.push_back(d);
    }
  }
  return merged;
}

// The day a clock started on `start` and due on `nominal` falls due once the held days after
// `start` are not counted. A hold that starts after the (moved) due day does not move it: the
// step was already due (Assess makes it wait while such a hold is in force).
Date StopTheClock(const Date& start, const Date& nominal, const std::vector<std::pair<int64_t, int64_t>>& held) {
  const int64_t from = start.ToDays();
  int64_t due = nominal.ToDays();
  for (const auto& [begin, end] : held) {
    if (end <= from) continue;
    if (begin > due) break;
    due += end - std::max(begin, from);
  }
  return Date::FromDays(due);
}

Status CheckPeriod(const char* field, int value, int min, const std::string& why_min, int max) {
  if (value < 0) return Error::Invalid(field, fmt::format("{} cannot be negative (it is {}).", field, value));
  if (value < min) return Error::Invalid(field, why_min);
  if (value > max) return Error::Invalid(field, fmt::format("{} must be at most {} (it is {}).", field, max, value));
  return Ok{};
}

bool IsDestructive(RetentionStep step) {
  return step == RetentionStep::kPurge || step == RetentionStep::kRemoveFromIndex;
}

}  // namespace

Date AddYears(const Date& date, int years) { return AddWholeMonths(date, int64_t{years} * 12); }
Date AddMonths(const Date& date, int months) { return AddWholeMonths(date, months); }

Status ValidateRetentionRules(const RetentionRules& r) {
  if (auto s = CheckPeriod("archive_age_years", r.archive_age_years, 1,
                           "archive_age_years must be at least 1: a child's account cannot be archived at birth.",
                           kMaxYears);
      !s) {
    return s;
  }
  if (auto s = CheckPeriod("extended_archive_age_years", r.extended_archive_age_years, 1,
                           "extended_archive_age_years must be at least 1.", kMaxYears);
      !s) {
    return s;
  }
  if (r.extended_archive_age_years < r.archive_age_years) {
    return Error::Invalid("extended_archive_age_years",
                          fmt::format("extended_archive_age_years ({}) is below archive_age_years ({}): care leavers "
                                      "and young people with SEN would be archived before every other child.",
                                      r.extended_archive_age_years, r.archive_age_years));
  }
  if (auto s = CheckPeriod("purge_after_archive_years", r.purge_after_archive_years, 1,
                           fmt::format("purge_after_archive_years must be at least 1: a purge {} years after archive "
                                       "would come with the archive, not after it.",
                                       r.purge_after_archive_years),
                           kMaxYears);
      !s) {
    return s;
  }
  if (auto s = CheckPeriod("purge_after_death_years", r.purge_after_death_years, 1,
                           fmt::format("purge_after_death_years must be at least 1: a purge {} years after a death "
                                       "would come with the archive the death starts, not after it.",
                                       r.purge_after_death_years),
                           kMaxYears);
      !s) {
    return s;
  }
  return CheckPeriod("remove_unused_after_months", r.remove_unused_after_months, 1,
                     "remove_unused_after_months must be at least 1: a child would leave the index the day the "
                     "record is made.",
                     kMaxYears * 12);
}

std::string_view ToString(LegalHoldKind kind) {
  switch (kind) {
    case LegalHoldKind::kLitigation:
      return "litigation";
    case LegalHoldKind::kInquiry:
      return "inquiry";
    case LegalHoldKind::kSafeguardingReview:
      return "safeguarding_review";
  }
  return "litigation";
}

std::optional<LegalHoldKind> ParseLegalHoldKind(std::string_view text) {
  for (auto k : {LegalHoldKind::kLitigation, LegalHoldKind::kInquiry, LegalHoldKind::kSafeguardingReview}) {
    if (ToString(k) == text) return k;
  }
  return std::nullopt;
}

Date LegalHold::EndsBefore() const {
  const Date after_end = Date::FromDays(ends_on.ToDays() + 1);
  return released_on && *released_on < after_end ? *released_on : after_end;
}

Result<LegalHold> NewLegalHold(const std::string& child_id, const std::string& authority_id, std::string_view kind,
                               std::string_view reason, const Date& ends_on, const std::string& placed_by,
                               TimePoint now) {
  auto k = ParseLegalHoldKind(kind);
  if (!k) return Error::Invalid("kind", "kind must be litigation, inquiry or safeguarding_review.");
  auto r = ValidateReason(reason);
  if (!r) return Error::Invalid("reason", r.error().message);
  const Date today = Date::FromTime(now);
  if (!ends_on.IsValid() || ends_on < today) {
    return Error::Invalid("ends_on", "The hold's end date must be today or later.");
  }
  if (ends_on > AddYears(today, kMaxLegalHoldYears)) {
    return Error::Invalid("ends_on", fmt::format("A hold may last at most {} years; place a new one when it ends.",
                                                 kMaxLegalHoldYears));
  }
  LegalHold h;
  h.child_id = child_id;
  h.authority_id = authority_id;
  h.kind = *k;
  h.reason = std::move(r).value();
  h.starts_on = today;
  h.ends_on = ends_on;
  h.placed_by = placed_by;
  h.placed_at = now;
  return h;
}

Status ReleaseLegalHold(LegalHold& hold, std::string_view reason, const std::string& released_by, const Date& today) {
  auto r = ValidateReason(reason);
  if (!r) return Error::Invalid("reason", r.error().message);
  if (!hold.InForceOn(today)) return Error::Conflict("This hold is no longer in force.");
  hold.released_on = today;
  hold.released_by = released_by;
  hold.release_reason = std::move(r).value();
  return Ok{};
}

std::string_view ToString(RetentionStep step) {
  switch (step) {
    case RetentionStep::kNone:
      return "none";
    case RetentionStep::kArchive:
      return "archive";
    case RetentionStep::kPurge:
      return "purge";
    case RetentionStep::kRemoveFromIndex:
      return "remove_from_index";
  }
  return "none";
}

std::string_view ToString(RetentionRule rule) {
  switch (rule) {
    case RetentionRule::kNone:
      return "none";
    case RetentionRule::kArchiveAge:
      return "archive_age";
    case RetentionRule::kExtendedArchiveAge:
      return "extended_archive_age";
    case RetentionRule::kDeath:
      return "death";
    case RetentionRule::kPurgeAfterArchive:
      return "purge_after_archive";
    case RetentionRule::kPurgeAfterDeath:
      return "purge_after_death";
    case RetentionRule::kUnused:
      return "unused";
  }
  return "none";
}

RetentionAssessment Assess(const RetentionFacts& f, const RetentionRules& rules, const Date& as_of) {
  const auto held = HeldDays(f.holds, as_of);
  RetentionAssessment a;
  if (!f.archived_on) {
    if (f.date_of_birth) {
      const bool extended = f.care_leaver || f.special_educational_needs;
      a.next = RetentionStep::kArchive;
      a.next_on = AddYears(*f.date_of_birth, extended ? rules.extended_archive_age_years : rules.archive_age_years);
      a.rule = extended ? RetentionRule::kExtendedArchiveAge : RetentionRule::kArchiveAge;
    }
    if (f.date_of_death && (!a.next_on || *f.date_of_death < *a.next_on)) {
      a.next = RetentionStep::kArchive;
      a.next_on = *f.date_of_death;
      a.rule = RetentionRule::kDeath;
    }
    if (!f.ever_had_team && !f.involved_now) {
      const Date start = std::max(f.created_on, f.last_service_on.value_or(f.created_on));
      const Date remove_on = StopTheClock(start, AddMonths(start, rules.remove_unused_after_months), held);
      // On the same day, removal wins: it goes further and there is no case to keep.
      if (!a.next_on || remove_on <= *a.next_on) {
        a.next = RetentionStep::kRemoveFromIndex;
        a.next_on = remove_on;
        a.rule = RetentionRule::kUnused;
      }
    }
  } else {
    const bool died = f.date_of_death.has_value();
    const Date start = died ? *f.date_of_death : *f.archived_on;
    a.next = RetentionStep::kPurge;
    a.next_on = StopTheClock(
        start, AddYears(start, died ? rules.purge_after_death_years : rules.purge_after_archive_years), held);
    a.rule = died ? RetentionRule::kPurgeAfterDeath : RetentionRule::kPurgeAfterArchive;
  }
  if (!a.next_on) return a;
  if (IsDestructive(a.next)) {
    const int64_t today = as_of.ToDays();
    for (const auto& h : f.holds) {
      if (h.InForceOn(as_of)) a.held_by.push_back(h.id);
    }
    for (const auto& [begin, end] : held) {
      if (begin <= today && today < end && Date::FromDays(end) > *a.next_on) a.next_on = Date::FromDays(end);
    }
    if (!a.held_by.empty()) return a;
  }
  if (*a.next_on <= as_of) a.due = a.next;
  return a;
}

Status CheckRuleChange(const RetentionRules& current, const RetentionRules& proposed,
                       std::span<const RetentionFacts> held, const Date& today) {
  if (auto s = ValidateRetentionRules(proposed); !s) return s;
  for (const auto& f : held) {
    RetentionFacts unheld = f;
    unheld.holds.clear();
    const auto before = Assess(unheld, current, today);
    const auto after = Assess(unheld, proposed, today);
    if (!IsDestructive(after.next) || !after.next_on) continue;
    if (before.next == after.next && before.next_on && *after.next_on >= *before.next_on) continue;
    for (const auto& h : f.holds) {
      if (!h.InForceOn(today) || *after.next_on >= h.EndsBefore()) continue;
      return Error::Conflict(fmt::format(
          "These rules would bring the {} of child {} to {}, while hold {} ({}) keeps the record until {}: release "
          "the hold first, or choose rules that do not purge a child under a hold.",
          after.next == RetentionStep::kPurge ? "purge" : "removal from the index", f.child_id,
          after.next_on->ToString(), h.id, ToString(h.kind), h.ends_on.ToString()));
    }
  }
  return Ok{};
}

}  // namespace kith::domain
