// A child's index record in the web application (issue 15): adding a child, and changing the
// identity details of a child on the reader's team. The fields are validated as the API validates
// them (names, date of birth, UK postcode, the NHS number's check digit, the UPN's check letter),
// the API's answer marking the field. Before a child is added the index is searched with the same
// details and the likely matches are offered first: a duplicate record is how children get lost.
import { useEffect, useState } from 'preact/hooks';
import { api, type Body } from '../api';
import { href, navigate } from '../router';
import type { Child, ChildAccount, SearchResult } from '../types';
import { age, formatDate, fullName, todayIso } from '../format';
import { hasControlCharacters, isValidNhsNumber, isValidPostcode, isValidUpn } from '../identifiers';
import { Button, Checkbox, check, DateField, dateProblem, FormErrors, Radios, reasonProblem, TextArea, TextField, useProblems } from '../components/ui';
import { SignpostAndJoin } from './Signposting';

export interface RecordFields {
  given_names: string;
  family_name: string;
  date_of_birth: string;
  sex: string;
  address: string;
  postcode: string;
  nhs_number: string;
  upn: string;
}

const BLANK: RecordFields = { given_names: '', family_name: '', date_of_birth: '', sex: 'not_known', address: '', postcode: '', nhs_number: '', upn: '' };

const SEXES = [
  { value: 'female', label: 'Female' },
  { value: 'male', label: 'Male' },
  { value: 'indeterminate', label: 'Indeterminate' },
  { value: 'not_known', label: 'Not known' },
];

// What a search with no match found, carried to the new-child page in memory (never in the URL).
let carried: Partial<RecordFields> | undefined;

/** Opens "Add a child" with what the reader searched for already filled in. */
export function addChildFrom(fields: Partial<RecordFields>): void {
  carried = fields;
  navigate('children', 'new');
}

/** The oldest date of birth the API takes: Kith holds children and care leavers up to 25. */
function oldestBirthDate(today: string): string {
  const [y, m, d] = today.split('-').map(Number);
  // Someone born on this day turns 26 today; the day after is the oldest still 25.
  const day = new Date(Date.UTC(y - 26, m - 1, d + 1));
  return day.toISOString().slice(0, 10);
}

/**
 * Every check the API makes on a record (src/domain/child.cpp), made before sending so that all
 * the problems show at once, each in plain words on its own field. `today` is the UK date.
 */
export function recordProblems(f: RecordFields, today: string = todayIso()): Record<string, string> {
  const text = (v: string, max: number, what: string) =>
    (v.trim().length > max && `${what} must be ${max} characters or fewer`) ||
    (hasControlCharacters(v) && `${what} must be plain text, on one line`);
  const nhs = f.nhs_number.replace(/[\s-]/g, '');
  const upn = f.upn.replace(/[\s-]/g, '');
  return check([
    ['given_names', !f.given_names.trim() && "Enter the child's first name"],
    ['given_names', text(f.given_names, 100, 'First name')],
    ['family_name', !f.family_name.trim() && "Enter the child's last name"],
    ['family_name', text(f.family_name, 100, 'Last name')],
    ['date_of_birth', dateProblem(f.date_of_birth, 'the date of birth', { notFuture: true })],
    ['date_of_birth', /^\d{4}-\d{2}-\d{2}$/.test(f.date_of_birth) && f.date_of_birth < oldestBirthDate(today) &&
      'Kith holds children and care leavers up to 25: check the year of birth'],
    ['address', text(f.address, 300, 'The address')],
    ['postcode', f.postcode.trim() !== '' && !isValidPostcode(f.postcode.trim()) && 'Enter a real UK postcode, like SW1A 1AA'],
    ['nhs_number', nhs !== '' && !/^\d{10}$/.test(nhs) && 'Enter the NHS number as 10 digits, like 943 476 5919'],
    // The last digit is a check digit and the first letter a check letter: a typing mistake shows.
    ['nhs_number', nhs !== '' && !isValidNhsNumber(nhs) &&
      'Check the NHS number: one of the digits is wrong'],
    ['upn', upn !== '' && upn.length !== 13 && 'Enter all 13 characters of the Unique Pupil Number'],
    ['upn', upn !== '' && !isValidUpn(upn) &&
      'Check the Unique Pupil Number: one of the characters is wrong'],
  ]);
}

