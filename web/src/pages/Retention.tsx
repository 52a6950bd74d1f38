// The authority administrator's Retention page (issue 18; docs/retention.md): the authority's
// rules for how long a child's record is kept, with the contradictions the API finds shown at
// their fields; the legal holds in force, placed and released here with a reason; and what the
// rules make due in the next 90 days. Children are named by their Kith id only: administrators
// see no names or case content. Nothing is archived or purged yet.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { useSession } from '../session';
import type { components } from '../api.gen';
import { formatDate, humanise } from '../format';
import { Button, check, DateField, dateProblem, FormErrors, Loaded, reasonProblem, SelectField, Success, TableWrap, TextArea, TextField, useAsync, useProblems } from '../components/ui';

type S = components['schemas'];
export type RetentionRules = S['RetentionRules'];
export type LegalHold = S['LegalHold'];
export type RetentionOutlook = S['RetentionOutlook'];
type HoldKind = S['LegalHoldKind'];
type Authority = S['Authority'];

/** The five rules as the form names them, with what each means. */
export const RULES: { key: keyof RetentionRules & string; label: string; hint: string; unit: string; min: number; max: number }[] = [
  { key: 'archive_age_years', label: 'Archive a child\'s account at this age', hint: 'In years. 18 by default.', unit: 'years', min: 1, max: 100 },
  { key: 'extended_archive_age_years', label: 'Archive at this age for care leavers and young people with SEN', hint: 'In years, at least the age above. 25 by default.', unit: 'years', min: 1, max: 100 },
  { key: 'purge_after_archive_years', label: 'Purge the record this long after archive', hint: 'In years, at least 1. 6 by default.', unit: 'years', min: 1, max: 100 },
  { key: 'purge_after_death_years', label: 'Purge the record this long after a child\'s death', hint: 'In years, at least 1. 6 by default.', unit: 'years', min: 1, max: 100 },
  { key: 'remove_unused_after_months', label: 'Remove a child with no team and no service from the index after', hint: 'In months without involvement, at least 1. 24 by default.', unit: 'months', min: 1, max: 1200 },
];

const KINDS: [HoldKind, string][] = [
  ['litigation', 'Litigation'],
  ['inquiry', 'An inquiry'],
  ['safeguarding_review', 'A safeguarding review'],
];

const STEPS: Record<string, string> = { archive: 'Archive', purge: 'Purge', remove_from_index: 'Remove from the index' };
const RULE_NAMES: Record<string, string> = {
  archive_age: 'Age', extended_archive_age: 'Age (care leaver or SEN)', death: 'Death', purge_after_archive: 'After archive',
  purge_after_death: 'After death', unused: 'No team or service',
};

/** The checks the API makes on the rules (src/domain/retention.cpp), before sending, each at its field. */
export function rulesProblems(f: Record<string, string>): Record<string, string> {
  const n = (k: string) => Number(f[k]);
  const found = check([
    ...RULES.map((r): [string, string | false] => [r.key,
      (!/^\d+$/.test(f[r.key]?.trim() ?? '') && `Enter a whole number of ${r.unit}`) ||
      ((n(r.key) < r.min || n(r.key) > r.max) && `Enter from ${r.min} to ${r.max} ${r.unit}`)]),
    ['extended_archive_age_years', n('extended_archive_age_years') < n('archive_age_years') &&
      'The age for care leavers and young people with SEN cannot be below the age for every other child'],
  ]);
  // In the form's order, so that the summary reads top to bottom.
  return Object.fromEntries(RULES.filter((r) => r.key in found).map((r) => [r.key, found[r.key]]));
}

