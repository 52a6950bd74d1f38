// Use cases of the child's account (issue 3): the multi-agency chronology (entries,
// corrections that keep history, filters, CSV import, a printable view), agency contact over
// time, the forum, the word cloud, the relationships wheel, and each practitioner's news feed
// and alerts.
//
// Access: every act goes through the ChildGate (child_gate.h): reading needs
// domain::ChildAction::kViewAccount (the team, break-glass, managers supervising a member of
// their agency), adding needs kContribute (the team). Every read, every write and every refusal
// is audited: a change and its audit record are written in the same transaction; a read is
// audited before it is returned. Entries, posts,
// people and team changes also make feed items for the team; serious entries and new wheel
// findings alert the lead professional; @mentions alert the person mentioned. After each write
// the LiveHub (if any) is told, so connected team members see it at once.
//
// Thread safety: safe from any thread.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "app/child_gate.h"
#include "app/context.h"
#include "app/live_hub.h"
#include "app/principal.h"
#include "app/visibility.h"
#include "app/word_index.h"
#include "common/result.h"
#include "domain/account/chronology.h"
#include "domain/account/contact_series.h"
#include "domain/account/wheel.h"
#include "domain/account/word_cloud.h"
#include "domain/child.h"
#include "storage/repositories.h"

namespace kith::app {

// An entry with the names a reader needs.
struct EntryView {
  storage::StoredEntry stored;
  std::string agency_name;
  std::string author_name;
  // Of the lineage; none recorded (an entry from before issue 5) counts as team only.
  std::optional<storage::VisibilityRow> visibility;
};

struct NewEntry {
  Date occurred_on;
  std::optional<domain::TimeOfDay> occurred_time;
  domain::EntryType type = domain::EntryType::kNote;
  domain::Significance significance = domain::Significance::kRoutine;
  std::string summary;
  std::string detail;
  // Absent: the authority's default for the type (domain/account/family.h).
  std::optional<domain::VisibilityChoice> visibility;
};

// Absent fields keep the current version's value.
struct EntryCorrection {
  std::optional<Date> occurred_on;
  std::optional<std::optional<domain::TimeOfDay>> occurred_time;  // set to nullopt to clear
  std::optional<domain::EntryType> type;
  std::optional<domain::Significance> significance;
  std::optional<std::string> summary;
  std::optional<std::string> detail;
  std::string reason;
  std::optional<domain::VisibilityChoice> visibility;  // absent: the entry keeps its visibility
};

struct ImportReport {
  int imported = 0;
  int rows_read = 0;
  std::vector<domain::CsvRowError> errors;
};

struct PrintableChronology {
  domain::Child child;
  std::vector<EntryView> entries;    // chronological (oldest first), current versions
  std::vector<EntryView> corrected;  // earlier versions, oldest first (shown as history)
  TimePoint printed_at;
  std::string printed_by;
  std::string printed_by_role;  // job title and agency ("Social worker, Northbrook Children's Services")
};

struct AgencyInfo {
  std::string id;
  std::string name;
  domain::AgencyKind kind = domain::AgencyKind::kVoluntarySector;
};

struct ContactSeriesView {
  domain::ContactSeries series;
  std::vector<AgencyInfo> agencies;  // one per series.agencies, same order
};

struct ThreadView {
  storage::ForumThread thread;
  std::string author_name;
  std::optional<storage::VisibilityRow> visibility;  // none recorded counts as team only
};

struct PostView {
  storage::ForumPost post;
  std::string author_name;
};

struct ThreadDetail {
  ThreadView thread;
  std::vector<PostView> posts;
};

struct NewPerson {
  std::string name;
  domain::RelationshipType relationship = domain::RelationshipType::kUnknown;
  bool lives_with_child = false;
  std::optional<Date> since;
  std::optional<Date> date_of_birth;
  std::optional<bool> adult;
  std::string notes;
  std::optional<bool> verified;  // updates only
};

struct PersonView {
  storage::StoredPerson person;  // for practitioners: id is the user id, not stored
  bool adult = false;            // as the wheel rules judge it (unknown counts as adult)
  std::string user_id;           // practitioners on the team
};

struct WheelView {
  domain::Child child;
  int age = 0;
  std::vector<PersonView> people;
  std::vector<domain::WheelFinding> findings;
};

struct AlertView {
  storage::Alert alert;
  std::string child_name;
};

struct AccountSummary {
  std::vector<EntryView> latest;  // newest first
  ContactSeriesView contact;
  std::vector<domain::CloudTerm> words;
  std::vector<domain::WheelFinding> findings;
};

struct RelationshipTypeInfo {
  domain::RelationshipType type;
  std::string_view label;
};

class AccountService {
 public:
  // `hub` may be null (no live updates). The word index must outlive the service.
  AccountService(Context& context, WordIndex& words, LiveHub* hub = nullptr)
      : ctx_(context), words_(words), hub_(hub) {}

