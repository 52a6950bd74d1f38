// Repository interfaces: the only way the app layer reaches stored data. Each back end
// (sqlite/, later postgres/) implements all of them and passes tests/conformance unchanged.
//
// Repositories are handed out by a Store (store.h) inside a read or write transaction and are
// valid only for the duration of that callback. They are not thread-safe: one transaction, one
// thread. Methods that find nothing return std::nullopt or an empty vector; expected conflicts
// (a duplicate username, a stale version) are returned as values; anything else — a broken
// database, a write attempted inside a read transaction — throws StorageError.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "domain/account/chronology.h"
#include "domain/account/family.h"
#include "domain/account/wheel.h"
#include "domain/audit.h"
#include "domain/break_glass.h"
#include "domain/child.h"
#include "domain/early_help/assessment.h"
#include "domain/misuse/misuse.h"
#include "domain/organisation.h"
#include "domain/retention.h"
#include "domain/team.h"
#include "domain/user.h"

namespace kith::storage {

class StorageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class AuthorityRepository {
 public:
  virtual ~AuthorityRepository() = default;
  // kConflict if the id or code exists.
  virtual Status Insert(const domain::LocalAuthority& authority) = 0;
  virtual void Update(const domain::LocalAuthority& authority) = 0;
  virtual std::optional<domain::LocalAuthority> Get(const std::string& id) = 0;
  virtual std::vector<domain::LocalAuthority> List() = 0;
};

class AgencyRepository {
 public:
  virtual ~AgencyRepository() = default;
  virtual Status Insert(const domain::Agency& agency) = 0;  // kConflict if the id exists
  virtual Status Update(const domain::Agency& agency) = 0;  // kNotFound if it does not
  virtual std::optional<domain::Agency> Get(const std::string& id) = 0;
  // In name order.
  virtual std::vector<domain::Agency> ListByAuthority(const std::string& authority_id) = 0;
};

class UserRepository {
 public:
  virtual ~UserRepository() = default;
  // Stores a new user with version 1. kConflict if the id or username is taken.
  virtual Status Insert(const domain::User& user) = 0;
  // Stores `user` if its version matches the stored one, and increments the version.
  // kConflict if the version is stale, kNotFound if there is no such user.
  virtual Status Update(const domain::User& user) = 0;
  // Stores only the sign-in state (failed_logins, locked_until, last_login_at, totp_last_step)
  // and leaves the version alone: sign-in attempts must not make an administrator's edit of the
  // same user stale. kNotFound if there is no such user.
  virtual Status RecordSignIn(const domain::User& user) = 0;
  virtual std::optional<domain::User> Get(const std::string& id) = 0;
  virtual std::optional<domain::User> GetByUsername(const std::string& username) = 0;
  // In username order.
  virtual std::vector<domain::User> ListByAuthority(const std::string& authority_id) = 0;
};

// What ChildRepository::ChangedSince found.
struct ChildChanges {
  std::vector<domain::Child> records;
  int64_t next_cursor = 0;
};

class ChildRepository {
 public:
  virtual ~ChildRepository() = default;
  // Stores a new child with version 1. kConflict if the id exists.
  virtual Status Insert(const domain::Child& child) = 0;
  // Replaces the record if `child.version` matches the stored one; increments the version.
  // kConflict if stale, kNotFound if missing.
  virtual Status Update(const domain::Child& child) = 0;
  virtual std::optional<domain::Child> Get(const std::string& id) = 0;
  // Children of one authority in id order, at most `limit`, after `after_id` (paging).
  virtual std::vector<domain::Child> ListByAuthority(const std::string& authority_id, const std::string& after_id,
                                                     int limit) = 0;
  // The same pages without the lists (other names, carers, services, left empty): what the
  // search index is built from, at a third of the reads.
  virtual std::vector<domain::Child> ListRecordsByAuthority(const std::string& authority_id,
                                                            const std::string& after_id, int limit) = 0;
  virtual int64_t Count() = 0;

  // The change feed (issue 16): how a process follows children stored by other processes over
  // the same database (the other nodes of a cluster, `kith import`), e.g. to keep its search
  // index current. Every Insert and Update marks the child's row in the same write, so nothing
  // else has to remember to.
  // A cursor from which ChangedSince reports every child stored by a write that was not yet
  // committed when this was read (read it before loading what is to be kept current).
  virtual int64_t ChangeCursor() = 0;
  // The records (without their lists, as ListRecordsByAuthority) of the children stored by
  // writes not yet committed when `cursor` was read, as this read sees them, and the cursor for
  // the next call. A child may be reported again by later calls (applying it twice must be
  // harmless); none is missed.
  virtual ChildChanges ChangedSince(int64_t cursor) = 0;
};

// One change to a team, kept for ever.
struct TeamEvent {
  std::string child_id;
  std::string user_id;  // the member the event is about
  std::string kind;     // "joined", "left", "lead_assigned", "lead_released"
  std::string role;
  std::string reason;
  std::string by_user_id;  // who made the change
  TimePoint at;
};

// A team member with what others need to reach them: the user's display fields (empty when the
// user no longer exists) and their agency (none when they have none).
struct TeamMemberDetail {
  domain::TeamMember member;
  std::string display_name;
  std::string job_title;
  std::string email;
  std::string phone;
  std::optional<domain::Agency> agency;
};

class TeamRepository {
 public:
  virtual ~TeamRepository() = default;
  // The active members of a child's team, in joining order.
  virtual domain::Team Members(const std::string& child_id) = 0;
  // Members() with each member's user and agency, in the same order; one query, because the
  // child's account reads it on every request.
  virtual std::vector<TeamMemberDetail> MembersWithPeople(const std::string& child_id) = 0;
  // Ids of the children whose teams the user is on.
  virtual std::vector<std::string> ChildrenOf(const std::string& user_id) = 0;
  virtual void AddMember(const domain::TeamMember& member) = 0;
  virtual void RemoveMember(const std::string& child_id, const std::string& user_id) = 0;
  // Sets or clears the lead flag of one member.
  virtual void SetLead(const std::string& child_id, const std::string& user_id, bool lead) = 0;
  virtual void AppendEvent(const TeamEvent& event) = 0;
  // Oldest first.
  virtual std::vector<TeamEvent> History(const std::string& child_id) = 0;
};

struct SessionRecord {
  std::string token_hash;  // SHA-256 of the cookie token; the token itself is never stored
  std::string user_id;
  std::string csrf_token;
  TimePoint created_at;
  TimePoint last_seen_at;
  bool second_factor_done = false;
  std::string client;
  // A second-factor secret being enrolled, not yet confirmed with a code; empty otherwise.
  std::string pending_totp_secret;
};

class SessionRepository {
 public:
  virtual ~SessionRepository() = default;
  virtual void Insert(const SessionRecord& session) = 0;
  virtual std::optional<SessionRecord> Get(const std::string& token_hash) = 0;
  // Stores `session` as given, except that its last_seen_at never moves back (a copy read
  // before a touch must not undo it).
  virtual void Update(const SessionRecord& session) = 0;
  // Moves the session's last_seen_at forward to `now` (never back; nothing else changes, so a
  // stale copy of the session cannot undo another change to it). It does not move the identity
  // version: a later last_seen_at only lengthens a session, and a cache that holds an earlier one
  // asks the store before it ends the session as idle (app::AuthService::Authenticate).
  virtual void Touch(const std::string& token_hash, TimePoint now) = 0;
  virtual void Delete(const std::string& token_hash) = 0;
  virtual void DeleteForUser(const std::string& user_id) = 0;
  // Removes sessions last seen before `idle_before` or created before `created_before`.
  virtual int64_t DeleteExpired(TimePoint idle_before, TimePoint created_before) = 0;

