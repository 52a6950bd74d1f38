// Whether the family sees the early help assessment in the family portal, and the controls to keep
// it from them (a reason, reviewed by the lead professional) or share it again (a reason, and the
// agreement of the agency that restricted it). Like everything else, an assessment stays within
// the team until someone shares it (ADR 0017): the assessment's family_visibility says which.
import { useState } from 'preact/hooks';
import { api, seg } from '../api';
import type { EarlyHelpAssessment, FamilyRestriction } from '../types';
import { Success, useAsync } from '../components/ui';
import { KeepFromFamily, ShareWithFamily, VisibilityTag } from './Visibility';

export function FamilyShare({ childId, assessmentId, childName = 'the child' }: { childId: string; assessmentId: string; childName?: string }) {
  // The assessment says whether the family sees it; a restriction's row says why not and who must agree.
  const list = useAsync(() => Promise.all([
    api.get<{ restrictions: FamilyRestriction[] }>(`/api/v1/children/${seg(childId)}/restrictions`),
    api.get<EarlyHelpAssessment>(`/api/v1/children/${seg(childId)}/early-help/${seg(assessmentId)}`),
  ]), [childId, assessmentId]);
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState('');
  if (!list.data) return null; // not loaded, or not available to this reader: nothing to offer
  const [{ restrictions }, assessment] = list.data;
  const restriction = restrictions.find((r) => r.subject_id === assessmentId);
  const shown = restriction ?? assessment.family_visibility;
  const restricted = shown.visibility === 'team';
  const finish = (m: string) => {
    setDone(m);
    setOpen(false);
    list.reload();
  };
  return (
    <div class="kith-card" data-testid="eh-family-share">
      <h4 class="govuk-heading-s">The family portal</h4>
      <p class="govuk-body">
        <VisibilityTag value={shown} />{' '}
        {restricted
          ? 'The family does not see this assessment. Share it when it has been agreed with them.'
          : 'The family sees the version of record and the plan (never a draft).'}
      </p>
      {done && <Success>{done}</Success>}
      {!open && (
        <button type="button" class="govuk-button govuk-button--secondary" data-testid="eh-family-share-open" onClick={() => { setDone(''); setOpen(true); }}>
          {restricted ? 'Share with the family' : 'Keep from the family'}
        </button>
      )}
      {open && restricted && (
        <ShareWithFamily childId={childId} subjectId={assessmentId} title="Early help assessment" childName={childName} needs={restriction?.agreement_needed} onCancel={() => setOpen(false)} onDone={finish} />
      )}
      {open && !restricted && (
        <KeepFromFamily childId={childId} subjectId={assessmentId} title="Early help assessment" onCancel={() => setOpen(false)} onDone={finish} />
      )}
    </div>
  );
}