  // --- Chronology: errors kNotFound (no child / entry), kForbidden, kInvalidInput, kConflict.
  Result<std::vector<EntryView>> Chronology(const Principal& p, const std::string& child_id,
                                            const domain::ChronologyFilter& filter);  // newest first
  Result<EntryView> AddEntry(const Principal& p, const std::string& child_id, const NewEntry& entry);
  // kConflict if entry_id is not the latest version of its lineage.
  Result<EntryView> CorrectEntry(const Principal& p, const std::string& child_id, const std::string& entry_id,
                                 const EntryCorrection& correction);
  Result<std::vector<EntryView>> EntryHistory(const Principal& p, const std::string& child_id,
                                              const std::string& entry_id);  // oldest first
  // Imports the good rows of a CSV file (agency column: the name or id of an agency of the
  // child's authority) and reports the bad ones.
  Result<ImportReport> Import(const Principal& p, const std::string& child_id, const std::string& csv);
  Result<PrintableChronology> Print(const Principal& p, const std::string& child_id);

  Result<ContactSeriesView> ContactSeries(const Principal& p, const std::string& child_id,
                                          const domain::SeriesOptions& options);

  // --- Forum
  Result<std::vector<ThreadView>> Threads(const Principal& p, const std::string& child_id);
  // Visibility absent: the authority's default for forum threads.
  Result<ThreadDetail> CreateThread(const Principal& p, const std::string& child_id, const std::string& category,
                                    const std::string& title, const std::string& body,
                                    const std::optional<domain::VisibilityChoice>& visibility = std::nullopt);
  Result<ThreadDetail> Thread(const Principal& p, const std::string& child_id, const std::string& thread_id);
  Result<PostView> AddPost(const Principal& p, const std::string& child_id, const std::string& thread_id,
                           const std::string& body, const std::string& reply_to);
  // Author only (kForbidden otherwise); the previous text stays in the history.
  Result<PostView> EditPost(const Principal& p, const std::string& child_id, const std::string& thread_id,
                            const std::string& post_id, const std::string& body);
  Result<std::vector<storage::PostVersion>> PostHistory(const Principal& p, const std::string& child_id,
                                                        const std::string& thread_id, const std::string& post_id);
  // Records the thread as a chronology entry linked both ways. Summary defaults to the title,
  // detail is the opening post. kConflict if already promoted.
  Result<EntryView> Promote(const Principal& p, const std::string& child_id, const std::string& thread_id,
                            const NewEntry& entry);

  // --- Word cloud: the n (1..200) heaviest terms; names of the child, carers and wheel
  // people are left out.
  Result<std::vector<domain::CloudTerm>> WordCloud(const Principal& p, const std::string& child_id, size_t n);

  // --- Wheel
  Result<WheelView> Wheel(const Principal& p, const std::string& child_id);
  Result<PersonView> AddPerson(const Principal& p, const std::string& child_id, const NewPerson& person);
  Result<PersonView> UpdatePerson(const Principal& p, const std::string& child_id, const std::string& person_id,
                                  const NewPerson& person);
  static std::vector<RelationshipTypeInfo> RelationshipTypes();

  // --- Feed and alerts (the caller's own; no child id)
  Result<std::vector<FeedItemView>> Feed(const Principal& p, int limit);
  Result<std::vector<AlertView>> Alerts(const Principal& p, int limit);
  Status MarkAlertRead(const Principal& p, const std::string& alert_id);

  // Latest 20 entries, contact series (auto), top 50 words and wheel findings, in one call.
  Result<AccountSummary> Summary(const Principal& p, const std::string& child_id);

  // Whether the user may see the child's account now (for LiveHub): decided as a read of the
  // account would be. Reads the store.
  bool MaySee(const std::string& user_id, const std::string& child_id);
  // Audits live updates delivered (for LiveHub): for an event carrying a feed item — its
  // summary is case content — one "live.push" record per receiving user, in one write.
  void RecordLive(const LiveEvent& event, const std::vector<std::string>& user_ids);

  using Access = ChildAccess;

  // A child's entries are checked for a sudden rise in contact (AlertContactRises) after they are
  // written, at most once this often per child in this process: the check reads every current
  // entry of the child, so one per entry cost more with every entry a busy child had
  // (docs/BENCHMARKS.md, "Soak", run 5). A check put off is made by the next entry after the
  // interval or by CheckPendingRises, so a rise is alerted within about this long plus the
  // caller's period.
  static constexpr std::chrono::seconds kRiseCheckInterval{5};
  // Makes the checks put off whose interval has passed (the server calls it every few seconds);
  // returns the alerts made.
  int CheckPendingRises();

 private:
  // The rise check after `child_id`'s entries were written at `now` (see kRiseCheckInterval).
  void CheckRises(const std::string& child_id, TimePoint now);

  // A change that cannot go ahead for `why` (no such entry, already done), answered only after
  // the change itself is decided and audited: someone who may not make it is refused as such
  // and learns nothing of the child's entries or threads.
  Error CannotChange(const Principal& p, const std::string& child_id, const char* action, Error why);

  Result<EntryView> StoreEntry(const Principal& p, const std::string& child_id, const char* action,
                               domain::ChronologyEntry entry, std::string source_thread_id,
                               const std::string& supersedes, const std::string& reason,
                               const std::optional<domain::VisibilityChoice>& visibility);
  // Tells the hub; `family_visible` lets linked family members receive it too.
  void Publish(const std::string& child_id, const char* what, const std::vector<storage::FeedItem>& items,
               bool family_visible = false);

  Context& ctx_;
  ChildGate gate_{ctx_};
  WordIndex& words_;
  LiveHub* hub_;
  std::mutex rises_mutex_;
  std::unordered_map<std::string, TimePoint> rises_checked_;  // child -> its last check here
  std::unordered_set<std::string> rises_pending_;             // children whose check was put off
};

}  // namespace kith::app