/** The API's field names in a search, as this form names its fields. */
const SEARCH_FIELDS: Record<string, string> = { given_name: 'given_names' };

function Fields({ id, f, set }: { id: string; f: RecordFields; set: (k: keyof RecordFields) => (v: string) => void }) {
  return (
    <>
      <TextField id={`${id}-given_names`} label="First name" hint="And any middle names" value={f.given_names} onInput={set('given_names')} maxLength={100} required />
      <TextField id={`${id}-family_name`} label="Last name" value={f.family_name} onInput={set('family_name')} maxLength={100} required />
      <DateField id={`${id}-date_of_birth`} label="Date of birth" hint="For example, 14 3 2019. Leave it empty if it is not known." value={f.date_of_birth} onInput={set('date_of_birth')} />
      <Radios id={`${id}-sex`} legend="Sex" value={f.sex} onInput={set('sex')} options={SEXES} small />
      <TextField id={`${id}-address`} label="Address (optional)" value={f.address} onInput={set('address')} maxLength={300} />
      <TextField id={`${id}-postcode`} label="Postcode (optional)" value={f.postcode} onInput={set('postcode')} width="10" maxLength={10} />
      <TextField id={`${id}-nhs_number`} label="NHS number (optional)" hint="10 digits, for example 943 476 5919" value={f.nhs_number} onInput={set('nhs_number')} width="10" inputMode="numeric" maxLength={14} />
      <TextField id={`${id}-upn`} label="Unique Pupil Number (optional)" hint="13 characters, starting with a letter" value={f.upn} onInput={set('upn')} width="10" maxLength={16} />
    </>
  );
}

type NewChild = Body<'/api/v1/children', 'post'>;
type Sex = NonNullable<NewChild['sex']>;

/** The record as the API takes it: the fields as typed, trimmed, with the optional ones left out when empty. */
function recordBody(f: RecordFields) {
  const body: Pick<NewChild, 'given_names' | 'family_name' | 'sex' | 'date_of_birth' | 'address' | 'postcode' | 'nhs_number' | 'upn'> =
    { given_names: f.given_names.trim(), family_name: f.family_name.trim(), sex: f.sex as Sex };
  for (const k of ['date_of_birth', 'address', 'postcode', 'nhs_number', 'upn'] as const) {
    if (f[k].trim()) body[k] = f[k].trim();
  }
  return body;
}

