// The Family tab of a child's account: inviting a parent, carer or young person to the family
// portal, the family accounts (suspend, reinstate), the restrictions for the lead professional
// to review, and what the family has added.
import { useState } from 'preact/hooks';
import { api, ApiError, seg, type Body } from '../api';
import { useSession } from '../session';
import type { TabProps } from '../pages/Child';
import type { FamilyEntry, FamilyInvitation, FamilyMember, FamilyRelease, FamilyRestriction, ReleaseOutcome } from '../types';
import { formatDate, formatDateTime, fullName } from '../format';
import { Button, check, FormError, FormErrors, Loaded, Radios, SelectField, Success, TableWrap, TextArea, TextField, useAsync, useProblems } from '../components/ui';
import { RESTRICTION_REASONS, ShareWithFamily } from './Visibility';

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
  const problems = useProblems();
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
      <FormErrors error={problems.error} errors={problems.errors} idPrefix="invite">
      <form
        noValidate
        data-testid="invite-form"
        onSubmit={async (e) => {
          e.preventDefault();
        if (!problems.passes(check([['name', !name.trim() && 'Enter the name of the person you are inviting']]))) return;
          setBusy(true);
          try {
            setMade(await api.post('/api/v1/children/{child_id}/family/invitations', { child_id: childId }, { relation: relation as Body<'/api/v1/children/{child_id}/family/invitations', 'post'>['relation'], name: name.trim() }));
            setName('');
            onInvited();
          } catch (err) {
            problems.fail(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <SelectField id="invite-relation" label="Who is invited" value={relation} onInput={setRelation} options={RELATIONS} />
        <TextField id="invite-name" label="Their name" value={name} onInput={setName} maxLength={200} required />
        <Button busy={busy} testid="invite">Make an invitation code</Button>
      </form>
</FormErrors>
    </section>
  );
}

function Members({ childId, version }: { childId: string; version: number }) {
  const members = useAsync(() => api.get<{ members: FamilyMember[] }>(`/api/v1/children/${seg(childId)}/family/members`), [childId, version]);
  const invitations = useAsync(() => api.get<{ invitations: FamilyInvitation[] }>(`/api/v1/children/${seg(childId)}/family/invitations`), [childId, version]);
  const [reason, setReason] = useState('');
  const problems = useProblems();
  const setActive = async (m: FamilyMember, active: boolean) => {
    if (!problems.passes(check([['reason', !reason.trim() && `Enter why you are ${active ? 'reinstating' : 'suspending'} ${m.display_name}'s account`]]))) return;
    try {
      const at = { child_id: childId, user_id: m.user_id };
      if (active) await api.post('/api/v1/children/{child_id}/family/members/{user_id}/reinstate', at, { reason: reason.trim() });
      else await api.post('/api/v1/children/{child_id}/family/members/{user_id}/suspend', at, { reason: reason.trim() });
      setReason('');
      members.reload();
    } catch (err) {
      problems.fail(err);
    }
  };
  return (
    <section class="kith-card" aria-labelledby="members-h">
      <h3 class="govuk-heading-m" id="members-h">Family accounts</h3>
      <FormErrors error={problems.error} errors={problems.errors} idPrefix="member">
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
    </FormErrors>
    </section>
  );
}

function Restrictions({ childId, childName, lead, version, onChanged }: { childId: string; childName: string; lead: boolean; version: number; onChanged: () => void }) {
  const list = useAsync(() => api.get<{ restrictions: FamilyRestriction[] }>(`/api/v1/children/${seg(childId)}/restrictions`), [childId, version]);
  const [done, setDone] = useState('');
  const [sharing, setSharing] = useState('');
  const [error, setError] = useState<ApiError>();
  const confirm = async (r: FamilyRestriction) => {
    setError(undefined);
    try {
      await api.post('/api/v1/children/{child_id}/restrictions/{subject_id}/review', { child_id: childId, subject_id: r.subject_id }, { decision: 'confirm' });
      setDone(`“${r.title}” stays kept from the family.`);
      list.reload();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return (
    <section class="kith-card" aria-labelledby="restrictions-h">
      <h3 class="govuk-heading-m" id="restrictions-h">Kept from the family</h3>
      <p class="govuk-body">
        {lead ? 'As lead professional, confirm each restriction. ' : 'The lead professional reviews each restriction. '}
        Sharing one with the family needs a reason and the agreement of the agency that recorded or restricted it.
      </p>
      {done && <Success>{done}</Success>}
      <FormError error={error} idPrefix="review" />
      <Loaded state={list} what="The restrictions">
        {(d) =>
          d.restrictions.length === 0 ? (
            <p class="govuk-body">Nothing has been kept from the family with a reason.</p>
          ) : (
            <ul class="kith-feed" data-testid="restrictions">
              {d.restrictions.map((r) => (
                <li class="kith-feed__item" key={r.subject_id} data-testid="restriction">
                  <p class="govuk-body govuk-!-margin-bottom-1">
                    <strong>{r.title}</strong> ({r.subject_kind === 'thread' ? 'forum discussion' : r.subject_kind === 'assessment' ? 'early help assessment' : 'chronology entry'})
                  </p>
                  <p class="kith-meta">
                    {reasonLabel(r.restriction_reason)}
                    {r.restriction_text && `: ${r.restriction_text}`} · kept back by {r.set_by_name}
                    {r.restricting_agency_name && `, ${r.restricting_agency_name}`} on {formatDateTime(r.set_at)} ·{' '}
                    {r.visibility === 'team_and_family'
                      ? `shared with the family since${r.reviewed_by_name ? ` (${r.reviewed_by_name})` : ''}`
                      : r.review === 'pending' ? 'awaiting review' : `confirmed by ${r.reviewed_by_name ?? ''}`}
                  </p>
                  {r.visibility === 'team' && r.release_pending && (
                    <p class="govuk-body-s" data-testid="release-waiting">A request to share it is waiting for an agency's agreement (below).</p>
                  )}
                  {r.visibility === 'team' && !r.release_pending && r.agreement_needed.length > 0 && (
                    <p class="govuk-body-s" data-testid="agreement-needed">To share it, {r.agreement_needed.join(' and ')} must agree.</p>
                  )}
                  {r.visibility === 'team' && sharing !== r.subject_id && (
                    <div class="govuk-button-group govuk-!-margin-bottom-0">
                      {lead && r.review === 'pending' && (
                        <button type="button" class="govuk-button govuk-!-margin-bottom-0" data-testid="confirm-restriction" onClick={() => confirm(r)}>
                          Keep it from the family<span class="govuk-visually-hidden">: “{r.title}”</span>
                        </button>
                      )}
                      {!r.release_pending && (
                        <button type="button" class="kith-link-button" data-testid="lift-restriction" onClick={() => { setDone(''); setSharing(r.subject_id); }}>
                          {r.agreement_needed.length > 0 ? 'Ask to share with the family' : 'Share with the family'}
                          <span class="govuk-visually-hidden">: “{r.title}”</span>
                        </button>
                      )}
                    </div>
                  )}
                  {sharing === r.subject_id && (
                    <ShareWithFamily
                      childId={childId}
                      subjectId={r.subject_id}
                      title={r.title}
                      childName={childName}
                      needs={r.agreement_needed}
                      onCancel={() => setSharing('')}
                      onDone={(m) => { setDone(m); setSharing(''); list.reload(); onChanged(); }}
                    />
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

function Decide({ childId, release, onDone }: { childId: string; release: FamilyRelease; onDone: (m: string) => void }) {
  const [decision, setDecision] = useState('');
  const [reason, setReason] = useState('');
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  const id = `decide-${release.id}`;
  return (
    <form
      noValidate
      data-testid="decide-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const ok = problems.passes(check([
          ['decision', !decision && 'Choose whether your agency agrees'],
          ['reason', !reason.trim() && 'Enter the reason for your answer'],
        ]));
        if (!ok) return;
        setBusy(true);
        try {
          const o = await api.post('/api/v1/children/{child_id}/visibility/{subject_id}/release/decision', { child_id: childId, subject_id: release.subject_id }, { decision: decision as 'agree' | 'decline', reason: reason.trim() });
          onDone(decision === 'decline'
            ? `“${release.title}” stays within the team. ${release.requested_by_name} has been told why.`
            : o.released ? `“${release.title}” is now shared with the family.` : `Your agreement is recorded. “${release.title}” waits for another agency.`);
        } catch (err) {
          problems.fail(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <FormErrors error={problems.error} errors={problems.errors} idPrefix={id}>
      <Radios
        id={`${id}-decision`}
        legend={`Does ${release.agency_name} agree to share it with the family?`}
        value={decision}
        onInput={setDecision}
        options={[
          { value: 'agree', label: 'Yes, share it with the family' },
          { value: 'decline', label: 'No, keep it within the team' },
        ]}
        small
      />
      <TextArea id={`${id}-reason`} label="Your reason" hint="The requester sees it; it is kept with the record." value={reason} onInput={setReason} rows={2} maxLength={1000} required />
      <Button busy={busy} testid="decide-submit">Send your answer</Button>
      </FormErrors>
    </form>
  );
}

function Releases({ childId, version, onChanged }: { childId: string; version: number; onChanged: () => void }) {
  const list = useAsync(() => api.get<{ releases: FamilyRelease[] }>(`/api/v1/children/${seg(childId)}/family/releases`), [childId, version]);
  const [done, setDone] = useState('');
  if (!list.data || list.data.releases.length === 0) return null;
  const mine = list.data.releases.filter((r) => r.may_decide);
  return (
    <section class="kith-card" aria-labelledby="releases-h">
      <h3 class="govuk-heading-m" id="releases-h">Requests to share with the family</h3>
      {done && <Success>{done}</Success>}
      {mine.length > 0 && <p class="govuk-body govuk-!-font-weight-bold">{mine.length} waiting for your agency's answer.</p>}
      <ul class="kith-feed" data-testid="releases">
        {list.data.releases.map((r) => (
          <li class="kith-feed__item" key={r.id} data-testid="release">
            <p class="govuk-body govuk-!-margin-bottom-1">
              <strong>{r.title}</strong>: {r.requested_by_name} asked {r.agency_name} on {formatDateTime(r.requested_at)}
            </p>
            <p class="kith-meta">Why: {r.reason}</p>
            <p class="kith-meta" data-testid="release-status">
              {r.status === 'pending'
                ? r.request_status === 'declined' ? 'Not needed: another agency did not agree.' : `Waiting for ${r.agency_name}${r.agency_on_team ? '' : ' (nobody from this agency is on the team yet)'}.`
                : `${r.status === 'agreed' ? 'Agreed' : 'Not agreed'} by ${r.decided_by_name ?? ''} on ${formatDateTime(r.decided_at ?? '')}: ${r.decision_reason ?? ''}`}
            </p>
            {r.may_decide && <Decide childId={childId} release={r} onDone={(m) => { setDone(m); list.reload(); onChanged(); }} />}
          </li>
        ))}
      </ul>
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
  const changed = () => setBump((b) => b + 1);
  return (
    <>
      <FamilyVoice childId={childId} version={version} />
      <Releases childId={childId} version={version} onChanged={changed} />
      <Restrictions childId={childId} childName={fullName(account.child)} lead={!!me?.lead} version={version} onChanged={changed} />
      {me && <Invite childId={childId} onInvited={() => setBump((b) => b + 1)} />}
      <Members childId={childId} version={version} />
    </>
  );
}
