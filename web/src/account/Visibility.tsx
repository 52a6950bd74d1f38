// Who sees an entry, thread or early help assessment: the choice on the forms (nothing goes to the
// family unless the practitioner chooses it, and the form says who will see it before saving),
// the tag on each entry, and the panels that share something the team holds back (a reason, and
// the agreement of the agency that recorded or restricted it) or keep something from the family.
import { useState } from 'preact/hooks';
import { api, seg, type Body } from '../api';
import type { FamilyVisibility, ReleaseOutcome } from '../types';
import { Button, check, FormErrors, Radios, SelectField, TextArea, useProblems, WarningText } from '../components/ui';

/** '' keeps the current visibility (corrections); 'restrict' holds it back with a reason. */
export type Choice = '' | 'team' | 'restrict' | 'team_and_family';

export interface VisibilityChoice {
  choice: Choice;
  reason: string;
  text: string;
}

/** New entries and threads: the team only until someone decides otherwise. */
export const TEAM_ONLY: VisibilityChoice = { choice: 'team', reason: '', text: '' };
/** Corrections: as it is. */
export const UNCHANGED: VisibilityChoice = { choice: '', reason: '', text: '' };

export const RESTRICTION_REASONS: [string, string][] = [
  ['risk_of_harm', 'Would put a child or adult at risk'],
  ['third_party', 'Third-party information'],
  ['police_investigation', 'Police investigation'],
  ['other', 'Other (say why)'],
];

/** Who may see something, as the contract's requests say it. */
type VisibilityFields = Body<'/api/v1/children/{child_id}/visibility/{subject_id}', 'put'>;
type RestrictionReason = NonNullable<VisibilityFields['restriction_reason']>;

/** The request fields for a choice (nothing when it is kept as it is). */
export function visibilityBody(v: VisibilityChoice): Partial<VisibilityFields> {
  switch (v.choice) {
    case '':
      return {};
    case 'team':
    case 'team_and_family':
      return { visibility: v.choice };
    case 'restrict': {
      const body: VisibilityFields = { visibility: 'team' };
      if (v.reason) body.restriction_reason = v.reason as RestrictionReason;
      if (v.text.trim()) body.restriction_text = v.text.trim();
      return body;
    }
  }
}

/** Whether the family would see it after saving, given what it is now (for corrections). */
export function familyWillSee(v: VisibilityChoice, current?: FamilyVisibility): boolean {
  if (v.choice === '') return current?.visibility === 'team_and_family';
  return v.choice === 'team_and_family';
}