function RulesForm({ authorityId, initial, onSaved }: { authorityId: string; initial: RetentionRules; onSaved: (r: RetentionRules) => void }) {
  const [f, setF] = useState<Record<string, string>>(() => Object.fromEntries(RULES.map((r) => [r.key, String(initial[r.key])])));
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  return (
    <form
      noValidate
      data-testid="retention-rules-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!problems.passes(rulesProblems(f))) return;
        setBusy(true);
        try {
          const rules = Object.fromEntries(RULES.map((r) => [r.key, Number(f[r.key])])) as Omit<RetentionRules, 'authority_id' | 'version' | 'updated_by' | 'updated_at'>;
          onSaved(await api.put('/api/v1/authorities/{authority_id}/retention-rules', { authority_id: authorityId }, { ...rules, version: initial.version }));
        } catch (err) {
          problems.fail(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <FormErrors error={problems.error} errors={problems.errors} idPrefix="rules">
        {RULES.map((r) => (
          <TextField key={r.key} id={`rules-${r.key}`} label={r.label} hint={r.hint} value={f[r.key]} onInput={(v) => setF({ ...f, [r.key]: v })} inputMode="numeric" width="3" required />
        ))}
        <Button busy={busy} testid="save-retention-rules">Save the rules</Button>
      </FormErrors>
    </form>
  );
}

function Rules({ authorityId, onChange }: { authorityId: string; onChange: () => void }) {
  const rules = useAsync(() => api.get<RetentionRules>(`/api/v1/authorities/${encodeURIComponent(authorityId)}/retention-rules`), [authorityId]);
  const [saved, setSaved] = useState('');
  return (
    <section class="kith-card" aria-labelledby="rules-h">
      <h2 class="govuk-heading-m" id="rules-h">Rules</h2>
      <p class="govuk-body">
        How long this authority keeps a child's record. The defaults are a starting point, not legal advice. A change that would
        bring a child under a legal hold to a purge inside the hold is refused: release the hold first.
      </p>
      {saved && <Success>{saved}</Success>}
      <Loaded state={rules} what="The retention rules">
        {(r) => (
          <>
            <p class="kith-meta" data-testid="rules-version">
              {r.version === 0 ? 'The defaults: this authority has not set its own rules yet.' : `Version ${r.version}, changed ${formatDate(r.updated_at?.slice(0, 10) ?? null)}.`}
            </p>
            <RulesForm key={r.version} authorityId={authorityId} initial={r} onSaved={(s) => { setSaved(`The rules were saved (version ${s.version}).`); rules.reload(); onChange(); }} />
          </>
        )}
      </Loaded>
    </section>
  );
}

function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
}

function PlaceHold({ onPlaced }: { onPlaced: (h: LegalHold) => void }) {
  const blank = { child_id: '', kind: '', reason: '', ends_on: '' };
  const [f, setF] = useState(blank);
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof blank) => (v: string) => setF({ ...f, [k]: v });
  return (
    <form
      noValidate
      data-testid="place-hold-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!problems.passes(check([
          ['child_id', !/^K[A-Z0-9]{4,}$/i.test(f.child_id.trim()) && 'Enter the child\'s Kith id, like K7QX2M4D9P3T6V8WB'],
          ['kind', !f.kind && 'Choose why the record is held'],
          ['reason', reasonProblem(f.reason, 'Enter why the record must be kept')],
          ['ends_on', dateProblem(f.ends_on, 'the end date', { required: true, notPast: true })],
        ]))) return;
        setBusy(true);
        try {
          const h = await api.post('/api/v1/children/{child_id}/legal-holds', { child_id: f.child_id.trim().toUpperCase() },
                                   { kind: f.kind as HoldKind, reason: f.reason.trim(), ends_on: f.ends_on });
          setF(blank);
          onPlaced(h);
        } catch (err) {
          problems.fail(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <FormErrors error={problems.error} errors={problems.errors} idPrefix="hold">
        <TextField id="hold-child_id" label="Child's Kith id" hint="From the child's record or the list below" value={f.child_id} onInput={set('child_id')} width="20" spellcheck={false} required />
        <SelectField id="hold-kind" label="Why is the record held?" value={f.kind} onInput={set('kind')} options={KINDS} emptyLabel="Choose" />
        <TextArea id="hold-reason" label="Reason" hint="For example: civil claim against the authority, case number. Recorded in the audit trail." value={f.reason} onInput={set('reason')} rows={2} maxLength={500} required />
        <DateField id="hold-ends_on" label="Held until" hint={`The last day it holds: today (${formatDate(today())}) up to ten years ahead.`} value={f.ends_on} onInput={set('ends_on')} />
        <Button busy={busy} testid="place-hold">Place the hold</Button>
      </FormErrors>
    </form>
  );
}

