// Shapes of the Kith API's JSON, as agreed in the API contract (docs/openapi.yaml and the
// child's-account contract). The server may add fields; the app reads only these.

export type Role = 'practitioner' | 'manager' | 'authority_admin' | 'auditor' | 'national_admin' | 'family';

export interface User {
  id: string;
  username: string;
  display_name: string;
  job_title: string;
  email: string;
  phone: string;
  role: Role;
  authority_id: string;
  agency_id: string;
  active: boolean;
  /** Imports source feeds, decides index reviews and merges children (ADR 0010). */
  index_steward: boolean;
  /** Produces subject-access exports of the authority's children (never administrators). */
  information_governance: boolean;
  second_factor_enrolled: boolean;
  locked_until: string | null;
  last_login_at: string | null;
  version: number;
}

export type SessionState = 'complete' | 'second_factor_required' | 'enrolment_required';

export interface Session {
  user: User;
  state: SessionState;
  csrf_token: string;
  session_started_at?: string;
}

export interface Flags {
  early_help_assessment: boolean;
  child_protection_plan: boolean;
  looked_after: boolean;
}

export interface ChildSummary {
  child_id: string;
  given_names: string;
  family_name: string;
  date_of_birth: string | null;
  my_role: string;
  i_am_lead: boolean;
  flags: Flags;
}

export interface Agency {
  id: string;
  authority_id: string;
  name: string;
  kind: string;
  kind_name: string;
  phone: string;
  email: string;
  address: string;
}

export interface Carer {
  name: string;
  relationship: string;
  parental_responsibility: boolean;
  phone: string;
  email: string;
  address: string;
}

export interface Service {
  agency_id: string;
  description: string;
  start: string;
  end: string | null;
}

export interface Child {
  id: string;
  authority_id: string;
  version: number;
  given_names: string;
  family_name: string;
  other_names: string[];
  date_of_birth: string | null;
  sex: string;
  address: string;
  postcode: string;
  nhs_number: string;
  upn: string;
  carers: Carer[];
  school_agency_id: string;
  gp_agency_id: string;
  services: Service[];
  flags: Flags;
  shielded: boolean;
}

export interface Member {
  user_id: string;
  display_name: string;
  job_title: string;
  role: string;
  reason: string;
  lead: boolean;
  joined_at: string;
  email: string;
  phone: string;
  agency: Agency | null;
}

export interface ChildAccount {
  child: Child;
  team: Member[];
  agencies: Agency[];
  access: string;
}

/** A practitioner on a child's team as signposting shows them: how to reach them, never why they joined. */
export interface PractitionerContact {
  user_id: string;
  display_name: string;
  role: string;
  email: string;
  phone: string;
  agency: Agency | null;
}

export interface Signposting {
  child_id: string;
  given_names: string;
  family_name: string;
  date_of_birth: string | null;
  sex: string;
  shielded: boolean;
  address: string;
  postcode: string;
  early_help_assessment: boolean;
  /** Whether the child has a lead professional, also when withheld. */
  has_lead_professional: boolean;
  /** Null when there is none or when withheld. */
  lead_professional: PractitionerContact | null;
  /** Everyone on the team, the lead included; empty when withheld. */
  practitioners: PractitionerContact[];
  services: {
    description: string;
    start: string;
    end: string | null;
    /** Null when not recorded or withheld. */
    agency: Agency | null;
    agency_kind: string | null;
    agency_kind_name: string | null;
  }[];
  /** Shielded and no break-glass in force: the agencies and the lead professional are withheld. */
  withheld: boolean;
  contact_broker: Agency | null;
  /** "Contact through Northbrook Children's Services" for a shielded child. */
  contact_through: string | null;
  /** The caller's break-glass in force: address, postcode and carers are shown while it lasts. */
  break_glass: { id: string; starts_at: string; ends_at: string } | null;
  carers: Carer[];
}

export interface SearchResult {
  child_id: string;
  given_names: string;
  family_name: string;
  date_of_birth: string | null;
  postcode_district: string | null;
  score: number;
  shielded: boolean;
  on_my_team: boolean;
}

export type Significance = 'routine' | 'notable' | 'serious';

