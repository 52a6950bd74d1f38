// The Family tab of a child's account: inviting a parent, carer or young person to the family
// portal, the family accounts (suspend, reinstate), the restrictions for the lead professional
// to review, and what the family has added.
import { useState } from 'preact/hooks';
import { api, ApiError, seg } from '../api';
import { useSession } from '../session';
import type { TabProps } from '../pages/Child';
import type { FamilyEntry, FamilyInvitation, FamilyMember, FamilyRestriction } from '../types';
import { formatDate, formatDateTime } from '../format';
import { Button, FormError, Loaded, SelectField, Success, TableWrap, TextArea, TextField, useAsync } from '../components/ui';
import { RESTRICTION_REASONS } from './Visibility';

const RELATIONS: [string, string][] = [
  ['parent_carer', 'Parent or carer'],
  ['young_person', 'The young person themselves'],
];
const KIND_LABEL: Record<string, string> = {
  thoughts: 'Thoughts and feelings',
  response: 'Response to an entry',
  disagreement: 'Disagrees with an entry',
};
const ASSESSMENT_KIND_LABEL: Record<string, string> = {
  response: 'View on the early help assessment',
  disagreement: 'Disagrees with the early help assessment',
};
const reasonLabel = (code: string | null) => RESTRICTION_REASONS.find(([c]) => c === code)?.[1] ?? '';

function Invite({ childId, onInvited }: { childId: string; onInvited: () => void }) {
  const [relation, setRelation] = useState('parent_carer');
  const [name, setName] = useState('');
  const [made, setMade] = useState<FamilyInvitation>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  return (
    <section class="kith-card" aria-labelledby="invite-h">
      <h3 class="govuk-heading-m" id="invite-h">Invite to the family portal</h3>
      <p class="govuk-body">
        The family member gets a one-time code. With it, the child's date of birth and postcode, they make their own
        account and see what the team shares with the family.
      </p>
      {made && (
        <div class="govuk-panel kith-code" data-testid="invitation-code">
          <p class="govuk-body">Give this code to {made.name} in person or by phone. It works once, until {formatDateTime(made.expires_at)}.</p>
          <p class="govuk-heading-l kith-code__value">{made.code}</p>
        </div>
      )}
      <FormError error={error} idPrefix="invite" />
      <form
        noValidate
        data-testid="invite-form"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(undefined);
          try {
            setMade(await api.post<FamilyInvitation>(`/api/v1/children/${seg(childId)}/family/invitations`, { relation, name: name.trim() }));
            setName('');
            onInvited();
          } catch (err) {
            setError(err as ApiError);
          } finally {
            setBusy(false);
          }
        }}
      >
        <SelectField id="invite-relation" label="Who is invited" value={relation} onInput={setRelation} options={RELATIONS} />
        <TextField id="invite-name" label="Their name" value={name} onInput={setName} maxLength={200} required />
        <Button busy={busy} testid="invite">Make an invitation code</Button>
      </form>
    </section>
  );
}

