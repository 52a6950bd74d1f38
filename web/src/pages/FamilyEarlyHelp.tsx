// The family's view of the child's early help assessment (issues 5 and 7): the version of record
// in plain language section by section, the meetings of the team around the child, the plan with
// who is doing what by when, the reviews and the closure. Drafts never reach this page (the
// server leaves them out), nor assessments the team has restricted from the family. The family
// adds its view on an assessment as its own entry (a response or a disagreement about it); the
// team sees it on the Early help tab and nobody can change it.
import { useState } from 'preact/hooks';
import { api, ApiError, seg, type Body } from '../api';
import type { FamilyAssessment } from '../types';
import { formatDate, formatDateTime } from '../format';
import { Button, FormErrors, check, useProblems, SelectField, TextArea } from '../components/ui';

const STATUS: Record<string, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  done: 'Done',
  cancelled: 'Cancelled',
};
const PROGRESS: Record<string, string> = {
  worse: 'Worse',
  no_change: 'No change',
  some_progress: 'Some progress',
  met: 'Met',
};

function Text({ label, text }: { label: string; text: string }) {
  if (!text) return null;
  return (
    <div class="govuk-summary-list__row">
      <dt class="govuk-summary-list__key">{label}</dt>
      <dd class="govuk-summary-list__value">{text}</dd>
    </div>
  );
}

function AddAssessmentView({ childId, a, onAdded }: { childId: string; a: FamilyAssessment; onAdded: () => void }) {
  const [kind, setKind] = useState('response');
  const [text, setText] = useState('');
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  const id = `eh-view-${a.id}`;
  return (
    <form
      noValidate
      data-testid="family-assessment-view-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!problems.passes(check([['text', !text.trim() && 'Write what you want the team to know about the assessment']]))) return;
        setBusy(true);
        try {
          await api.post('/api/v1/family/children/{child_id}/entries', { child_id: childId }, { kind: kind as Body<'/api/v1/family/children/{child_id}/entries', 'post'>['kind'], about_entry_id: a.id, text: text.trim() });
          setText('');
          onAdded();
        } catch (err) {
          problems.fail(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h4 class="govuk-heading-s">Your view on this assessment</h4>
      <FormErrors error={problems.error} errors={problems.errors} idPrefix={id}>
      <SelectField id={`${id}-kind`} label="What would you like to say?" value={kind} onInput={setKind} options={[['response', 'My view on the assessment or the plan'], ['disagreement', 'I disagree with part of it, and here is why']]} />
      <TextArea id={`${id}-text`} label="Your words about the assessment" hint="Say which part you mean. The team reads this and can take it into the next version." value={text} onInput={setText} rows={4} maxLength={10000} required />
      <Button busy={busy} testid="add-assessment-view">Send my view to the team</Button>
    </FormErrors>
</form>
  );
}

function Assessment({ a, childId, onAdded }: { a: FamilyAssessment; childId: string; onAdded: () => void }) {
  const c = a.content;
  const need = (id: string | null) => c.agreed_needs.find((n) => n.id === id)?.text;
  return (
    <div data-testid="family-assessment">
      <p class="govuk-body">
        Version {a.version}, agreed on {formatDateTime(a.completed_at)}. Lead professional (your main contact): {a.lead_professional_name}.
      </p>
      {a.outcome_label && (
        <p class="govuk-body" data-testid="family-assessment-closed">
          Closed{a.closed_at ? ` on ${formatDateTime(a.closed_at)}` : ''}: {a.outcome_label}. {a.closure_summary}
        </p>
      )}
      {c.elements.map((e) => (
        <div key={e.code}>
          <h4 class="govuk-heading-s">{a.element_labels[e.code] ?? e.code}</h4>
          <dl class="govuk-summary-list">
            <Text label="What is going well" text={e.strengths} />
            <Text label="What needs to change" text={e.needs} />
            <Text label="Your family's view" text={e.family_view} />
          </dl>
        </div>
      ))}
      <h4 class="govuk-heading-s">Views and what was agreed</h4>
      <dl class="govuk-summary-list">
        <Text label="The child's view" text={c.child_view} />
        <Text label="The parents' view" text={c.parents_view} />
        <Text label="Conclusion" text={c.conclusion} />
      </dl>
      <ul class="govuk-list govuk-list--bullet" data-testid="family-needs">
        {c.agreed_needs.map((n) => <li key={n.id}>{n.text}</li>)}
      </ul>
      {a.meetings.length > 0 && (
        <>
          <h4 class="govuk-heading-s">Meetings of the team around the child</h4>
          <ul class="govuk-list">
            {a.meetings.map((m, i) => <li key={i}><strong>{formatDate(m.held_on)}</strong>: {m.decisions}</li>)}
          </ul>
        </>
      )}
      {a.actions.length > 0 && (
        <>
          <h4 class="govuk-heading-s">The plan: who is doing what</h4>
          <ul class="govuk-list" data-testid="family-plan">
            {a.actions.map((x, i) => (
              <li key={i}>
                <strong>{x.description}</strong>
                {need(x.need_id) && <> (for: {need(x.need_id)})</>}
                <br />
                {x.owner_name}, {x.owner_agency} · by {formatDate(x.due_on)} · {STATUS[x.status] ?? x.status}
                {x.overdue && <strong> · late</strong>}
              </li>
            ))}
          </ul>
        </>
      )}
      {a.reviews.length > 0 && (
        <>
          <h4 class="govuk-heading-s">Reviews</h4>
          {a.reviews.map((r, i) => (
            <div key={i}>
              <p class="govuk-body"><strong>{formatDate(r.held_on)}</strong>: {r.summary}</p>
              <ul class="govuk-list">
                {r.progress.map((p) => (
                  <li key={p.need_id}>{need(p.need_id) ?? p.need_id}: {PROGRESS[p.progress] ?? p.progress}{p.note ? ` (${p.note})` : ''}</li>
                ))}
              </ul>
            </div>
          ))}
        </>
      )}
      <AddAssessmentView childId={childId} a={a} onAdded={onAdded} />
    </div>
  );
}

export function FamilyEarlyHelp({ childId, assessments, onAdded }: { childId: string; assessments: FamilyAssessment[]; onAdded: () => void }) {
  if (assessments.length === 0) return null;
  return (
    <section class="kith-card" aria-labelledby="early-help-h">
      <h2 class="govuk-heading-m" id="early-help-h">Early help assessment and plan</h2>
      <p class="govuk-body">What you and the team agreed your family needs, and the plan to help. Drafts the team is still working on are not shown.</p>
      {assessments.map((a) => <Assessment key={a.id} a={a} childId={childId} onAdded={onAdded} />)}
    </section>
  );
}