  // Rate-limit events (app/store_rate_limiter.h: sign-in attempts per address, sign-in failures
  // per username): kept in the database so that every node over it counts the same events. A key
  // names its limit and what is counted ("route.sign-in\n10.0.0.1"). None of these moves the
  // identity version.
  // The times of `key`'s events that have not expired at `now`, oldest first.
  virtual std::vector<TimePoint> RateEvents(const std::string& key, TimePoint now) = 0;
  // Records an event for `key` at `at`, expiring at `expires`; then forgets `key`'s events that
  // have expired at `at` and all but its newest `keep` (keep >= 1), so a key holds at most `keep`.
  virtual void AddRateEvent(const std::string& key, TimePoint at, TimePoint expires, int keep) = 0;
  // Forgets every event of `key`.
  virtual void ForgetRateEvents(const std::string& key) = 0;
  // Forgets the events of every key that starts with `prefix`.
  virtual void ForgetRateEventsWithPrefix(const std::string& prefix) = 0;
  // Forgets every key's events that have expired at `now`; returns how many were forgotten.
  virtual int64_t ForgetExpiredRateEvents(TimePoint now) = 0;
};

// What the auditors' queries select (AuditLog::Find). Every filter is optional; together they
// must all hold.
struct AuditQuery {
  std::string authority_id;  // records of actors of this authority
  std::string actor_id;      // records of this actor
  // Records concerning this child: its child_id, or a search that found it (found_children).
  std::string child_id;
  std::optional<TimePoint> from;  // at >= from
  std::optional<TimePoint> to;    // at < to
  // Paging, newest first: only records older than this one — at before `before_at`, or at the
  // same instant and before (before_chain, before_seq) in (chain, seq) order. Unset: from the
  // newest.
  std::optional<TimePoint> before_at;
  int64_t before_chain = 0;
  int64_t before_seq = 0;
  int limit = 100;
};

// The newest record of one chain of the audit log.
using AuditChainHead = domain::AuditChainHead;

// The audit log is one hash chain or several (domain/audit.h): a back end whose writes run
// concurrently gives each writer a chain of its own, so that no write waits for another's head.
// Within a chain, seq runs 1, 2, 3, … without gaps and each record links to the one before.
class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // Seals the record (domain::SealAuditRecord: valid UTF-8, chain, seq, prev_hash, hash —
  // appending to the chain of this transaction's writer), appends it and returns it as stored.
  // If the surrounding write is undone the record is too, and the chain continues from before
  // it. Throws StorageError in a read transaction.
  virtual domain::AuditRecord Append(domain::AuditRecord record) = 0;
  // Records concerning one child — its child_id, or a search that found it — newest first (by
  // time, then the order they were appended in), at most `limit`.
  virtual std::vector<domain::AuditRecord> ForChild(const std::string& child_id, int limit) = 0;
  // Records of one chain with seq > after_seq in seq order, at most `limit`.
  virtual std::vector<domain::AuditRecord> Range(int64_t chain, int64_t after_seq, int limit) = 0;
  // The newest record of every chain that has any, in chain order; empty for an empty log.
  virtual std::vector<AuditChainHead> Heads() = 0;
  // The newest `audit.checkpoint` record (by time, then chain and seq), found through an index of
  // its own; nullopt if none. The checkpointer continues the numbering from it (ADR 0019).
  virtual std::optional<domain::AuditRecord> NewestCheckpointRecord() = 0;
  // Records matching `query`, newest first (at, then chain, then seq, descending), at most
  // query.limit.
  virtual std::vector<domain::AuditRecord> Find(const AuditQuery& query) = 0;
  // Calls `fn` for every record of actors of `authority_id` with from <= at < to, oldest first
  // (at, then chain, then seq), without holding them all in memory: what reports over millions
  // of records read.
  virtual void Scan(const std::string& authority_id, TimePoint from, TimePoint to,
                    const std::function<void(const domain::AuditRecord&)>& fn) = 0;
};

// --- The child's account (issue 3): chronology, forum, wheel, word statistics, feed ---------

// A chronology entry as stored: the domain entry plus where it came from.
struct StoredEntry {
  domain::ChronologyEntry entry;
  std::string source_thread_id;  // the forum thread it was promoted from; empty otherwise
};

// Enough of an entry to count contacts: no text.
struct ContactRow {
  std::string agency_id;
  Date occurred_on;
  std::optional<domain::TimeOfDay> occurred_time;
};