function ReleaseHold({ hold, onReleased, onCancel }: { hold: LegalHold; onReleased: () => void; onCancel: () => void }) {
  const [reason, setReason] = useState('');
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  return (
    <form
      noValidate
      data-testid="release-hold-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!problems.passes(check([['reason', reasonProblem(reason, 'Enter why the hold is released')]]))) return;
        setBusy(true);
        try {
          await api.post('/api/v1/legal-holds/{hold_id}/release', { hold_id: hold.id }, { reason: reason.trim() });
          onReleased();
        } catch (err) {
          problems.fail(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <FormErrors error={problems.error} errors={problems.errors} idPrefix="release">
        <TextArea id="release-reason" label={`Why is the hold on ${hold.child_id} released?`} value={reason} onInput={setReason} rows={2} maxLength={500} required />
        <div class="govuk-button-group">
          <Button busy={busy} warning testid="release-hold">Release the hold</Button>
          <button type="button" class="govuk-button govuk-button--secondary" onClick={onCancel}>Cancel</button>
        </div>
      </FormErrors>
    </form>
  );
}

function Holds({ authorityId, onChange }: { authorityId: string; onChange: () => void }) {
  const holds = useAsync(() => api.get<{ holds: LegalHold[] }>(`/api/v1/authorities/${encodeURIComponent(authorityId)}/legal-holds`), [authorityId]);
  const [releasing, setReleasing] = useState<string>();
  const [done, setDone] = useState('');
  const changed = (message: string) => {
    setDone(message);
    setReleasing(undefined);
    holds.reload();
    onChange();
  };
  return (
    <section class="kith-card" aria-labelledby="holds-h">
      <h2 class="govuk-heading-m" id="holds-h">Legal holds in force</h2>
      <p class="govuk-body">
        A hold stops the clock of a child's purge and removal from the index while it is in force (archive still happens: it
        keeps every record).
      </p>
      {done && <Success>{done}</Success>}
      <Loaded state={holds} what="The legal holds">
        {({ holds: list }) => list.length === 0 ? <p class="govuk-body" data-testid="no-holds">No hold is in force.</p> : (
          <TableWrap label="Legal holds in force">
            <table class="govuk-table kith-table--stack" data-testid="holds">
              <caption class="govuk-table__caption govuk-visually-hidden">Legal holds in force</caption>
              <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                  <th scope="col" class="govuk-table__header">Child</th>
                  <th scope="col" class="govuk-table__header">Why</th>
                  <th scope="col" class="govuk-table__header">In force</th>
                  <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Release</span></th>
                </tr>
              </thead>
              <tbody class="govuk-table__body">
                {list.map((h) => (
                  <tr class="govuk-table__row" key={h.id} data-testid="hold">
                    <td class="govuk-table__cell"><code>{h.child_id}</code></td>
                    <td class="govuk-table__cell"><strong>{humanise(h.kind)}</strong>: {h.reason}</td>
                    <td class="govuk-table__cell">{formatDate(h.starts_on)} to {formatDate(h.ends_on)}</td>
                    <td class="govuk-table__cell">
                      {releasing === h.id ? (
                        <ReleaseHold hold={h} onCancel={() => setReleasing(undefined)} onReleased={() => changed(`The hold on ${h.child_id} was released.`)} />
                      ) : (
                        <button type="button" class="kith-link-button" onClick={() => { setDone(''); setReleasing(h.id); }}>
                          Release<span class="govuk-visually-hidden"> the hold on {h.child_id}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </Loaded>
      <h3 class="govuk-heading-s">Place a hold</h3>
      <PlaceHold onPlaced={(h) => changed(`A hold was placed on ${h.child_id} until ${formatDate(h.ends_on)}.`)} />
    </section>
  );
}

function Due({ authorityId, version }: { authorityId: string; version: number }) {
  const due = useAsync(() => api.get<RetentionOutlook>(`/api/v1/authorities/${encodeURIComponent(authorityId)}/retention-due?days=90`), [authorityId, version]);
  return (
    <section class="kith-card" aria-labelledby="due-h">
      <h2 class="govuk-heading-m" id="due-h">Due in the next 90 days</h2>
      <Loaded state={due} what="What is due">
        {(o) => (
          <>
            <p class="govuk-body" data-testid="due-summary">
              {o.steps.length + o.more === 0 ? 'Nothing falls due' : `${o.steps.length + o.more} ${o.steps.length + o.more === 1 ? 'step falls' : 'steps fall'} due`} from {formatDate(o.from)} to {formatDate(o.until)}, of {o.checked} {o.checked === 1 ? 'child' : 'children'} checked.
              {' '}Nothing is archived or purged yet: this is what the rules will do.
            </p>
            {o.no_date_of_birth > 0 && (
              <p class="govuk-body" data-testid="no-date">
                {o.no_date_of_birth} {o.no_date_of_birth === 1 ? 'child has' : 'children have'} no date of birth: no rule can date their archive. Ask their teams to record one.
              </p>
            )}
            {o.steps.length > 0 && (
              <TableWrap label="Due in the next 90 days">
                <table class="govuk-table kith-table--stack" data-testid="due">
                  <caption class="govuk-table__caption govuk-visually-hidden">Due in the next 90 days</caption>
                  <thead class="govuk-table__head">
                    <tr class="govuk-table__row">
                      <th scope="col" class="govuk-table__header">Due</th>
                      <th scope="col" class="govuk-table__header">Child</th>
                      <th scope="col" class="govuk-table__header">Step</th>
                      <th scope="col" class="govuk-table__header">Rule</th>
                    </tr>
                  </thead>
                  <tbody class="govuk-table__body">
                    {o.steps.map((s) => (
                      <tr class="govuk-table__row" key={`${s.child_id}-${s.step}`} data-testid="due-step">
                        <td class="govuk-table__cell">{formatDate(s.due_on)}{s.due_now && <> <strong class="govuk-tag govuk-tag--red">Due now</strong></>}</td>
                        <td class="govuk-table__cell"><code>{s.child_id}</code></td>
                        <td class="govuk-table__cell">
                          {STEPS[s.step] ?? s.step}
                          {s.held_by.length > 0 && <><br /><strong class="govuk-tag govuk-tag--yellow">Held</strong> <span class="kith-meta">by {s.held_by.join(', ')}</span></>}
                        </td>
                        <td class="govuk-table__cell">{RULE_NAMES[s.rule] ?? s.rule}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
            {o.more > 0 && <p class="kith-meta">And {o.more} more, not listed.</p>}
          </>
        )}
      </Loaded>
    </section>
  );
}

export function RetentionPage() {
  const { session } = useSession();
  const own = session.user.authority_id ?? '';
  const authorities = useAsync(() => (own ? Promise.resolve({ authorities: [] as Authority[] }) : api.get<{ authorities: Authority[] }>('/api/v1/authorities')), [own]);
  const [chosen, setChosen] = useState('');
  const [changes, setChanges] = useState(0);
  useEffect(() => {
    document.title = 'Retention – Kith';
  }, []);
  const authorityId = own || chosen;
  return (
    <>
      <h1 class="govuk-heading-l">Retention</h1>
      <p class="govuk-body">
        How long children's records are kept, the legal holds that keep them longer, and what falls due soon. Every view and
        change here is recorded in the audit trail.
      </p>
      {!own && (
        <Loaded state={authorities} what="The local authorities">
          {({ authorities: list }) => (
            <SelectField id="retention-authority" label="Local authority" value={chosen} onInput={setChosen} options={list.map((a) => [a.id, a.name])} emptyLabel="Choose a local authority" />
          )}
        </Loaded>
      )}
      {authorityId && (
        <div key={authorityId}>
          <div class="kith-grid">
            <div>
              <Rules authorityId={authorityId} onChange={() => setChanges((n) => n + 1)} />
            </div>
            <div>
              <Due authorityId={authorityId} version={changes} />
            </div>
          </div>
          {/* The full width: a hold's child id, reason and release form do not fit a column. */}
          <Holds authorityId={authorityId} onChange={() => setChanges((n) => n + 1)} />
        </div>
      )}
    </>
  );
}

