#include "storage/postgres/migrations.h"

#include <string>
#include <vector>

namespace kith::storage::postgres {
namespace {

// Identifiers and every text that is sorted or compared by range use the "C" collation, so that
// order is the same as on SQLite (bytewise) whatever the database's locale.
//
// Never edit a migration that has shipped: add a new one.
const std::vector<std::string_view>& Migrations() {
  static const std::vector<std::string_view> kMigrations = {
      // 1: the whole schema as of issue 16 (SQLite migrations 1-12), plus the versions that tell
      // every node's caches about changes (store_versions) and one audit chain per writer.
      R"sql(
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE TABLE authorities (
  id text COLLATE "C" PRIMARY KEY,
  code text COLLATE "C" NOT NULL UNIQUE,
  name text COLLATE "C" NOT NULL,
  require_second_factor boolean NOT NULL DEFAULT false
);

CREATE TABLE agencies (
  id text COLLATE "C" PRIMARY KEY,
  authority_id text COLLATE "C" NOT NULL REFERENCES authorities(id),
  name text COLLATE "C" NOT NULL,
  kind text NOT NULL,
  phone text NOT NULL DEFAULT '',
  email text NOT NULL DEFAULT '',
  address text NOT NULL DEFAULT ''
);
CREATE INDEX agencies_by_authority ON agencies(authority_id, name);

CREATE TABLE users (
  id text COLLATE "C" PRIMARY KEY,
  username text COLLATE "C" NOT NULL UNIQUE,
  display_name text NOT NULL,
  job_title text NOT NULL DEFAULT '',
  email text NOT NULL DEFAULT '',
  phone text NOT NULL DEFAULT '',
  role text NOT NULL,
  authority_id text COLLATE "C" REFERENCES authorities(id),
  agency_id text COLLATE "C" REFERENCES agencies(id),
  active boolean NOT NULL,
  password_hash text NOT NULL,
  totp_secret text NOT NULL DEFAULT '',
  totp_enrolled boolean NOT NULL DEFAULT false,
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  last_login_at timestamptz,
  totp_last_step bigint NOT NULL DEFAULT 0,
  index_steward boolean NOT NULL DEFAULT false,
  information_governance boolean NOT NULL DEFAULT false,
  version bigint NOT NULL
);
CREATE INDEX users_by_authority ON users(authority_id, username);

CREATE TABLE children (
  id text COLLATE "C" PRIMARY KEY,
  authority_id text COLLATE "C" NOT NULL REFERENCES authorities(id),
  given_names text NOT NULL,
  family_name text NOT NULL,
  date_of_birth date,
  sex text NOT NULL,
  address text NOT NULL,
  postcode text NOT NULL,
  nhs_number text COLLATE "C" NOT NULL,
  upn text COLLATE "C" NOT NULL,
  school_agency_id text COLLATE "C" REFERENCES agencies(id),
  gp_agency_id text COLLATE "C" REFERENCES agencies(id),
  early_help_assessment boolean NOT NULL,
  child_protection_plan boolean NOT NULL,
  looked_after boolean NOT NULL,
  shielded boolean NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version bigint NOT NULL
);
CREATE INDEX children_by_authority ON children(authority_id, id);
CREATE INDEX children_by_nhs_number ON children(nhs_number) WHERE nhs_number <> '';
CREATE INDEX children_by_upn ON children(upn) WHERE upn <> '';

CREATE TABLE child_other_names (
  child_id text COLLATE "C" NOT NULL REFERENCES children(id) ON DELETE CASCADE,
  position integer NOT NULL,
  name text NOT NULL,
  PRIMARY KEY (child_id, position)
);

CREATE TABLE child_carers (
  child_id text COLLATE "C" NOT NULL REFERENCES children(id) ON DELETE CASCADE,
  position integer NOT NULL,
  name text NOT NULL,
  relationship text NOT NULL,
  parental_responsibility boolean NOT NULL,
  phone text NOT NULL,
  email text NOT NULL,
  address text NOT NULL,
  PRIMARY KEY (child_id, position)
);

CREATE TABLE child_services (
  child_id text COLLATE "C" NOT NULL REFERENCES children(id) ON DELETE CASCADE,
  position integer NOT NULL,
  agency_id text COLLATE "C" NOT NULL REFERENCES agencies(id),
  description text NOT NULL,
  start_date date NOT NULL,
  end_date date,
  PRIMARY KEY (child_id, position)
);
CREATE INDEX child_services_by_agency ON child_services(agency_id);

CREATE TABLE team_members (
  child_id text COLLATE "C" NOT NULL REFERENCES children(id),
  user_id text COLLATE "C" NOT NULL REFERENCES users(id),
  role text NOT NULL,
  reason text NOT NULL,
  joined_at timestamptz NOT NULL,
  lead boolean NOT NULL,
  PRIMARY KEY (child_id, user_id)
);
CREATE INDEX team_members_by_user ON team_members(user_id);
CREATE UNIQUE INDEX team_one_lead ON team_members(child_id) WHERE lead;

CREATE TABLE team_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  child_id text COLLATE "C" NOT NULL REFERENCES children(id),
  user_id text COLLATE "C" NOT NULL REFERENCES users(id),
  kind text NOT NULL,
  role text NOT NULL,
  reason text NOT NULL,
  by_user_id text COLLATE "C" NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX team_events_by_child ON team_events(child_id, id);

CREATE TABLE sessions (
  token_hash text COLLATE "C" PRIMARY KEY,
  user_id text COLLATE "C" NOT NULL REFERENCES users(id),
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  second_factor_done boolean NOT NULL,
  client text NOT NULL,
  pending_totp_secret text NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);

-- One hash chain per database writer (docs/adr/0014-audit-chains-per-writer.md).
CREATE TABLE audit_log (
  chain integer NOT NULL,
  seq bigint NOT NULL,
  -- Insertion order across chains, for "newest first" among records of the same instant.
  id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  at timestamptz NOT NULL,
  actor_id text COLLATE "C" NOT NULL,
  actor_role text NOT NULL,
  authority_id text COLLATE "C" NOT NULL,
  action text NOT NULL,
  child_id text COLLATE "C" NOT NULL,
  target_id text COLLATE "C" NOT NULL,
  reason text NOT NULL,
  outcome text NOT NULL,
  why text NOT NULL,
  detail text NOT NULL,
  client text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (chain, seq)
);
CREATE INDEX audit_by_child ON audit_log(child_id, at, id) WHERE child_id <> '';
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION refuse_change('audit records are append-only');
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('audit records are append-only');

-- What every node's caches of sessions and accounts are kept behind (Store::IdentityVersion and
-- RecordsVersion: their sums). One row per writer, the same writer as the audit chain, so that
-- writers never update one another's row.
CREATE TABLE store_versions (
  chain integer PRIMARY KEY,
  identity bigint NOT NULL DEFAULT 0,
  records bigint NOT NULL DEFAULT 0
);

CREATE TABLE chronology_entries (
  id text COLLATE "C" PRIMARY KEY,
  child_id text COLLATE "C" NOT NULL REFERENCES children(id),
  lineage_id text COLLATE "C" NOT NULL,
  version integer NOT NULL,
  supersedes_id text COLLATE "C" UNIQUE REFERENCES chronology_entries(id),
  occurred_on date NOT NULL,
  occurred_time time,
  agency_id text COLLATE "C" NOT NULL REFERENCES agencies(id),
  agency_kind text NOT NULL,
  author_id text COLLATE "C" NOT NULL REFERENCES users(id),
  type text NOT NULL,
  significance text NOT NULL,
  summary text NOT NULL,
  detail text NOT NULL,
  recorded_at timestamptz NOT NULL,
  correction_reason text NOT NULL,
  source_thread_id text COLLATE "C" NOT NULL
);
CREATE INDEX chronology_by_child ON chronology_entries(child_id, occurred_on, occurred_time, agency_id, id);
CREATE INDEX chronology_by_lineage ON chronology_entries(lineage_id, version);
CREATE INDEX chronology_newest_first ON chronology_entries(
  child_id, occurred_on DESC, occurred_time DESC NULLS LAST, recorded_at DESC, id DESC);
CREATE TRIGGER chronology_append_only BEFORE UPDATE OR DELETE ON chronology_entries
  FOR EACH ROW EXECUTE FUNCTION refuse_change('chronology entries are never changed: add a correction');

CREATE TABLE forum_threads (
  id text COLLATE "C" PRIMARY KEY,
  child_id text COLLATE "C" NOT NULL REFERENCES children(id),
  category text NOT NULL,
  title text NOT NULL,
  author_id text COLLATE "C" NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL,
  promoted_entry_id text COLLATE "C" REFERENCES chronology_entries(id)
);
CREATE INDEX forum_threads_by_child ON forum_threads(child_id);

CREATE TABLE forum_posts (
  id text COLLATE "C" PRIMARY KEY,
  thread_id text COLLATE "C" NOT NULL REFERENCES forum_threads(id),
  child_id text COLLATE "C" NOT NULL REFERENCES children(id),
  author_id text COLLATE "C" NOT NULL REFERENCES users(id),
  body text NOT NULL,
  created_at timestamptz NOT NULL,
  edited_at timestamptz,
  version integer NOT NULL,
  reply_to text COLLATE "C" REFERENCES forum_posts(id)
);
CREATE INDEX forum_posts_by_thread ON forum_posts(thread_id, created_at);
CREATE INDEX forum_posts_by_child ON forum_posts(child_id);

CREATE TABLE forum_post_versions (
  post_id text COLLATE "C" NOT NULL REFERENCES forum_posts(id),
  version integer NOT NULL,
  body text NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (post_id, version)
);
CREATE TRIGGER forum_post_versions_append_only BEFORE UPDATE OR DELETE ON forum_post_versions
  FOR EACH ROW EXECUTE FUNCTION refuse_change('post history is append-only');

CREATE TABLE forum_mentions (
  post_id text COLLATE "C" NOT NULL REFERENCES forum_posts(id),
  position integer NOT NULL,
  user_id text COLLATE "C" NOT NULL REFERENCES users(id),
  PRIMARY KEY (post_id, position)
);

CREATE TABLE wheel_people (
  id text COLLATE "C" PRIMARY KEY,
  child_id text COLLATE "C" NOT NULL REFERENCES children(id),
  name text NOT NULL,
  relationship text NOT NULL,
  lives_with_child boolean NOT NULL,
  since date,
  date_of_birth date,
  adult boolean,
  verified boolean NOT NULL,
  verified_by_agency_id text COLLATE "C" REFERENCES agencies(id),
  notes text NOT NULL,
  created_by text COLLATE "C" NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version bigint NOT NULL
);
CREATE INDEX wheel_people_by_child ON wheel_people(child_id, created_at);

-- Document frequency of each word-cloud term across children; the row with term '' holds the
-- number of children with any text.
CREATE TABLE word_document_frequency (
  term text COLLATE "C" PRIMARY KEY,
  df bigint NOT NULL
);

CREATE TABLE feed_items (
  id text COLLATE "C" PRIMARY KEY,
  at timestamptz NOT NULL,
  child_id text COLLATE "C" NOT NULL REFERENCES children(id),
  kind text NOT NULL,
  summary text NOT NULL,
  actor_id text COLLATE "C" NOT NULL,
  significance text NOT NULL,
  subject_id text COLLATE "C" NOT NULL,
  recipient_id text COLLATE "C" NOT NULL
);
CREATE INDEX feed_items_by_child ON feed_items(child_id, at);

CREATE TABLE alerts (
  id text COLLATE "C" PRIMARY KEY,
  user_id text COLLATE "C" NOT NULL REFERENCES users(id),
  child_id text COLLATE "C" REFERENCES children(id),  -- none for an alert about the user's account
  at timestamptz NOT NULL,
  kind text NOT NULL,
  summary text NOT NULL,
  subject_id text COLLATE "C" NOT NULL,
  read_at timestamptz
);
CREATE INDEX alerts_by_user ON alerts(user_id, at);

CREATE TABLE source_records (
  id text COLLATE "C" PRIMARY KEY,
  source text COLLATE "C" NOT NULL,
  record_id text COLLATE "C" NOT NULL,
  content_hash text NOT NULL,
  child_id text COLLATE "C" REFERENCES children(id),
  given_name text NOT NULL,
  family_name text NOT NULL,
  date_of_birth text NOT NULL,
  sex text NOT NULL,
  postcode text NOT NULL,
  address text NOT NULL,
  nhs_number text NOT NULL,
  upn text NOT NULL,
  attributes text NOT NULL,
  imported_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (source, record_id)
);
CREATE INDEX source_records_by_child ON source_records(child_id, imported_at, id) WHERE child_id IS NOT NULL;

CREATE TABLE review_items (
  id text COLLATE "C" PRIMARY KEY,
  authority_id text COLLATE "C" NOT NULL REFERENCES authorities(id),
  source_record_id text COLLATE "C" NOT NULL REFERENCES source_records(id),
  status text NOT NULL,
  created_at timestamptz NOT NULL,
  decided_by text COLLATE "C" NOT NULL DEFAULT '',
  decided_at timestamptz,
  decided_child_id text COLLATE "C" NOT NULL DEFAULT '',
  reason text NOT NULL DEFAULT ''
);
CREATE INDEX review_items_open ON review_items(authority_id, created_at, id) WHERE status = 'open';

CREATE TABLE review_candidates (
  review_id text COLLATE "C" NOT NULL REFERENCES review_items(id),
  position integer NOT NULL,
  child_id text COLLATE "C" NOT NULL REFERENCES children(id),
  probability double precision NOT NULL,
  weight double precision NOT NULL,
  evidence text NOT NULL,
  PRIMARY KEY (review_id, position)
);

CREATE TABLE child_merges (
  id text COLLATE "C" PRIMARY KEY,
  survivor_id text COLLATE "C" NOT NULL REFERENCES children(id),
  merged_id text COLLATE "C" NOT NULL REFERENCES children(id),
  moved_source_records text NOT NULL,
  merged_by text COLLATE "C" NOT NULL,
  merged_at timestamptz NOT NULL,
  reason text NOT NULL,
  unmerged_by text COLLATE "C" NOT NULL DEFAULT '',
  unmerged_at timestamptz,
  unmerge_reason text NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX child_merges_one_active ON child_merges(merged_id) WHERE unmerged_at IS NULL;
CREATE INDEX child_merges_by_survivor ON child_merges(survivor_id);

CREATE TABLE early_help_assessments (
  id text COLLATE "C" PRIMARY KEY,
  child_id text COLLATE "C" NOT NULL REFERENCES children(id),
  stage text NOT NULL,
  lead_user_id text COLLATE "C" NOT NULL REFERENCES users(id),
  opened_at timestamptz NOT NULL,
  opened_by text COLLATE "C" NOT NULL,
  closed_at timestamptz,
  closed_by text COLLATE "C" NOT NULL DEFAULT '',
  outcome text,
  closure_summary text NOT NULL DEFAULT '',
  revision bigint NOT NULL
);
CREATE INDEX early_help_by_child ON early_help_assessments(child_id, opened_at);

CREATE TABLE early_help_versions (
  assessment_id text COLLATE "C" NOT NULL REFERENCES early_help_assessments(id),
  number integer NOT NULL,
  content text NOT NULL,
  locked boolean NOT NULL,
  created_at timestamptz NOT NULL,
  created_by text COLLATE "C" NOT NULL,
  completed_at timestamptz,
  completed_by text COLLATE "C" NOT NULL DEFAULT '',
  PRIMARY KEY (assessment_id, number)
);

CREATE TABLE early_help_lead_changes (
  assessment_id text COLLATE "C" NOT NULL REFERENCES early_help_assessments(id),
  seq integer NOT NULL,
  user_id text COLLATE "C" NOT NULL,
  by_user_id text COLLATE "C" NOT NULL,
  reason text NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (assessment_id, seq)
);

CREATE TABLE early_help_meetings (
  id text COLLATE "C" PRIMARY KEY,
  assessment_id text COLLATE "C" NOT NULL REFERENCES early_help_assessments(id),
  seq integer NOT NULL,
  held_on date NOT NULL,
  attendees text NOT NULL,
  decisions text NOT NULL,
  recorded_by text COLLATE "C" NOT NULL,
  recorded_at timestamptz NOT NULL
);
CREATE INDEX early_help_meetings_by_assessment ON early_help_meetings(assessment_id, seq);

CREATE TABLE early_help_actions (
  id text COLLATE "C" PRIMARY KEY,
  assessment_id text COLLATE "C" NOT NULL REFERENCES early_help_assessments(id),
  seq integer NOT NULL,
  description text NOT NULL,
  owner_id text COLLATE "C" NOT NULL REFERENCES users(id),
  due_on date NOT NULL,
  status text NOT NULL,
  need_id text COLLATE "C" NOT NULL,
  meeting_id text COLLATE "C" NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  overdue_alerted_on date
);
CREATE INDEX early_help_actions_by_assessment ON early_help_actions(assessment_id, seq);
CREATE INDEX early_help_actions_due ON early_help_actions(due_on) WHERE overdue_alerted_on IS NULL
  AND status IN ('not_started', 'in_progress');

CREATE TABLE early_help_reviews (
  id text COLLATE "C" PRIMARY KEY,
  assessment_id text COLLATE "C" NOT NULL REFERENCES early_help_assessments(id),
  seq integer NOT NULL,
  held_on date NOT NULL,
  progress text NOT NULL,
  version_reviewed integer NOT NULL,
  summary text NOT NULL,
  recorded_by text COLLATE "C" NOT NULL,
  recorded_at timestamptz NOT NULL
);
CREATE INDEX early_help_reviews_by_assessment ON early_help_reviews(assessment_id, seq);

CREATE TABLE family_visibility (
  subject_id text COLLATE "C" PRIMARY KEY,
  child_id text COLLATE "C" NOT NULL REFERENCES children(id),
  subject_kind text NOT NULL,
  visibility text NOT NULL,
  reason text,
  reason_text text NOT NULL,
  review text NOT NULL,
  set_by text COLLATE "C" NOT NULL,
  set_at timestamptz NOT NULL,
  reviewed_by text COLLATE "C",
  reviewed_at timestamptz
);
CREATE INDEX family_visibility_by_child ON family_visibility(child_id);

CREATE TABLE family_defaults (
  authority_id text COLLATE "C" NOT NULL REFERENCES authorities(id),
  subject_type text COLLATE "C" NOT NULL,
  visibility text NOT NULL,
  PRIMARY KEY (authority_id, subject_type)
);

CREATE TABLE family_settings (
  authority_id text COLLATE "C" PRIMARY KEY REFERENCES authorities(id),
  young_person_min_age integer NOT NULL
);

CREATE TABLE family_invitations (
  id text COLLATE "C" PRIMARY KEY,
  code_hash text COLLATE "C" NOT NULL UNIQUE,
  child_id text COLLATE "C" NOT NULL REFERENCES children(id),
  relation text NOT NULL,
  name text NOT NULL,
  wheel_person_id text COLLATE "C",
  invited_by text COLLATE "C" NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  redeemed_at timestamptz,
  redeemed_by text COLLATE "C",
  failed_checks integer NOT NULL DEFAULT 0,
  revoked_at timestamptz
);
CREATE INDEX family_invitations_by_child ON family_invitations(child_id, created_at);

CREATE TABLE family_links (
  user_id text COLLATE "C" NOT NULL REFERENCES users(id),
  child_id text COLLATE "C" NOT NULL REFERENCES children(id),
  relation text NOT NULL,
  linked_at timestamptz NOT NULL,
  invitation_id text COLLATE "C" NOT NULL,
  PRIMARY KEY (user_id, child_id)
);
CREATE INDEX family_links_by_child ON family_links(child_id);

CREATE TABLE family_entries (
  id text COLLATE "C" PRIMARY KEY,
  child_id text COLLATE "C" NOT NULL REFERENCES children(id),
  author_id text COLLATE "C" NOT NULL REFERENCES users(id),
  kind text NOT NULL,
  about_entry_id text COLLATE "C",
  text text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX family_entries_by_child ON family_entries(child_id, created_at);

CREATE TABLE idempotency_keys (
  scope text COLLATE "C" NOT NULL,
  key text COLLATE "C" NOT NULL,
  fingerprint text NOT NULL,
  method text NOT NULL,
  target text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  status integer,
  content_type text NOT NULL,
  body text NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys(expires_at);

-- Time-limited emergency access to a child's account, reviewed (issue 14, ADR 0012).
CREATE TABLE break_glass (
  id text COLLATE "C" PRIMARY KEY,
  child_id text COLLATE "C" NOT NULL REFERENCES children(id),
  authority_id text COLLATE "C" NOT NULL REFERENCES authorities(id),
  user_id text COLLATE "C" NOT NULL REFERENCES users(id),
  reason_code text NOT NULL,
  reason text NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  ended_early_at timestamptz,
  ended_by text COLLATE "C" NOT NULL,
  reviewed_at timestamptz,
  reviewed_by text COLLATE "C" NOT NULL,
  review_note text NOT NULL,
  justified boolean
);
CREATE INDEX break_glass_by_user_child ON break_glass(user_id, child_id, ends_at);
CREATE INDEX break_glass_by_authority ON break_glass(authority_id, starts_at);

CREATE TABLE join_requests (
  id text COLLATE "C" PRIMARY KEY,
  child_id text COLLATE "C" NOT NULL REFERENCES children(id),
  authority_id text COLLATE "C" NOT NULL REFERENCES authorities(id),
  user_id text COLLATE "C" NOT NULL REFERENCES users(id),
  role text NOT NULL,
  reason text NOT NULL,
  created_at timestamptz NOT NULL,
  status text NOT NULL,
  automatic boolean NOT NULL,
  decided_by text COLLATE "C" NOT NULL,
  decided_at timestamptz,
  decision_reason text NOT NULL,
  escalated_at timestamptz
);
CREATE INDEX join_requests_by_child ON join_requests(child_id, created_at);
CREATE INDEX join_requests_by_user ON join_requests(user_id, created_at);
CREATE INDEX join_requests_pending ON join_requests(authority_id, created_at) WHERE status = 'pending';
)sql",
      // 2: rate-limit events (sign-in attempts per address, sign-in failures per username), shared
      // by every node (issue 16; app/store_rate_limiter.h).
      R"sql(
CREATE TABLE rate_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key text COLLATE "C" NOT NULL,
  at timestamptz NOT NULL,
  expires timestamptz NOT NULL
);
CREATE INDEX rate_events_by_key ON rate_events(key, at);
CREATE INDEX rate_events_by_expiry ON rate_events(expires);
)sql",
      // 3: safe by default for families (issue 15, SQLite migration 14, docs/family-portal.md). The
      // agency that set each visibility (whose agreement a release needs), taken from the user who
      // set it; the agencies' requests to agree to a release. Entries and threads shared by the
      // old defaults (team_and_family with no review) cannot be told apart from deliberate
      // choices, so they are held back until someone shares them again; lifted restrictions were
      // decided by a lead professional and stay shared.
      R"sql(
ALTER TABLE family_visibility ADD COLUMN set_by_agency_id text COLLATE "C" NOT NULL DEFAULT '';
UPDATE family_visibility v SET set_by_agency_id = COALESCE(u.agency_id, '') FROM users u WHERE u.id = v.set_by;
UPDATE family_visibility SET visibility = 'team'
 WHERE visibility = 'team_and_family' AND review = 'none' AND subject_kind IN ('entry', 'thread');

CREATE TABLE family_release_requests (
  id text COLLATE "C" PRIMARY KEY,
  request_id text COLLATE "C" NOT NULL,
  child_id text COLLATE "C" NOT NULL REFERENCES children(id),
  subject_id text COLLATE "C" NOT NULL,
  agency_id text COLLATE "C" NOT NULL,
  requested_by text COLLATE "C" NOT NULL,
  requested_at timestamptz NOT NULL,
  reason text NOT NULL,
  status text NOT NULL,
  decided_by text COLLATE "C" NOT NULL,
  decided_at timestamptz,
  decision_reason text NOT NULL
);
CREATE INDEX family_release_requests_by_child ON family_release_requests(child_id, requested_at);
)sql",
      // 4: the auditors' view and misuse detection (issue 14; SQLite migrations 15 and 16).
      // The children each search found: `found_children` on the record (a JSON array, hashed
      // with it) and the side table audit_found that finds the searches of one child, as
      // append-only as the log (the server role may only read and insert: kGrants). Searches
      // stored before list theirs in detail.results. The log by authority and by actor in time
      // order. Practitioners' homes, the report's flags with their reviews, and claims on
      // once-per-cluster jobs and leases on once-per-cluster roles (the audit checkpointer).
      R"sql(
ALTER TABLE audit_log ADD COLUMN found_children text NOT NULL DEFAULT '';
CREATE TABLE audit_found (
  child_id text COLLATE "C" NOT NULL,
  chain integer NOT NULL,
  seq bigint NOT NULL,
  PRIMARY KEY (child_id, chain, seq)
);
CREATE TRIGGER audit_found_append_only BEFORE UPDATE OR DELETE ON audit_found
  FOR EACH ROW EXECUTE FUNCTION refuse_change('audit records are append-only');
CREATE TRIGGER audit_found_no_truncate BEFORE TRUNCATE ON audit_found
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('audit records are append-only');
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT chain, seq, detail FROM audit_log WHERE action = 'child.search' LOOP
    BEGIN
      INSERT INTO audit_found(child_id, chain, seq)
        SELECT DISTINCT e, r.chain, r.seq
        FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(r.detail::jsonb -> 'results') = 'array'
                                            THEN r.detail::jsonb -> 'results' ELSE '[]'::jsonb END) e
        ON CONFLICT DO NOTHING;
    EXCEPTION WHEN invalid_text_representation OR data_exception THEN
      NULL;  -- a detail that is not JSON, or results that are not strings: nothing found
    END;
  END LOOP;
END $$;
CREATE INDEX audit_by_authority ON audit_log(authority_id, at, chain, seq);
CREATE INDEX audit_by_actor ON audit_log(actor_id, at, chain, seq);

CREATE TABLE practitioner_homes (
  user_id text COLLATE "C" PRIMARY KEY REFERENCES users(id),
  address text NOT NULL,
  postcode text NOT NULL,
  other_surnames text NOT NULL,
  updated_by text COLLATE "C" NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE TABLE misuse_flags (
  id text COLLATE "C" PRIMARY KEY,
  authority_id text COLLATE "C" NOT NULL,
  kind text COLLATE "C" NOT NULL,
  user_id text COLLATE "C" NOT NULL,
  child_id text COLLATE "C" NOT NULL,
  day text COLLATE "C" NOT NULL,
  explanation text NOT NULL,
  seqs text NOT NULL,
  found_at timestamptz NOT NULL,
  reviewed_at timestamptz,
  reviewed_by text COLLATE "C" NOT NULL,
  review_note text NOT NULL
);
CREATE INDEX misuse_flags_by_authority ON misuse_flags(authority_id, day);
CREATE TABLE job_claims (
  job text COLLATE "C" PRIMARY KEY,
  holder text COLLATE "C" NOT NULL,
  claimed_at timestamptz NOT NULL,
  finished_at timestamptz
);
)sql",
      // 5: the change feed (issue 16; ChildRepository::ChangedSince): each stored child keeps the
      // id of the transaction that stored it.
      R"sql(
ALTER TABLE children ADD COLUMN changed_xid bigint NOT NULL DEFAULT 0;
CREATE INDEX children_by_change ON children(changed_xid);
)sql",
      // 6: each child's text version (issue 16; WordStatsRepository::ChildVersion), so a node's
      // cached word index of a child notices text written on another node.
      R"sql(
