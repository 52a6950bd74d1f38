// Shapes of the Kith API's JSON, generated from docs/openapi.yaml (api.gen.ts, made by
// openapi-typescript before every build and type check: `npm run api-types`), so that the web
// application and the API contract cannot drift apart: a field the app reads that the contract
// does not have, or a type that differs, fails the build. Only types the contract does not
// describe (page-side shapes) are written here.
import type { components, paths } from './api.gen';

type S = components['schemas'];
/** The JSON body of a 200 answer to GET `path`. */
type Got<P extends keyof paths> = paths[P] extends { get: { responses: { 200: { content: { 'application/json': infer B } } } } } ? B : never;

/** Compiles only when T fits U: for the few shapes the app keeps in its own words. */
type Fits<T extends U, U> = T;

export type Role = S['User']['role'];

export type User = S['User'];

export type SessionState = S['Principal']['state'];

export type Session = S['Principal'];

export type Flags = S['ChildFlags'];

export type ChildSummary = S['ChildSummary'];

export type Agency = S['Agency'];

export type Carer = S['Carer'];

export type Service = S['ServiceInvolvement'];

export type Child = S['Child'];

export type Member = S['Member'];

export type ChildAccount = S['ChildAccount'];

/** A practitioner on a child's team as signposting shows them: how to reach them, never why they joined. */
export type PractitionerContact = S['Signposting']['practitioners'][number];

export type Signposting = S['Signposting'];

export type SearchResult = S['SearchResults']['results'][number];

export type Significance = S['AccountEntry']['significance'];

export type Entry = S['AccountEntry'];

export type ContactSeries = S['AccountContactSeries'];

export type Term = S['AccountWordTerm'];

export type Person = S['AccountPerson'];

export type Finding = S['AccountFinding'];

export type Wheel = Got<'/api/v1/children/{child_id}/wheel'>;

export type RelationshipType = Got<'/api/v1/relationship-types'>['types'][number];

export type Thread = S['AccountThread'];

export type Post = S['AccountPost'];

export type FeedItem = S['AccountFeedItem'];

export type Alert = S['AccountAlert'];

export type AuditRecord = S['AuditRecord'];

export type LocalAuthority = S['Authority'];

export type SourceRecord = S['SourceRecord'];

export type ReviewSummary = S['ReviewSummary'];

export type ReviewEvidence = ReviewCandidate['evidence'][number];

export type ReviewCandidate = S['ReviewDetail']['candidates'][number];

export type ReviewDetail = S['ReviewDetail'];

// --- Early help (issue 7) ---------------------------------------------------------------------

export type EarlyHelpPerson = S['EarlyHelpPerson'];

/** An element of the CAF structure (GET /api/v1/early-help/elements). */
export type EarlyHelpElementInfo = S['EarlyHelpElement'];

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
// The draft form edits the content the server sends and sends it back: both directions checked.
export type ContentAsSent = Fits<S['EarlyHelpContentView'], EarlyHelpContent>;
export type ContentAsSaved = Fits<EarlyHelpContent, S['EarlyHelpContent']>;

export type EarlyHelpVersion = S['EarlyHelpAssessment']['versions'][number];

export type EarlyHelpMeeting = S['EarlyHelpMeeting'];

export type EarlyHelpAction = S['EarlyHelpAction'];

export type EarlyHelpReview = S['EarlyHelpReview'];

export type EarlyHelpAssessment = S['EarlyHelpAssessment'];

// --- The family portal (issue 5) ---------------------------------------------------------------

export type FamilyVisibility = S['FamilyVisibility'];

export type FamilyInvitation = S['FamilyInvitation'];

export type FamilyMember = S['FamilyMember'];

export type FamilyRestriction = S['FamilyRestriction'];

export type FamilyRelease = S['FamilyRelease'];

export type ReleaseOutcome = S['FamilyReleaseOutcome'];

export type FamilyEntry = S['FamilyEntry'];

export type FamilyChildSummary = S['FamilyChildSummary'];

export type FamilyVisibleEntry = S['FamilyVisibleEntry'];

export type FamilyChild = S['FamilyChild'];

export type FamilyAssessment = S['FamilyAssessment'];

export type BreakGlassReason =
  | 'immediate_risk'
  | 'child_protection_enquiry'
  | 'missing_child'
  | 'medical_emergency'
  | 'court_or_police_requirement';

/** Emergency, time-limited read access to a child's account, and its review (docs/access.md). */
export type BreakGlass = S['BreakGlass'];

export type JoinRequest = S['JoinRequest'];

export type ChildMerge = S['Merge'];

/** An import of a source feed into the national index (GET /api/v1/index/imports/{id}). */
export type ImportJob = S['ImportJob'];
export type ImportRow = S['ImportRow'];

// --- Shapes the pages read whole ----------------------------------------------------------------

/** POST /api/v1/children/{id}/chronology/import. */
export type ImportReport = S['AccountImportReport'];
/** GET /api/v1/children/{id}/early-help: the assessments and the CAF's elements. */
export type EarlyHelpList = Got<'/api/v1/children/{child_id}/early-help'>;
/** GET /api/v1/authority/family-settings. */
export type FamilySettings = S['FamilySettings'];
/** GET /api/v1/me/caseload: a manager's worker and the children the manager may see. */
export type WorkerCaseload = Got<'/api/v1/me/caseload'>['workers'][number];

// --- The auditors' view and misuse detection (issue 14) ---------------------------------------

/** The JSON body of a 200 answer to POST `path`. */
type Posted<P extends keyof paths> = paths[P] extends { post: { responses: { 200: { content: { 'application/json': infer B } } } } } ? B : never;

/** GET /api/v1/audit/actions: an action, the words the pages show for it, and its kind. */
export type AuditAction = Got<'/api/v1/audit/actions'>['actions'][number];
/** GET /api/v1/audit/records: one page, newest first. */
export type AuditPage = Got<'/api/v1/audit/records'>;
/** POST /api/v1/audit/children/find. */
export type AuditFoundChild = Posted<'/api/v1/audit/children/find'>['children'][number];
/** POST /api/v1/audit/users/find. */
export type AuditFoundUser = Posted<'/api/v1/audit/users/find'>['users'][number];
export type MisuseFlag = S['MisuseFlag'];
/** POST /api/v1/audit/misuse/runs. */
export type MisuseRun = Posted<'/api/v1/audit/misuse/runs'>;