// Every version of every entry is kept: rows are never updated or deleted. The current version
// of a lineage is the one no other version supersedes.
class ChronologyRepository {
 public:
  virtual ~ChronologyRepository() = default;
  // Stores a first version (version 1, lineage_id == id, no supersedes_id). kConflict if the id
  // exists.
  virtual Status Insert(const StoredEntry& entry) = 0;
  // Stores a correction (entry.supersedes_id set). kNotFound if the superseded version does not
  // exist; kConflict if it is already superseded (someone corrected it first) or the id exists.
  virtual Status InsertCorrection(const StoredEntry& entry) = 0;
  virtual std::optional<StoredEntry> Get(const std::string& id) = 0;
  // True if some version supersedes this one.
  virtual bool IsSuperseded(const std::string& id) = 0;
  // The current version of every lineage of a child, newest first (occurred date, then time
  // with date-only entries last within a day, then recorded_at, then id, all descending).
  // At most `limit` (0: no limit).
  virtual std::vector<StoredEntry> Current(const std::string& child_id, int limit) = 0;
  // Every version of a lineage, oldest first.
  virtual std::vector<StoredEntry> Versions(const std::string& lineage_id) = 0;
  // Agency and occurrence of each current entry of a child (any order).
  virtual std::vector<ContactRow> Contacts(const std::string& child_id) = 0;
  // UK date of the latest current entry on or before `on`, if any.
  virtual std::optional<Date> LastContactOn(const std::string& child_id, const Date& on) = 0;
  // Ids of children with at least one entry, in id order (for rebuilding word statistics).
  virtual std::vector<std::string> ChildrenWithEntries() = 0;
};

struct ForumThread {
  std::string id;
  std::string child_id;
  std::string category;  // observation | progress | concern | question
  std::string title;
  std::string author_id;
  TimePoint created_at;
  std::string promoted_entry_id;  // the chronology entry it was promoted to; empty if none
  // Filled by reads: number of posts and the time of the latest.
  int post_count = 0;
  std::optional<TimePoint> last_post_at;
};

struct ForumPost {
  std::string id;
  std::string thread_id;
  std::string child_id;
  std::string author_id;
  std::string body;
  TimePoint created_at;
  std::optional<TimePoint> edited_at;
  int version = 1;                    // 1 + number of edits
  std::string reply_to;               // a post of the same thread; empty if none
  std::vector<std::string> mentions;  // user ids, in order of first mention
};

struct PostVersion {
  int version = 1;
  std::string body;
  TimePoint at;  // when this text was written (created_at for version 1, else the edit time)
};

class ForumRepository {
 public:
  virtual ~ForumRepository() = default;
  virtual Status InsertThread(const ForumThread& thread) = 0;  // kConflict if the id exists
  virtual std::optional<ForumThread> GetThread(const std::string& id) = 0;
  // Threads of a child, most recently active first.
  virtual std::vector<ForumThread> Threads(const std::string& child_id) = 0;
  // Links a thread to the entry it was promoted to. kConflict if it already is, kNotFound if
  // there is no such thread.
  virtual Status SetPromoted(const std::string& thread_id, const std::string& entry_id) = 0;
  // Stores a new post (version 1) with its mentions. kConflict if the id exists.
  virtual Status InsertPost(const ForumPost& post) = 0;
  virtual std::optional<ForumPost> GetPost(const std::string& id) = 0;
  // Posts of a thread, oldest first.
  virtual std::vector<ForumPost> Posts(const std::string& thread_id) = 0;
  // Replaces the body if the stored version is `expected_version`, keeping the previous text
  // as history, and increments the version. Mentions are replaced by `mentions`. kConflict if
  // stale, kNotFound if missing.
  virtual Status EditPost(const std::string& post_id, int expected_version, const std::string& body,
                          const std::vector<std::string>& mentions, TimePoint at) = 0;
  // Every text the post has had, oldest first (the current one last).
  virtual std::vector<PostVersion> History(const std::string& post_id) = 0;
  // Id and current body of every post about a child, in id order (for the word cloud).
  virtual std::vector<std::pair<std::string, std::string>> PostTexts(const std::string& child_id) = 0;
  virtual std::vector<std::string> ChildrenWithPosts() = 0;
};

struct StoredPerson {
  std::string id;
  std::string child_id;
  std::string name;
  domain::RelationshipType relationship = domain::RelationshipType::kUnknown;
  bool lives_with_child = false;
  std::optional<Date> since;
  std::optional<Date> date_of_birth;
  std::optional<bool> adult;
  bool verified = false;  // identity and role checked by an agency
  std::string verified_by_agency_id;
  std::string notes;
  std::string created_by;
  TimePoint created_at;
  TimePoint updated_at;
  int64_t version = 1;
};

class WheelRepository {
 public:
  virtual ~WheelRepository() = default;
  virtual Status Insert(const StoredPerson& person) = 0;  // kConflict if the id exists
  // Replaces the person if `person.version` matches; increments it. kConflict if stale,
  // kNotFound if missing.
  virtual Status Update(const StoredPerson& person) = 0;
  virtual std::optional<StoredPerson> Get(const std::string& id) = 0;
  // People around a child, in the order they were added.
  virtual std::vector<StoredPerson> ForChild(const std::string& child_id) = 0;
};

// The corpus side of the word cloud (see docs/adr/0002-word-cloud-incremental.md): how many
// children use each term, and how many children have any text. Updated in the same
// transaction as the write that changed a child's terms.
class WordStatsRepository {
 public:
  virtual ~WordStatsRepository() = default;
  // Adds one to the document frequency of each term in `appeared`, subtracts one for each in
  // `disappeared` (dropping terms that reach zero), and adds `documents` to the document count.
  virtual void Apply(const std::vector<std::string>& appeared, const std::vector<std::string>& disappeared,
                     int documents) = 0;
  virtual int64_t Documents() = 0;
  // Calls fn(term, document_frequency) for every term, in term order.
  virtual void ForEach(const std::function<void(const std::string&, int64_t)>& fn) = 0;
  // Forgets everything (before a rebuild). Children's text versions stay.
  virtual void Clear() = 0;
  // A number that moves on with every write of the child's text (TouchChild, in the same
  // transaction), so a node's cached index of the child can tell whether any node wrote since it
  // was built (issue 16). 0 for a child whose text was never written through TouchChild.
  virtual int64_t ChildVersion(const std::string& child_id) = 0;
  // Moves the child's text version on by one and returns the new version.
  virtual int64_t TouchChild(const std::string& child_id) = 0;
};