CREATE TABLE word_child_versions (
  child_id text COLLATE "C" PRIMARY KEY,
  version bigint NOT NULL
);
)sql",
      // 7: retention by rule (issue 18; ADR 0020; SQLite migration 19): the care leaver and SEN
      // flags and the date of death of a child, each authority's rules, and legal holds. A hold is
      // changed only by its one release; a hold in force, and a child it protects (its own, or one on
      // a record merged straight into it, as on SQLite), cannot be deleted, by the owner either.
      R"sql(
ALTER TABLE children ADD COLUMN care_leaver boolean NOT NULL DEFAULT false;
ALTER TABLE children ADD COLUMN special_educational_needs boolean NOT NULL DEFAULT false;
ALTER TABLE children ADD COLUMN date_of_death date;
CREATE TABLE retention_rules (
  authority_id text COLLATE "C" PRIMARY KEY REFERENCES authorities(id),
  archive_age_years integer NOT NULL,
  extended_archive_age_years integer NOT NULL,
  purge_after_archive_years integer NOT NULL,
  purge_after_death_years integer NOT NULL,
  remove_unused_after_months integer NOT NULL,
  updated_by text COLLATE "C" NOT NULL,
  updated_at timestamptz NOT NULL,
  version bigint NOT NULL,
  CHECK (archive_age_years BETWEEN 1 AND 100 AND extended_archive_age_years BETWEEN archive_age_years AND 100
         AND purge_after_archive_years BETWEEN 1 AND 100 AND purge_after_death_years BETWEEN 1 AND 100
         AND remove_unused_after_months BETWEEN 1 AND 1200)
);
CREATE TABLE legal_holds (
  id text COLLATE "C" PRIMARY KEY,
  child_id text COLLATE "C" NOT NULL,
  authority_id text COLLATE "C" NOT NULL,
  kind text COLLATE "C" NOT NULL,
  reason text NOT NULL,
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  placed_by text COLLATE "C" NOT NULL,
  placed_at timestamptz NOT NULL,
  released_on date,
  released_by text COLLATE "C" NOT NULL DEFAULT '',
  release_reason text NOT NULL DEFAULT '',
  CHECK (ends_on >= starts_on AND (released_on IS NULL OR released_on >= starts_on))
);
CREATE INDEX legal_holds_by_child ON legal_holds(child_id, starts_on);
CREATE INDEX legal_holds_by_authority ON legal_holds(authority_id, ends_on);
CREATE FUNCTION legal_hold_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.released_on IS NULL AND OLD.ends_on >= (now() AT TIME ZONE 'UTC')::date THEN
      RAISE EXCEPTION 'a legal hold in force cannot be deleted' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.released_on IS NOT NULL OR NEW.released_on IS NULL
     OR (NEW.id, NEW.child_id, NEW.authority_id, NEW.kind, NEW.reason, NEW.starts_on, NEW.ends_on, NEW.placed_by,
         NEW.placed_at)
        IS DISTINCT FROM (OLD.id, OLD.child_id, OLD.authority_id, OLD.kind, OLD.reason, OLD.starts_on, OLD.ends_on,
                          OLD.placed_by, OLD.placed_at) THEN
    RAISE EXCEPTION 'a legal hold is only ever released, once' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER legal_holds_guard BEFORE UPDATE OR DELETE ON legal_holds
  FOR EACH ROW EXECUTE FUNCTION legal_hold_guard();
