// The audit views. For auditors (information governance) of an authority: who looked at or
// searched for a child, what one user did, everything the authority's people did — by date, in
// pages, and as CSV — with children and users found by name (names go in request bodies, never
// in the address). For a child's lead professional: the child's trail, a tab of the account.
// What each action means comes from the server's catalogue (GET /api/v1/audit/actions), so the
// labels always match the actions the server writes.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, query, seg } from '../api';
import { href, navigate } from '../router';
import type { AuditAction, AuditFoundChild, AuditFoundUser, AuditPage as Page, AuditRecord, MisuseFlag, MisuseRun } from '../types';
import type { TabProps } from './Child';
import { formatDate, formatDateTime, humanise, roleLabel } from '../format';
import { Button, Checkbox, check, DateField, dateProblem, FormError, FormErrors, Loaded, TableWrap, TextField, useAsync, useProblems } from '../components/ui';

let catalogue: Promise<Map<string, string>> | undefined;

/** Action → label, from the server's catalogue (fetched once). */
export function useActionLabels(): Map<string, string> {
  const [labels, setLabels] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    catalogue ??= api
      .get<{ actions: AuditAction[] }>('/api/v1/audit/actions')
      .then((c) => new Map(c.actions.map((a) => [a.action, a.label])))
      .catch((e) => {
        catalogue = undefined;
        throw e;
      });
    let live = true;
    catalogue.then((m) => live && setLabels(m), () => undefined);
    return () => {
      live = false;
    };
  }, []);
  return labels;
}

export function actionLabel(labels: Map<string, string>, r: Pick<AuditRecord, 'action' | 'action_label'>): string {
  return r.action_label || labels.get(r.action) || humanise(r.action.replace(/\./g, ' '));
}

function Outcome({ r }: { r: AuditRecord }) {
  return (
    <>
      {r.outcome === 'allowed' ? (
        <strong class="govuk-tag govuk-tag--green">Allowed</strong>
      ) : (
        <strong class="govuk-tag govuk-tag--red">{humanise(r.outcome)}</strong>
      )}
      {r.why && (
        <>
          <br />
          <span class="kith-meta">{r.why}</span>
        </>
      )}
    </>
  );
}

