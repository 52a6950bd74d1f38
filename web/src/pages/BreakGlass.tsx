// Shield overrides (docs/shielding.md): the "Override the shield" form on a shielded child's
// signposting — a reason from the allowed list, an explanation, a time limit and the password
// again, behind a clear warning — and the managers' list of overrides to review, mark reviewed
// with a note, or end early. The server decides who may do what; refusals are shown as it
// words them.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, seg } from '../api';
import type { ShieldOverride, ShieldOverrideReason } from '../types';
import { formatDateTime } from '../format';
import { Button, Checkbox, FormError, Loaded, SelectField, Success, TextArea, TextField, useAsync } from '../components/ui';

export const OVERRIDE_REASONS: [ShieldOverrideReason, string][] = [
  ['immediate_risk', 'The child is at immediate risk of significant harm'],
  ['child_protection_enquiry', 'A child protection (section 47) enquiry needs to reach the family'],
  ['missing_child', 'The child is missing and must be found'],
  ['medical_emergency', 'A medical emergency needs the family\'s details'],
  ['court_or_police_requirement', 'A court order or police protection needs the address'],
];

const reasonLabel = (code: string) => OVERRIDE_REASONS.find(([c]) => c === code)?.[1] ?? code;

const DURATIONS: [string, string][] = [
  ['1', '1 hour'],
  ['4', '4 hours'],
  ['8', '8 hours'],
  ['24', '24 hours (usual)'],
  ['72', '72 hours (the most allowed)'],
];

export function WarningText({ children }: { children: ComponentChildren }) {
  return (
    <div class="govuk-warning-text">
      <span class="govuk-warning-text__icon" aria-hidden="true">!</span>
      <strong class="govuk-warning-text__text">
        <span class="govuk-visually-hidden">Warning</span>
        {children}
      </strong>
    </div>
  );
}

/** Break-glass on a shielded child: granted at once, recorded, and reviewed by the authority. */
export function OverrideShieldForm({ childId, onGranted }: { childId: string; onGranted: (o: ShieldOverride) => void | Promise<void> }) {
  const [code, setCode] = useState('');
  const [reason, setReason] = useState('');
  const [hours, setHours] = useState('24');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const fieldError = (f: string) => (error?.field === f ? error.detail : undefined);
  return (
    <form
      noValidate
      data-testid="override-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!code) {
          setError(new ApiError({ status: 400, title: 'Choose a reason', detail: 'Choose why you need to override the shield.', code: 'invalid_input', field: 'reason_code' }));
          return;
        }
        setBusy(true);
        setError(undefined);
        try {
          const granted = await api.post<ShieldOverride>(
            `/api/v1/children/${seg(childId)}/shield-override`,
            { reason_code: code, reason: reason.trim(), duration_hours: Number(hours), password },
            { quiet401: true },
          );
          await onGranted(granted);
        } catch (err) {
          setError(err as ApiError);
        } finally {
          setPassword('');
          setBusy(false);
        }
      }}
    >
      <WarningText>
        This child's address and contacts are hidden to protect them, for example from someone they fled. Override the
        shield only if you need them now to keep the child safe. Your name, reason and every look are recorded, the
        authority's managers and the lead professional are told at once, and a manager reviews your override.
      </WarningText>
      <FormError error={error} idPrefix="ov" />
      <div class={`govuk-form-group${fieldError('reason_code') ? ' govuk-form-group--error' : ''}`}>
        <fieldset class="govuk-fieldset" id="ov-reason_code">
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Why do you need the shielded details?</legend>
          <div class="govuk-radios govuk-radios--small">
            {OVERRIDE_REASONS.map(([value, label]) => (
              <div class="govuk-radios__item" key={value}>
                <input class="govuk-radios__input" id={`ov-${value}`} name="reason_code" type="radio" value={value} checked={code === value} onChange={() => setCode(value)} />
                <label class="govuk-label govuk-radios__label" for={`ov-${value}`}>{label}</label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      <TextArea id="ov-reason" label="Explain what has happened and what you will do" hint="At least 10 characters. Managers read this when they review your override." value={reason} onInput={setReason} error={fieldError('reason')} rows={3} maxLength={500} />
      <SelectField id="ov-duration_hours" label="For how long" hint="Your access ends by itself at this time limit." value={hours} onInput={setHours} options={DURATIONS} error={fieldError('duration_hours')} />
      <TextField id="ov-password" label="Your password" hint="Overriding a shield needs your password again." type="password" autocomplete="current-password" value={password} onInput={setPassword} error={fieldError('password')} width="20" />
      <Button warning busy={busy} testid="override-submit">Override the shield</Button>
    </form>
  );
}

function ReviewForm({ o, onDone }: { o: ShieldOverride; onDone: (o: ShieldOverride) => void }) {
  const [note, setNote] = useState('');
  // Once reviewed, what is left to do is to end it early.
  const endOnly = o.reviewed_at !== null;
  const [end, setEnd] = useState(endOnly);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const id = `rv-${o.id}`;
  return (
    <form
      noValidate
      data-testid="override-review-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        try {
          onDone(await api.post<ShieldOverride>(`/api/v1/shield-overrides/${seg(o.id)}/review`, { note: note.trim(), end }));
        } catch (err) {
          setError(err as ApiError);
        } finally {
          setBusy(false);
        }
      }}
    >
      <FormError error={error} idPrefix={id} />
      <TextArea id={`${id}-note`} label={endOnly ? 'Why you are ending it' : 'Your review note'} hint="What you checked and whether the override was justified (at least 10 characters)." value={note} onInput={setNote} error={error?.field === 'note' ? error.detail : undefined} rows={2} maxLength={500} />
      {o.active && !endOnly && <Checkbox id={`${id}-end`} label="End this override now" hint="The practitioner loses the shielded details at once." checked={end} onChange={setEnd} />}
      <Button busy={busy} warning={end} testid="override-review-submit">{end ? 'Record the review and end the override' : 'Mark as reviewed'}</Button>
    </form>
  );
}

