// Break-glass (docs/access.md): the "Emergency access" form on any child's signposting — a
// reason from the allowed list, an explanation, a time limit and the password or a second-factor
// code again, behind a clear warning — and the managers' list of break-glass uses to review as
// justified or not, and to end early. The server decides who may do what; refusals are shown
// as it words them.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, seg, type Body } from '../api';
import type { BreakGlass, BreakGlassReason } from '../types';
import { formatDateTime } from '../format';
import { Button, check, Checkbox, FormError, FormErrors, Loaded, Radios, reasonProblem, SelectField, Success, TextArea, TextField, useAsync, useProblems } from '../components/ui';

export const BREAK_GLASS_REASONS: [BreakGlassReason, string][] = [
  ['immediate_risk', 'The child is at immediate risk of significant harm'],
  ['child_protection_enquiry', 'A child protection (section 47) enquiry needs the record now'],
  ['missing_child', 'The child is missing and must be found'],
  ['medical_emergency', 'A medical emergency needs the record or the family\'s details'],
  ['court_or_police_requirement', 'A court order or police protection needs the record'],
];

const reasonLabel = (code: string) => BREAK_GLASS_REASONS.find(([c]) => c === code)?.[1] ?? code;

const DURATIONS: [string, string][] = [
  ['1', '1 hour'],
  ['2', '2 hours'],
  ['4', '4 hours (usual)'],
  ['8', '8 hours'],
  ['12', '12 hours'],
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

/** Break-glass on any child: granted at once, read-only, recorded, alerted and reviewed. */
export function BreakGlassForm({ childId, shielded, onGranted }: { childId: string; shielded: boolean; onGranted: (g: BreakGlass) => void | Promise<void> }) {
  const [code, setCode] = useState('');
  const [reason, setReason] = useState('');
  const [hours, setHours] = useState('4');
  const [how, setHow] = useState<'password' | 'code'>('password');
  const [secret, setSecret] = useState('');
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  return (
    <form
      noValidate
      data-testid="break-glass-form"
      onSubmit={async (e) => {
        e.preventDefault();
        // Everything the form can know at once, each on its own field (the API checks the same).
        const ok = problems.passes(check([
          ['reason_code', !code && 'Choose why you need emergency access'],
          ['reason', reasonProblem(reason, 'Enter what has happened and what you will do')],
          ['password', !secret && (how === 'password' ? 'Enter your password' : 'Enter the 6-digit code from your authenticator app')],
        ]));
        if (!ok) return;
        setBusy(true);
        try {
          const granted = await api.post(
            '/api/v1/children/{child_id}/break-glass',
            { child_id: childId },
            { reason_code: code as BreakGlassReason, reason: reason.trim(), duration_hours: Number(hours), [how]: secret },
            { quiet401: true },
          );
          await onGranted(granted);
        } catch (err) {
          problems.fail(err, { code: 'password' });
        } finally {
          setSecret('');
          setBusy(false);
        }
      }}
    >
      <WarningText>
        Use emergency access only if you need this child's record now to keep the child safe and cannot wait to be
        added to the team. {shielded ? 'This child is shielded, for example from someone they fled: you will see where the child lives. ' : ''}
        Your name, reason and everything you look at are recorded, the child's lead professional and the authority's
        managers are told at once, and a manager reviews whether it was justified.
      </WarningText>
      <FormErrors error={problems.error} errors={problems.errors} idPrefix="bg">
        <Radios id="bg-reason_code" legend="Why do you need emergency access?" value={code} onInput={setCode} small
          options={BREAK_GLASS_REASONS.map(([value, label]) => ({ value, label }))} />
        <TextArea id="bg-reason" label="Explain what has happened and what you will do" hint="At least 10 characters. Managers read this when they review your access." value={reason} onInput={setReason} rows={3} maxLength={500} />
        <SelectField id="bg-duration_hours" label="For how long" hint="Your access ends by itself at this time limit. You can read the record, not change it." value={hours} onInput={setHours} options={DURATIONS} />
        <SelectField id="bg-how" label="Confirm it is you with" value={how} onInput={(v) => setHow(v as 'password' | 'code')} options={[['password', 'My password'], ['code', 'A code from my authenticator app']]} />
        <TextField id="bg-password" label={how === 'password' ? 'Your password' : 'The 6-digit code'} hint="Emergency access needs this every time." type={how === 'password' ? 'password' : 'text'} autocomplete={how === 'password' ? 'current-password' : 'one-time-code'} value={secret} onInput={setSecret} width="20" />
      </FormErrors>
      <Button warning busy={busy} testid="break-glass-submit">Get emergency access</Button>
    </form>
  );
}

function ReviewForm({ o, onDone }: { o: BreakGlass; onDone: (o: BreakGlass) => void }) {
  const [note, setNote] = useState('');
  // Once reviewed, what is left to do is to end it early.
  const endOnly = o.reviewed_at !== null;
  const [end, setEnd] = useState(endOnly);
  const [justified, setJustified] = useState<'yes' | 'no' | ''>('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const id = `rv-${o.id}`;
  return (
    <form
      noValidate
      data-testid="break-glass-review-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        try {
          const body: Body<'/api/v1/break-glass/{break_glass_id}/review', 'post'> = { note: note.trim(), end };
          if (justified) body.justified = justified === 'yes';
          onDone(await api.post('/api/v1/break-glass/{break_glass_id}/review', { break_glass_id: o.id }, body));
        } catch (err) {
          setError(err as ApiError);
        } finally {
          setBusy(false);
        }
      }}
    >
      <FormError error={error} idPrefix={id} />
      {!endOnly && (
        <div class={`govuk-form-group${error?.field === 'justified' ? ' govuk-form-group--error' : ''}`}>
          <fieldset class="govuk-fieldset" id={`${id}-justified`}>
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Was this emergency access justified?</legend>
            {error?.field === 'justified' && <p class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {error.detail}</p>}
            <div class="govuk-radios govuk-radios--small govuk-radios--inline">
              {(['yes', 'no'] as const).map((v) => (
                <div class="govuk-radios__item" key={v}>
                  <input class="govuk-radios__input" id={`${id}-justified-${v}`} name={`${id}-justified`} type="radio" value={v} checked={justified === v} onChange={() => setJustified(v)} />
                  <label class="govuk-label govuk-radios__label" for={`${id}-justified-${v}`}>{v === 'yes' ? 'Yes, justified' : 'No, not justified'}</label>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
      )}
      <TextArea id={`${id}-note`} label={endOnly ? 'Why you are ending it' : 'Your review note'} hint="What you checked (at least 10 characters)." value={note} onInput={setNote} error={error?.field === 'note' ? error.detail : undefined} rows={2} maxLength={500} />
      {o.active && !endOnly && <Checkbox id={`${id}-end`} label="End this access now" hint="The practitioner loses access to the record at once." checked={end} onChange={setEnd} />}
      <Button busy={busy} warning={end} testid="break-glass-review-submit">{end ? 'Record the review and end the access' : 'Record the review'}</Button>
    </form>
  );
}

function status(o: BreakGlass): string {
  if (o.active) return `In force until ${formatDateTime(o.ends_at)}`;
  if (o.ended_early_at) return `Ended early ${formatDateTime(o.ended_early_at)}${o.ended_by ? ` by ${o.ended_by}` : ''}`;
  return `Expired ${formatDateTime(o.ends_at)}`;
}

/** Managers: the authority's break-glass uses to review, newest first. */
export function BreakGlassReviewPage() {
  const list = useAsync(() => api.get<{ break_glass: BreakGlass[] }>('/api/v1/break-glass'), []);
  const [done, setDone] = useState<string>();
  useEffect(() => {
    document.title = 'Emergency access reviews – Kith';
  }, []);
  const replace = (o: BreakGlass) => {
    if (!list.data) return;
    list.set({ break_glass: list.data.break_glass.map((x) => (x.id === o.id ? o : x)) });
    setDone(o.ended_early_at && !o.active ? `The emergency access to ${o.child_name}'s record is ended and your review recorded.` : `Your review of the emergency access to ${o.child_name}'s record is recorded.`);
  };
  return (
    <>
      <h1 class="govuk-heading-l">Emergency access reviews</h1>
      <p class="govuk-body">
        A practitioner who breaks the glass can read a child's record for a limited time without being on the team.
        Review every use: check the reason with the practitioner if needed, say whether it was justified, and end it
        early if it is no longer needed. Listed: every use not yet reviewed, and those in force or ended in the last 30
        days.
      </p>
      {done && <Success>{done}</Success>}
      <Loaded state={list} what="The emergency access uses">
        {(d) =>
          d.break_glass.length === 0 ? (
            <p class="govuk-body" data-testid="break-glass-empty">There is no emergency access to review.</p>
          ) : (
            <div data-testid="break-glass-list">
              {d.break_glass.map((o) => (
                <section class="kith-card govuk-!-margin-bottom-6" key={o.id} aria-labelledby={`bg-h-${o.id}`} data-testid="break-glass">
                  <h2 class="govuk-heading-m" id={`bg-h-${o.id}`}>
                    {o.child_name}{' '}
                    {o.active ? <strong class="govuk-tag govuk-tag--red">In force</strong> : <strong class="govuk-tag govuk-tag--grey">Ended</strong>}{' '}
                    {o.reviewed_at ? (
                      o.justified ? <strong class="govuk-tag govuk-tag--green">Justified</strong> : <strong class="govuk-tag govuk-tag--red">Not justified</strong>
                    ) : <strong class="govuk-tag govuk-tag--yellow">Not reviewed</strong>}
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
                          <span data-testid="break-glass-reason">{o.reason}</span>
                        </dd>
                      </div>
                      <div class="govuk-summary-list__row">
                        <dt class="govuk-summary-list__key">When</dt>
                        <dd class="govuk-summary-list__value">From {formatDateTime(o.starts_at)}. {status(o)}</dd>
                      </div>
                      <div class="govuk-summary-list__row">
                        <dt class="govuk-summary-list__key">What they read</dt>
                        <dd class="govuk-summary-list__value">
                          {o.reads === 1 ? '1 look at the record' : `${o.reads} looks at the record`}, each in the
                          child's audit trail
                        </dd>
                      </div>
                      {o.reviewed_at && (
                        <div class="govuk-summary-list__row">
                          <dt class="govuk-summary-list__key">Review</dt>
                          <dd class="govuk-summary-list__value">
                            {o.justified ? 'Justified' : 'Not justified'}: {o.reviewed_by}, {formatDateTime(o.reviewed_at)}: {o.review_note}
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
