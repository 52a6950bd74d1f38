// Display helpers: dates in UK style, ages, and readable labels for the API's stable codes.

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December'];

/** "2026-03-04" → "4 March 2026". */
export function formatDate(d: string | null | undefined): string {
  if (!d) return 'Not known';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d);
  if (!m) return d;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/** A graph bucket label: "2026-07" → "Jul 2026"; "2026-07-14" → "14 Jul 2026"; others unchanged. */
export function bucketLabel(label: string): string {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(label);
  if (!m) return label;
  const mon = MONTHS[Number(m[2]) - 1]?.slice(0, 3) ?? m[2];
  return m[3] ? `${Number(m[3])} ${mon} ${m[1]}` : `${mon} ${m[1]}`;
}

/** RFC 3339 time → "4 March 2026, 14:05" in the browser's local time. */
export function formatDateTime(t: string | null | undefined): string {
  if (!t) return '';
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return t;
  const hh = String(d.getHours()).padStart(2, '0');
  const mm = String(d.getMinutes()).padStart(2, '0');
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}, ${hh}:${mm}`;
}

/** Age in whole years (or months under two) on `today`. */
export function age(dob: string | null | undefined, today: Date = new Date()): string {
  if (!dob) return 'age not known';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(dob);
  if (!m) return '';
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  let months = (today.getFullYear() - y) * 12 + (today.getMonth() + 1 - mo);
  if (today.getDate() < d) months -= 1;
  if (months < 0) return 'not yet born';
  if (months < 24) return `${months} month${months === 1 ? '' : 's'}`;
  const years = Math.floor(months / 12);
  return `${years} years`;
}

export function todayIso(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

/** "home_visit" → "Home visit" for codes we have no label for. */
export function humanise(code: string): string {
  if (!code) return '';
  const s = code.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const ENTRY_TYPES: [string, string][] = [
  ['contact', 'Contact'],
  ['home_visit', 'Home visit'],
  ['appointment_attended', 'Appointment attended'],
  ['was_not_brought', 'Was not brought to appointment'],
  ['school_absence', 'School absence'],
  ['exclusion', 'Exclusion'],
  ['referral', 'Referral'],
  ['strategy_discussion', 'Strategy discussion'],
  ['assessment', 'Assessment'],
  ['plan_started', 'Plan started'],
  ['plan_ended', 'Plan ended'],
  ['incident', 'Incident'],
  ['hospital_attendance', 'Hospital attendance'],
  ['police_call_out', 'Police call-out'],
  ['meeting', 'Meeting'],
  ['case_conference', 'Case conference'],
  ['note', 'Note'],
  ['other', 'Other'],
];

export function entryTypeLabel(code: string): string {
  return ENTRY_TYPES.find(([c]) => c === code)?.[1] ?? humanise(code);
}

export const SIGNIFICANCE: [string, string][] = [
  ['routine', 'Routine'],
  ['notable', 'Notable'],
  ['serious', 'Serious'],
];

export const ROLES: [string, string][] = [
  ['practitioner', 'Practitioner'],
  ['manager', 'Manager'],
  ['authority_admin', 'Local authority administrator'],
  ['auditor', 'Auditor (information governance)'],
  ['national_admin', 'National administrator'],
];

export function roleLabel(code: string): string {
  return ROLES.find(([c]) => c === code)?.[1] ?? humanise(code);
}

export const AGENCY_KINDS: [string, string][] = [
  ['childrens_social_care', "Children's social care"],
  ['school', 'School'],
  ['gp_practice', 'GP practice'],
  ['health_visiting', 'Health visiting'],
  ['school_nursing', 'School nursing'],
  ['midwifery', 'Midwifery'],
  ['hospital', 'Hospital'],
  ['police', 'Police'],
  ['early_years', 'Early years'],
  ['youth_service', 'Youth service'],
  ['housing', 'Housing'],
  ['voluntary_sector', 'Voluntary sector'],
  ['camhs', 'Child and adolescent mental health'],
  ['probation', 'Probation'],
];

export const FORUM_CATEGORIES: [string, string][] = [
  ['observation', 'Observation'],
  ['progress', 'Progress'],
  ['concern', 'Concern'],
  ['question', 'Question'],
];

export const CATEGORY_LABELS: Record<string, string> = {
  family: 'Family',
  household: 'Household',
  carer: 'Carers',
  community: 'Community',
  professional: 'Professionals',
};

export function fullName(c: { given_names: string; family_name: string }): string {
  return `${c.given_names} ${c.family_name}`.trim();
}