function status(o: ShieldOverride): string {
  if (o.active) return `In force until ${formatDateTime(o.ends_at)}`;
  if (o.ended_early_at) return `Ended early ${formatDateTime(o.ended_early_at)}${o.ended_by ? ` by ${o.ended_by}` : ''}`;
  return `Expired ${formatDateTime(o.ends_at)}`;
}

/** Managers: the authority's shield overrides to review, newest first. */
export function ShieldOverridesPage() {
  const list = useAsync(() => api.get<{ overrides: ShieldOverride[] }>('/api/v1/shield-overrides'), []);
  const [done, setDone] = useState<string>();
  useEffect(() => {
    document.title = 'Shield overrides – Kith';
  }, []);
  const replace = (o: ShieldOverride) => {
    if (!list.data) return;
    list.set({ overrides: list.data.overrides.map((x) => (x.id === o.id ? o : x)) });
    setDone(o.ended_early_at && !o.active ? `The override of ${o.child_name}'s shield is ended and your review recorded.` : `Your review of the override of ${o.child_name}'s shield is recorded.`);
  };
  return (
    <>
      <h1 class="govuk-heading-l">Shield overrides</h1>
      <p class="govuk-body">
        Practitioners who override a shielded child's shield see the child's address and carers' contacts until the time
        limit. Review every override: check the reason with the practitioner if needed, record what you found, and end it
        early if it is no longer needed. Listed: every override not yet reviewed, and those in force or ended in the last
        30 days.
      </p>
      {done && <Success>{done}</Success>}
      <Loaded state={list} what="The shield overrides">
        {(d) =>
          d.overrides.length === 0 ? (
            <p class="govuk-body" data-testid="overrides-empty">There are no shield overrides to review.</p>
          ) : (
            <div data-testid="overrides">
              {d.overrides.map((o) => (
                <section class="kith-card govuk-!-margin-bottom-6" key={o.id} aria-labelledby={`ov-h-${o.id}`} data-testid="override">
                  <h2 class="govuk-heading-m" id={`ov-h-${o.id}`}>
                    {o.child_name}{' '}
                    {o.active ? <strong class="govuk-tag govuk-tag--red">In force</strong> : <strong class="govuk-tag govuk-tag--grey">Ended</strong>}{' '}
                    {o.reviewed_at ? <strong class="govuk-tag govuk-tag--green">Reviewed</strong> : <strong class="govuk-tag govuk-tag--yellow">Not reviewed</strong>}
                  </h2>
                  <dl class="govuk-summary-list">
                      <div class="govuk-summary-list__row">
                        <dt class="govuk-summary-list__key">Who</dt>
                        <dd class="govuk-summary-list__value">{o.user_name}, {o.user_job_title}, {o.user_agency}</dd>
                      </div>
                      <div class="govuk-summary-list__row">
                        <dt class="govuk-summary-list__key">Why</dt>
                        <dd class="govuk-summary-list__value">
                          {reasonLabel(o.reason_code)}
                          <br />
                          <span data-testid="override-reason">{o.reason}</span>
                        </dd>
                      </div>
                      <div class="govuk-summary-list__row">
                        <dt class="govuk-summary-list__key">When</dt>
                        <dd class="govuk-summary-list__value">From {formatDateTime(o.starts_at)}. {status(o)}</dd>
                      </div>
                      {o.reviewed_at && (
                        <div class="govuk-summary-list__row">
                          <dt class="govuk-summary-list__key">Review</dt>
                          <dd class="govuk-summary-list__value">
                            {o.reviewed_by}, {formatDateTime(o.reviewed_at)}: {o.review_note}
                          </dd>
                        </div>
                      )}
                  </dl>
                  {(!o.reviewed_at || o.active) && <ReviewForm o={o} onDone={replace} />}
                </section>
              ))}
            </div>
          )
        }
      </Loaded>
    </>
  );
}