function Matches({ results, reason, onNone, busy }: { results: SearchResult[]; reason: string; onNone: () => void; busy: boolean }) {
  const [chosen, setChosen] = useState<SearchResult>();
  return (
    <section class="kith-card" aria-labelledby="matches-h" data-testid="duplicate-warning">
      <h2 class="govuk-heading-m" id="matches-h" tabIndex={-1}>
        Is this the child? {results.length === 1 ? 'A child' : `${results.length} children`} in Kith may be the same child
      </h2>
      <div class="govuk-warning-text">
        <span class="govuk-warning-text__icon" aria-hidden="true">!</span>
        <strong class="govuk-warning-text__text">
          <span class="govuk-visually-hidden">Warning</span>
          A second record splits what agencies know about a child. If one of these is the child, join their team instead.
        </strong>
      </div>
      <ul class="kith-child-list" data-testid="likely-matches">
        {results.map((r) => (
          <li class="kith-child-list__item" key={r.child_id}>
            <p class="govuk-body govuk-!-margin-bottom-1">
              <span class="kith-child-list__name">{fullName(r)}</span>
              {r.shielded && <> <strong class="govuk-tag govuk-tag--grey">Shielded</strong></>}
            </p>
            <p class="kith-meta">
              Born {formatDate(r.date_of_birth)}{r.date_of_birth ? ` (${age(r.date_of_birth)})` : ''} · {r.postcode_district ?? 'Area hidden'} · Match {Math.round(r.score * 100)}%
            </p>
            {r.on_my_team ? (
              <a class="govuk-link" href={href('children', r.child_id)}>Open the account<span class="govuk-visually-hidden"> of {fullName(r)}</span></a>
            ) : (
              <button type="button" class="kith-link-button" onClick={() => setChosen(r)}>
                This may be the child: see who is involved<span class="govuk-visually-hidden"> with {fullName(r)}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
      {chosen && (
        <div class="kith-card" key={chosen.child_id}>
          <h3 class="govuk-heading-s">{fullName(chosen)}</h3>
          <SignpostAndJoin childId={chosen.child_id} initialReason={reason} onAccess={() => navigate("children", chosen.child_id)} />
        </div>
      )}
      <h3 class="govuk-heading-s">None of these is the child</h3>
      <p class="govuk-body">Check the details again first: a different spelling or date of birth is more often a mistake than a different child.</p>
      <Button secondary busy={busy} type="button" onClick={onNone} testid="create-anyway">None of these is the child: add the record</Button>
    </section>
  );
}

export function NewChildPage() {
  const [f, setF] = useState<RecordFields>(() => ({ ...BLANK, ...carried }));
  const [reason, setReason] = useState('');
  const [matches, setMatches] = useState<SearchResult[]>();
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = 'Add a child to the index – Kith';
    carried = undefined;
  }, []);
  const set = (k: keyof RecordFields) => (v: string) => {
    setF({ ...f, [k]: v });
    setMatches(undefined);
  };
  const create = async () => {
    setBusy(true);
    try {
      const made = await api.post('/api/v1/children', { ...recordBody(f), reason: reason.trim() });
      navigate('children', made.child.id);
    } catch (err) {
      problems.fail(err);
      setMatches(undefined);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h1 class="govuk-heading-l">Add a child to the index</h1>
      <p class="govuk-body">
        Only add a child who is not in Kith yet. Kith first looks for the same child with the details you give, and shows
        you anyone who may be them.
      </p>
      <div class="kith-grid kith-grid--halves">
        <div class="kith-card">
          <FormErrors error={problems.error} errors={problems.errors} idPrefix="nc">
            <form
              noValidate
              data-testid="new-child-form"
              onSubmit={async (e) => {
                e.preventDefault();
                const ok = problems.passes({
                  ...recordProblems(f),
                  ...check([['reason', reasonProblem(reason, 'Enter why you are adding this child')]]),
                });
                if (!ok) return;
                setBusy(true);
                try {
                  const terms: Body<'/api/v1/search', 'post'> = { reason: reason.trim(), given_name: f.given_names.trim().split(/\s+/)[0], family_name: f.family_name.trim() };
                  for (const k of ['date_of_birth', 'postcode', 'nhs_number', 'upn'] as const) if (f[k].trim()) terms[k] = f[k].trim();
                  const found = await api.post('/api/v1/search', terms);
                  if (found.results.length > 0) {
                    setMatches(found.results);
                    setTimeout(() => document.getElementById('matches-h')?.focus(), 0);
                    setBusy(false);
                    return;
                  }
                } catch (err) {
                  problems.fail(err, SEARCH_FIELDS);
                  setBusy(false);
                  return;
                }
                await create();
              }}
            >
              <Fields id="nc" f={f} set={set} />
              <TextArea id="nc-reason" label="Why are you adding this child?" hint="For example: referral received from the school nurse. Recorded with the search Kith makes first." value={reason} onInput={setReason} rows={2} maxLength={500} required />
              <Button busy={busy} testid="new-child-continue">Continue</Button>
            </form>
          </FormErrors>
        </div>
        <div>{matches && <Matches results={matches} reason={reason.trim()} onNone={create} busy={busy} />}</div>
      </div>
    </>
  );
}

/** What retention needs to know of a child (docs/retention.md): the flags that archive at 25, and a death. */
export interface RetentionFields {
  care_leaver: boolean;
  special_educational_needs: boolean;
  date_of_death: string;
}

/** The API's checks of a date of death (src/domain/child.cpp): real, not in the future, not before the birth. */
export function deathProblems(r: RetentionFields, dateOfBirth: string): Record<string, string> {
  return check([
    ['date_of_death', dateProblem(r.date_of_death, 'the date of death', { notFuture: true })],
    ['date_of_death', /^\d{4}-\d{2}-\d{2}$/.test(r.date_of_death) && /^\d{4}-\d{2}-\d{2}$/.test(dateOfBirth) &&
      r.date_of_death < dateOfBirth && 'The date of death must be on or after the date of birth'],
  ]);
}

/** Changes the identity details of a child on the reader's team; everything else is kept as it is. */
export function EditRecord({ child, onSaved, onCancel }: { child: Child; onSaved: () => void; onCancel: () => void }) {
  const [f, setF] = useState<RecordFields>({
    given_names: child.given_names, family_name: child.family_name, date_of_birth: child.date_of_birth ?? '', sex: child.sex,
    address: child.address, postcode: child.postcode, nhs_number: child.nhs_number, upn: child.upn,
  });
  const [r, setR] = useState<RetentionFields>({
    care_leaver: child.flags.care_leaver, special_educational_needs: child.flags.special_educational_needs,
    date_of_death: child.date_of_death ?? '',
  });
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  const set = (k: keyof RecordFields) => (v: string) => setF({ ...f, [k]: v });
  return (
    <FormErrors error={problems.error} errors={problems.errors} idPrefix="ec">
      <form
        noValidate
        data-testid="edit-child-form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!problems.passes({ ...recordProblems(f), ...deathProblems(r, f.date_of_birth) })) return;
          setBusy(true);
          const { id: _id, authority_id: _a, created_at: _c, updated_at: _u, ...rest } = child as Child & { created_at?: string; updated_at?: string };
          // The whole record goes back (the API replaces it): the details not on this form stay as they are.
          const body: Body<'/api/v1/children/{child_id}', 'put'> = {
            ...rest, date_of_birth: child.date_of_birth, ...recordBody(f),
            flags: { ...child.flags, care_leaver: r.care_leaver, special_educational_needs: r.special_educational_needs },
            date_of_death: r.date_of_death.trim() || null,
          };
          for (const k of ['address', 'postcode', 'nhs_number', 'upn'] as const) if (!f[k].trim()) body[k] = '';
          if (!f.date_of_birth.trim() || body.date_of_birth === null) delete body.date_of_birth;
          try {
            await api.put('/api/v1/children/{child_id}', { child_id: child.id }, body);
            onSaved();
          } catch (err) {
            problems.fail(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Fields id="ec" f={f} set={set} />
        <div class="govuk-form-group">
          <fieldset class="govuk-fieldset">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">How long the record is kept</legend>
            <div class="govuk-hint">A care leaver's or a young person with special educational needs' account is kept until 25, not 18.</div>
            <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
              <Checkbox id="ec-care_leaver" label="Care leaver" checked={r.care_leaver} onChange={(v) => setR({ ...r, care_leaver: v })} />
              <Checkbox id="ec-special_educational_needs" label="Special educational needs (SEN)" checked={r.special_educational_needs} onChange={(v) => setR({ ...r, special_educational_needs: v })} />
            </div>
          </fieldset>
        </div>
        <DateField id="ec-date_of_death" label="Date of death (if the child has died)" hint="Leave it empty unless the child has died. The account is then archived." value={r.date_of_death} onInput={(v) => setR({ ...r, date_of_death: v })} />
        <div class="govuk-button-group">
          <Button busy={busy} testid="save-child">Save the record</Button>
          <button type="button" class="govuk-button govuk-button--secondary" onClick={onCancel}>Cancel</button>
        </div>
      </form>
    </FormErrors>
  );
}