struct FeedItem {
  std::string id;
  TimePoint at;
  std::string child_id;
  std::string kind;  // chronology_entry | forum_post | team_change | wheel_person | finding | mention
  std::string summary;
  std::string actor_id;
  std::string significance;  // for chronology entries; empty otherwise
  std::string subject_id;    // the entry, post, person or finding concerned
  std::string recipient_id;  // empty: everyone on the team; else only this user (mentions)
  std::string role;          // team events: the member's role on the team
};

struct Alert {
  std::string id;
  std::string user_id;
  std::string child_id;  // empty for an alert about no child (a change to the user's account)
  TimePoint at;
  std::string kind;  // serious_entry | finding | mention
  std::string summary;
  std::string subject_id;
  std::optional<TimePoint> read_at;
};

class FeedRepository {
 public:
  virtual ~FeedRepository() = default;
  virtual void Append(const FeedItem& item) = 0;
  // What happened on the children whose teams the user is on now, newest first: stored items
  // (those for the whole team, and those addressed to the user) and team events (kind
  // "team_change", id "team-<n>"). At most `limit`.
  virtual std::vector<FeedItem> ForUser(const std::string& user_id, int limit) = 0;
  virtual void InsertAlert(const Alert& alert) = 0;
  // The user's alerts, newest first, at most `limit`.
  virtual std::vector<Alert> Alerts(const std::string& user_id, int limit) = 0;
  // Marks the user's alert read (once; a second call keeps the first time). kNotFound if the
  // alert does not exist or belongs to someone else.
  virtual Status MarkRead(const std::string& alert_id, const std::string& user_id, TimePoint at) = 0;
};

// --- The national index (issue 6): source records and clerical review ----------------------

// One record of a source feed as imported (`kith import`), kept as provenance. Values are as
// validated on import (date of birth YYYY-MM-DD, NHS number and UPN without spaces); empty when
// the feed left them out.
struct SourceRecord {
  std::string id;            // "S" + 16 base-32 characters
  std::string source;        // the feed ("Hillside Primary", "GP practice B82001")
  std::string record_id;     // the source's own reference; unique within a source
  std::string content_hash;  // SHA-256 of the row's values: re-importing an unchanged row is a no-op
  std::string child_id;      // the child it belongs to; empty while it awaits clerical review
  std::string given_name;
  std::string family_name;
  std::string date_of_birth;
  std::string sex;
  std::string postcode;
  std::string address;
  std::string nhs_number;
  std::string upn;
  std::string attributes;  // the feed's other columns, a JSON object in column order
  TimePoint imported_at;
  TimePoint updated_at;
};

class SourceRecordRepository {
 public:
  virtual ~SourceRecordRepository() = default;
  // kConflict if the id, or the (source, record_id) pair, exists.
  virtual Status Insert(const SourceRecord& record) = 0;
  // Replaces every field but id, source and record_id. kNotFound if there is no such record.
  virtual Status Update(const SourceRecord& record) = 0;
  virtual std::optional<SourceRecord> Get(const std::string& id) = 0;
  virtual std::optional<SourceRecord> Find(const std::string& source, const std::string& record_id) = 0;
  // The records of one child, oldest import first.
  virtual std::vector<SourceRecord> ForChild(const std::string& child_id) = 0;
};

// A child an uncertain source record may be about, with the linkage evidence.
struct ReviewCandidate {
  std::string child_id;
  double probability = 0;  // posterior match probability
  double weight = 0;       // match weight, log2 posterior odds
  std::string evidence;    // JSON array: per compared field, its level, outcome and weight
};

enum class ReviewStatus { kOpen, kMatched, kNotMatched };

// A source record the linkage engine could not decide: it waits here (attached to no child)
// until an authorised person decides it is one of the candidates or a new child.
struct ReviewItem {
  std::string id;  // "R" + 16 base-32 characters
  std::string authority_id;
  std::string source_record_id;
  std::vector<ReviewCandidate> candidates;  // most probable first
  ReviewStatus status = ReviewStatus::kOpen;
  TimePoint created_at;
  // Set by the decision.
  std::string decided_by;
  std::optional<TimePoint> decided_at;
  std::string decided_child_id;  // the child the record was attached to (matched or new)
  std::string reason;
};

class ReviewRepository {
 public:
  virtual ~ReviewRepository() = default;
  // kConflict if the id exists.
  virtual Status Insert(const ReviewItem& item) = 0;
  virtual std::optional<ReviewItem> Get(const std::string& id) = 0;
  // Open items of an authority, oldest first, at most `limit`.
  virtual std::vector<ReviewItem> Open(const std::string& authority_id, int limit) = 0;
  // Records the decision (status, decided_by, decided_at, decided_child_id, reason) of an open
  // item. kNotFound if there is no such item, kConflict if it was already decided.
  virtual Status Decide(const ReviewItem& decided) = 0;
};

// Two children found to be one: the merged-away child is hidden (search, signposting and its
// account point to the survivor) and its source records are attached to the survivor. An
// un-merge restores both exactly; the record of both is kept for ever.
struct ChildMerge {
  std::string id;  // "M" + 16 base-32 characters
  std::string survivor_id;
  std::string merged_id;
  std::vector<std::string> moved_source_records;  // ids moved from the merged child to the survivor
  std::string merged_by;
  TimePoint merged_at;
  std::string reason;
  // Set by an un-merge.
  std::string unmerged_by;
  std::optional<TimePoint> unmerged_at;
  std::string unmerge_reason;
};