export interface Entry {
  id: string;
  child_id: string;
  occurred_on: string;
  occurred_time: string | null;
  agency_id: string;
  agency_name: string;
  agency_kind: string;
  author_id: string;
  author_name: string;
  type: string;
  significance: Significance;
  summary: string;
  detail: string;
  recorded_at: string;
  version: number;
  lineage_id: string;
  supersedes_id: string | null;
  correction_reason: string | null;
  source: { kind: 'practitioner' | 'forum'; thread_id: string | null };
  family_visibility?: FamilyVisibility;
}

export interface ContactSeries {
  granularity: string;
  buckets: { start: string; end: string; label: string }[];
  agencies: { agency_id: string; name: string; kind: string; counts: number[]; total: number }[];
  flags: { kind: 'sudden_rise' | 'long_gap' | 'stopped_seeing'; agency_id: string; bucket_index: number; explanation: string }[];
}

export interface Term {
  term: string;
  display: string;
  phrase: boolean;
  weight: number;
  count: number;
  entry_ids: string[];
}

export interface Person {
  id: string;
  name: string;
  relationship: string;
  category: 'family' | 'household' | 'carer' | 'community' | 'professional';
  lives_with_child: boolean;
  since: string | null;
  date_of_birth: string | null;
  adult: boolean;
  verified: boolean;
  verified_by_agency_id: string | null;
  notes: string;
  user_id: string | null;
}

export interface Finding {
  kind: string;
  severity: 'info' | 'warning' | 'serious';
  explanation: string;
  person_ids: string[];
  facts: string[];
}

export interface Wheel {
  child: { id: string; name: string; age: number | null };
  people: Person[];
  findings: Finding[];
}

export interface RelationshipType {
  code: string;
  label: string;
  category: Person['category'];
}

export interface Thread {
  id: string;
  category: 'observation' | 'progress' | 'concern' | 'question';
  title: string;
  author_id: string;
  author_name: string;
  created_at: string;
  post_count: number;
  last_post_at: string;
  promoted_entry_id: string | null;
  family_visibility?: FamilyVisibility;
}

export interface Post {
  id: string;
  thread_id: string;
  author_id: string;
  author_name: string;
  body: string;
  created_at: string;
  edited_at: string | null;
  versions: number;
  reply_to: string | null;
  mentions: string[];
}

export interface FeedItem {
  id: string;
  at: string;
  child_id: string;
  child_name: string;
  kind: 'chronology_entry' | 'forum_post' | 'team_change' | 'wheel_person' | 'finding' | 'mention';
  summary: string;
  actor_name: string;
  significance: Significance | null;
}

export interface Alert {
  id: string;
  at: string;
  child_id: string;
  child_name: string;
  kind: string;
  summary: string;
  read: boolean;
}

export interface AuditRecord {
  chain: number;
  seq: number;
  at: string;
  actor_id: string;
  actor_name?: string; // in a child's audit trail and the auditors' view
  child_name?: string; // in the auditors' view
  action_label?: string; // in the auditors' view
  actor_role: string;
  authority_id: string;
  action: string;
  child_id: string;
  target_id: string;
  reason: string;
  outcome: string;
  why: string;
  detail: unknown;
  client: string;
  found_children: string[];
}

export interface AuditAction {
  action: string;
  label: string;
  kind: string;
}

export interface AuditPage {
  records: AuditRecord[];
  next: string | null;
}

export interface AuditFoundChild {
  child_id: string;
  given_names: string;
  family_name: string;
  date_of_birth: string | null;
  postcode: string;
  shielded: boolean;
}

export interface AuditFoundUser {
  user_id: string;
  username: string;
  display_name: string;
  job_title: string;
  role: string;
  agency_name: string;
}

export interface MisuseFlag {
  id: string;
  kind: string;
  user_id: string;
  user_name: string;
  child_id: string;
  child_name: string;
  day: string;
  explanation: string;
  record_refs: { chain: number; seq: number }[];
  found_at: string;
  reviewed_at: string | null;
  reviewed_by: string;
  reviewed_by_name: string;
  review_note: string;
  records?: AuditRecord[];
}

export interface MisuseRun {
  records: number;
  flags: number;
  new_flags: number;
  seconds: number;
}

export interface LocalAuthority {
  id: string;
  code: string;
  name: string;
  require_second_factor: boolean;
}

/** One record of a source feed as imported (provenance). */
export interface SourceRecord {
  id: string;
  source: string;
  record_id: string;
  child_id: string | null;
  given_name: string;
  family_name: string;
  date_of_birth: string | null;
  sex: string | null;
  postcode: string;
  address: string;
  nhs_number: string;
  upn: string;
  attributes: Record<string, string>;
  imported_at: string;
}

