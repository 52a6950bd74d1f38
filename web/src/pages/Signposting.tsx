// Signposting: who is involved with a child and how to contact them, shown after the
// practitioner states why they need to know (the reason is audited). From here a practitioner
// can ask to join the child's team, again with a reason (approved at once only when their agency
// is involved with the child; otherwise the lead professional decides), or in an emergency break
// the glass (BreakGlass.tsx).
import { useState } from 'preact/hooks';
import { api, ApiError, seg } from '../api';
import { href, navigate } from '../router';
import type { JoinRequest, Signposting } from '../types';
import { age, formatDate, formatDateTime, fullName } from '../format';
import { BreakGlassForm, WarningText } from './BreakGlass';
import { Button, check, FormError, FormErrors, Success, TextArea, TextField, TableWrap, useProblems } from '../components/ui';

export function ReasonForm({ id, label, missing, hint, submitLabel, onSubmit, initial, testid }: {
  id: string;
  label: string;
  /** The message when no reason is given, in plain words ("Enter why you are leaving the team"). */
  missing: string;
  hint: string;
  submitLabel: string;
  onSubmit: (reason: string) => Promise<void>;
  initial?: string;
  testid?: string;
}) {
  const [reason, setReason] = useState(initial ?? '');
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        if (!problems.passes(check([['reason', !reason.trim() && missing]]))) return;
        setBusy(true);
        try {
          await onSubmit(reason.trim());
        } catch (err) {
          problems.fail(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <FormErrors error={problems.error} errors={problems.errors} idPrefix={id}>
      <TextArea id={`${id}-reason`} label={label} hint={hint} value={reason} onInput={setReason} rows={3} maxLength={500} required />
      <Button busy={busy} testid={testid}>{submitLabel}</Button>
    </FormErrors>
</form>
  );
}

export function JoinTeamForm({ childId, shielded, onAnswered }: { childId: string; shielded?: boolean; onAnswered: (r: JoinRequest) => void }) {
  const [role, setRole] = useState('');
  const [reason, setReason] = useState('');
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  return (
    <form
      noValidate
      data-testid="join-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!problems.passes(check([
          ['role', !role.trim() && 'Enter your role with this child'],
          ['reason', !reason.trim() && "Enter why you need to join this child's team"],
        ]))) return;
        setBusy(true);
        try {
          onAnswered(await api.post('/api/v1/children/{child_id}/team', { child_id: childId }, { role: role.trim(), reason: reason.trim() }));
        } catch (err) {
          problems.fail(err);
          setBusy(false);
        }
      }}
    >
      <FormErrors error={problems.error} errors={problems.errors} idPrefix="join">
      {shielded && (
        <WarningText>This child is shielded: the lead professional decides your request, and the authority's managers are told who asked and why.</WarningText>
      )}
      <TextField id="join-role" label="Your role with this child" hint="For example: class teacher, school nurse" value={role} onInput={setRole} maxLength={100} required />
      <TextArea id="join-reason" label="Why you need to join this child's team" hint="This is recorded, and the team and whoever decides your request can see it." value={reason} onInput={setReason} rows={3} maxLength={500} required />
      <Button busy={busy} testid="join-team">Ask to join the team</Button>
    </FormErrors>
</form>
  );
}