class MergeRepository {
 public:
  virtual ~MergeRepository() = default;
  // kConflict if the id exists or `merged_id` is already merged away (and not un-merged).
  virtual Status Insert(const ChildMerge& merge) = 0;
  virtual std::optional<ChildMerge> Get(const std::string& id) = 0;
  // The merge, not undone, that merged this child away; nullopt if it stands on its own.
  virtual std::optional<ChildMerge> MergedAway(const std::string& child_id) = 0;
  // Every merge (undone or not) this child took part in, as survivor or merged, newest first.
  virtual std::vector<ChildMerge> ForChild(const std::string& child_id) = 0;
  // Records the un-merge (unmerged_by, unmerged_at, unmerge_reason). kNotFound if there is no
  // such merge, kConflict if it was already undone.
  virtual Status Undo(const ChildMerge& undone) = 0;
};

// --- Early help (issue 7): the assessment and the Team Around the Child's plan --------------

// An assessment is stored and read whole (it is small: a few versions, meetings, actions and
// reviews). What is history stays history: a locked version, a meeting, a review and a lead
// change, once stored, are never changed or removed by Update.
class EarlyHelpRepository {
 public:
  virtual ~EarlyHelpRepository() = default;
  // Stores a new assessment with revision 1. kConflict if the id exists.
  virtual Status Insert(const domain::early_help::Assessment& assessment) = 0;
  // Stores the assessment if `assessment.revision` matches the stored one, and increments the
  // revision: the summary fields, the open draft and the actions are replaced; versions,
  // meetings, reviews and lead changes not yet stored are added; a version stored locked is
  // never changed again. kConflict if stale, kNotFound if missing.
  virtual Status Update(const domain::early_help::Assessment& assessment) = 0;
  virtual std::optional<domain::early_help::Assessment> Get(const std::string& id) = 0;
  // A child's assessments, newest first.
  virtual std::vector<domain::early_help::Assessment> ForChild(const std::string& child_id) = 0;
  // Ids of open assessments with an action that is not done or cancelled, was due before
  // `today` and whose owner has not been alerted; in id order.
  virtual std::vector<std::string> WithUnalertedOverdueActions(const Date& today) = 0;
};

// --- The family portal (issue 5) -------------------------------------------------------------

// The visibility of one chronology lineage (subject_id is the lineage id, so a correction keeps
// it) or one forum thread. One row per subject, replaced when it changes; every change is in
// the audit trail.
struct VisibilityRow {
  std::string subject_id;
  std::string child_id;
  std::string subject_kind;  // "entry" | "thread" | "assessment"
  domain::VisibilityRecord record;
  std::string set_by;
  TimePoint set_at;
  std::string reviewed_by;  // who confirmed a restriction, or released the subject to the family
  std::optional<TimePoint> reviewed_at;
  // The agency set_by acted for when setting it: the restricting agency of a restriction, whose
  // agreement a release needs (domain::Holders).
  std::string set_by_agency_id;
};

// A request to one agency to agree to release a subject the team holds back from the family
// (domain/account/family.h). A release that needs two agencies makes two rows sharing
// request_id; it happens when every row of the request is agreed.
struct ReleaseRequest {
  std::string id;
  std::string request_id;
  std::string child_id;
  std::string subject_id;
  std::string agency_id;  // whose agreement is asked
  std::string requested_by;
  TimePoint requested_at;
  std::string reason;  // why the requester thinks the family should see it now
  domain::ReleaseStatus status = domain::ReleaseStatus::kPending;
  std::string decided_by;
  std::optional<TimePoint> decided_at;
  std::string decision_reason;
};

struct FamilyInvitation {
  std::string id;
  std::string code_hash;  // SHA-256 of the code; the code itself is never stored
  std::string child_id;
  domain::FamilyRelation relation = domain::FamilyRelation::kParentCarer;
  std::string name;             // whom the team invited, as they wrote it or from the wheel
  std::string wheel_person_id;  // the person on the wheel, if chosen from it
  std::string invited_by;
  TimePoint created_at;
  TimePoint expires_at;
  std::optional<TimePoint> redeemed_at;
  std::string redeemed_by;  // the family account that redeemed it
  int failed_checks = 0;    // identity checks that did not match
  std::optional<TimePoint> revoked_at;
};

struct FamilyLinkRow {
  std::string user_id;
  std::string child_id;
  domain::FamilyRelation relation = domain::FamilyRelation::kParentCarer;
  TimePoint linked_at;
  std::string invitation_id;
};

// A family member's own entry: never edited by anyone, never deleted.
struct FamilyEntry {
  std::string id;
  std::string child_id;
  std::string author_id;
  domain::FamilyEntryKind kind = domain::FamilyEntryKind::kThoughts;
  std::string about_entry_id;  // the lineage responded to; empty for thoughts
  std::string text;
  TimePoint created_at;
};

class FamilyRepository {
 public:
  virtual ~FamilyRepository() = default;
  // Inserts or replaces the row for row.subject_id.
  virtual void SetVisibility(const VisibilityRow& row) = 0;
  virtual std::optional<VisibilityRow> Visibility(const std::string& subject_id) = 0;
  // Every row about a child, in subject id order.
  virtual std::vector<VisibilityRow> VisibilityForChild(const std::string& child_id) = 0;

  // The authority's default per subject type (entry type code or "forum_thread"); types
  // without a row use domain::DefaultVisibility.
  virtual std::vector<std::pair<std::string, domain::Visibility>> Defaults(const std::string& authority_id) = 0;
  virtual void SetDefault(const std::string& authority_id, const std::string& subject_type,
                          domain::Visibility visibility) = 0;
  virtual std::optional<int> YoungPersonMinAge(const std::string& authority_id) = 0;
  virtual void SetYoungPersonMinAge(const std::string& authority_id, int age) = 0;

  virtual Status InsertInvitation(const FamilyInvitation& invitation) = 0;  // kConflict if id or hash exists
  virtual std::optional<FamilyInvitation> InvitationByCodeHash(const std::string& code_hash) = 0;
  // Stores redeemed_at, redeemed_by, failed_checks and revoked_at. kNotFound if missing.
  virtual Status UpdateInvitation(const FamilyInvitation& invitation) = 0;
  // Newest first.
  virtual std::vector<FamilyInvitation> InvitationsForChild(const std::string& child_id) = 0;

