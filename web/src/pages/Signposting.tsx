// Signposting: who is involved with a child and how to contact them, shown after the
// practitioner states why they need to know (the reason is audited). From here a practitioner
// can join the child's team, again with a reason.
import { useState } from 'preact/hooks';
import { api, ApiError, seg } from '../api';
import { href, navigate } from '../router';
import type { Signposting } from '../types';
import { age, formatDate, fullName } from '../format';
import { Button, FormError, Success, TextArea, TextField, TableWrap } from '../components/ui';

export function ReasonForm({ id, label, hint, submitLabel, onSubmit, initial, testid }: {
  id: string;
  label: string;
  hint: string;
  submitLabel: string;
  onSubmit: (reason: string) => Promise<void>;
  initial?: string;
  testid?: string;
}) {
  const [reason, setReason] = useState(initial ?? '');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        try {
          await onSubmit(reason.trim());
        } catch (err) {
          setError(err as ApiError);
        } finally {
          setBusy(false);
        }
      }}
    >
      <FormError error={error} idPrefix={id} />
      <TextArea id={`${id}-reason`} label={label} hint={hint} value={reason} onInput={setReason} rows={3} maxLength={500} required />
      <Button busy={busy} testid={testid}>{submitLabel}</Button>
    </form>
  );
}

export function JoinTeamForm({ childId, onJoined }: { childId: string; onJoined: () => void }) {
  const [role, setRole] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      noValidate
      data-testid="join-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        try {
          await api.post(`/api/v1/children/${seg(childId)}/team`, { role: role.trim(), reason: reason.trim() });
          onJoined();
        } catch (err) {
          setError(err as ApiError);
          setBusy(false);
        }
      }}
    >
      <FormError error={error} idPrefix="join" />
      <TextField id="join-role" label="Your role with this child" hint="For example: class teacher, school nurse" value={role} onInput={setRole} maxLength={100} required />
      <TextArea id="join-reason" label="Why you need to join this child's team" hint="This is recorded and the team can see it." value={reason} onInput={setReason} rows={3} maxLength={500} required />
      <Button busy={busy} testid="join-team">Join the team</Button>
    </form>
  );
}

export function SignpostingDetails({ s }: { s: Signposting }) {
  return (
    <div data-testid="signposting">
      <dl class="govuk-summary-list">
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Name</dt>
          <dd class="govuk-summary-list__value">{fullName(s)}</dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Date of birth</dt>
          <dd class="govuk-summary-list__value">
            {formatDate(s.date_of_birth)} ({age(s.date_of_birth)})
          </dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Address</dt>
          <dd class="govuk-summary-list__value">
            {s.shielded ? (
              <>
                <strong class="govuk-tag govuk-tag--grey">Shielded record</strong> The address is hidden. Contact the agency below.
              </>
            ) : (
              [s.address, s.postcode].filter(Boolean).join(', ') || 'Not known'
            )}
          </dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Early help assessment</dt>
          <dd class="govuk-summary-list__value">{s.early_help_assessment ? 'Yes, an assessment exists' : 'None recorded'}</dd>
        </div>
      </dl>
      <h3 class="govuk-heading-s">Lead professional</h3>
      {s.lead_professional ? (
        <p class="govuk-body" data-testid="lead-contact">
          <strong>{s.lead_professional.display_name}</strong>, {s.lead_professional.role}
          {s.lead_professional.agency && <>, {s.lead_professional.agency.name}</>}
          <br />
          {s.lead_professional.phone && <>Phone: {s.lead_professional.phone}<br /></>}
          {s.lead_professional.email && <>Email: {s.lead_professional.email}</>}
        </p>
      ) : (
        <p class="govuk-body">No lead professional is recorded.</p>
      )}
      {s.contact_broker && (
        <>
          <h3 class="govuk-heading-s">Contact through</h3>
          <p class="govuk-body">
            {s.contact_broker.name} · {s.contact_broker.phone}
          </p>
        </>
      )}
      <h3 class="govuk-heading-s">Services involved</h3>
      {s.services.length === 0 ? (
        <p class="govuk-body">No services are recorded.</p>
      ) : (
        <TableWrap label="Services involved">
          <table class="govuk-table kith-table--stack">
            <caption class="govuk-table__caption govuk-visually-hidden">Services involved with this child</caption>
            <thead class="govuk-table__head">
              <tr class="govuk-table__row">
                <th scope="col" class="govuk-table__header">Service</th>
                <th scope="col" class="govuk-table__header">Agency and contact</th>
                <th scope="col" class="govuk-table__header">Since</th>
              </tr>
            </thead>
            <tbody class="govuk-table__body">
              {s.services.map((v, i) => (
                <tr class="govuk-table__row" key={i}>
                  <td class="govuk-table__cell">{v.description || 'Service'}</td>
                  <td class="govuk-table__cell">
                    {v.agency ? (
                      <>
                        {v.agency.name}
                        <br />
                        {v.agency.phone}
                      </>
                    ) : (
                      'Not recorded'
                    )}
                  </td>
                  <td class="govuk-table__cell">
                    {formatDate(v.start)}
                    {v.end && <> to {formatDate(v.end)}</>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </div>
  );
}

/** Signposting for a child I am not on the team of: reason → details → optionally join. */
export function SignpostAndJoin({ childId, initialReason, onJoined }: { childId: string; initialReason?: string; onJoined?: () => void }) {
  const [s, setS] = useState<Signposting>();
  const [joined, setJoined] = useState(false);
  if (joined) {
    return (
      <Success>
        You have joined the team. <a class="govuk-notification-banner__link" href={href('children', childId)}>Open the child's account</a>
      </Success>
    );
  }
  if (!s) {
    return (
      <ReasonForm
        id="signpost"
        label="Why do you need to see who is involved?"
        hint="For example: new to my class and I have a safeguarding concern. Your reason is recorded."
        submitLabel="Show who is involved"
        initial={initialReason}
        testid="signpost"
        onSubmit={async (reason) => setS(await api.post<Signposting>(`/api/v1/children/${seg(childId)}/signposting`, { reason }))}
      />
    );
  }
  return (
    <>
      <SignpostingDetails s={s} />
      <h3 class="govuk-heading-m">Join this child's team</h3>
      <p class="govuk-body">Join if you work with this child. The team sees your role and reason, and you see the child's account.</p>
      <JoinTeamForm
        childId={childId}
        onJoined={() => {
          setJoined(true);
          if (onJoined) onJoined();
          else navigate('children', childId);
        }}
      />
    </>
  );
}
