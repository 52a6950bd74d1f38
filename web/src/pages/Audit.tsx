// The audit view: who looked at a child's record, when, and why. For auditors of the child's
// authority (by Kith ID) and for the child's lead professional (a tab on the account).
import { useEffect, useState } from 'preact/hooks';
import { api, seg } from '../api';
import { href, navigate } from '../router';
import type { AuditRecord, FoundChild } from '../types';
import type { TabProps } from './Child';
import { formatDate, formatDateTime, fullName, humanise, roleLabel } from '../format';
import { Button, check, DateField, dateProblem, FormErrors, Loaded, TextField, useAsync, useProblems } from '../components/ui';

const ACTIONS: Record<string, string> = {
  'child.view': 'Viewed the account',
  'child.signposting': 'Viewed who is involved (signposting)',
  'child.audit_trail': 'Viewed the audit trail',
  'child.create': 'Created the record',
  'child.update': 'Changed the record',
  'team.join': 'Joined the team',
  'team.leave': 'Left the team',
  'team.lead': 'Changed the lead professional',
  search: 'Searched',
};

function actionLabel(a: string): string {
  return ACTIONS[a] ?? humanise(a.replace(/\./g, ' '));
}

export function AuditTable({ records }: { records: AuditRecord[] }) {
  if (records.length === 0) return <p class="govuk-body">Nothing has been recorded for this child yet.</p>;
  return (
    <div class="kith-table-wrap" tabIndex={0} role="region" aria-label="Audit trail">
      <table class="govuk-table kith-table--stack" data-testid="audit-table">
        <caption class="govuk-table__caption govuk-table__caption--m">{records.length} recorded action{records.length === 1 ? '' : 's'}, newest first</caption>
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
            const who = r.actor_name || r.actor_id || 'System';
            return (
              <tr class="govuk-table__row" key={`${r.chain}:${r.seq}`}>
                <td class="govuk-table__cell">{formatDateTime(r.at)}</td>
                <td class="govuk-table__cell">
                  {who}
                  {r.actor_role && (
                    <>
                      <br />
                      <span class="kith-meta">{roleLabel(r.actor_role)}</span>
                    </>
                  )}
                </td>
                <td class="govuk-table__cell">{actionLabel(r.action)}</td>
                <td class="govuk-table__cell">{r.reason || <span class="kith-meta">None given</span>}</td>
                <td class="govuk-table__cell">
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
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Trail({ childId }: { childId: string }) {
  const trail = useAsync(() => api.get<{ records: AuditRecord[] }>(`/api/v1/children/${seg(childId)}/audit?limit=500`), [childId]);
  return <Loaded state={trail} what="The audit trail">{(d) => <AuditTable records={d.records} />}</Loaded>;
}

export function AccountAudit({ childId }: TabProps) {
  return (
    <>
      <p class="govuk-body">As lead professional you can see who has looked at this child's record, when, and the reason they gave.</p>
      <Trail childId={childId} />
    </>
  );
}


/** Finds a child of the auditor's authority by name, to open their audit trail. */
function FindByName() {
  const [f, setF] = useState({ given_name: '', family_name: '', date_of_birth: '' });
  const [found, setFound] = useState<FoundChild[]>();
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof f) => (v: string) => setF({ ...f, [k]: v });
  return (
    <div class="kith-card" data-testid="audit-find">
      <h2 class="govuk-heading-m">Find a child by name</h2>
      <FormErrors error={problems.error} errors={problems.errors} idPrefix="af">
        <form
          noValidate
          onSubmit={async (e) => {
            e.preventDefault();
            const ok = problems.passes(check([
              ['family_name', !f.given_name.trim() && !f.family_name.trim() && "Enter the child's name"],
              ['date_of_birth', dateProblem(f.date_of_birth, 'the date of birth', { notFuture: true })],
            ]));
            if (!ok) return;
            setBusy(true);
            try {
              const body: Record<string, string> = {};
              for (const [k, v] of Object.entries(f)) if (v.trim()) body[k] = v.trim();
              setFound((await api.post<{ children: FoundChild[] }>('/api/v1/audit/children/find', body)).children);
            } catch (err) {
              problems.fail(err);
            } finally {
              setBusy(false);
            }
          }}
        >
          <TextField id="af-given_name" label="First name" value={f.given_name} onInput={set('given_name')} maxLength={100} />
          <TextField id="af-family_name" label="Last name" value={f.family_name} onInput={set('family_name')} maxLength={100} />
          <DateField id="af-date_of_birth" label="Date of birth (optional)" hint="A shielded child is found only by their exact name and date of birth." value={f.date_of_birth} onInput={set('date_of_birth')} />
          <Button busy={busy} testid="audit-find-submit">Find</Button>
        </form>
      </FormErrors>
      {found && (found.length === 0 ? (
        <p class="govuk-body" data-testid="audit-found-none">No child of your local authority has that name. Check the spelling, or try the last name alone.</p>
      ) : (
        <ul class="kith-child-list" data-testid="audit-found">
          {found.map((c) => (
            <li class="kith-child-list__item" key={c.child_id}>
              <a class="govuk-link kith-child-list__name" href={href('audit', c.child_id)}>
                {fullName(c)}<span class="govuk-visually-hidden">: show the audit trail</span>
              </a>
              <p class="kith-meta">Born {formatDate(c.date_of_birth)} · Kith ID {c.child_id}</p>
            </li>
          ))}
        </ul>
      ))}
    </div>
  );
}

export function AuditPage({ childId }: { childId: string | undefined }) {
  const [id, setId] = useState('');
  useEffect(() => {
    document.title = 'Audit – Kith';
  }, []);
  return (
    <>
      <h1 class="govuk-heading-l">Audit: who looked at a child's record</h1>
      <p class="govuk-body">Your own searches and looks at a trail are recorded too.</p>
      <div class="kith-grid kith-grid--halves">
        <FindByName />
        <div class="kith-card">
          <h2 class="govuk-heading-m">Or by Kith ID</h2>
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              if (id.trim()) navigate('audit', id.trim());
            }}
          >
            <TextField id="audit-child" label="Kith ID of the child" hint="For example: K7Q2M9X4P1." value={id} onInput={setId} spellcheck={false} width="20" />
            <Button testid="show-audit">Show the audit trail</Button>
          </form>
        </div>
      </div>
      {childId && (
        <section aria-labelledby="trail-h">
          <h2 class="govuk-heading-m" id="trail-h">
            Child {childId}
          </h2>
          <Trail childId={childId} key={childId} />
        </section>
      )}
    </>
  );
}