  virtual Status Link(const FamilyLinkRow& link) = 0;  // kConflict if the pair is linked
  // In linking order.
  virtual std::vector<FamilyLinkRow> LinksOf(const std::string& user_id) = 0;
  virtual std::vector<FamilyLinkRow> LinksToChild(const std::string& child_id) = 0;

  virtual Status InsertEntry(const FamilyEntry& entry) = 0;  // kConflict if the id exists
  // Newest first.
  virtual std::vector<FamilyEntry> Entries(const std::string& child_id) = 0;
  virtual std::vector<std::string> ChildrenWithEntries() = 0;

  virtual Status InsertReleaseRequest(const ReleaseRequest& request) = 0;  // kConflict if the id exists
  // Stores status, decided_by, decided_at and decision_reason. kNotFound if missing.
  virtual Status UpdateReleaseRequest(const ReleaseRequest& request) = 0;
  // A child's requests, newest first (requested_at, then id).
  virtual std::vector<ReleaseRequest> ReleaseRequests(const std::string& child_id) = 0;
};

// --- Idempotency keys (SECURITY.md "Clients can retry safely"; docs/idempotency.md) -----------

// One client-chosen key for one state-changing request. Recorded in the same transaction as the
// request's first committed write (state "in progress": `status` empty) and completed with the
// response afterwards.
struct IdempotencyRecord {
  std::string scope;        // whose key: "user:<id>"
  std::string key;          // the Idempotency-Key header
  std::string fingerprint;  // SHA-256 (hex) of method, target and body
  std::string method;
  std::string target;  // path and query as sent
  TimePoint created_at;
  TimePoint expires_at;
  std::optional<int> status;  // set once the response is stored
  std::string content_type;
  std::string body;
};

class IdempotencyRepository {
 public:
  virtual ~IdempotencyRepository() = default;
  // Stores a new record (an expired one with the same scope and key is replaced).
  // kConflict if an unexpired record with that scope and key exists.
  virtual Status Begin(const IdempotencyRecord& record) = 0;
  // The record, unless there is none or it expired at or before `now`.
  virtual std::optional<IdempotencyRecord> Get(const std::string& scope, const std::string& key, TimePoint now) = 0;
  // Stores the response of the record's request. kNotFound if there is no such record.
  virtual Status Complete(const std::string& scope, const std::string& key, int status, const std::string& content_type,
                          const std::string& body) = 0;
  // Forgets a record (its request may run again).
  virtual void Remove(const std::string& scope, const std::string& key) = 0;
  // Removes records that expired at or before `now`; returns how many.
  virtual int64_t DeleteExpired(TimePoint now) = 0;
};

// --- Break-glass (issue 14; ADR 0012): time-limited emergency access to a child's account ---

class BreakGlassRepository {
 public:
  virtual ~BreakGlassRepository() = default;
  // kConflict if the id exists.
  virtual Status Insert(const domain::BreakGlass& g) = 0;
  virtual std::optional<domain::BreakGlass> Get(const std::string& id) = 0;
  // The user's break-glass of the child in force at `now` (the one ending last), if any.
  virtual std::optional<domain::BreakGlass> ActiveFor(const std::string& user_id, const std::string& child_id,
                                                      TimePoint now) = 0;
  // The authority's break-glass uses that are not yet reviewed or that stop (stopped) giving
  // access at or after `since` (so every one in force), newest first, at most `limit`.
  virtual std::vector<domain::BreakGlass> ForAuthority(const std::string& authority_id, TimePoint since, int limit) = 0;
  // Stores the review and early end (reviewed_*, review_note, justified, ended_*) of a stored
  // break-glass; kNotFound if there is none with that id.
  virtual Status UpdateReview(const domain::BreakGlass& g) = 0;
};

// --- Requests to join a child's team (issue 14) -----------------------------------------------

class JoinRequestRepository {
 public:
  virtual ~JoinRequestRepository() = default;
  // kConflict if the id exists.
  virtual Status Insert(const domain::JoinRequest& request) = 0;
  virtual std::optional<domain::JoinRequest> Get(const std::string& id) = 0;
  // The requests to join one child's team, newest first, at most `limit`.
  virtual std::vector<domain::JoinRequest> ForChild(const std::string& child_id, int limit) = 0;
  // The user's own requests, newest first, at most `limit`.
  virtual std::vector<domain::JoinRequest> ForUser(const std::string& user_id, int limit) = 0;
  // Pending requests to join teams of children of one authority, oldest first, at most `limit`.
  virtual std::vector<domain::JoinRequest> PendingInAuthority(const std::string& authority_id, int limit) = 0;
  // Pending requests of every authority made at or before `made_by` and not yet escalated,
  // oldest first, at most `limit`.
  virtual std::vector<domain::JoinRequest> DueForEscalation(TimePoint made_by, int limit) = 0;
  // Stores the status, decision (decided_by, decided_at, decision_reason) and escalated_at of a
  // request that is pending as stored. kNotFound if there is no such request, kConflict if it
  // is no longer pending (someone decided or withdrew it first).
  virtual Status Update(const domain::JoinRequest& request) = 0;
};

// --- Misuse detection (issue 14) ---------------------------------------------------------------

// Where a practitioner lives and the other surnames they declared (a partner's, a former name):
// kept apart from the user record, entered by the authority's administrators, and read only by
// the misuse report (children who share them are flagged).
struct PractitionerHome {
  std::string user_id;
  std::string address;
  std::string postcode;
  std::vector<std::string> other_surnames;
  std::string updated_by;
  TimePoint updated_at;
};

class PractitionerHomeRepository {
 public:
  virtual ~PractitionerHomeRepository() = default;
  // Inserts or replaces the user's entry.
  virtual void Set(const PractitionerHome& home) = 0;
  virtual std::optional<PractitionerHome> Get(const std::string& user_id) = 0;
};

// A flag of the misuse report as stored, with its review.
struct StoredMisuseFlag {
  domain::MisuseFlag flag;
  std::string authority_id;
  TimePoint found_at;
  std::optional<TimePoint> reviewed_at;
  std::string reviewed_by;
  std::string review_note;
};