CREATE TRIGGER legal_holds_no_truncate BEFORE TRUNCATE ON legal_holds
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('legal holds cannot be truncated');
CREATE FUNCTION child_hold_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  today date := (now() AT TIME ZONE 'UTC')::date;
BEGIN
  IF EXISTS (SELECT 1 FROM kith.legal_holds h
             WHERE h.released_on IS NULL AND h.ends_on >= today AND h.starts_on <= today
               AND (h.child_id = OLD.id OR h.child_id IN (
                 SELECT merged_id FROM kith.child_merges WHERE survivor_id = OLD.id AND unmerged_at IS NULL))) THEN
    RAISE EXCEPTION 'this child is protected by a legal hold in force' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER children_held_kept BEFORE DELETE ON children
  FOR EACH ROW EXECUTE FUNCTION child_hold_guard();
)sql",
    // 8: agencies named as involved by someone who may not decide joins (issue 14; their staff's
    // requests to join wait for a decision: domain/child.h).
    R"sql(
CREATE TABLE child_unconfirmed_agencies (
  child_id text COLLATE "C" NOT NULL REFERENCES children(id) ON DELETE CASCADE,
  agency_id text COLLATE "C" NOT NULL REFERENCES agencies(id),
  PRIMARY KEY (child_id, agency_id)
);
)sql",
    // 9: index imports through the server in the database (issue 16; ImportJobRepository;
    // SQLite migration 21): the job and its parts, so that any node takes a part, runs the job
    // or answers for it, and a restarted server finishes what it had accepted.
    R"sql(
