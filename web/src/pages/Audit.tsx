// The audit view: who looked at a child's record, when, and why. For auditors of the child's
// authority (by Kith ID) and for the child's lead professional (a tab on the account).
import { useEffect, useState } from 'preact/hooks';
import { api, seg } from '../api';
import { navigate } from '../router';
import type { AuditRecord } from '../types';
import type { TabProps } from './Child';
import { formatDateTime, humanise, roleLabel } from '../format';
import { Button, Loaded, TextField, useAsync } from '../components/ui';

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

export function AuditPage({ childId }: { childId: string | undefined }) {
  const [id, setId] = useState('');
  useEffect(() => {
    document.title = 'Audit – Kith';
  }, []);
  return (
    <>
      <h1 class="govuk-heading-l">Audit: who looked at a child's record</h1>
      <div class="kith-card kith-card--narrow">
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (id.trim()) navigate('audit', id.trim());
          }}
        >
          <TextField id="audit-child" label="Kith ID of the child" hint="For example: K7Q2M9X4P1. Your own look at the trail is recorded too." value={id} onInput={setId} spellcheck={false} width="20" />
          <Button testid="show-audit">Show the audit trail</Button>
        </form>
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