export function VisibilityControl({ id, value, onInput, childName, what = 'entry', current }: {
  id: string;
  value: VisibilityChoice;
  onInput: (v: VisibilityChoice) => void;
  childName: string;
  what?: 'entry' | 'discussion';
  /** For a correction: the visibility now ("keep as it is" is then offered first). */
  current?: FamilyVisibility;
}) {
  const first = childName.split(' ')[0];
  const sharedNow = current?.visibility === 'team_and_family';
  const options = [
    ...(current
      ? [{ value: '', label: `Keep it as it is (${sharedNow ? `shared with ${first}'s family` : 'the team only'})` }]
      : []),
    {
      value: 'team',
      label: `Only the team around ${childName}`,
      hint: `${first}'s family will not see it. Your agency can share it later, saying why.`,
    },
    {
      value: 'restrict',
      label: 'Only the team, and it must be kept from the family',
      hint: 'Say why. The lead professional reviews it, and sharing it later needs your agency to agree.',
      conditional: (
        <>
          <SelectField
            id={`${id}-restriction_reason`}
            label="Why must the family not see it?"
            value={value.reason}
            onInput={(v) => onInput({ ...value, reason: v })}
            options={RESTRICTION_REASONS}
            emptyLabel="Choose a reason"
            required
          />
          {value.reason === 'other' && (
            <TextArea id={`${id}-restriction_text`} label="Describe the reason" value={value.text} onInput={(v) => onInput({ ...value, text: v })} rows={2} maxLength={1000} required />
          )}
        </>
      ),
    },
    // Sharing something the team holds back is a release (a reason, the holders' agreement).
    ...(current && !sharedNow
      ? []
      : [{
          value: 'team_and_family',
          label: `The team and ${first}'s family`,
          hint: `Parents, carers and the young person with a family portal account will see it.`,
          conditional: (
            <WarningText testid={`${id}-share-warning`}>
              Before sharing, check that it names nobody who could be put at risk, and holds nothing from a third party or another
              agency that they have not agreed to share.
            </WarningText>
          ),
        }]),
  ];
  return (
    <div class="kith-visibility" data-testid={`${id}-visibility`}>
      <Radios
        id={`${id}-visibility`}
        legend={`Who will see this ${what}?`}
        hint={current && !sharedNow ? `To share it with ${first}'s family, use "Share with the family" on the ${what}.` : undefined}
        value={value.choice}
        onInput={(v) => onInput({ ...value, choice: v as Choice })}
        options={options}
        small
      />
    </div>
  );
}

/** The plain sentence above the save button: who will see it once saved. */
export function WhoWillSee({ value, childName, current, testid }: { value: VisibilityChoice; childName: string; current?: FamilyVisibility; testid?: string }) {
  const first = childName.split(' ')[0];
  return (
    <p class="govuk-inset-text" data-testid={testid ?? 'who-will-see'}>
      {familyWillSee(value, current)
        ? <>Who will see this: <strong>the team around {childName} and {first}'s family</strong>.</>
        : <>Who will see this: <strong>only the team around {childName}</strong>. {first}'s family will not see it.</>}
    </p>
  );
}

export function VisibilityTag({ value }: { value: FamilyVisibility | undefined }) {
  if (!value) return null;
  if (value.visibility === 'team_and_family') {
    return <strong class="govuk-tag govuk-tag--green" data-testid="visibility-tag">Shared with family</strong>;
  }
  if (value.review === 'pending') {
    return <strong class="govuk-tag govuk-tag--orange" data-testid="visibility-tag">Kept from family, awaiting review</strong>;
  }
  if (value.restriction_reason) {
    return <strong class="govuk-tag govuk-tag--grey" data-testid="visibility-tag">Kept from family</strong>;
  }
  return <strong class="govuk-tag govuk-tag--grey" data-testid="visibility-tag">Team only</strong>;
}

/** What a release did, in words. */
export function releaseMessage(o: ReleaseOutcome, title: string): string {
  if (o.released) return `“${title}” is now shared with the family.`;
  const waiting = o.requests.filter((r) => r.status === 'pending').map((r) => r.agency_name);
  let text = `We have asked ${waiting.join(' and ')} to agree to share “${title}”. It stays within the team until they agree.`;
  for (const r of o.requests.filter((q) => q.status === 'pending' && !q.agency_on_team)) {
    text += r.told && r.told.length > 0
      ? ` Nobody from ${r.agency_name} is on the team: we have told ${r.told.join(' and ')} to ask to join the team and answer.`
      : ` Nobody from ${r.agency_name} is on the team and Kith has nobody there to tell: contact ${r.agency_name} and ask them to join the team to answer.`;
  }
  return text;
}

/**
 * Shares with the family something the team holds back: the reason is required, and when another
 * agency recorded or restricted it, that agency is asked to agree first.
 */
export function ShareWithFamily({ childId, subjectId, title, childName, onDone, onCancel, needs }: {
  childId: string;
  subjectId: string;
  title: string;
  childName: string;
  onDone: (message: string) => void;
  onCancel?: () => void;
  /** Agencies whose agreement is needed, when known. */
  needs?: string[];
}) {
  const [reason, setReason] = useState('');
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  const id = `share-${subjectId}`;
  const first = childName.split(' ')[0];
  return (
    <form
      noValidate
      class="kith-share"
      data-testid="share-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!problems.passes(check([['reason', !reason.trim() && `Enter why ${first}'s family should see this now`]]))) return;
        setBusy(true);
        try {
          const o = await api.post('/api/v1/children/{child_id}/visibility/{subject_id}/release', { child_id: childId, subject_id: subjectId }, { reason: reason.trim() });
          onDone(releaseMessage(o, title));
        } catch (err) {
          problems.fail(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <FormErrors error={problems.error} errors={problems.errors} idPrefix={id}>
      <h4 class="govuk-heading-s">Share “{title}” with {first}'s family</h4>
      <p class="govuk-body">
        {first}'s parents, carers and the young person with a family portal account will see it.
        {needs && needs.length > 0
          ? ` ${needs.join(' and ')} must agree first: we will ask them.`
          : ' If another agency recorded it or kept it from the family, we will ask them to agree first.'}
      </p>
      <TextArea id={`${id}-reason`} label={`Why should ${first}'s family see it now?`} hint="This is kept with the record and shown to the agency asked to agree." value={reason} onInput={setReason} rows={3} maxLength={1000} required />
      <div class="govuk-button-group">
        <Button busy={busy} testid="share-submit">{needs && needs.length > 0 ? 'Ask them to agree' : 'Share with the family'}</Button>
        {onCancel && <button type="button" class="govuk-button govuk-button--secondary" onClick={onCancel}>Cancel</button>}
      </div>
      </FormErrors>
    </form>
  );
}

/** Keeps from the family something that is shared (or within the team), with a reason. */
export function KeepFromFamily({ childId, subjectId, title, onDone, onCancel }: {
  childId: string;
  subjectId: string;
  title: string;
  onDone: (message: string) => void;
  onCancel?: () => void;
}) {
  const [choice, setChoice] = useState<VisibilityChoice>({ choice: 'restrict', reason: '', text: '' });
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  const id = `keep-${subjectId}`;
  return (
    <form
      noValidate
      data-testid="keep-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const ok = problems.passes(check([
          ['restriction_reason', !choice.reason && 'Choose why the family must not see it'],
          ['restriction_text', choice.reason === 'other' && !choice.text.trim() && 'Describe why the family must not see it'],
        ]));
        if (!ok) return;
        setBusy(true);
        try {
          await api.put('/api/v1/children/{child_id}/visibility/{subject_id}', { child_id: childId, subject_id: subjectId }, { visibility: 'team', ...visibilityBody(choice) });
          onDone(`“${title}” is kept from the family. The lead professional will review it.`);
        } catch (err) {
          problems.fail(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <FormErrors error={problems.error} errors={problems.errors} idPrefix={id}>
      <SelectField
        id={`${id}-restriction_reason`}
        label={`Why must the family not see “${title}”?`}
        hint="The lead professional reviews it."
        value={choice.reason}
        onInput={(v) => setChoice({ ...choice, reason: v })}
        options={RESTRICTION_REASONS}
        emptyLabel="Choose a reason"
        required
      />
      {choice.reason === 'other' && (
        <TextArea id={`${id}-restriction_text`} label="Describe the reason" value={choice.text} onInput={(v) => setChoice({ ...choice, text: v })} rows={2} maxLength={1000} required />
      )}
      <div class="govuk-button-group">
        <Button busy={busy} warning testid="keep-submit">Keep it from the family</Button>
        {onCancel && <button type="button" class="govuk-button govuk-button--secondary" onClick={onCancel}>Cancel</button>}
      </div>
      </FormErrors>
    </form>
  );
}