CREATE TABLE import_jobs (
  seq bigint GENERATED ALWAYS AS IDENTITY,
  id text COLLATE "C" PRIMARY KEY,
  authority_id text COLLATE "C" NOT NULL,
  created_by text COLLATE "C" NOT NULL,
  client text NOT NULL,
  source text NOT NULL,
  filename text NOT NULL,
  state text COLLATE "C" NOT NULL CHECK (state IN ('receiving', 'queued', 'running', 'done', 'failed')),
  bytes_received bigint NOT NULL,
  parts bigint NOT NULL,
  stage text COLLATE "C" NOT NULL,
  stage_fraction double precision NOT NULL,
  summary text NOT NULL,
  error text NOT NULL,
  runner text COLLATE "C" NOT NULL,
  attempts integer NOT NULL,
  created_at timestamptz NOT NULL,
  last_part_at timestamptz NOT NULL,
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX import_jobs_by_authority ON import_jobs(authority_id, seq);
CREATE INDEX import_jobs_by_state ON import_jobs(state, seq);
CREATE TABLE import_parts (
  import_id text COLLATE "C" NOT NULL,
  start_byte bigint NOT NULL,
  bytes bytea NOT NULL,
  PRIMARY KEY (import_id, start_byte)
);
)sql",
    // 10: every write to children notifies the channel kith_children at its commit
    // (kChildChangesChannel, postgres_store.h), which wakes each node's change follower at once
    // (app/change_follower.h) instead of at its next poll. Once per statement, whatever the rows;
    // PostgreSQL folds a transaction's identical notifications into one.
    R"sql(