class MisuseFlagRepository {
 public:
  virtual ~MisuseFlagRepository() = default;
  // Stores each flag whose id is not stored yet; a flag already stored (found again by a later
  // run) is left as it is, review and all. Returns how many were new.
  virtual int Add(const std::vector<StoredMisuseFlag>& flags) = 0;
  virtual std::optional<StoredMisuseFlag> Get(const std::string& id) = 0;
  // The authority's flags whose day is from `from` to `to` (inclusive), newest day first (then
  // kind, user, id); reviewed ones only with `include_reviewed`. At most `limit`.
  virtual std::vector<StoredMisuseFlag> ForAuthority(const std::string& authority_id, const Date& from, const Date& to,
                                                     bool include_reviewed, int limit) = 0;
  // Records the review of an unreviewed flag. kNotFound if there is no such flag, kConflict if
  // it was reviewed already.
  virtual Status Review(const std::string& id, const std::string& reviewed_by, TimePoint at,
                        const std::string& note) = 0;
};

// Claims on jobs that must run once however many servers there are (the nightly misuse report):
// the first claim of a job wins; a claim not finished by `stale_before` may be taken over (its
// holder died).
class JobClaimRepository {
 public:
  virtual ~JobClaimRepository() = default;
  // True if `holder` now holds `job`: nobody had claimed it, or the claim was taken at or before
  // `stale_before` and never finished. False if it is finished or another holder's claim is fresh.
  virtual bool Claim(const std::string& job, const std::string& holder, TimePoint now, TimePoint stale_before) = 0;
  // Marks the job done (it will not be claimed again). kNotFound if `holder` does not hold it.
  virtual Status Finish(const std::string& job, const std::string& holder, TimePoint at) = 0;
  // A lease on a role that one server of the cluster plays at a time and that is never
  // finished (the audit checkpointer): true if `holder` now holds `job` — nobody held it, it
  // already held it (its lease is renewed to `now`), or the holder's last renewal was at or
  // before `stale_before` (that holder died or stalled). False while another holder's lease is
  // fresh. Kept in the same table as the claims, under a job name of its own.
  virtual bool Lease(const std::string& job, const std::string& holder, TimePoint now, TimePoint stale_before) = 0;
  // Gives up `holder`'s lease on `job` (a server stopping cleanly), so that the next server may
  // take it at once. Nothing happens if another holds it.
  virtual void Release(const std::string& job, const std::string& holder) = 0;
};

// --- Retention (issue 18; domain/retention.h, ADR 0020) ------------------------------------

// An authority's retention rules as stored.
struct StoredRetentionRules {
  std::string authority_id;
  domain::RetentionRules rules;
  std::string updated_by;
  TimePoint updated_at;
  int64_t version = 0;  // 1 for the first rules stored, then one more for each change
};

// Rules per authority, legal holds, and what the rules need to know about each child. A hold is
// never changed except by its one release; the database itself refuses any other change of a
// hold, deleting a hold in force, and deleting a child protected by a hold in force (by the
// database's own clock, UTC) — a defence behind domain::Assess, not a substitute for it.
class RetentionRepository {
 public:
  virtual ~RetentionRepository() = default;
  // The authority's rules; nullopt while it has set none (the domain defaults apply).
  virtual std::optional<StoredRetentionRules> GetRules(const std::string& authority_id) = 0;
  // Stores `rules` with version `expected_version` + 1 if the stored version is
  // `expected_version` (0: none stored yet). kConflict if it is not (changed meanwhile).
  virtual Status PutRules(const StoredRetentionRules& rules, int64_t expected_version) = 0;

  // kConflict if the id exists.
  virtual Status InsertHold(const domain::LegalHold& hold) = 0;
  virtual std::optional<domain::LegalHold> GetHold(const std::string& id) = 0;
  // Stores the release of `released` (released_on, released_by, release_reason). kNotFound if
  // there is no such hold, kConflict if it was released already.
  virtual Status ReleaseHold(const domain::LegalHold& released) = 0;
  // Every hold, released or not, that protects `child_id`: its own and those of every record
  // merged into it by a merge not undone, followed through merges of merges (the survivor holds
  // their data). In (starts_on, id) order.
  virtual std::vector<domain::LegalHold> HoldsProtecting(const std::string& child_id) = 0;
  // The authority's holds in force on `day` (started, not ended, not released), by ends_on then
  // id, at most `limit`.
  virtual std::vector<domain::LegalHold> InForce(const std::string& authority_id, const Date& day, int limit) = 0;

  // What domain::Assess needs for the authority's children, in id order after `after_id`, at
  // most `limit`, as of `today`: date of birth, flags, date of death, the day the record was made
  // (UTC), the last day a service ended, whether a service (not ended by `today`) or a team
  // member is involved now, whether anyone was ever on the team, and the holds protecting the
  // child (HoldsProtecting). A child merged into another (merge not undone) is left out: its data
  // is the survivor's. `archived_on` is not stored yet and is always empty.
  virtual std::vector<domain::RetentionFacts> Facts(const std::string& authority_id, const std::string& after_id,
                                                    int limit, const Date& today) = 0;
};

// --- Index imports through the server (issue 6; issue 16: jobs in the database) ------------

enum class ImportJobState { kReceiving, kQueued, kRunning, kDone, kFailed };

// An import of a source feed as stored (app/import_jobs.h): its parts are rows of their own, kept
// until the job finishes, so that any node of a cluster can take the next part, run the job or
// answer for it.
struct StoredImportJob {
  std::string id;
  std::string authority_id;
  std::string created_by;  // the steward's user id: the job runs and is audited as them
  std::string client;      // their address when they started it (audited with the import)
  std::string source;
  std::string filename;
  ImportJobState state = ImportJobState::kReceiving;
  int64_t bytes_received = 0;
  int64_t parts = 0;
  std::string stage;  // "", "wait", "read", "link", "write"
  double stage_fraction = 0;
  std::string summary;  // JSON, as the app writes it ("" until counted)
  std::string error;
  std::string runner;  // the worker running it while kRunning, else ""
  int attempts = 0;    // how many times a worker claimed it
  TimePoint created_at;
  TimePoint last_part_at;
  std::optional<TimePoint> started_at;
  std::optional<TimePoint> finished_at;
};