function lowerFirst(text: string) {
  return text.charAt(0).toLowerCase() + text.slice(1);
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
            {s.shielded && s.break_glass ? (
              <>
                <strong class="govuk-tag govuk-tag--red">Emergency access</strong>{' '}
                <span data-testid="shielded-address">{[s.address, s.postcode].filter(Boolean).join(', ') || 'Not known'}</span>
              </>
            ) : s.shielded ? (
              <>
                <strong class="govuk-tag govuk-tag--grey">Shielded record</strong> The address is hidden.{' '}
                {s.contact_through ? `${s.contact_through}.` : 'Contact the agency below.'}
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
      {s.carers.length > 0 && (
        <>
          <h3 class="govuk-heading-s">Parents and carers</h3>
          <ul class="govuk-list" data-testid="carers">
            {s.carers.map((c, i) => (
              <li key={i}>
                <strong>{c.name}</strong>, {c.relationship}
                {c.phone && <> · Phone: {c.phone}</>}
                {c.email && <> · Email: {c.email}</>}
                {c.address && <> · {c.address}</>}
              </li>
            ))}
          </ul>
        </>
      )}
      {s.withheld && (
        <div class="govuk-inset-text" data-testid="withheld">
          <strong>Withheld: this child is shielded — {s.contact_through ? lowerFirst(s.contact_through) : 'contact through the local authority'}.</strong>
          {s.contact_broker && (
            <>
              <br />
              {[s.contact_broker.phone && `Phone: ${s.contact_broker.phone}`, s.contact_broker.email && `Email: ${s.contact_broker.email}`]
                .filter(Boolean)
                .join(' · ')}
            </>
          )}
          <br />
          The agencies involved and the lead professional's contact details are not shown, because they could reveal where the child
          is.
        </div>
      )}
      <h3 class="govuk-heading-s">Lead professional</h3>
      {s.withheld ? (
        <p class="govuk-body" data-testid="lead-contact">
          {s.has_lead_professional ? 'A lead professional is recorded. Withheld: this child is shielded.' : 'No lead professional is recorded.'}
        </p>
      ) : s.lead_professional ? (
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
      {!s.withheld && s.practitioners.length > 0 && (
        <>
          <h3 class="govuk-heading-s">Practitioners involved</h3>
          <ul class="govuk-list" data-testid="practitioners">
            {s.practitioners.map((m) => {
              const reach = [m.phone && `Phone: ${m.phone}`, m.email && `Email: ${m.email}`].filter(Boolean);
              return (
                <li key={m.user_id}>
                  <strong>{m.display_name}</strong>, {m.role}
                  {m.agency && <>, {m.agency.name}</>}
                  {m.user_id === s.lead_professional?.user_id && <> (lead professional)</>}
                  {reach.length > 0 && (
                    <>
                      <br />
                      {reach.join(' · ')}
                    </>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
      {s.contact_broker && !s.withheld && (
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
                    {s.withheld ? (
                      <>
                        {v.agency_kind_name && <>{v.agency_kind_name}<br /></>}
                        Withheld: this child is shielded — {s.contact_through ? lowerFirst(s.contact_through) : 'contact through the local authority'}
                      </>
                    ) : v.agency ? (
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

/** Where a request to join stands, for the practitioner who asked. */
function RequestSent({ r, onWithdrawn }: { r: JoinRequest; onWithdrawn: () => void }) {
  const [error, setError] = useState<ApiError>();
  return (
    <div data-testid="join-pending">
      <Success>
        Your request to join {r.child_name}'s team has been sent. The lead professional (or, without one, the children's
        social care duty team or a manager) decides it, and you will get an alert when they do. Until then you see
        only who is involved.
      </Success>
      <FormError error={error} idPrefix="withdraw" />
      <button
        type="button"
        class="govuk-button govuk-button--secondary"
        data-module="govuk-button"
        data-testid="join-withdraw"
        onClick={async () => {
          try {
            await api.post('/api/v1/children/{child_id}/join-requests/{request_id}/withdraw', { child_id: r.child_id, request_id: r.id }, {});
            onWithdrawn();
          } catch (err) {
            setError(err as ApiError);
          }
        }}
      >
        Withdraw my request
      </button>
    </div>
  );
}

/** Signposting for a child I am not on the team of: reason → details → ask to join, or break the glass. */
export function SignpostAndJoin({ childId, initialReason, onAccess }: { childId: string; initialReason?: string; onAccess?: () => void }) {
  const [s, setS] = useState<Signposting>();
  const [request, setRequest] = useState<JoinRequest>();
  const [breaking, setBreaking] = useState(false);
  const signpost = async (r: string) => setS(await api.post('/api/v1/children/{child_id}/signposting', { child_id: childId }, { reason: r }));
  // The caller may now open the account (joined, or broke the glass).
  const opened = () => {
    if (onAccess) onAccess();
    else navigate('children', childId);
  };
  if (request?.status === 'approved') {
    return (
      <Success>
        You have joined the team: your agency is recorded as working with this child.{' '}
        <a class="govuk-notification-banner__link" href={href('children', childId)}>Open the child's account</a>
      </Success>
    );
  }
  if (!s) {
    return (
      <ReasonForm
        id="signpost"
        label="Why do you need to see who is involved?"
        missing="Enter why you need to see who is involved"
        hint="For example: new to my class and I have a safeguarding concern. Your reason is recorded."
        submitLabel="Show who is involved"
        initial={initialReason}
        testid="signpost"
        onSubmit={signpost}
      />
    );
  }
  return (
    <>
      {s.break_glass && (
        <WarningText>
          You have emergency access to this child's record until {formatDateTime(s.break_glass.ends_at)}. Use it only for
          the reason you gave; the lead professional and the authority's managers have been told and a manager will review
          it. <a class="govuk-link" href={href('children', childId)}>Open the record</a>
        </WarningText>
      )}
      <SignpostingDetails s={s} />
      <h3 class="govuk-heading-m">Join this child's team</h3>
      {request?.status === 'pending' ? (
        <RequestSent r={request} onWithdrawn={() => setRequest(undefined)} />
      ) : (
        <>
          <p class="govuk-body">
            Ask to join if you work with this child. The team sees your role and reason. If your agency is recorded as
            working with the child you join at once; otherwise the lead professional decides.
          </p>
          <JoinTeamForm
            childId={childId}
            shielded={s.shielded}
            onAnswered={(r) => {
              setRequest(r);
              if (r.status === 'approved') opened();
            }}
          />
        </>
      )}
      {!s.break_glass && (
        <section aria-labelledby="break-glass-heading" data-testid="break-glass-section">
          <h3 class="govuk-heading-m" id="break-glass-heading">Emergency access</h3>
          {breaking ? (
            <BreakGlassForm
              childId={childId}
              shielded={s.shielded}
              onGranted={opened}
            />
          ) : (
            <>
              <p class="govuk-body">
                If a child is at risk now and you cannot wait for a decision, you can read this child's record for a
                limited time. {s.shielded && s.contact_through ? `${s.contact_through} first if you can.` : ''}
              </p>
              <Button warning type="button" onClick={() => setBreaking(true)} testid="break-glass-start">Break the glass</Button>
            </>
          )}
        </section>
      )}
    </>
  );
}