export interface ReviewSummary {
  id: string;
  created_at: string;
  source: string;
  record_id: string;
  given_name: string;
  family_name: string;
  date_of_birth: string | null;
  candidates: number;
  best_probability: number;
}

export interface ReviewEvidence {
  field: string;
  outcome: string;
  level: number;
  weight: number;
}

export interface ReviewCandidate {
  child: {
    id: string;
    authority_id: string;
    given_names: string;
    family_name: string;
    date_of_birth: string | null;
    sex: string;
    address: string;
    postcode: string;
    nhs_number: string;
    upn: string;
    shielded: boolean;
  };
  probability: number;
  weight: number;
  evidence: ReviewEvidence[];
  sources: SourceRecord[];
}

export interface ReviewDetail {
  id: string;
  status: 'open' | 'matched' | 'not_matched';
  created_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decided_child_id: string | null;
  reason: string | null;
  record: SourceRecord;
  candidates: ReviewCandidate[];
}

// --- Early help (issue 7) ---------------------------------------------------------------------

export interface EarlyHelpPerson {
  user_id: string;
  name: string;
}

export interface EarlyHelpElementInfo {
  code: string;
  domain: string;
  domain_label: string;
  label: string;
}

export interface EarlyHelpElement {
  code: string;
  strengths: string;
  needs: string;
  family_view: string;
}

export interface EarlyHelpNeed {
  id?: string;
  text: string;
}

export interface EarlyHelpContent {
  consent: { given_by: string; given_on: string | null; lawful_basis: string };
  elements: EarlyHelpElement[];
  child_view: string;
  parents_view: string;
  conclusion: string;
  agreed_needs: EarlyHelpNeed[];
}

export interface EarlyHelpVersion {
  number: number;
  locked: boolean;
  created_at: string;
  created_by: EarlyHelpPerson;
  completed_at: string | null;
  completed_by: EarlyHelpPerson | null;
  content: EarlyHelpContent;
}

export interface EarlyHelpMeeting {
  id: string;
  held_on: string;
  attendees: string[];
  decisions: string;
  recorded_by: EarlyHelpPerson;
  recorded_at: string;
}

export interface EarlyHelpAction {
  id: string;
  description: string;
  owner: EarlyHelpPerson;
  due_on: string;
  status: 'not_started' | 'in_progress' | 'done' | 'cancelled';
  overdue: boolean;
  need_id: string | null;
  meeting_id: string | null;
  updated_at: string;
}

export interface EarlyHelpReview {
  id: string;
  held_on: string;
  version_reviewed: number;
  progress: { need_id: string; progress: string; note: string }[];
  summary: string;
  recorded_by: EarlyHelpPerson;
  recorded_at: string;
}

export interface EarlyHelpAssessment {
  id: string;
  child_id: string;
  stage: 'draft' | 'completed' | 'plan' | 'review' | 'closed';
  revision: number;
  lead_professional: EarlyHelpPerson;
  lead_history: { lead: EarlyHelpPerson; by: EarlyHelpPerson; reason: string; at: string }[];
  opened_at: string;
  opened_by: EarlyHelpPerson;
  closed_at: string | null;
  closed_by: EarlyHelpPerson | null;
  outcome: string | null;
  outcome_label: string | null;
  closure_summary: string;
  versions: EarlyHelpVersion[];
  meetings: EarlyHelpMeeting[];
  actions: EarlyHelpAction[];
  reviews: EarlyHelpReview[];
}

// --- The family portal (issue 5) ---------------------------------------------------------------

export interface FamilyVisibility {
  visibility: 'team' | 'team_and_family';
  restriction_reason: string | null;
  restriction_text: string;
  review: 'none' | 'pending' | 'confirmed' | 'lifted';
}

export interface FamilyInvitation {
  id: string;
  relation: 'parent_carer' | 'young_person';
  name: string;
  invited_by_name: string;
  created_at: string;
  expires_at: string;
  redeemed_at: string | null;
  failed_checks: number;
  status: 'pending' | 'redeemed' | 'expired' | 'cancelled';
  code?: string;
}

export interface FamilyMember {
  user_id: string;
  display_name: string;
  username: string;
  relation: 'parent_carer' | 'young_person';
  active: boolean;
  second_factor: boolean;
  linked_at: string;
}