CREATE FUNCTION children_changed_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('kith_children', '');
  RETURN NULL;
END $$;
CREATE TRIGGER children_changed AFTER INSERT OR UPDATE ON children
  FOR EACH STATEMENT EXECUTE FUNCTION children_changed_notify();
)sql",
    // 11: the audit log's own checkpoint records found at once, so that any node continues the
    // checkpoints' numbering (ADR 0019; SQLite migration 22).
    R"sql(
CREATE INDEX audit_checkpoints ON audit_log(at, chain, seq) WHERE action = 'audit.checkpoint';
)sql",
    // 12: how each row of an import through the server was applied, for the import report per
    // row (issue 19; ImportJobRepository::AddRows; SQLite migration 23).
    R"sql(
CREATE TABLE import_rows (
  import_id text COLLATE "C" NOT NULL REFERENCES import_jobs(id) ON DELETE CASCADE,
  line bigint NOT NULL,
  source text NOT NULL,
  record_id text NOT NULL,
  outcome text COLLATE "C" NOT NULL CHECK (outcome IN ('created', 'matched', 'queued', 'updated', 'unchanged')),
  child_id text COLLATE "C" NOT NULL,
  review_id text COLLATE "C" NOT NULL,
  PRIMARY KEY (import_id, line)
);
)sql",
  };
  return kMigrations;
}

