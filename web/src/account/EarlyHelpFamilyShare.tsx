// Whether the family sees the early help assessment in the family portal, and the control to
// restrict it (with a reason, reviewed by the lead professional) or share it again. Assessments
// are shared unless restricted (docs/early-help.md), so no restriction row means shared. The
// control is the chronology entry form's (VisibilityControl); it calls
// PUT /api/v1/children/{id}/visibility/{assessment id}.
import { useState } from 'preact/hooks';
import { api, ApiError, seg } from '../api';
import type { FamilyRestriction } from '../types';
import { Button, FormError, Success, useAsync } from '../components/ui';
import { NO_CHOICE, VisibilityControl, VisibilityTag, visibilityBody, type VisibilityChoice } from './Visibility';

export function FamilyShare({ childId, assessmentId }: { childId: string; assessmentId: string }) {
  const list = useAsync(() => api.get<{ restrictions: FamilyRestriction[] }>(`/api/v1/children/${seg(childId)}/restrictions`), [childId]);
  const [choice, setChoice] = useState<VisibilityChoice>(NO_CHOICE);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  if (!list.data) return null; // not loaded, or not available to this reader: nothing to offer
  const row = list.data.restrictions.find((r) => r.subject_id === assessmentId);
  const restricted = row?.visibility === 'team';
  const id = `eh-share-${assessmentId}`;
  return (
    <div class="kith-card" data-testid="eh-family-share">
      <h4 class="govuk-heading-s">The family portal</h4>
      <p class="govuk-body">
        <VisibilityTag value={row ?? { visibility: 'team_and_family', restriction_reason: null, restriction_text: '', review: 'none' }} />{' '}
        {restricted
          ? 'The family does not see this assessment.'
          : 'The family sees the version of record and the plan (never a draft).'}
      </p>
      {done && <Success>{done}</Success>}
      <FormError error={error} idPrefix={id} />
      <form noValidate onSubmit={async (e) => {
        e.preventDefault();
        if (!choice.visibility) return;
        setBusy(true);
        setError(undefined);
        try {
          await api.put(`/api/v1/children/${seg(childId)}/visibility/${seg(assessmentId)}`, visibilityBody(choice));
          setDone(choice.visibility === 'team' ? 'Restricted from the family. The lead professional will review it.' : 'Shared with the family.');
          setChoice(NO_CHOICE);
          list.reload();
        } catch (x) {
          setError(x as ApiError);
        } finally {
          setBusy(false);
        }
      }}>
        <VisibilityControl id={id} value={choice} onInput={setChoice} unchangedLabel="As it is" hint="An early help assessment is shared with the family unless the team restricts it." />
        <Button type="submit" busy={busy} secondary testid="eh-family-share-save">Save who can see it</Button>
      </form>
    </div>
  );
}