// How one row of a feed imported through the server was applied (issue 19: the import report
// per row), recorded in the batch that wrote it.
struct ImportRow {
  int64_t line = 0;  // where the row starts in the file (1-based physical line)
  std::string source;
  std::string record_id;
  std::string outcome;    // "created", "matched", "queued", "updated" or "unchanged"
  std::string child_id;   // the child the row made or joined ("" while it waits for review)
  std::string review_id;  // the review item it raised ("queued")
};

class ImportJobRepository {
 public:
  virtual ~ImportJobRepository() = default;
  // Stores a new job (as given: state kReceiving or kQueued, parts 1, bytes_received the size of
  // `first_part`) with its first part. kConflict if the id exists.
  virtual Status Insert(const StoredImportJob& job, const std::string& first_part) = 0;
  virtual std::optional<StoredImportJob> Get(const std::string& id) = 0;
  // The authority's jobs, newest first (in the order they were inserted), at most `limit`.
  virtual std::vector<StoredImportJob> ListByAuthority(const std::string& authority_id, int limit) = 0;
  // How many of the authority's jobs are kReceiving or kQueued.
  virtual int64_t CountUnfinished(const std::string& authority_id) = 0;
  // Adds the part that starts at byte `offset`, checked in the same statement: the job must be
  // kReceiving with exactly `offset` bytes. Moves bytes_received and parts on, sets last_part_at
  // to `at`, and makes the job kQueued when `last`. kNotFound if there is no such job; kConflict
  // (naming the state or the bytes it has) if it is not receiving or the offset is not its size.
  virtual Status AppendPart(const std::string& id, int64_t offset, const std::string& bytes, bool last,
                            TimePoint at) = 0;
  // The job's parts joined in order ("" once it finished: its parts are deleted).
  virtual std::string Data(const std::string& id) = 0;
  // Claims the job a worker should run next for `runner` (who must hold the import lease, so that
  // a job left kRunning is one whose runner died or lost the lease): the oldest kQueued or
  // kRunning job. Makes it kRunning with `runner`, started_at `now`, attempts one more, and
  // returns it as now stored; nullopt if there is none.
  virtual std::optional<StoredImportJob> ClaimNext(const std::string& runner, TimePoint now) = 0;
  // Stores stage, fraction and summary of a kRunning job if `runner` runs it; false if not (it
  // was taken over, or is no longer running).
  virtual bool Progress(const std::string& id, const std::string& runner, const std::string& stage, double fraction,
                        const std::string& summary) = 0;
  // Ends a job as kDone or kFailed with `summary` (kept as stored when empty), `error` and
  // finished_at `at`, clears its runner and deletes its parts. With a `runner`: only a kRunning
  // job that runner runs; with none: only a kReceiving or kQueued job. False if nothing ended.
  virtual bool Finish(const std::string& id, const std::string& runner, ImportJobState state,
                      const std::string& summary, const std::string& error, TimePoint at) = 0;
  // Puts a kRunning job that `runner` runs back in the queue (kQueued, no runner), its parts
  // kept, for any worker to run again, and takes back the attempt (a run stopped cleanly is not a
  // failed attempt). False if `runner` does not run it.
  virtual bool Requeue(const std::string& id, const std::string& runner) = 0;
  // Ends every kReceiving job whose last part came at or before `before` as kFailed with `error`
  // at `at`, deleting its parts. Returns how many.
  virtual int64_t FailAbandoned(TimePoint before, TimePoint at, const std::string& error) = 0;
  // Deletes the authority's finished jobs but the newest `keep`. Returns how many.
  virtual int64_t Prune(const std::string& authority_id, int keep) = 0;
  // Whether any job is kQueued or kRunning (a worker has something to do).
  virtual bool AnyToRun() = 0;
  // Records rows of a job; a line recorded already (by an earlier attempt of the job, before a
  // restart) keeps what it says. Deleted with the job.
  virtual void AddRows(const std::string& import_id, const std::vector<ImportRow>& rows) = 0;
  // The job's rows whose line is after `after_line` (with that outcome, unless `outcome` is
  // empty), in line order, at most `limit`.
  virtual std::vector<ImportRow> Rows(const std::string& import_id, const std::string& outcome, int64_t after_line,
                                      int limit) = 0;
};

// Everything one transaction can reach.
class Repositories {
 public:
  virtual ~Repositories() = default;
  virtual AuthorityRepository& Authorities() = 0;
  virtual AgencyRepository& Agencies() = 0;
  virtual UserRepository& Users() = 0;
  virtual ChildRepository& Children() = 0;
  virtual TeamRepository& Teams() = 0;
  virtual SessionRepository& Sessions() = 0;
  virtual AuditLog& Audit() = 0;
  virtual ChronologyRepository& Chronology() = 0;
  virtual ForumRepository& Forum() = 0;
  virtual WheelRepository& Wheel() = 0;
  virtual WordStatsRepository& WordStats() = 0;
  virtual FeedRepository& Feed() = 0;
  virtual SourceRecordRepository& SourceRecords() = 0;
  virtual ReviewRepository& Reviews() = 0;
  virtual MergeRepository& Merges() = 0;
  virtual EarlyHelpRepository& EarlyHelp() = 0;
  virtual FamilyRepository& Family() = 0;
  virtual IdempotencyRepository& Idempotency() = 0;
  virtual BreakGlassRepository& BreakGlass() = 0;
  virtual JoinRequestRepository& JoinRequests() = 0;
  virtual PractitionerHomeRepository& PractitionerHomes() = 0;
  virtual MisuseFlagRepository& MisuseFlags() = 0;
  virtual JobClaimRepository& JobClaims() = 0;
  virtual RetentionRepository& Retention() = 0;
  virtual ImportJobRepository& ImportJobs() = 0;
};

}  // namespace kith::storage
