// Misuse detection (issue 14): flags in the audit log of one authority that an auditor should
// look at, each explained in words and tied to the audit records behind it:
// - kSameSurname / kSameAddress / kSamePostcode: a practitioner viewed, or searched and found, a
//   child who shares their surname (or a surname they declared), home address or postcode, and
//   whose team they are not on;
// - kVolume: a day's views and searches far above the practitioner's own usual day and above
//   their peers' (same role and agency) busiest days;
// - kOutOfHours: views and searches outside working hours (UK time);
// - kShieldedChild: a shielded child viewed by someone not on its team;
// - kBreakGlassUnjustified: emergency access a manager judged unjustified;
// - kJoinLeaveQuickly: joining a child's team (at once, or by an approved request) and leaving it
//   again within a day;
// - kNoInvolvement: signposting of several children in a day with whom neither the practitioner
//   nor their agency has any involvement, and whose teams they did not then join.
// Ordinary work — team members reading their own children's accounts in working hours, searches
// that find only children they work with — raises none.
//
// The detector is pure: the app layer feeds it the authority's users, a way to look up
// children, the audit records (a baseline period, then the report's window, each oldest first)
// and the reviews of emergency access, and stores what Finish returns.
// Thread safety: a MisuseDetector is used by one thread; the free functions are pure.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "common/clock.h"
#include "common/date.h"
#include "domain/audit.h"
#include "domain/audit_actions.h"

namespace kith::domain {

enum class MisuseKind {
  kSameSurname,
  kSameAddress,
  kSamePostcode,
  kVolume,
  kOutOfHours,
  kShieldedChild,
  kBreakGlassUnjustified,
  kJoinLeaveQuickly,
  kNoInvolvement,
};
std::string_view ToString(MisuseKind kind);
std::optional<MisuseKind> ParseMisuseKind(std::string_view text);

struct MisusePolicy {
  // Working hours, UK local time, Monday to Friday; weekends are out of hours.
  int workday_start_hour = 7;
  int workday_end_hour = 20;
  // A day is flagged for volume when its views and searches are at least `volume_min`, more
  // than `volume_own_factor` times the practitioner's usual day (the median of their active
  // days in the baseline) and more than `volume_peer_factor` times the 95th percentile of their
  // peers' days in the window.
  int volume_min = 40;
  double volume_own_factor = 3.0;
  double volume_peer_factor = 2.0;
  int baseline_days = 28;
  std::chrono::hours join_leave_within{24};
  // Distinct uninvolved children looked up (signposting) in one day before it is flagged.
  int uninvolved_children_per_day = 5;
  // At most this many audit records are listed behind one flag (the explanation counts all).
  size_t max_records_per_flag = 200;
};

// What the report knows of one practitioner of the authority.
struct MisuseUser {
  std::string id;
  std::string name;  // display name, for explanations
  std::string role;
  std::string agency_id;
  std::vector<std::string> surnames;  // FoldName'd: the last word of the name, and any declared
  std::string home_postcode;          // domain::NormalisePostcode'd; empty when not known
  std::string home_address;           // FoldText'd; empty when not known
  std::set<std::string> team_children;  // children whose teams the user is on now
};

// What the report knows of one child.
struct MisuseChild {
  std::string id;
  std::string name;
  std::string family_name;  // FoldName'd
  std::string postcode;     // NormalisePostcode'd
  std::string address;      // FoldText'd
  bool shielded = false;
  std::set<std::string> involved_agencies;  // school, GP practice and services' agencies
};

// A manager's review of emergency (break-glass) access.
struct BreakGlassReview {
  std::string id;
  std::string user_id;
  std::string child_id;
  TimePoint at;  // when access began
  bool justified = true;
  std::string note;
  std::vector<AuditRef> records;  // the audit records of the access and its review
};

struct MisuseFlag {
  std::string id;  // "F" + 16 hex digits, the same each time the same finding is made
  MisuseKind kind = MisuseKind::kVolume;
  std::string user_id;
  std::string child_id;  // empty when the flag is about no one child
  Date day;              // UK date of the first record behind it
  std::string explanation;
  std::vector<AuditRef> records;  // the audit records behind it, oldest first
};

class MisuseDetector {
 public:
  // Looks a child up by id (null when unknown). Called once per child id, from Finish and Add.
  using ChildLookup = std::function<const MisuseChild*(const std::string& child_id)>;

  MisuseDetector(MisusePolicy policy, std::vector<MisuseUser> users, ChildLookup children);

  // A record from before the window (for the practitioners' usual volumes). Oldest first.
  void AddBaseline(const AuditRecord& record);
  // A record of the window. Oldest first, after every baseline record.
  void Add(const AuditRecord& record);
  void AddBreakGlass(const BreakGlassReview& review);

  // The flags found, by day, then kind, then user.
  std::vector<MisuseFlag> Finish();

 private:
  struct Finding {
    std::vector<AuditRef> records;
    size_t count = 0;
    TimePoint first;
    TimePoint last;
    std::set<std::string> children;
  };
  // Keyed by kind, user, child (may be empty) and UK day number (or -1 for the whole window).
  using Key = std::tuple<MisuseKind, std::string, std::string, int64_t>;

  void Note(const Key& key, const AuditRecord& record, const std::string& child = "");
  const MisuseChild* Child(const std::string& id);
  bool OnTeam(const MisuseUser& user, const AuditRecord& record, const std::string& child) const;
  std::string Explain(const Key& key, const Finding& finding);

  MisusePolicy policy_;
  std::map<std::string, MisuseUser> users_;
  ChildLookup lookup_;
  std::map<std::string, const MisuseChild*> children_;
  std::map<std::pair<std::string, int64_t>, int> baseline_;  // (user, UK day) -> views and searches
  struct Day {
    int count = 0;
    std::vector<AuditRef> records;  // the first max_records_per_flag
  };
  std::map<std::pair<std::string, int64_t>, Day> volume_;  // (user, UK day) -> views and searches
  std::map<std::pair<std::string, std::string>, std::pair<TimePoint, AuditRef>> joined_;  // open joins
  std::map<std::pair<std::string, std::string>, TimePoint> joined_in_window_;  // (user, child) -> first join
  std::map<Key, Finding> findings_;
  std::vector<BreakGlassReview> break_glass_;
};

}  // namespace kith::domain
