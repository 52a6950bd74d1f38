#include "storage/sqlite/migrations.h"

#include <string>
#include <vector>

#include "storage/repositories.h"

namespace kith::storage::sqlite {
namespace {

// Never edit a migration that has shipped: add a new one.
const std::vector<std::string_view>& Migrations() {
  static const std::vector<std::string_view> kMigrations = {
      // 1: organisations, users, children, teams, sessions, audit.
      R"sql(
CREATE TABLE authorities (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  require_second_factor INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE agencies (
  id TEXT PRIMARY KEY,
  authority_id TEXT NOT NULL REFERENCES authorities(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX agencies_by_authority ON agencies(authority_id, name);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  job_title TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL,
  authority_id TEXT REFERENCES authorities(id),
  agency_id TEXT REFERENCES agencies(id),
  active INTEGER NOT NULL,
  password_hash TEXT NOT NULL,
  totp_secret TEXT NOT NULL DEFAULT '',
  totp_enrolled INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER,
  last_login_at INTEGER,
  version INTEGER NOT NULL
) STRICT;
CREATE INDEX users_by_authority ON users(authority_id, username);

CREATE TABLE children (
  id TEXT PRIMARY KEY,
  authority_id TEXT NOT NULL REFERENCES authorities(id),
  given_names TEXT NOT NULL,
  family_name TEXT NOT NULL,
  date_of_birth TEXT,
  sex TEXT NOT NULL,
  address TEXT NOT NULL,
  postcode TEXT NOT NULL,
  nhs_number TEXT NOT NULL,
  upn TEXT NOT NULL,
  school_agency_id TEXT REFERENCES agencies(id),
  gp_agency_id TEXT REFERENCES agencies(id),
  early_help_assessment INTEGER NOT NULL,
  child_protection_plan INTEGER NOT NULL,
  looked_after INTEGER NOT NULL,
  shielded INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL
) STRICT;
CREATE INDEX children_by_authority ON children(authority_id, id);
CREATE INDEX children_by_nhs_number ON children(nhs_number) WHERE nhs_number <> '';
CREATE INDEX children_by_upn ON children(upn) WHERE upn <> '';

CREATE TABLE child_other_names (
  child_id TEXT NOT NULL REFERENCES children(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (child_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE child_carers (
  child_id TEXT NOT NULL REFERENCES children(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  relationship TEXT NOT NULL,
  parental_responsibility INTEGER NOT NULL,
  phone TEXT NOT NULL,
  email TEXT NOT NULL,
  address TEXT NOT NULL,
  PRIMARY KEY (child_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE child_services (
  child_id TEXT NOT NULL REFERENCES children(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  agency_id TEXT NOT NULL REFERENCES agencies(id),
  description TEXT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT,
  PRIMARY KEY (child_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX child_services_by_agency ON child_services(agency_id);

CREATE TABLE team_members (
  child_id TEXT NOT NULL REFERENCES children(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  role TEXT NOT NULL,
  reason TEXT NOT NULL,
  joined_at INTEGER NOT NULL,
  lead INTEGER NOT NULL,
  PRIMARY KEY (child_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX team_members_by_user ON team_members(user_id);
CREATE UNIQUE INDEX team_one_lead ON team_members(child_id) WHERE lead = 1;

CREATE TABLE team_events (
  id INTEGER PRIMARY KEY,
  child_id TEXT NOT NULL REFERENCES children(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  role TEXT NOT NULL,
  reason TEXT NOT NULL,
  by_user_id TEXT NOT NULL,
  at INTEGER NOT NULL
) STRICT;
CREATE INDEX team_events_by_child ON team_events(child_id, id);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  second_factor_done INTEGER NOT NULL,
  client TEXT NOT NULL,
  pending_totp_secret TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor_id TEXT NOT NULL,
  actor_role TEXT NOT NULL,
  authority_id TEXT NOT NULL,
  action TEXT NOT NULL,
  child_id TEXT NOT NULL,
  target_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  outcome TEXT NOT NULL,
  why TEXT NOT NULL,
  detail TEXT NOT NULL,
  client TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE INDEX audit_by_child ON audit_log(child_id, seq) WHERE child_id <> '';
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
)sql",
      // 2: the child's account — chronology (append-only versions), forum, wheel, word
      // statistics, feed and alerts. See docs/data-model.md.
      R"sql(
CREATE TABLE chronology_entries (
  id TEXT PRIMARY KEY,
  child_id TEXT NOT NULL REFERENCES children(id),
  lineage_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  supersedes_id TEXT UNIQUE REFERENCES chronology_entries(id),
  occurred_on TEXT NOT NULL,
  occurred_time INTEGER,
  agency_id TEXT NOT NULL REFERENCES agencies(id),
  agency_kind TEXT NOT NULL,
  author_id TEXT NOT NULL REFERENCES users(id),
  type TEXT NOT NULL,
  significance TEXT NOT NULL,
  summary TEXT NOT NULL,
  detail TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  correction_reason TEXT NOT NULL,
  source_thread_id TEXT NOT NULL
) STRICT;
-- Covers the contact-series query (no need to read the entries' text).
CREATE INDEX chronology_by_child ON chronology_entries(child_id, occurred_on, occurred_time, agency_id, id);
CREATE INDEX chronology_by_lineage ON chronology_entries(lineage_id, version);
CREATE TRIGGER chronology_no_update BEFORE UPDATE ON chronology_entries
  BEGIN SELECT RAISE(ABORT, 'chronology entries are never changed: add a correction'); END;
CREATE TRIGGER chronology_no_delete BEFORE DELETE ON chronology_entries
  BEGIN SELECT RAISE(ABORT, 'chronology entries are never deleted'); END;

CREATE TABLE forum_threads (
  id TEXT PRIMARY KEY,
  child_id TEXT NOT NULL REFERENCES children(id),
  category TEXT NOT NULL,
  title TEXT NOT NULL,
  author_id TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  promoted_entry_id TEXT REFERENCES chronology_entries(id)
) STRICT;
CREATE INDEX forum_threads_by_child ON forum_threads(child_id);

CREATE TABLE forum_posts (
  id TEXT PRIMARY KEY,
  thread_id TEXT NOT NULL REFERENCES forum_threads(id),
  child_id TEXT NOT NULL REFERENCES children(id),
  author_id TEXT NOT NULL REFERENCES users(id),
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  edited_at INTEGER,
  version INTEGER NOT NULL,
  reply_to TEXT REFERENCES forum_posts(id)
) STRICT;
CREATE INDEX forum_posts_by_thread ON forum_posts(thread_id, created_at);
CREATE INDEX forum_posts_by_child ON forum_posts(child_id);

-- Earlier texts of edited posts; the current text is in forum_posts.
CREATE TABLE forum_post_versions (
  post_id TEXT NOT NULL REFERENCES forum_posts(id),
  version INTEGER NOT NULL,
  body TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (post_id, version)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER forum_post_versions_no_update BEFORE UPDATE ON forum_post_versions
  BEGIN SELECT RAISE(ABORT, 'post history is append-only'); END;
CREATE TRIGGER forum_post_versions_no_delete BEFORE DELETE ON forum_post_versions
  BEGIN SELECT RAISE(ABORT, 'post history is append-only'); END;

CREATE TABLE forum_mentions (
  post_id TEXT NOT NULL REFERENCES forum_posts(id),
  position INTEGER NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id),
  PRIMARY KEY (post_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE wheel_people (
  id TEXT PRIMARY KEY,
  child_id TEXT NOT NULL REFERENCES children(id),
  name TEXT NOT NULL,
  relationship TEXT NOT NULL,
  lives_with_child INTEGER NOT NULL,
  since TEXT,
  date_of_birth TEXT,
  adult INTEGER,
  verified INTEGER NOT NULL,
  verified_by_agency_id TEXT REFERENCES agencies(id),
  notes TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL
) STRICT;
CREATE INDEX wheel_people_by_child ON wheel_people(child_id, created_at);

-- Document frequency of each word-cloud term across children; the row with term '' holds
-- the number of children with any text.
CREATE TABLE word_document_frequency (
  term TEXT PRIMARY KEY,
  df INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE feed_items (
  id TEXT PRIMARY KEY,
  at INTEGER NOT NULL,
  child_id TEXT NOT NULL REFERENCES children(id),
  kind TEXT NOT NULL,
  summary TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  significance TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  recipient_id TEXT NOT NULL
) STRICT;
CREATE INDEX feed_items_by_child ON feed_items(child_id, at);

CREATE TABLE alerts (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  child_id TEXT NOT NULL REFERENCES children(id),
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  summary TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  read_at INTEGER
) STRICT;
CREATE INDEX alerts_by_user ON alerts(user_id, at);
)sql",
      // 3: the newest-first order of a child's chronology as an index, so the latest entries
      // are read without sorting every version (see ChronologyRepository::Current).
      R"sql(
CREATE INDEX chronology_newest_first ON chronology_entries(
  child_id, occurred_on DESC, coalesce(occurred_time, -1) DESC, recorded_at DESC, id DESC);
)sql",
      // 4: the last TOTP time step accepted for each user, so that a code is used only once.
      R"sql(
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
)sql",
      // 5: the national index: source records (provenance of imported feeds) and the clerical
      // review queue of records the linkage engine could not decide.
      R"sql(
CREATE TABLE source_records (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  record_id TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  child_id TEXT REFERENCES children(id),
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  date_of_birth TEXT NOT NULL,
  sex TEXT NOT NULL,
  postcode TEXT NOT NULL,
  address TEXT NOT NULL,
  nhs_number TEXT NOT NULL,
  upn TEXT NOT NULL,
  attributes TEXT NOT NULL,
  imported_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (source, record_id)
) STRICT;
CREATE INDEX source_records_by_child ON source_records(child_id, imported_at, id) WHERE child_id IS NOT NULL;

CREATE TABLE review_items (
  id TEXT PRIMARY KEY,
  authority_id TEXT NOT NULL REFERENCES authorities(id),
  source_record_id TEXT NOT NULL REFERENCES source_records(id),
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  decided_by TEXT NOT NULL DEFAULT '',
  decided_at INTEGER,
  decided_child_id TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX review_items_open ON review_items(authority_id, created_at, id) WHERE status = 'open';

CREATE TABLE review_candidates (
  review_id TEXT NOT NULL REFERENCES review_items(id),
  position INTEGER NOT NULL,
  child_id TEXT NOT NULL REFERENCES children(id),
  probability REAL NOT NULL,
  weight REAL NOT NULL,
  evidence TEXT NOT NULL,
  PRIMARY KEY (review_id, position)
) STRICT, WITHOUT ROWID;
)sql",
      // 6: merges of two child records into one, kept for ever with their un-merges.
      R"sql(
CREATE TABLE child_merges (
  id TEXT PRIMARY KEY,
  survivor_id TEXT NOT NULL REFERENCES children(id),
  merged_id TEXT NOT NULL REFERENCES children(id),
  moved_source_records TEXT NOT NULL,
  merged_by TEXT NOT NULL,
  merged_at INTEGER NOT NULL,
  reason TEXT NOT NULL,
  unmerged_by TEXT NOT NULL DEFAULT '',
  unmerged_at INTEGER,
  unmerge_reason TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE UNIQUE INDEX child_merges_one_active ON child_merges(merged_id) WHERE unmerged_at IS NULL;
CREATE INDEX child_merges_by_survivor ON child_merges(survivor_id);
)sql",
      // 7: the early help assessment (issue 7). Versions, meetings, reviews and lead changes are
      // history (inserted, never changed once locked or stored); the assessment's content and
      // the lists inside a meeting or review are JSON documents owned by this back end.
      R"sql(
CREATE TABLE early_help_assessments (
  id TEXT PRIMARY KEY,
  child_id TEXT NOT NULL REFERENCES children(id),
  stage TEXT NOT NULL,
  lead_user_id TEXT NOT NULL REFERENCES users(id),
  opened_at INTEGER NOT NULL,
  opened_by TEXT NOT NULL,
  closed_at INTEGER,
  closed_by TEXT NOT NULL DEFAULT '',
  outcome TEXT,
  closure_summary TEXT NOT NULL DEFAULT '',
  revision INTEGER NOT NULL
) STRICT;
CREATE INDEX early_help_by_child ON early_help_assessments(child_id, opened_at);

CREATE TABLE early_help_versions (
  assessment_id TEXT NOT NULL REFERENCES early_help_assessments(id),
  number INTEGER NOT NULL,
  content TEXT NOT NULL,
  locked INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  completed_at INTEGER,
  completed_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (assessment_id, number)
) STRICT;

CREATE TABLE early_help_lead_changes (
  assessment_id TEXT NOT NULL REFERENCES early_help_assessments(id),
  seq INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  by_user_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (assessment_id, seq)
) STRICT;

CREATE TABLE early_help_meetings (
  id TEXT PRIMARY KEY,
  assessment_id TEXT NOT NULL REFERENCES early_help_assessments(id),
  seq INTEGER NOT NULL,
  held_on TEXT NOT NULL,
  attendees TEXT NOT NULL,
  decisions TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded_at INTEGER NOT NULL
) STRICT;
CREATE INDEX early_help_meetings_by_assessment ON early_help_meetings(assessment_id, seq);

CREATE TABLE early_help_actions (
  id TEXT PRIMARY KEY,
  assessment_id TEXT NOT NULL REFERENCES early_help_assessments(id),
  seq INTEGER NOT NULL,
  description TEXT NOT NULL,
  owner_id TEXT NOT NULL REFERENCES users(id),
  due_on TEXT NOT NULL,
  status TEXT NOT NULL,
  need_id TEXT NOT NULL,
  meeting_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  overdue_alerted_on TEXT
) STRICT;
CREATE INDEX early_help_actions_by_assessment ON early_help_actions(assessment_id, seq);
CREATE INDEX early_help_actions_due ON early_help_actions(due_on) WHERE overdue_alerted_on IS NULL
  AND status IN ('not_started', 'in_progress');

CREATE TABLE early_help_reviews (
  id TEXT PRIMARY KEY,
  assessment_id TEXT NOT NULL REFERENCES early_help_assessments(id),
  seq INTEGER NOT NULL,
  held_on TEXT NOT NULL,
  progress TEXT NOT NULL,
  version_reviewed INTEGER NOT NULL,
  summary TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded_at INTEGER NOT NULL
) STRICT;
CREATE INDEX early_help_reviews_by_assessment ON early_help_reviews(assessment_id, seq);
)sql",
      // 8: the family portal (issue 5): visibility of entries and threads with restrictions and
      // their review, the authority's defaults, invitations, family links and family entries.
      R"sql(
CREATE TABLE family_visibility (
  subject_id TEXT PRIMARY KEY,
  child_id TEXT NOT NULL REFERENCES children(id),
  subject_kind TEXT NOT NULL,
  visibility TEXT NOT NULL,
  reason TEXT,
  reason_text TEXT NOT NULL,
  review TEXT NOT NULL,
  set_by TEXT NOT NULL,
  set_at INTEGER NOT NULL,
  reviewed_by TEXT,
  reviewed_at INTEGER
) STRICT;
CREATE INDEX family_visibility_by_child ON family_visibility(child_id);

CREATE TABLE family_defaults (
  authority_id TEXT NOT NULL REFERENCES authorities(id),
  subject_type TEXT NOT NULL,
  visibility TEXT NOT NULL,
  PRIMARY KEY (authority_id, subject_type)
) STRICT;

CREATE TABLE family_settings (
  authority_id TEXT PRIMARY KEY REFERENCES authorities(id),
  young_person_min_age INTEGER NOT NULL
) STRICT;

CREATE TABLE family_invitations (
  id TEXT PRIMARY KEY,
  code_hash TEXT NOT NULL UNIQUE,
  child_id TEXT NOT NULL REFERENCES children(id),
  relation TEXT NOT NULL,
  name TEXT NOT NULL,
  wheel_person_id TEXT,
  invited_by TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  redeemed_at INTEGER,
  redeemed_by TEXT,
  failed_checks INTEGER NOT NULL DEFAULT 0,
  revoked_at INTEGER
) STRICT;
CREATE INDEX family_invitations_by_child ON family_invitations(child_id, created_at);

CREATE TABLE family_links (
  user_id TEXT NOT NULL REFERENCES users(id),
  child_id TEXT NOT NULL REFERENCES children(id),
  relation TEXT NOT NULL,
  linked_at INTEGER NOT NULL,
  invitation_id TEXT NOT NULL,
  PRIMARY KEY (user_id, child_id)
) STRICT;
CREATE INDEX family_links_by_child ON family_links(child_id);

CREATE TABLE family_entries (
  id TEXT PRIMARY KEY,
  child_id TEXT NOT NULL REFERENCES children(id),
  author_id TEXT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  about_entry_id TEXT,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX family_entries_by_child ON family_entries(child_id, created_at);
)sql",
      // 9: idempotency keys of state-changing requests (docs/idempotency.md). `status` is NULL
      // while the request is in progress (or its response was lost in a crash).
      R"sql(
CREATE TABLE idempotency_keys (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  method TEXT NOT NULL,
  target TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  status INTEGER,
  content_type TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (scope, key)
) STRICT;
CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys(expires_at);
)sql",
      // 10: shield overrides (issue 6): time-limited, reviewed access to a shielded child's details.
      R"sql(
CREATE TABLE shield_overrides (
  id TEXT PRIMARY KEY,
  child_id TEXT NOT NULL REFERENCES children(id),
  authority_id TEXT NOT NULL REFERENCES authorities(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  reason_code TEXT NOT NULL,
  reason TEXT NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  ended_early_at INTEGER,
  ended_by TEXT NOT NULL,
  reviewed_at INTEGER,
  reviewed_by TEXT NOT NULL,
  review_note TEXT NOT NULL
) STRICT;
CREATE INDEX shield_overrides_by_user_child ON shield_overrides(user_id, child_id, ends_at);
CREATE INDEX shield_overrides_by_authority ON shield_overrides(authority_id, starts_at);
)sql",
      // 11: the index steward grant (issue 6, docs/adr/0010-index-steward-permission.md): who
      // granted it and when is in the audit trail (user.update).
      R"sql(
ALTER TABLE users ADD COLUMN index_steward INTEGER NOT NULL DEFAULT 0;
)sql",
      // 12: proportionate access (issue 14): shield overrides become break-glass on any child's
      // account (ADR 0012) with a reviewed verdict; requests to join a team; the
      // information-governance permission.
      R"sql(
ALTER TABLE shield_overrides RENAME TO break_glass;
ALTER TABLE break_glass ADD COLUMN justified INTEGER;
CREATE TABLE join_requests (
  id TEXT PRIMARY KEY,
  child_id TEXT NOT NULL REFERENCES children(id),
  authority_id TEXT NOT NULL REFERENCES authorities(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  role TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  status TEXT NOT NULL,
  automatic INTEGER NOT NULL,
  decided_by TEXT NOT NULL,
  decided_at INTEGER,
  decision_reason TEXT NOT NULL,
  escalated_at INTEGER
) STRICT;
CREATE INDEX join_requests_by_child ON join_requests(child_id, created_at);
CREATE INDEX join_requests_by_user ON join_requests(user_id, created_at);
CREATE INDEX join_requests_pending ON join_requests(authority_id, created_at) WHERE status = 'pending';
ALTER TABLE users ADD COLUMN information_governance INTEGER NOT NULL DEFAULT 0;
-- Alerts about no child (a change to someone's account by an administrator).
CREATE TABLE alerts_new (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  child_id TEXT REFERENCES children(id),
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  summary TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  read_at INTEGER
) STRICT;
INSERT INTO alerts_new SELECT id, user_id, child_id, at, kind, summary, subject_id, read_at FROM alerts;
DROP TABLE alerts;
ALTER TABLE alerts_new RENAME TO alerts;
CREATE INDEX alerts_by_user ON alerts(user_id, at);
)sql",
      // 13: rate-limit events (sign-in attempts per address, sign-in failures per username), in
      // the database so that every node over it counts the same events (issue 16;
      // app/store_rate_limiter.h).
      R"sql(
CREATE TABLE rate_events (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  at INTEGER NOT NULL,
  expires INTEGER NOT NULL
) STRICT;
CREATE INDEX rate_events_by_key ON rate_events(key, at);
CREATE INDEX rate_events_by_expiry ON rate_events(expires);
)sql",
      // 14: safe by default for families (issue 15, docs/family-portal.md). The agency that set
      // each visibility (whose agreement a release needs), taken from the user who set it; the
      // agencies' requests to agree to a release. Nothing is shared with the family unless
      // someone decided to share it: rows shared by the old defaults (visibility team_and_family
      // with no review) cannot be told apart from deliberate choices, so entries and threads
      // shared that way are held back until someone shares them again. Lifted restrictions were
      // decided by a lead professional and stay shared; assessments are shared unless
      // restricted and have no default.
      R"sql(
ALTER TABLE family_visibility ADD COLUMN set_by_agency_id TEXT NOT NULL DEFAULT '';
UPDATE family_visibility
   SET set_by_agency_id = COALESCE((SELECT agency_id FROM users WHERE users.id = family_visibility.set_by), '');
UPDATE family_visibility SET visibility = 'team'
 WHERE visibility = 'team_and_family' AND review = 'none' AND subject_kind IN ('entry', 'thread');

CREATE TABLE family_release_requests (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL,
  child_id TEXT NOT NULL REFERENCES children(id),
  subject_id TEXT NOT NULL,
  agency_id TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  requested_at INTEGER NOT NULL,
  reason TEXT NOT NULL,
  status TEXT NOT NULL,
  decided_by TEXT NOT NULL,
  decided_at INTEGER,
  decision_reason TEXT NOT NULL
) STRICT;
CREATE INDEX family_release_requests_by_child ON family_release_requests(child_id, requested_at);
)sql",
      // 15: the auditors' view (issue 14): the children each search found (found_children, with
      // the index audit_found, append-only like the log; searches stored before list theirs in
      // detail.results), and the log by authority and by actor in time order.
      R"sql(
ALTER TABLE audit_log ADD COLUMN found_children TEXT NOT NULL DEFAULT '';
CREATE TABLE audit_found (
  child_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (child_id, seq)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER audit_found_no_update BEFORE UPDATE ON audit_found
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER audit_found_no_delete BEFORE DELETE ON audit_found
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
INSERT OR IGNORE INTO audit_found(child_id, seq)
  SELECT r.value, a.seq
  FROM audit_log a, json_each(CASE WHEN json_valid(a.detail) THEN a.detail ELSE '{}' END, '$.results') r
  WHERE a.action = 'child.search' AND r.type = 'text';
CREATE INDEX audit_by_authority ON audit_log(authority_id, at);
CREATE INDEX audit_by_actor ON audit_log(actor_id, at);
)sql",
      // 16: misuse detection (issue 14): practitioners' homes and declared surnames (read only by
      // the report), the report's flags with their reviews, and claims on once-per-cluster jobs.
      R"sql(
CREATE TABLE practitioner_homes (
  user_id TEXT PRIMARY KEY REFERENCES users(id),
  address TEXT NOT NULL,
  postcode TEXT NOT NULL,
  other_surnames TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE TABLE misuse_flags (
  id TEXT PRIMARY KEY,
  authority_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  user_id TEXT NOT NULL,
  child_id TEXT NOT NULL,
  day TEXT NOT NULL,
  explanation TEXT NOT NULL,
  seqs TEXT NOT NULL,
  found_at INTEGER NOT NULL,
  reviewed_at INTEGER,
  reviewed_by TEXT NOT NULL,
  review_note TEXT NOT NULL
) STRICT;
CREATE INDEX misuse_flags_by_authority ON misuse_flags(authority_id, day);
CREATE TABLE job_claims (
  job TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  claimed_at INTEGER NOT NULL,
  finished_at INTEGER
) STRICT;
)sql",
      // 17: the change feed (issue 16; ChildRepository::ChangedSince): each stored child takes the
      // next number of one sequence, in the order of the writes.
      R"sql(
ALTER TABLE children ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX children_by_change ON children(change_seq);
)sql",
      // 18: each child's text version (issue 16; WordStatsRepository::ChildVersion), so a node's
      // cached word index of a child notices text written on another node.
      R"sql(
CREATE TABLE word_child_versions (
  child_id TEXT PRIMARY KEY,
  version INTEGER NOT NULL
) STRICT;
)sql",
      // 19: retention by rule (issue 18; ADR 0020): the care leaver and SEN flags and the date of
      // death of a child, each authority's rules, and legal holds. A hold is changed only by its one
      // release; a hold in force, and a child it protects (its own, or one on a record merged straight
      // into it: SQLite allows no recursive query in a trigger), cannot be deleted (date('now') is UTC).
      R"sql(
ALTER TABLE children ADD COLUMN care_leaver INTEGER NOT NULL DEFAULT 0;
ALTER TABLE children ADD COLUMN special_educational_needs INTEGER NOT NULL DEFAULT 0;
ALTER TABLE children ADD COLUMN date_of_death TEXT;
CREATE TABLE retention_rules (
  authority_id TEXT PRIMARY KEY REFERENCES authorities(id),
  archive_age_years INTEGER NOT NULL,
  extended_archive_age_years INTEGER NOT NULL,
  purge_after_archive_years INTEGER NOT NULL,
  purge_after_death_years INTEGER NOT NULL,
  remove_unused_after_months INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL,
  CHECK (archive_age_years BETWEEN 1 AND 100 AND extended_archive_age_years BETWEEN archive_age_years AND 100
         AND purge_after_archive_years BETWEEN 1 AND 100 AND purge_after_death_years BETWEEN 1 AND 100
         AND remove_unused_after_months BETWEEN 1 AND 1200)
) STRICT;
CREATE TABLE legal_holds (
  id TEXT PRIMARY KEY,
  child_id TEXT NOT NULL,
  authority_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  reason TEXT NOT NULL,
  starts_on TEXT NOT NULL,
  ends_on TEXT NOT NULL,
  placed_by TEXT NOT NULL,
  placed_at INTEGER NOT NULL,
  released_on TEXT,
  released_by TEXT NOT NULL DEFAULT '',
  release_reason TEXT NOT NULL DEFAULT '',
  CHECK (ends_on >= starts_on AND (released_on IS NULL OR released_on >= starts_on))
) STRICT;
CREATE INDEX legal_holds_by_child ON legal_holds(child_id, starts_on);
CREATE INDEX legal_holds_by_authority ON legal_holds(authority_id, ends_on);
CREATE TRIGGER legal_holds_release_only BEFORE UPDATE ON legal_holds
  WHEN OLD.released_on IS NOT NULL OR NEW.released_on IS NULL OR NEW.id IS NOT OLD.id
    OR NEW.child_id IS NOT OLD.child_id OR NEW.authority_id IS NOT OLD.authority_id OR NEW.kind IS NOT OLD.kind
    OR NEW.reason IS NOT OLD.reason OR NEW.starts_on IS NOT OLD.starts_on OR NEW.ends_on IS NOT OLD.ends_on
    OR NEW.placed_by IS NOT OLD.placed_by OR NEW.placed_at IS NOT OLD.placed_at
  BEGIN SELECT RAISE(ABORT, 'a legal hold is only ever released, once'); END;
CREATE TRIGGER legal_holds_in_force_kept BEFORE DELETE ON legal_holds
  WHEN OLD.released_on IS NULL AND OLD.ends_on >= date('now')
  BEGIN SELECT RAISE(ABORT, 'a legal hold in force cannot be deleted'); END;
CREATE TRIGGER children_held_kept BEFORE DELETE ON children
  WHEN EXISTS (SELECT 1 FROM legal_holds h
               WHERE h.released_on IS NULL AND h.ends_on >= date('now') AND h.starts_on <= date('now')
                 AND (h.child_id = OLD.id OR h.child_id IN (
                   SELECT merged_id FROM child_merges WHERE survivor_id = OLD.id AND unmerged_at IS NULL)))
  BEGIN SELECT RAISE(ABORT, 'this child is protected by a legal hold in force'); END;
)sql",
    // 20: agencies named as involved by someone who may not decide joins (issue 14; their staff's
    // requests to join wait for a decision: domain/child.h).
    R"sql(
CREATE TABLE child_unconfirmed_agencies (
  child_id TEXT NOT NULL REFERENCES children(id) ON DELETE CASCADE,
  agency_id TEXT NOT NULL REFERENCES agencies(id),
  PRIMARY KEY (child_id, agency_id)
) STRICT, WITHOUT ROWID;
)sql",
    // 21: index imports through the server in the database (issue 16; ImportJobRepository;
    // PostgreSQL migration 9): the job and its parts, so that any node takes a part, runs the
    // job or answers for it, and a restarted server finishes what it had accepted.
    R"sql(
CREATE TABLE import_jobs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  authority_id TEXT NOT NULL,
  created_by TEXT NOT NULL,
  client TEXT NOT NULL,
  source TEXT NOT NULL,
  filename TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('receiving', 'queued', 'running', 'done', 'failed')),
  bytes_received INTEGER NOT NULL,
  parts INTEGER NOT NULL,
  stage TEXT NOT NULL,
  stage_fraction REAL NOT NULL,
  summary TEXT NOT NULL,
  error TEXT NOT NULL,
  runner TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  last_part_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER
) STRICT;
CREATE INDEX import_jobs_by_authority ON import_jobs(authority_id, seq);
CREATE INDEX import_jobs_by_state ON import_jobs(state, seq);
CREATE TABLE import_parts (
  import_id TEXT NOT NULL,
  start_byte INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  PRIMARY KEY (import_id, start_byte)
) STRICT;
)sql",
    // 22: the audit log's own checkpoint records found at once, so that any server continues the
    // checkpoints' numbering (ADR 0019; PostgreSQL migration 11).
    R"sql(
CREATE INDEX audit_checkpoints ON audit_log(seq) WHERE action = 'audit.checkpoint';
)sql",
    // 23: how each row of an import through the server was applied, for the import report per
    // row (issue 19; ImportJobRepository::AddRows; PostgreSQL migration 12).
    R"sql(
CREATE TABLE import_rows (
  import_id TEXT NOT NULL REFERENCES import_jobs(id) ON DELETE CASCADE,
  line INTEGER NOT NULL,
  source TEXT NOT NULL,
  record_id TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('created', 'matched', 'queued', 'updated', 'unchanged')),
  child_id TEXT NOT NULL,
  review_id TEXT NOT NULL,
  PRIMARY KEY (import_id, line)
) STRICT, WITHOUT ROWID;
)sql",
  };
  return kMigrations;
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(Migrations().size()); }

int SchemaVersion(Connection& connection) {
  auto stmt = connection.Prepare("PRAGMA user_version");
  stmt.Step();
  return static_cast<int>(stmt.Int(0));
}

int ApplyMigrations(Connection& connection) {
  const int current = SchemaVersion(connection);
  const int latest = LatestSchemaVersion();
  if (current > latest) {
    throw StorageError("the database has schema version " + std::to_string(current) +
                       " but this build of Kith knows only up to " + std::to_string(latest) + "; run a newer Kith");
  }
  for (int v = current + 1; v <= latest; ++v) {
    connection.Exec("BEGIN IMMEDIATE");
    try {
      connection.Exec(Migrations()[static_cast<size_t>(v - 1)]);
      connection.Exec("PRAGMA user_version=" + std::to_string(v));
      connection.Exec("COMMIT");
    } catch (...) {
      connection.Exec("ROLLBACK");
      throw;
    }
  }
  return latest - current;
}

}  // namespace kith::storage::sqlite
