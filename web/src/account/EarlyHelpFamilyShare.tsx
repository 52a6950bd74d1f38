// Whether the family sees the early help assessment in the family portal, and the controls to keep
// it from them (a reason, reviewed by the lead professional) or share it again (a reason, and the
// agreement of the agency that restricted it). Assessments are shared unless restricted
// (docs/early-help.md), so no restriction row means shared.
import { useState } from 'preact/hooks';
import { api, seg } from '../api';
import type { FamilyRestriction } from '../types';
import { Success, useAsync } from '../components/ui';
import { KeepFromFamily, ShareWithFamily, VisibilityTag } from './Visibility';

export function FamilyShare({ childId, assessmentId, childName = 'the child' }: { childId: string; assessmentId: string; childName?: string }) {
  const list = useAsync(() => api.get<{ restrictions: FamilyRestriction[] }>(`/api/v1/children/${seg(childId)}/restrictions`), [childId]);
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState('');
  if (!list.data) return null; // not loaded, or not available to this reader: nothing to offer
  const row = list.data.restrictions.find((r) => r.subject_id === assessmentId);
  const restricted = row?.visibility === 'team';
  const finish = (m: string) => {
    setDone(m);
    setOpen(false);
    list.reload();
  };
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
      {!open && (
        <button type="button" class="govuk-button govuk-button--secondary" data-testid="eh-family-share-open" onClick={() => { setDone(''); setOpen(true); }}>
          {restricted ? 'Share with the family' : 'Keep from the family'}
        </button>
      )}
      {open && restricted && (
        <ShareWithFamily childId={childId} subjectId={assessmentId} title="Early help assessment" childName={childName} needs={row?.agreement_needed} onCancel={() => setOpen(false)} onDone={finish} />
      )}
      {open && !restricted && (
        <KeepFromFamily childId={childId} subjectId={assessmentId} title="Early help assessment" onCancel={() => setOpen(false)} onDone={finish} />
      )}
    </div>
  );
}
