// Team: who is on the team and how to reach them; requests to join (the lead decides them);
// lead professional handover; shielding and unshielding the child; leaving.
import { useState } from 'preact/hooks';
import { api, ApiError, seg } from '../api';
import { navigate } from '../router';
import { useSession } from '../session';
import type { TabProps } from '../pages/Child';
import { formatDate } from '../format';
import { Button, check, FormErrors, SelectField, Success, TextArea, TableWrap, useProblems } from '../components/ui';
import { ReasonForm } from '../pages/Signposting';
import { ChildJoinRequests } from '../pages/JoinRequests';

/** Shield or unshield the child: an explicit act with a reason, alerted to the lead and managers. */
function Shield({ childId, account, reloadAccount, onDone }: TabProps & { onDone: (message: string) => void }) {
  const [open, setOpen] = useState(false);
  const shielded = account.child.shielded;
  return (
    <section class="kith-card" aria-labelledby="shield-h" data-testid="shield-section">
      <h3 class="govuk-heading-m" id="shield-h">{shielded ? 'Remove the shield' : 'Shield this child'}</h3>
      <p class="govuk-body">
        {shielded
          ? 'This child is shielded: outside the team, nobody sees the address, the carers, the agencies or the team, and the family portal names no agency. Remove the shield only when the risk has passed.'
          : 'Shield a child whose whereabouts must be kept from someone, for example a family fleeing domestic abuse: outside the team nobody will see the address, the carers, the agencies or the team, and the family portal will name no agency.'}{' '}
        The lead professional and the authority's managers are told at once.
      </p>
      {!open ? (
        <button type="button" class={`govuk-button${shielded ? ' govuk-button--warning' : ' govuk-button--secondary'}`} data-testid="shield-start" onClick={() => setOpen(true)}>
          {shielded ? 'Remove the shield' : 'Shield this child'}
        </button>
      ) : (
        <ReasonForm
          id="shield"
          label={shielded ? 'Why can the shield be removed?' : 'Why must this child be shielded?'}
          missing={shielded ? 'Enter why the shield can be removed' : 'Enter why this child must be shielded'}
          hint="At least 10 characters. This is recorded and the lead professional and managers see it."
          submitLabel={shielded ? 'Remove the shield' : 'Shield this child'}
          testid="shield-submit"
          onSubmit={async (reason) => {
            await api.post('/api/v1/children/{child_id}/shield', { child_id: childId }, { shielded: !shielded, reason });
            setOpen(false);
            onDone(shielded ? 'The shield is removed.' : 'This child is now shielded.');
            reloadAccount();
          }}
        />
      )}
    </section>
  );
}

function Handover({ childId, account, reloadAccount, onDone }: TabProps & { onDone: (message: string) => void }) {
  const { session } = useSession();
  const others = account.team.filter((m) => m.user_id !== session.user.id);
  const me = account.team.find((m) => m.user_id === session.user.id);
  const hasLead = account.team.some((m) => m.lead);
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  if (hasLead && !me?.lead) return null;
  const options: [string, string][] = (hasLead ? others : account.team).map((m) => [
    m.user_id,
    `${m.display_name} (${m.role}${m.user_id === session.user.id ? ', you' : ''})`,
  ]);
  return (
    <section class="kith-card" aria-labelledby="handover-h">
      <h3 class="govuk-heading-m" id="handover-h">
        {hasLead ? 'Hand over the lead professional role' : 'Choose a lead professional'}
      </h3>
      <FormErrors error={problems.error} errors={problems.errors} idPrefix="handover">
      {options.length === 0 ? (
        <p class="govuk-body">There is no one else on the team to hand over to.</p>
      ) : (
        <form
          noValidate
          data-testid="handover-form"
          onSubmit={async (e) => {
            e.preventDefault();
            const ok = problems.passes(check([
              ['user_id', !to && 'Choose the new lead professional'],
              ['reason', !reason.trim() && 'Enter the reason for the handover'],
            ]));
            if (!ok) return;
            setBusy(true);
            try {
              await api.post('/api/v1/children/{child_id}/lead', { child_id: childId }, { user_id: to, reason: reason.trim() });
              const who = account.team.find((m) => m.user_id === to)?.display_name ?? 'the new lead';
              onDone(`${who} is now the lead professional.`);
              setReason('');
              reloadAccount();
            } catch (err) {
              problems.fail(err);
            } finally {
              setBusy(false);
            }
          }}
        >
          <SelectField id="handover-user_id" label="New lead professional" value={to} onInput={setTo} options={options} emptyLabel="Choose a team member" required />
          <TextArea id="handover-reason" label="Reason for the handover" value={reason} onInput={setReason} rows={3} maxLength={500} required />
          <Button busy={busy} testid="handover">{hasLead ? 'Hand over' : 'Make lead professional'}</Button>
        </form>
      )}
      </FormErrors>
    </section>
  );
}

