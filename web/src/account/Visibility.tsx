// Who can see an entry or thread: the control on the entry and thread forms, and the tag shown
// on each entry. Restricting from the family needs a reason from the fixed list.
import type { FamilyVisibility } from '../types';
import { SelectField, TextArea } from '../components/ui';

export interface VisibilityChoice {
  visibility: '' | 'team' | 'team_and_family'; // '' = the authority's default for the type
  reason: string;
  text: string;
}

export const NO_CHOICE: VisibilityChoice = { visibility: '', reason: '', text: '' };

export const RESTRICTION_REASONS: [string, string][] = [
  ['risk_of_harm', 'Would put a child or adult at risk'],
  ['third_party', 'Third-party information'],
  ['police_investigation', 'Police investigation'],
  ['other', 'Other (say why)'],
];

/** The request fields for a choice (nothing for the default). */
export function visibilityBody(v: VisibilityChoice): Record<string, string> {
  if (!v.visibility) return {};
  const body: Record<string, string> = { visibility: v.visibility };
  if (v.visibility === 'team') {
    if (v.reason) body.restriction_reason = v.reason;
    if (v.text.trim()) body.restriction_text = v.text.trim();
  }
  return body;
}

export function VisibilityControl({
  id, value, onInput, unchangedLabel = "The authority's default for this type",
  hint = 'Families see what is shared with them in the family portal. The local authority sets the default for each type of entry.',
}: {
  id: string;
  value: VisibilityChoice;
  onInput: (v: VisibilityChoice) => void;
  /** What choosing nothing means: the default for something new, "as it is" for a correction. */
  unchangedLabel?: string;
  hint?: string;
}) {
  return (
    <div class="kith-visibility" data-testid={`${id}-visibility`}>
      <SelectField
        id={`${id}-visibility`}
        label="Who can see this"
        hint={hint}
        value={value.visibility}
        onInput={(v) => onInput({ ...value, visibility: v as VisibilityChoice['visibility'] })}
        options={[
          ['', unchangedLabel],
          ['team_and_family', 'The team and the family'],
          ['team', 'The team only (restrict from the family)'],
        ]}
      />
      {value.visibility === 'team' && (
        <>
          <SelectField
            id={`${id}-restriction_reason`}
            label="Why is this kept from the family?"
            hint="The lead professional reviews every restriction."
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
      )}
    </div>
  );
}

export function VisibilityTag({ value }: { value: FamilyVisibility | undefined }) {
  if (!value) return null;
  if (value.visibility === 'team_and_family') {
    return <strong class="govuk-tag govuk-tag--green" data-testid="visibility-tag">Shared with family</strong>;
  }
  if (value.review === 'pending') {
    return <strong class="govuk-tag govuk-tag--orange" data-testid="visibility-tag">Restricted from family, awaiting review</strong>;
  }
  return <strong class="govuk-tag govuk-tag--grey" data-testid="visibility-tag">Team only</strong>;
}