export interface FamilyRestriction extends FamilyVisibility {
  subject_id: string;
  subject_kind: 'entry' | 'thread' | 'assessment';
  title: string;
  set_by_name: string;
  set_at: string;
  reviewed_by_name: string | null;
  reviewed_at: string | null;
}

export interface FamilyEntry {
  id: string;
  child_id: string;
  kind: 'thoughts' | 'response' | 'disagreement';
  about_entry_id: string | null;
  about_kind: 'entry' | 'assessment' | null;
  text: string;
  author_name: string;
  relation: 'parent_carer' | 'young_person';
  created_at: string;
}

export interface FamilyChildSummary {
  child_id: string;
  name: string;
  relation: 'parent_carer' | 'young_person';
}

export interface FamilyVisibleEntry {
  id: string;
  lineage_id: string;
  occurred_on: string;
  occurred_time: string | null;
  agency_name: string;
  author_name: string;
  type: string;
  significance: Significance;
  summary: string;
  detail: string;
  recorded_at: string;
  corrected: boolean;
}

export interface FamilyChild {
  child: FamilyChildSummary;
  date_of_birth: string | null;
  team: { name: string; role: string; agency_name: string; agency_phone: string; agency_email: string; lead: boolean }[];
  entries: FamilyVisibleEntry[];
  threads: { id: string; title: string; author_name: string; created_at: string; posts: { id: string; author_name: string; body: string; created_at: string }[] }[];
  my_entries: FamilyEntry[];
  early_help: FamilyAssessment[];
}

// An early help assessment as the family sees it: the version of record, never a draft.
export interface FamilyAssessment {
  id: string;
  stage: string;
  element_labels: Record<string, string>;
  lead_professional_name: string;
  version: number;
  completed_at: string;
  content: EarlyHelpContent;
  meetings: { held_on: string; decisions: string }[];
  actions: { description: string; owner_name: string; owner_agency: string; due_on: string; status: string; overdue: boolean; need_id: string | null }[];
  reviews: { held_on: string; progress: { need_id: string; progress: string; note?: string }[]; summary: string }[];
  closed_at: string | null;
  outcome: string | null;
  outcome_label: string | null;
  closure_summary: string;
}

export type BreakGlassReason =
  | 'immediate_risk'
  | 'child_protection_enquiry'
  | 'missing_child'
  | 'medical_emergency'
  | 'court_or_police_requirement';

/** Emergency, time-limited read access to a child's account, and its review (docs/access.md). */
export interface BreakGlass {
  id: string;
  child_id: string;
  child_name: string;
  user_id: string;
  user_name: string;
  user_job_title: string;
  user_agency: string;
  reason_code: BreakGlassReason;
  reason: string;
  starts_at: string;
  ends_at: string;
  active: boolean;
  reads: number;
  ended_early_at: string | null;
  ended_by: string | null;
  reviewed_at: string | null;
  reviewed_by: string | null;
  review_note: string | null;
  justified: boolean | null;
}

/** A request to join a child's team, and its decision. */
export interface JoinRequest {
  id: string;
  child_id: string;
  child_name: string;
  user_id: string;
  user_name: string;
  user_job_title: string;
  user_agency: string;
  role: string;
  reason: string;
  created_at: string;
  status: 'pending' | 'approved' | 'declined' | 'withdrawn';
  automatic: boolean;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  escalated_at: string | null;
}

export interface ChildMerge {
  id: string;
  survivor_id: string;
  merged_id: string;
  moved_source_records: string[];
  merged_by: string;
  merged_at: string;
  reason: string;
  unmerged_by: string | null;
  unmerged_at: string | null;
  unmerge_reason: string | null;
}

/** An import of a source feed into the national index (GET /api/v1/index/imports/{id}). */
export interface ImportJob {
  id: string;
  state: 'receiving' | 'queued' | 'running' | 'done' | 'failed';
  source: string | null;
  filename: string | null;
  created_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  bytes_received: number;
  parts: number;
  stage: 'read' | 'link' | 'write' | null;
  progress: number;
  rows_read: number;
  to_import: number;
  imported: number;
  created: number;
  matched: number;
  queued_for_review: number;
  unchanged: number;
  updated: number;
  bad_rows_total: number;
  bad_rows?: { line: number; reason: string }[];
  children_before: number;
  error: string | null;
}