/** The records, newest first. `focusChild` marks searches that found that child; `showChild` names the child acted on. */
export function AuditTable({ records, focusChild, showChild, caption }: {
  records: AuditRecord[];
  focusChild?: string;
  showChild?: boolean;
  caption?: string;
}) {
  const labels = useActionLabels();
  if (records.length === 0) return <p class="govuk-body" data-testid="audit-empty">Nothing has been recorded here.</p>;
  return (
    <TableWrap label="Audit records">
      <table class="govuk-table kith-table--stack" data-testid="audit-table">
        <caption class="govuk-table__caption govuk-table__caption--m">
          {caption ?? `${records.length} recorded action${records.length === 1 ? '' : 's'}, newest first`}
        </caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">When</th>
            <th scope="col" class="govuk-table__header">Who</th>
            <th scope="col" class="govuk-table__header">What</th>
            <th scope="col" class="govuk-table__header">Reason given</th>
            <th scope="col" class="govuk-table__header">Outcome</th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {records.map((r) => {
            const who = r.actor_name || r.actor_id || (r.actor_role === 'system' ? 'Kith (automatic)' : 'Unknown');
            const found = r.found_children ?? [];
            return (
              <tr class="govuk-table__row" key={`${r.chain}:${r.seq}`} data-testid="audit-row" data-action={r.action}>
                <td class="govuk-table__cell" data-label="When">{formatDateTime(r.at)}</td>
                <td class="govuk-table__cell" data-label="Who">
                  {who}
                  {r.actor_role && r.actor_role !== 'system' && (
                    <>
                      <br />
                      <span class="kith-meta">{roleLabel(r.actor_role)}</span>
                    </>
                  )}
                </td>
                <td class="govuk-table__cell" data-label="What">
                  {actionLabel(labels, r)}
                  {showChild && r.child_id && (
                    <>
                      <br />
                      <a class="govuk-link kith-meta" href={href('audit', 'child', r.child_id)}>
                        {r.child_name || r.child_id}
                      </a>
                    </>
                  )}
                  {found.length > 0 && (
                    <>
                      <br />
                      <span class="kith-meta">
                        Found {found.length} {found.length === 1 ? 'child' : 'children'}
                        {focusChild && found.includes(focusChild) ? ', this child among them' : ''}
                      </span>
                    </>
                  )}
                </td>
                <td class="govuk-table__cell" data-label="Reason given">{r.reason || <span class="kith-meta">None given</span>}</td>
                <td class="govuk-table__cell" data-label="Outcome"><Outcome r={r} /></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}

function Trail({ childId }: { childId: string }) {
  const trail = useAsync(() => api.get<{ records: AuditRecord[] }>(`/api/v1/children/${seg(childId)}/audit?limit=500`), [childId]);
  return <Loaded state={trail} what="The audit trail">{(d) => <AuditTable records={d.records} focusChild={childId} />}</Loaded>;
}

export function AccountAudit({ childId }: Pick<TabProps, 'childId'>) {
  return (
    <>
      <p class="govuk-body">As lead professional you can see who has looked at this child's record or found them in a search, when, and the reason they gave.</p>
      <Trail childId={childId} />
    </>
  );
}

// --- The auditors' pages -----------------------------------------------------------------------

type View = 'child' | 'user' | 'authority' | 'misuse';

const VIEWS: [View, string][] = [
  ['child', 'A child'],
  ['user', 'A user'],
  ['authority', 'The whole authority'],
  ['misuse', 'Misuse report'],
];

function SubNav({ current }: { current: string }) {
  return (
    <nav aria-label="Audit views">
      <ul class="kith-tabs">
        {VIEWS.map(([v, label]) => (
          <li key={v}>
            <a class="kith-tabs__link" href={href('audit', v)} aria-current={v === current ? 'page' : undefined}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

interface Filter {
  child_id?: string;
  user_id?: string;
  from?: string;
  to?: string;
}

/** From and to dates (UK days, both included), applied with a button. */
function DateFilter({ onApply }: { onApply: (from: string, to: string) => void }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const problems = useProblems();
  return (
    <FormErrors error={problems.error} errors={problems.errors} idPrefix="audit">
      <form
        class="kith-filters"
        noValidate
        data-testid="date-filter"
        onSubmit={(e) => {
          e.preventDefault();
          if (problems.passes(datesProblems(from, to))) onApply(from, to);
        }}
      >
        <DateField id="audit-from" label="From (first day)" value={from} onInput={setFrom} />
        <DateField id="audit-to" label="To (last day)" value={to} onInput={setTo} />
        <div class="govuk-form-group kith-filters__action">
          <Button secondary testid="apply-dates">Show these days</Button>
        </div>
      </form>
    </FormErrors>
  );
}

/** What is wrong with a from/to pair of date boxes, as the chronology's filter checks them. */
function datesProblems(from: string, to: string): Record<string, string> {
  return check([
    ['from', dateProblem(from, 'the first day')],
    ['to', dateProblem(to, 'the last day') || (/^\d{4}-\d{2}-\d{2}$/.test(from) && to && to < from && 'The last day must be the same as or after the first day')],
  ]);
}

/** A filter's records in pages, with a CSV download of all of them. */
function Records({ base, focusChild, showChild, onNamed }: { base: Filter; focusChild?: string; showChild?: boolean; onNamed?: (name: string) => void }) {
  const [dates, setDates] = useState<{ from: string; to: string }>({ from: '', to: '' });
  const filter = { ...base, ...dates };
  const [pages, setPages] = useState<AuditRecord[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(true);
  const key = JSON.stringify(filter);
  const load = async (before: string | null) => {
    setBusy(true);
    setError(undefined);
    try {
      const page = await api.get<Page>(`/api/v1/audit/records${query({ ...filter, before, limit: 100 })}`);
      setPages((old) => (before ? [...old, ...page.records] : page.records));
      setNext(page.next);
      // The records name the child or user they are about, for the heading.
      const about = page.records.find((r) => (base.child_id ? r.child_id === base.child_id && r.child_name : base.user_id && r.actor_id === base.user_id && r.actor_name));
      if (about && onNamed) onNamed((base.child_id ? about.child_name : about.actor_name) ?? '');
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    setPages([]);
    void load(null);
  }, [key]);
  return (
    <>
      <DateFilter onApply={(from, to) => setDates({ from, to })} />
      <FormError error={error} idPrefix="audit" />
      <p class="govuk-body">
        <a class="govuk-link" href={`/api/v1/audit/export${query(filter)}`} download="kith-audit.csv" data-testid="export-csv">
          Download all these records as a spreadsheet (CSV)
        </a>
        <br />
        <span class="kith-meta">Downloading is recorded in the audit trail too.</span>
      </p>
      {busy && pages.length === 0 ? (
        <p class="govuk-body">Loading the records…</p>
      ) : (
        <AuditTable records={pages} focusChild={focusChild} showChild={showChild}
          caption={`${pages.length}${next ? '+' : ''} recorded action${pages.length === 1 ? '' : 's'}, newest first`} />
      )}
      {next && (
        <Button secondary busy={busy} type="button" onClick={() => void load(next)} testid="more-records">
          Show older records
        </Button>
      )}
    </>
  );
}

function FindForm({ id, label, hint, withDate, onFind, children }: {
  id: string;
  label: string;
  hint: string;
  withDate?: boolean;
  onFind: (name: string, dob: string) => Promise<void>;
  children?: ComponentChildren;
}) {
  const [name, setName] = useState('');
  const [dob, setDob] = useState('');
  const [error, setError] = useState<ApiError>();
  const [dobError, setDobError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <div class="kith-card kith-card--narrow">
      <form
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          setError(undefined);
          const wrong = withDate ? dateProblem(dob, 'the date of birth', { notFuture: true }) : undefined;
          setDobError(wrong);
          if (wrong) return;
          setBusy(true);
          try {
            await onFind(name.trim(), dob);
          } catch (err) {
            setError(err as ApiError);
          } finally {
            setBusy(false);
          }
        }}
      >
        <FormError error={error} idPrefix={id} errors={dobError ? { date_of_birth: dobError } : {}} />
        <TextField id={`${id}-name`} label={label} hint={hint} value={name} onInput={setName} spellcheck={false}
          error={error?.field === 'name' ? error.detail : undefined} />
        {withDate && <DateField id={`${id}-date_of_birth`} label="Date of birth (optional)" hint="For example, 14 3 2019" value={dob} onInput={setDob}
          error={dobError ?? (error?.field === 'date_of_birth' ? error.detail : undefined)} />}
        <Button busy={busy} testid={`${id}-find`}>Find</Button>
      </form>
      {children}
    </div>
  );
}

function ChildView({ childId }: { childId?: string }) {
  const [found, setFound] = useState<AuditFoundChild[]>();
  // Names by Kith id: from the link followed, or from the records once loaded.
  const [names, setNames] = useState<Record<string, string>>({});
  const setName = (id: string, n: string) => setNames((old) => (old[id] === n ? old : { ...old, [id]: n }));
  return (
    <>
      <h2 class="govuk-heading-m">Who looked at or searched for a child</h2>
      <FindForm
        id="find-child"
        label="Child's name"
        hint="Any part of the given and family names, for example: leo car. Your search is recorded."
        withDate
        onFind={async (n, dob) => {
          const r = await api.post('/api/v1/audit/children/find', { name: n, ...(dob ? { date_of_birth: dob } : {}) });
          setFound(r.children);
        }}
      >
        {found && (found.length === 0 ? (
          <p class="govuk-body" data-testid="found-none">No child of your authority has that name.</p>
        ) : (
          <ul class="govuk-list" data-testid="found-children">
            {found.map((c) => (
              <li key={c.child_id}>
                <a class="govuk-link" href={href('audit', 'child', c.child_id)} onClick={() => setName(c.child_id, `${c.given_names} ${c.family_name}`)}>
                  {c.given_names} {c.family_name}
                </a>{' '}
                <span class="kith-meta">born {formatDate(c.date_of_birth)}{c.postcode ? `, ${c.postcode}` : ''}</span>
                {c.shielded && <strong class="govuk-tag govuk-tag--purple govuk-!-margin-left-1">Shielded</strong>}
              </li>
            ))}
          </ul>
        ))}
      </FindForm>
      {childId && (
        <section aria-labelledby="records-h">
          <h3 class="govuk-heading-m" id="records-h" data-testid="audit-heading">{names[childId] ?? 'This child'}</h3>
          <p class="govuk-body-s kith-meta">Kith id {childId}</p>
          <p class="govuk-body">Every look at this child's record, every change, and every search that found them — by anyone, in any authority.</p>
          <Records base={{ child_id: childId }} focusChild={childId} key={childId} onNamed={(n) => setName(childId, n)} />
        </section>
      )}
    </>
  );
}

function UserView({ userId }: { userId?: string }) {
  const [found, setFound] = useState<AuditFoundUser[]>();
  // Names by Kith id: from the link followed, or from the records once loaded.
  const [names, setNames] = useState<Record<string, string>>({});
  const setName = (id: string, n: string) => setNames((old) => (old[id] === n ? old : { ...old, [id]: n }));
  return (
    <>
      <h2 class="govuk-heading-m">What one user did</h2>
      <FindForm
        id="find-user"
        label="User's name or username"
        hint="For example: hughes, or sw.hughes. Your search is recorded."
        onFind={async (n) => {
          const r = await api.post('/api/v1/audit/users/find', { name: n });
          setFound(r.users);
        }}
      >
        {found && (found.length === 0 ? (
          <p class="govuk-body" data-testid="found-none">No user of your authority has that name.</p>
        ) : (
          <ul class="govuk-list" data-testid="found-users">
            {found.map((u) => (
              <li key={u.user_id}>
                <a class="govuk-link" href={href('audit', 'user', u.user_id)} onClick={() => setName(u.user_id, u.display_name)}>
                  {u.display_name}
                </a>{' '}
                <span class="kith-meta">{u.username} · {[u.job_title, u.agency_name].filter(Boolean).join(', ') || roleLabel(u.role)}</span>
              </li>
            ))}
          </ul>
        ))}
      </FindForm>
      {userId && (
        <section aria-labelledby="records-h">
          <h3 class="govuk-heading-m" id="records-h" data-testid="audit-heading">{names[userId] ?? 'This user'}</h3>
          <p class="govuk-body-s kith-meta">Kith id {userId}</p>
          <Records base={{ user_id: userId }} showChild key={userId} onNamed={(n) => setName(userId, n)} />
        </section>
      )}
    </>
  );
}

export function AuditPage({ view, id }: { view: string | undefined; id: string | undefined }) {
  useEffect(() => {
    document.title = 'Audit – Kith';
  }, []);
  const current: View = view === 'user' || view === 'authority' || view === 'misuse' ? view : 'child';
  useEffect(() => {
    // The address of the earlier audit page, #/audit/<Kith id>, still leads to the child.
    if (view && !['child', 'user', 'authority', 'misuse'].includes(view)) navigate('audit', 'child', view);
  }, [view]);
  return (
    <>
      <h1 class="govuk-heading-l">Audit</h1>
      <SubNav current={current} />
      {current === 'child' && <ChildView childId={id} key={id ?? ''} />}
      {current === 'user' && <UserView userId={id} key={id ?? ''} />}
      {current === 'misuse' && <MisuseReport />}
      {current === 'authority' && (
        <>
          <h2 class="govuk-heading-m">Everyone in the authority</h2>
          <p class="govuk-body">What every user of your authority did, newest first. Choose days to narrow it.</p>
          <Records base={{}} showChild />
        </>
      )}
    </>
  );
}

// --- The misuse report --------------------------------------------------------------------------

export const MISUSE_KINDS: Record<string, string> = {
  same_surname: 'Child shares their surname',
  same_address: 'Child lives at their address',
  same_postcode: 'Child lives at their postcode',
  volume: 'Far more than usual',
  out_of_hours: 'Out of hours',
  shielded_child: 'Shielded child',
  break_glass_unjustified: 'Emergency access judged unjustified',
  join_leave_quickly: 'Joined and left a team quickly',
  no_involvement: 'Children with no involvement',
};

function daysAgo(n: number): string {
  const d = new Date();
  d.setDate(d.getDate() - n);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function FlagCard({ initial }: { initial: MisuseFlag }) {
  const [flag, setFlag] = useState(initial);
  const [records, setRecords] = useState<AuditRecord[]>();
  const [note, setNote] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const idPrefix = `review-${flag.id}`;
  return (
    <li class="kith-card" data-testid="misuse-flag" data-kind={flag.kind}>
      <h3 class="govuk-heading-s govuk-!-margin-bottom-1">
        {MISUSE_KINDS[flag.kind] ?? humanise(flag.kind)}
        {flag.reviewed_at && <strong class="govuk-tag govuk-tag--grey govuk-!-margin-left-2">Reviewed</strong>}
      </h3>
      <p class="kith-meta govuk-!-margin-bottom-2">
        {formatDate(flag.day)} ·{' '}
        <a class="govuk-link" href={href('audit', 'user', flag.user_id)}>{flag.user_name || flag.user_id}</a>
        {flag.child_id && (
          <>
            {' · '}
            <a class="govuk-link" href={href('audit', 'child', flag.child_id)}>{flag.child_name || flag.child_id}</a>
          </>
        )}
      </p>
      <p class="govuk-body">{flag.explanation}</p>
      {records ? (
        <AuditTable records={records} caption={`The ${records.length} audit record${records.length === 1 ? '' : 's'} behind this flag`} />
      ) : (
        <Button secondary type="button" testid="flag-records"
          onClick={async () => {
            try {
              const detail = await api.get<MisuseFlag>(`/api/v1/audit/misuse/${seg(flag.id)}`);
              setRecords(detail.records ?? []);
            } catch (e) {
              setError(e as ApiError);
            }
          }}>
          Show the {flag.record_refs.length} audit record{flag.record_refs.length === 1 ? '' : 's'} behind it
        </Button>
      )}
      {flag.reviewed_at ? (
        <p class="govuk-body-s" data-testid="flag-review">
          Reviewed by {flag.reviewed_by_name || flag.reviewed_by} on {formatDateTime(flag.reviewed_at)}: {flag.review_note}
        </p>
      ) : (
        <form
          noValidate
          onSubmit={async (e) => {
            e.preventDefault();
            setBusy(true);
            setError(undefined);
            try {
              setFlag(await api.post('/api/v1/audit/misuse/{flag_id}/review', { flag_id: flag.id }, { note: note.trim() }));
            } catch (err) {
              setError(err as ApiError);
            } finally {
              setBusy(false);
            }
          }}
        >
          <FormError error={error} idPrefix={idPrefix} />
          <TextField id={`${idPrefix}-note`} label="What you found" hint="For example: the practitioner explained, or it was referred to their manager. Recorded in the audit trail."
            value={note} onInput={setNote} error={error?.field === 'note' ? error.detail : undefined} />
          <Button busy={busy} testid="review-flag">Mark reviewed</Button>
        </form>
      )}
    </li>
  );
}

function MisuseReport() {
  const [from, setFrom] = useState(daysAgo(29));
  const [to, setTo] = useState(daysAgo(0));
  const [reviewed, setReviewed] = useState(false);
  const [shown, setShown] = useState({ from: daysAgo(29), to: daysAgo(0), reviewed: false, n: 0 });
  const dateChecks = useProblems();
  const [run, setRun] = useState<MisuseRun>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const flags = useAsync(
    () => api.get<{ flags: MisuseFlag[] }>(`/api/v1/audit/misuse${query({ from: shown.from, to: shown.to, include_reviewed: shown.reviewed ? 'true' : undefined })}`),
    [shown.from, shown.to, shown.reviewed, shown.n],
  );
  return (
    <>
      <h2 class="govuk-heading-m">Misuse report</h2>
      <p class="govuk-body">
        Patterns in the audit trail worth a look, found every night for the day before: children who share a practitioner's
        surname, address or postcode; far more looking than usual; access out of hours; shielded children; emergency access
        judged unjustified; joining and leaving a team quickly; looking up children nobody at the practitioner's agency works with.
      </p>
      <FormErrors error={dateChecks.error} errors={dateChecks.errors} idPrefix="misuse">
        <form
          class="kith-filters"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (dateChecks.passes(datesProblems(from, to))) setShown({ from, to, reviewed, n: shown.n + 1 });
          }}
        >
          <DateField id="misuse-from" label="From (first day)" value={from} onInput={setFrom} />
          <DateField id="misuse-to" label="To (last day)" value={to} onInput={setTo} />
          <div class="govuk-form-group kith-filters__action">
            <Checkbox id="misuse-reviewed" label="Include reviewed flags" checked={reviewed} onChange={setReviewed} />
            <Button secondary testid="show-flags">Show flags</Button>
          </div>
        </form>
      </FormErrors>
      <FormError error={error} idPrefix="misuse" />
      <p class="govuk-body">
        <Button secondary busy={busy} type="button" testid="run-report"
          onClick={async () => {
            setBusy(true);
            setError(undefined);
            try {
              setRun(await api.post('/api/v1/audit/misuse/runs', { from, to }));
              setShown({ from, to, reviewed, n: shown.n + 1 });
            } catch (e) {
              setError(e as ApiError);
            } finally {
              setBusy(false);
            }
          }}>
          Run the report now for these days
        </Button>
        {run && (
          <span class="kith-meta govuk-!-margin-left-2" role="status" data-testid="run-result">
            Read {run.records.toLocaleString('en-GB')} audit records: {run.flags} flag{run.flags === 1 ? '' : 's'}, {run.new_flags} new.
          </span>
        )}
      </p>
      <Loaded state={flags} what="The misuse report">
        {(d) =>
          d.flags.length === 0 ? (
            <p class="govuk-body" data-testid="no-flags">No flags for these days.</p>
          ) : (
            <ul class="govuk-list" data-testid="misuse-flags">
              {d.flags.map((f) => <FlagCard initial={f} key={f.id} />)}
            </ul>
          )
        }
      </Loaded>
    </>
  );
}
