// Requests to join a child's team (docs/access.md): the lead professional (or, without one, the
// duty team, or a manager) approves or declines each with a reason; the practitioner who asked
// sees where their requests stand. Used on the "Requests to join" page and the account's Team
// tab. The server decides who may decide; refusals are shown as it words them.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, seg } from '../api';
import { href } from '../router';
import type { JoinRequest } from '../types';
import { formatDateTime } from '../format';
import { Button, FormError, Loaded, Success, TextArea, useAsync } from '../components/ui';

const STATUS: Record<JoinRequest['status'], [string, string]> = {
  pending: ['Waiting for a decision', 'govuk-tag--yellow'],
  approved: ['Approved', 'govuk-tag--green'],
  declined: ['Declined', 'govuk-tag--red'],
  withdrawn: ['Withdrawn', 'govuk-tag--grey'],
};

export function StatusTag({ r }: { r: JoinRequest }) {
  const [label, tone] = STATUS[r.status];
  return <strong class={`govuk-tag ${tone}`}>{r.automatic ? 'Joined at once' : label}</strong>;
}

/** Approve or decline one pending request, with a reason the requester and the team see. */
export function DecideForm({ r, onDone }: { r: JoinRequest; onDone: (r: JoinRequest) => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const id = `decide-${r.id}`;
  const decide = async (approve: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      onDone(await api.post('/api/v1/children/{child_id}/join-requests/{request_id}/decision', { child_id: r.child_id, request_id: r.id }, { approve, reason: reason.trim() }));
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form noValidate data-testid="decide-form" onSubmit={(e) => e.preventDefault()}>
      <FormError error={error} idPrefix={id} />
      <TextArea id={`${id}-reason`} label="Reason for your decision" hint="At least 10 characters. The practitioner and the team see it." value={reason} onInput={setReason} error={error?.field === 'reason' ? error.detail : undefined} rows={2} maxLength={500} />
      <div class="govuk-button-group">
        <Button busy={busy} type="button" onClick={() => decide(true)} testid="join-approve">Approve</Button>
        <Button busy={busy} type="button" secondary onClick={() => decide(false)} testid="join-decline">Decline</Button>
      </div>
    </form>
  );
}

function RequestSummary({ r, showChild }: { r: JoinRequest; showChild: boolean }) {
  return (
    <dl class="govuk-summary-list">
      {showChild && (
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Child</dt>
          <dd class="govuk-summary-list__value">{r.child_name}</dd>
        </div>
      )}
      <div class="govuk-summary-list__row">
        <dt class="govuk-summary-list__key">Who asks</dt>
        <dd class="govuk-summary-list__value">
          {r.user_name}, {r.role}
          {r.user_agency && <>, {r.user_agency}</>}
        </dd>
      </div>
      <div class="govuk-summary-list__row">
        <dt class="govuk-summary-list__key">Why</dt>
        <dd class="govuk-summary-list__value" data-testid="join-reason">{r.reason}</dd>
      </div>
      <div class="govuk-summary-list__row">
        <dt class="govuk-summary-list__key">Asked</dt>
        <dd class="govuk-summary-list__value">
          {formatDateTime(r.created_at)}
          {r.escalated_at && <> · <strong class="govuk-tag govuk-tag--orange">Escalated to managers</strong></>}
        </dd>
      </div>
      {r.decided_at && r.status !== 'withdrawn' && (
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Decision</dt>
          <dd class="govuk-summary-list__value">
            {r.automatic
              ? 'Joined at once: their agency is recorded as working with the child.'
              : <>{STATUS[r.status][0]} by {r.decided_by}, {formatDateTime(r.decided_at)}: {r.decision_reason}</>}
          </dd>
        </div>
      )}
    </dl>
  );
}

/** The requests to join one child's team, for the Team tab; the lead decides pending ones here. */
export function ChildJoinRequests({ childId, iAmLead, onDecided }: { childId: string; iAmLead: boolean; onDecided: () => void }) {
  const list = useAsync(() => api.get<{ requests: JoinRequest[] }>(`/api/v1/children/${seg(childId)}/join-requests`), [childId]);
  const replace = (r: JoinRequest) => {
    if (list.data) list.set({ requests: list.data.requests.map((x) => (x.id === r.id ? r : x)) });
    onDecided();
  };
  return (
    <section class="kith-card" aria-labelledby="join-requests-h" data-testid="child-join-requests">
      <h3 class="govuk-heading-m" id="join-requests-h">Requests to join</h3>
      <Loaded state={list} what="The requests to join">
        {(d) =>
          d.requests.length === 0 ? (
            <p class="govuk-body">No one has asked to join this team.</p>
          ) : (
            <ul class="govuk-list">
              {d.requests.map((r) => (
                <li key={r.id} data-testid="join-request">
                  <StatusTag r={r} />
                  <RequestSummary r={r} showChild={false} />
                  {r.status === 'pending' && iAmLead && <DecideForm r={r} onDone={replace} />}
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}

/** Everything to decide, and one's own requests. */
export function JoinRequestsPage() {
  const inbox = useAsync(() => api.get<{ to_decide: JoinRequest[]; mine: JoinRequest[] }>('/api/v1/join-requests'), []);
  const [done, setDone] = useState<string>();
  useEffect(() => {
    document.title = 'Requests to join – Kith';
  }, []);
  const decided = (r: JoinRequest) => {
    if (!inbox.data) return;
    inbox.set({ ...inbox.data, to_decide: inbox.data.to_decide.filter((x) => x.id !== r.id) });
    setDone(`${r.user_name}'s request to join ${r.child_name}'s team is ${r.status}.`);
  };
  return (
    <>
      <h1 class="govuk-heading-l">Requests to join</h1>
      {done && <Success>{done}</Success>}
      <Loaded state={inbox} what="The requests to join">
        {(d) => (
          <>
            <h2 class="govuk-heading-m">To decide</h2>
            {d.to_decide.length === 0 ? (
              <p class="govuk-body" data-testid="to-decide-empty">There are no requests for you to decide.</p>
            ) : (
              <div data-testid="to-decide">
                {d.to_decide.map((r) => (
                  <section class="kith-card govuk-!-margin-bottom-6" key={r.id} aria-label={`Request by ${r.user_name}`} data-testid="join-request">
                    <RequestSummary r={r} showChild={true} />
                    <DecideForm r={r} onDone={decided} />
                  </section>
                ))}
              </div>
            )}
            <h2 class="govuk-heading-m">My requests</h2>
            {d.mine.length === 0 ? (
              <p class="govuk-body">You have not asked to join any team.</p>
            ) : (
              <ul class="govuk-list" data-testid="my-requests">
                {d.mine.map((r) => (
                  <li key={r.id}>
                    <a class="govuk-link" href={href('children', r.child_id)}>{r.child_name}</a> <StatusTag r={r} />
                    {r.decision_reason && <span class="kith-meta"> — {r.decision_reason}</span>}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </Loaded>
    </>
  );
}