export function TeamTab(props: TabProps) {
  const { childId, account } = props;
  const { session } = useSession();
  const me = account.team.find((m) => m.user_id === session.user.id);
  const [leaving, setLeaving] = useState(false);
  const [message, setMessage] = useState('');
  return (
    <>
      {message && <Success>{message}</Success>}
      <section class="kith-card" aria-labelledby="members-h">
        <h3 class="govuk-heading-m" id="members-h">
          Team members
        </h3>
        <TableWrap label="Team members">
          <table class="govuk-table kith-table--stack" data-testid="team-table">
            <caption class="govuk-table__caption govuk-visually-hidden">The team around the child, with contact details</caption>
            <thead class="govuk-table__head">
              <tr class="govuk-table__row">
                <th scope="col" class="govuk-table__header">Name and role</th>
                <th scope="col" class="govuk-table__header">Agency</th>
                <th scope="col" class="govuk-table__header">Contact</th>
                <th scope="col" class="govuk-table__header">Joined, and why</th>
              </tr>
            </thead>
            <tbody class="govuk-table__body">
              {account.team.map((m) => (
                <tr class="govuk-table__row" key={m.user_id}>
                  <td class="govuk-table__cell">
                    <strong>{m.display_name}</strong>
                    {m.lead && <> <strong class="govuk-tag govuk-tag--green">Lead professional</strong></>}
                    <br />
                    {m.role}
                  </td>
                  <td class="govuk-table__cell">{m.agency?.name ?? ''}</td>
                  <td class="govuk-table__cell">
                    {m.phone}
                    {m.phone && m.email && <br />}
                    {m.email}
                  </td>
                  <td class="govuk-table__cell">
                    {formatDate(m.joined_at.slice(0, 10))}
                    <br />
                    <span class="kith-meta">{m.reason}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>
      {me && <ChildJoinRequests childId={childId} iAmLead={me.lead} onDecided={props.reloadAccount} />}
      <Handover {...props} onDone={setMessage} />
      {me && <Shield {...props} onDone={setMessage} />}
      {me && (
        <section class="kith-card" aria-labelledby="leave-h">
          <h3 class="govuk-heading-m" id="leave-h">
            Leave the team
          </h3>
          {me.lead ? (
            <p class="govuk-body">Hand over the lead professional role before you leave.</p>
          ) : !leaving ? (
            <button type="button" class="govuk-button govuk-button--secondary" onClick={() => setLeaving(true)}>
              Leave this child's team
            </button>
          ) : (
            <ReasonForm
              id="leave"
              label="Why are you leaving the team?"
              missing="Enter why you are leaving the team"
              hint="For example: the child has moved school. You will no longer see this account."
              submitLabel="Leave the team"
              onSubmit={async (reason) => {
                await api.post('/api/v1/children/{child_id}/team/leave', { child_id: childId }, { reason });
                navigate();
              }}
            />
          )}
        </section>
      )}
    </>
  );
}