// Advisory lock keys (two-int form): this space, and what is locked in it.
constexpr int kLockSpace = 0x4b495448;  // "KITH"
constexpr int kMigrationLock = 1;

// What the servers' group role may do: read and change everything but the audit log (and its
// index of the children searches found), which it may only read and append to. Re-applied after every run, so new tables get it too.
constexpr std::string_view kGrants = R"sql(
GRANT USAGE ON SCHEMA kith TO kith_server;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA kith TO kith_server;
REVOKE UPDATE, DELETE, TRUNCATE ON kith.audit_log FROM kith_server;
REVOKE UPDATE, DELETE, TRUNCATE ON kith.audit_found FROM kith_server;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON kith.schema_migrations FROM kith_server;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA kith TO kith_server;
)sql";

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(Migrations().size()); }

int SchemaVersion(Connection& connection) {
  auto rows = connection.Prepare("SELECT to_regclass('kith.schema_migrations') IS NOT NULL").Run();
  rows.Next();
  if (!rows.Bool(0)) return 0;
  auto version = connection.Prepare("SELECT coalesce(max(version), 0)::bigint FROM kith.schema_migrations").Run();
  version.Next();
  return static_cast<int>(version.Int(0));
}

std::pair<int, int> ApplyMigrations(Connection& connection) {
  {
    auto encoding = connection.Prepare("SELECT current_setting('server_encoding')").Run();
    encoding.Next();
    if (encoding.Text(0) != "UTF8") {
      throw StorageError("the database's encoding is " + encoding.Text(0) +
                         "; Kith needs UTF8 (CREATE DATABASE … ENCODING 'UTF8' TEMPLATE template0)");
    }
  }
  connection.Prepare("SELECT pg_advisory_lock($1, $2)").Bind(kLockSpace).Bind(kMigrationLock).Run();
  struct Unlock {
    Connection& c;
    ~Unlock() {
      try {
        c.Prepare("SELECT pg_advisory_unlock($1, $2)").Bind(kLockSpace).Bind(kMigrationLock).Run();
      } catch (...) {  // the lock goes with the session anyway
      }
    }
  } unlock{connection};
  const int from = SchemaVersion(connection);
  const int latest = LatestSchemaVersion();
  if (from > latest) {
    throw StorageError("the database has schema version " + std::to_string(from) +
                       " but this build of Kith knows only up to " + std::to_string(latest) + "; run a newer Kith");
  }
  if (from < latest) {
    try {
      connection.Exec("CREATE SCHEMA IF NOT EXISTS kith");
      connection.Exec(
          "CREATE TABLE IF NOT EXISTS kith.schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT "
          "NULL DEFAULT now())");
    } catch (const PgError& e) {
      if (e.sqlstate() == "42501") {
        throw StorageError(
            "this database role may not create Kith's schema; run `kith migrate` with KITH_DATABASE_URL naming the "
            "owner role (README, operations): " +
            std::string(e.what()));
      }
      throw;
    }
  }
  for (int v = from + 1; v <= latest; ++v) {
    connection.Exec("BEGIN");
    try {
      connection.Exec("SET LOCAL search_path TO kith");
      connection.Exec(Migrations()[static_cast<size_t>(v - 1)]);
      connection.Prepare("INSERT INTO kith.schema_migrations(version) VALUES ($1)").Bind(v).Run();
      connection.Exec("COMMIT");
    } catch (...) {
      if (connection.healthy()) connection.Exec("ROLLBACK");
      throw;
    }
  }
  // The owner (and only the owner) grants; a server that finds the schema current grants nothing.
  auto owner = connection
                   .Prepare(
                       "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kith_server')"
                       " AND pg_get_userbyid(n.nspowner) = current_user FROM pg_namespace n WHERE n.nspname = 'kith'")
                   .Run();
  if (owner.Next() && owner.Bool(0)) connection.Exec(kGrants);
  return {from, latest};
}

}  // namespace kith::storage::postgres