function Members({ childId, version }: { childId: string; version: number }) {
  const members = useAsync(() => api.get<{ members: FamilyMember[] }>(`/api/v1/children/${seg(childId)}/family/members`), [childId, version]);
  const invitations = useAsync(() => api.get<{ invitations: FamilyInvitation[] }>(`/api/v1/children/${seg(childId)}/family/invitations`), [childId, version]);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError>();
  const setActive = async (m: FamilyMember, active: boolean) => {
    setError(undefined);
    try {
      await api.post(`/api/v1/children/${seg(childId)}/family/members/${seg(m.user_id)}/${active ? 'reinstate' : 'suspend'}`, { reason: reason.trim() });
      setReason('');
      members.reload();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <section class="kith-card" aria-labelledby="members-h">
      <h3 class="govuk-heading-m" id="members-h">Family accounts</h3>
      <FormError error={error} idPrefix="member" />
      <Loaded state={members} what="The family accounts">
        {(d) =>
          d.members.length === 0 ? (
            <p class="govuk-body">No one in the family has an account yet.</p>
          ) : (
            <>
              <TableWrap label="Family accounts">
                <table class="govuk-table">
                  <thead class="govuk-table__head">
                    <tr class="govuk-table__row">
                      <th scope="col" class="govuk-table__header">Name</th>
                      <th scope="col" class="govuk-table__header">Relation</th>
                      <th scope="col" class="govuk-table__header">Status</th>
                      <th scope="col" class="govuk-table__header">Action</th>
                    </tr>
                  </thead>
                  <tbody class="govuk-table__body">
                    {d.members.map((m) => (
                      <tr class="govuk-table__row" key={m.user_id}>
                        <td class="govuk-table__cell">{m.display_name}</td>
                        <td class="govuk-table__cell">{RELATIONS.find(([c]) => c === m.relation)?.[1]}</td>
                        <td class="govuk-table__cell">{m.active ? 'Active' : 'Suspended'}{m.second_factor ? ', second factor on' : ''}</td>
                        <td class="govuk-table__cell">
                          <button type="button" class={`govuk-button govuk-!-margin-bottom-0 ${m.active ? 'govuk-button--warning' : 'govuk-button--secondary'}`} onClick={() => setActive(m, !m.active)}>
                            {m.active ? 'Suspend' : 'Reinstate'}<span class="govuk-visually-hidden"> {m.display_name}</span>
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
              <TextArea id="member-reason" label="Reason for suspending or reinstating" hint="Required; it is kept in the audit trail." value={reason} onInput={setReason} rows={2} maxLength={500} />
            </>
          )
        }
      </Loaded>
      <Loaded state={invitations} what="The invitations">
        {(d) =>
          d.invitations.length > 0 && (
            <details class="govuk-details">
              <summary class="govuk-details__summary">
                <span class="govuk-details__summary-text">Invitations ({d.invitations.length})</span>
              </summary>
              <ul class="govuk-list" data-testid="invitations">
                {d.invitations.map((i) => (
                  <li key={i.id}>
                    {i.name} ({RELATIONS.find(([c]) => c === i.relation)?.[1]}): {i.status}, invited by {i.invited_by_name} on {formatDate(i.created_at.slice(0, 10))}
                    {i.failed_checks > 0 && `, ${i.failed_checks} failed identity checks`}
                  </li>
                ))}
              </ul>
            </details>
          )
        }
      </Loaded>
    </section>
  );
}

function Restrictions({ childId, lead, version }: { childId: string; lead: boolean; version: number }) {
  const list = useAsync(() => api.get<{ restrictions: FamilyRestriction[] }>(`/api/v1/children/${seg(childId)}/restrictions`), [childId, version]);
  const [done, setDone] = useState('');
  const [error, setError] = useState<ApiError>();
  const review = async (r: FamilyRestriction, decision: 'confirm' | 'lift') => {
    setError(undefined);
    try {
      await api.post(`/api/v1/children/${seg(childId)}/restrictions/${seg(r.subject_id)}/review`, { decision });
      setDone(decision === 'lift' ? `“${r.title}” is now shared with the family.` : `The restriction of “${r.title}” is confirmed.`);
      list.reload();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <section class="kith-card" aria-labelledby="restrictions-h">
      <h3 class="govuk-heading-m" id="restrictions-h">Restricted from the family</h3>
      <p class="govuk-body">{lead ? 'As lead professional, confirm or lift each restriction.' : 'The lead professional reviews each restriction.'}</p>
      {done && <Success>{done}</Success>}
      <FormError error={error} idPrefix="review" />
      <Loaded state={list} what="The restrictions">
        {(d) =>
          d.restrictions.length === 0 ? (
            <p class="govuk-body">Nothing has been restricted from the family.</p>
          ) : (
            <ul class="kith-feed" data-testid="restrictions">
              {d.restrictions.map((r) => (
                <li class="kith-feed__item" key={r.subject_id}>
                  <p class="govuk-body govuk-!-margin-bottom-1">
                    <strong>{r.title}</strong> ({r.subject_kind === 'thread' ? 'forum thread' : 'chronology entry'})
                  </p>
                  <p class="kith-meta">
                    {reasonLabel(r.restriction_reason)}
                    {r.restriction_text && `: ${r.restriction_text}`} · by {r.set_by_name} on {formatDateTime(r.set_at)} ·{' '}
                    {r.review === 'pending' ? 'awaiting review' : `${r.review} by ${r.reviewed_by_name ?? ''}`}
                  </p>
                  {lead && r.review === 'pending' && (
                    <div class="govuk-button-group govuk-!-margin-bottom-0">
                      <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-testid="confirm-restriction" onClick={() => review(r, 'confirm')}>
                        Keep restricted<span class="govuk-visually-hidden"> “{r.title}”</span>
                      </button>
                      <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-testid="lift-restriction" onClick={() => review(r, 'lift')}>
                        Share with the family<span class="govuk-visually-hidden"> “{r.title}”</span>
                      </button>
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}

function FamilyVoice({ childId, version }: { childId: string; version: number }) {
  const entries = useAsync(() => api.get<{ entries: FamilyEntry[] }>(`/api/v1/children/${seg(childId)}/family/entries`), [childId, version]);
  return (
    <section class="kith-card" aria-labelledby="voice-h">
      <h3 class="govuk-heading-m" id="voice-h">What the family has said</h3>
      <div aria-live="polite">
        <Loaded state={entries} what="The family's entries">
          {(d) =>
            d.entries.length === 0 ? (
              <p class="govuk-body">The family has not added anything yet.</p>
            ) : (
              <ul class="kith-feed" data-testid="family-entries">
                {d.entries.map((e) => (
                  <li class="kith-feed__item kith-entry--family" key={e.id}>
                    <p class="kith-meta">
                      <strong class="govuk-tag govuk-tag--purple">Family</strong> {(e.about_kind === 'assessment' ? ASSESSMENT_KIND_LABEL : KIND_LABEL)[e.kind]} · {e.author_name}
                      {e.relation === 'young_person' ? ' (the young person)' : ''} · {formatDateTime(e.created_at)}
                    </p>
                    <p class="govuk-body">{e.text}</p>
                  </li>
                ))}
              </ul>
            )
          }
        </Loaded>
      </div>
    </section>
  );
}

export function FamilyTab({ childId, account, versions }: TabProps) {
  const { session } = useSession();
  const me = account.team.find((m) => m.user_id === session.user.id);
  const [bump, setBump] = useState(0);
  const version = versions.family + versions.chronology + bump;
  return (
    <>
      <FamilyVoice childId={childId} version={version} />
      <Restrictions childId={childId} lead={!!me?.lead} version={version} />
      {me && <Invite childId={childId} onInvited={() => setBump((b) => b + 1)} />}
      <Members childId={childId} version={version} />
    </>
  );
}
