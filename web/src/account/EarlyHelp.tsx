// Early help: the early help assessment (eCAF) in the CAF structure and the Team Around the
// Child's work that follows it — the form by section, complete and lock, versions, TAC meetings,
// the action plan (overdue actions highlighted), reviews, lead professional handover and closure.
// Only the team sees this tab's content; the server refuses anyone else.
import { useState } from 'preact/hooks';
import { api, ApiError, seg, type Body } from '../api';
import type { TabProps } from '../pages/Child';
import { useSession } from '../session';
import type {
  EarlyHelpAction, EarlyHelpAssessment, EarlyHelpList, EarlyHelpContent, EarlyHelpElement, EarlyHelpElementInfo, EarlyHelpVersion, FamilyEntry, Member,
} from '../types';
import { formatDate, formatDateTime, todayIso } from '../format';
import { FamilyShare } from './EarlyHelpFamilyShare';
import { Button, check, DateField, dateProblem, FormError, FormErrors, Loaded, SelectField, Success, TableWrap, TextArea, TextField, useAsync } from '../components/ui';

/** The assessment a state change is about: the path parameters of its routes. */
type AssessmentAt = { child_id: string; assessment_id: string };

type ListData = EarlyHelpList;

export const STAGES: Record<string, [string, string]> = {
  draft: ['Draft', 'govuk-tag--grey'],
  completed: ['Completed', 'govuk-tag--blue'],
  plan: ['Plan in place', 'govuk-tag--green'],
  review: ['Under review', 'govuk-tag--purple'],
  closed: ['Closed', 'govuk-tag--grey'],
};

const ACTION_STATUSES: [string, string][] = [
  ['not_started', 'Not started'],
  ['in_progress', 'In progress'],
  ['done', 'Done'],
  ['cancelled', 'Cancelled'],
];

const PROGRESS: [string, string][] = [
  ['worse', 'Worse'],
  ['no_change', 'No change'],
  ['some_progress', 'Some progress'],
  ['met', 'Met'],
];

const OUTCOMES: [string, string][] = [
  ['needs_met', 'Needs met'],
  ['stepped_up', "Stepped up to children's social care"],
  ['stepped_down', 'Stepped down to universal services'],
  ['moved_away', 'Moved away'],
];

const label = (list: [string, string][], code: string) => list.find(([k]) => k === code)?.[1] ?? code;

/**
 * Runs one request at a time for a form, keeping its problems and busy state: `found` holds the
 * form's own checks (field → message, see check()); with any, nothing is sent.
 */
function useAct() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const run = async (fn: () => Promise<void>, found: Record<string, string> = {}) => {
    setErrors(found);
    setError(undefined);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await fn();
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, errors, run };
}

function StageTag({ stage }: { stage: string }) {
  const [text, cls] = STAGES[stage] ?? [stage, 'govuk-tag--grey'];
  return <strong class={`govuk-tag ${cls}`} data-testid="eh-stage">{text}</strong>;
}

function emptyContent(): EarlyHelpContent {
  return { consent: { given_by: '', given_on: null, lawful_basis: '' }, elements: [], child_view: '', parents_view: '', conclusion: '', agreed_needs: [] };
}

function memberOptions(team: Member[]): [string, string][] {
  return team.map((m) => [m.user_id, `${m.display_name} (${m.role})`]);
}

function groupByDomain(elements: EarlyHelpElementInfo[]) {
  const groups: { domain: string; label: string; items: EarlyHelpElementInfo[] }[] = [];
  for (const e of elements) {
    let g = groups.find((x) => x.domain === e.domain);
    if (!g) groups.push((g = { domain: e.domain, label: e.domain_label, items: [] }));
    g.items.push(e);
  }
  return groups;
}

// --- The assessment: the form by section, and the read-only view of a locked version -----------

function ElementFields({ info, value, onChange }: { info: EarlyHelpElementInfo; value: EarlyHelpElement; onChange: (e: EarlyHelpElement) => void }) {
  const filled = [value.strengths, value.needs, value.family_view].filter((t) => t.trim()).length;
  const id = `eh-elements_${info.code}`;
  return (
    <details class="govuk-details kith-eh-element" data-testid={`eh-element-${info.code}`}>
      <summary class="govuk-details__summary">
        <span class="govuk-details__summary-text">{info.label}</span>
        {filled > 0 && <span class="kith-meta"> · {filled} of 3 written</span>}
      </summary>
      <div class="govuk-details__text">
        <TextArea id={`${id}_strengths`} label="Strengths" value={value.strengths} onInput={(v) => onChange({ ...value, strengths: v })} rows={3} />
        <TextArea id={`${id}_needs`} label="Needs" value={value.needs} onInput={(v) => onChange({ ...value, needs: v })} rows={3} />
        <TextArea id={`${id}_family_view`} label="The family's view" value={value.family_view} onInput={(v) => onChange({ ...value, family_view: v })} rows={3} />
      </div>
    </details>
  );
}

function DraftForm({ childId, assessment, elements, onSaved }: { childId: string; assessment: EarlyHelpAssessment; elements: EarlyHelpElementInfo[]; onSaved: (a: EarlyHelpAssessment, message: string) => void }) {
  const draft = assessment.versions[assessment.versions.length - 1];
  const [c, setC] = useState<EarlyHelpContent>(() => structuredClone(draft.content));
  const act = useAct();
  const base: AssessmentAt = { child_id: childId, assessment_id: assessment.id };
  const element = (code: string): EarlyHelpElement => c.elements.find((e) => e.code === code) ?? { code, strengths: '', needs: '', family_view: '' };
  const setElement = (e: EarlyHelpElement) => setC({ ...c, elements: [...c.elements.filter((x) => x.code !== e.code), e] });
  // The revision this form last saw: a save that succeeds before a refused completion moves it on.
  const [revision, setRevision] = useState(assessment.revision);
  const consentChecks = () => check([['consent_given_on', dateProblem(c.consent.given_on ?? '', 'the date consent was given', { notFuture: true })]]);
  const save = async () => {
    const saved = await api.put('/api/v1/children/{child_id}/early-help/{assessment_id}/draft', base, { revision, content: { ...c, consent: { ...c.consent, given_on: c.consent.given_on || null } } });
    setRevision(saved.revision);
    return saved;
  };
  return (
    <form noValidate data-testid="eh-draft-form" onSubmit={(e) => e.preventDefault()}>
      <FormErrors error={act.error} errors={act.errors} idPrefix="eh">
      <p class="govuk-body">
        Version {draft.number}, a draft. Save as you go; completing it locks it, and later changes become a new version.
      </p>
      <fieldset class="govuk-fieldset kith-card" id="eh-consent" tabIndex={-1}>
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Consent</legend>
        <p class="govuk-hint">Who agreed to the assessment and when, or the lawful basis for going ahead without consent.</p>
        <TextField id="eh-consent_given_by" label="Consent given by" hint="Name and relationship to the child" value={c.consent.given_by} onInput={(v) => setC({ ...c, consent: { ...c.consent, given_by: v } })} maxLength={300} />
        <DateField id="eh-consent_given_on" label="Date consent was given" value={c.consent.given_on ?? ''} onInput={(v) => setC({ ...c, consent: { ...c.consent, given_on: v } })} />
        <TextArea id="eh-consent_lawful_basis" label="Lawful basis without consent (if any)" value={c.consent.lawful_basis} onInput={(v) => setC({ ...c, consent: { ...c.consent, lawful_basis: v } })} rows={2} />
      </fieldset>
      {groupByDomain(elements).map((g) => (
        <fieldset class="govuk-fieldset kith-card" key={g.domain} data-testid={`eh-domain-${g.domain}`}>
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">{g.label}</legend>
          {g.items.map((info) => <ElementFields key={info.code} info={info} value={element(info.code)} onChange={setElement} />)}
        </fieldset>
      ))}
      <fieldset class="govuk-fieldset kith-card">
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Views and conclusion</legend>
        <TextArea id="eh-child_view" label="The child's view" value={c.child_view} onInput={(v) => setC({ ...c, child_view: v })} rows={3} />
        <TextArea id="eh-parents_view" label="The parents' or carers' view" value={c.parents_view} onInput={(v) => setC({ ...c, parents_view: v })} rows={3} />
        <TextArea id="eh-conclusion" label="Conclusion" value={c.conclusion} onInput={(v) => setC({ ...c, conclusion: v })} rows={4} />
      </fieldset>
      <fieldset class="govuk-fieldset kith-card" id="eh-agreed_needs" tabIndex={-1}>
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Agreed needs</legend>
        <p class="govuk-hint">What the family and the team agree must change. The plan and reviews refer to these.</p>
        {c.agreed_needs.map((n, i) => (
          <div class="kith-eh-need" key={n.id ?? `new-${i}`}>
            <TextField id={`eh-need-${i}`} label={`Need ${i + 1}`} value={n.text} maxLength={300}
              onInput={(v) => setC({ ...c, agreed_needs: c.agreed_needs.map((x, j) => (j === i ? { ...x, text: v } : x)) })} />
            <button type="button" class="kith-link-button" onClick={() => setC({ ...c, agreed_needs: c.agreed_needs.filter((_, j) => j !== i) })}>
              Remove<span class="govuk-visually-hidden"> need {i + 1}</span>
            </button>
          </div>
        ))}
        <button type="button" class="govuk-button govuk-button--secondary" data-testid="eh-add-need" onClick={() => setC({ ...c, agreed_needs: [...c.agreed_needs, { text: '' }] })}>
          Add a need
        </button>
      </fieldset>
      <div class="govuk-button-group">
        <Button type="button" secondary busy={act.busy} testid="eh-save" onClick={() => act.run(async () => onSaved(await save(), 'Draft saved.'), consentChecks())}>
          Save draft
        </Button>
        <Button type="button" busy={act.busy} testid="eh-complete" onClick={() => act.run(async () => {
          const saved = await save();
          onSaved(await api.post('/api/v1/children/{child_id}/early-help/{assessment_id}/complete', base, { revision: saved.revision }), `Version ${draft.number} completed and locked.`);
        }, consentChecks())}>
          Complete and lock
        </Button>
      </div>
    </FormErrors>
</form>
  );
}

function ContentView({ version, elements }: { version: EarlyHelpVersion; elements: EarlyHelpElementInfo[] }) {
  const c = version.content;
  return (
    <div data-testid="eh-content">
      <p class="kith-meta">
        Version {version.number}{version.locked ? `, completed by ${version.completed_by?.name} on ${formatDateTime(version.completed_at)} and locked` : ', draft'}.
      </p>
      <h4 class="govuk-heading-s">Consent</h4>
      <p class="govuk-body">
        {c.consent.given_by ? `Given by ${c.consent.given_by} on ${formatDate(c.consent.given_on)}.` : 'No consent recorded.'}
        {c.consent.lawful_basis && <> Lawful basis: {c.consent.lawful_basis}</>}
      </p>
      {groupByDomain(elements).map((g) => {
        const rows = g.items.map((info) => [info, c.elements.find((e) => e.code === info.code)] as const).filter(([, e]) => e);
        if (rows.length === 0) return null;
        return (
          <section key={g.domain}>
            <h4 class="govuk-heading-s">{g.label}</h4>
            <dl class="govuk-summary-list">
              {rows.map(([info, e]) => (
                <div class="govuk-summary-list__row" key={info.code}>
                  <dt class="govuk-summary-list__key">{info.label}</dt>
                  <dd class="govuk-summary-list__value kith-eh-text">
                    {e!.strengths && <p class="govuk-body-s"><strong>Strengths:</strong> {e!.strengths}</p>}
                    {e!.needs && <p class="govuk-body-s"><strong>Needs:</strong> {e!.needs}</p>}
                    {e!.family_view && <p class="govuk-body-s"><strong>Family's view:</strong> {e!.family_view}</p>}
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        );
      })}
      <h4 class="govuk-heading-s">The child's view</h4>
      <p class="govuk-body kith-eh-text">{c.child_view || 'Not recorded.'}</p>
      <h4 class="govuk-heading-s">The parents' or carers' view</h4>
      <p class="govuk-body kith-eh-text">{c.parents_view || 'Not recorded.'}</p>
      <h4 class="govuk-heading-s">Conclusion</h4>
      <p class="govuk-body kith-eh-text">{c.conclusion || 'Not written yet.'}</p>
      <h4 class="govuk-heading-s">Agreed needs</h4>
      <ol class="govuk-list govuk-list--number" data-testid="eh-needs">
        {c.agreed_needs.map((n) => <li key={n.id}>{n.text}</li>)}
      </ol>
    </div>
  );
}

// --- TAC meetings and the action plan ------------------------------------------------------------

interface ActionRow {
  description: string;
  owner_id: string;
  due_on: string;
  need_id: string;
}

function MeetingForm({ base, assessment, team, onSaved }: { base: AssessmentAt; assessment: EarlyHelpAssessment; team: Member[]; onSaved: (a: EarlyHelpAssessment, message: string) => void }) {
  const needs = record(assessment)?.content.agreed_needs ?? [];
  const [heldOn, setHeldOn] = useState(todayIso());
  const [attendees, setAttendees] = useState('');
  const [decisions, setDecisions] = useState('');
  const [actions, setActions] = useState<ActionRow[]>([]);
  const act = useAct();
  const setRow = (i: number, r: ActionRow) => setActions(actions.map((x, j) => (j === i ? r : x)));
  return (
    <form noValidate data-testid="eh-meeting-form" onSubmit={(e) => {
      e.preventDefault();
      act.run(async () => {
        const a = await api.post('/api/v1/children/{child_id}/early-help/{assessment_id}/meetings', base, {
          held_on: heldOn,
          attendees: attendees.split('\n').map((x) => x.trim()).filter(Boolean),
          decisions,
          actions: actions.map((r) => ({ ...r, need_id: r.need_id || undefined })),
        });
        setAttendees('');
        setDecisions('');
        setActions([]);
        onSaved(a, 'TAC meeting recorded.');
      }, check([
        ['held_on', dateProblem(heldOn, 'the date of the meeting', { required: true, notFuture: true })],
        ['attendees', !attendees.trim() && 'Enter who attended, one person a line'],
        ['decisions', !decisions.trim() && 'Enter the decisions made'],
        ...actions.flatMap((r, i): [string, string | false | undefined][] => [
          [`action-${i}`, !r.description.trim() && `Enter what is to be done for action ${i + 1}`],
          [`owner-${i}`, !r.owner_id && `Choose who owns action ${i + 1}`],
          [`due-${i}`, dateProblem(r.due_on, `the due date of action ${i + 1}`, { required: true })],
        ]),
      ]));
    }}>
      <FormErrors error={act.error} errors={act.errors} idPrefix="eh-meeting">
      <DateField id="eh-meeting-held_on" label="Date of the meeting" value={heldOn} onInput={setHeldOn} />
      <TextArea id="eh-meeting-attendees" label="Who attended" hint="One person a line: name and role or relationship" value={attendees} onInput={setAttendees} rows={4} required />
      <TextArea id="eh-meeting-decisions" label="Decisions" value={decisions} onInput={setDecisions} rows={4} required />
      <h4 class="govuk-heading-s">Actions agreed</h4>
      {actions.map((r, i) => (
        <fieldset class="govuk-fieldset kith-eh-action-row" key={i}>
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Action {i + 1}</legend>
          <TextField id={`eh-meeting-action-${i}`} label="What is to be done" value={r.description} onInput={(v) => setRow(i, { ...r, description: v })} maxLength={300} required />
          <SelectField id={`eh-meeting-owner-${i}`} label="Owner" value={r.owner_id} onInput={(v) => setRow(i, { ...r, owner_id: v })} options={memberOptions(team)} emptyLabel="Choose a team member" required />
          <DateField id={`eh-meeting-due-${i}`} label="Due by" value={r.due_on} onInput={(v) => setRow(i, { ...r, due_on: v })} />
          <SelectField id={`eh-meeting-need-${i}`} label="Need it serves" value={r.need_id} onInput={(v) => setRow(i, { ...r, need_id: v })} options={needs.map((n) => [n.id ?? '', n.text])} emptyLabel="No particular need" />
          <button type="button" class="kith-link-button" onClick={() => setActions(actions.filter((_, j) => j !== i))}>
            Remove<span class="govuk-visually-hidden"> action {i + 1}</span>
          </button>
        </fieldset>
      ))}
      <div class="govuk-button-group">
        <button type="button" class="govuk-button govuk-button--secondary" data-testid="eh-add-action-row" onClick={() => setActions([...actions, { description: '', owner_id: '', due_on: '', need_id: '' }])}>
          Add an action
        </button>
        <Button busy={act.busy} testid="eh-record-meeting">Record the meeting</Button>
      </div>
    </FormErrors>
</form>
  );
}

function Meetings({ assessment }: { assessment: EarlyHelpAssessment }) {
  if (assessment.meetings.length === 0) return <p class="govuk-body">No Team Around the Child meeting yet.</p>;
  return (
    <ol class="kith-eh-list" data-testid="eh-meetings">
      {[...assessment.meetings].reverse().map((m) => (
        <li key={m.id} class="kith-card">
          <h4 class="govuk-heading-s govuk-!-margin-bottom-1">TAC meeting, {formatDate(m.held_on)}</h4>
          <p class="kith-meta">Recorded by {m.recorded_by.name}</p>
          <p class="govuk-body-s govuk-!-margin-top-2"><strong>Attended:</strong> {m.attendees.join('; ')}</p>
          <p class="govuk-body-s kith-eh-text"><strong>Decisions:</strong> {m.decisions}</p>
        </li>
      ))}
    </ol>
  );
}

function ActionStatus({ base, action, disabled, onSaved }: { base: AssessmentAt; action: EarlyHelpAction; disabled: boolean; onSaved: (a: EarlyHelpAssessment, message: string) => void }) {
  const act = useAct();
  if (disabled) return <>{label(ACTION_STATUSES, action.status)}</>;
  return (
    <>
      <label class="govuk-visually-hidden" for={`eh-status-${action.id}`}>Status of {action.description}</label>
      <select class="govuk-select kith-eh-status" id={`eh-status-${action.id}`} value={action.status} aria-disabled={act.busy ? 'true' : undefined}
        onChange={(e) => {
          const status = (e.target as HTMLSelectElement).value;
          act.run(async () => onSaved(await api.put('/api/v1/children/{child_id}/early-help/{assessment_id}/actions/{action_id}/status', { ...base, action_id: action.id }, { status: status as EarlyHelpAction['status'] }), `"${action.description}" is now ${label(ACTION_STATUSES, status).toLowerCase()}.`));
        }}>
        {ACTION_STATUSES.map(([v, l]) => <option key={v} value={v} selected={v === action.status}>{l}</option>)}
      </select>
      {act.error && <p class="govuk-error-message">{act.error.detail}</p>}
    </>
  );
}

export function Plan({ base, assessment, onSaved }: { base: AssessmentAt; assessment: EarlyHelpAssessment; onSaved: (a: EarlyHelpAssessment, message: string) => void }) {
  const needs = record(assessment)?.content.agreed_needs ?? [];
  const overdue = assessment.actions.filter((x) => x.overdue).length;
  if (assessment.actions.length === 0) return <p class="govuk-body">No actions yet. Actions are agreed at a TAC meeting.</p>;
  return (
    <>
      {overdue > 0 && (
        <div class="govuk-warning-text">
          <span class="govuk-warning-text__icon" aria-hidden="true">!</span>
          <strong class="govuk-warning-text__text">
            <span class="govuk-visually-hidden">Warning</span>
            {overdue === 1 ? '1 action is overdue. Its owner' : `${overdue} actions are overdue. Their owners`} and the lead professional have been alerted.
          </strong>
        </div>
      )}
      <TableWrap label="Action plan">
        <table class="govuk-table kith-eh-plan" data-testid="eh-plan">
          <caption class="govuk-table__caption govuk-visually-hidden">Action plan</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">Action</th>
              <th scope="col" class="govuk-table__header">Owner</th>
              <th scope="col" class="govuk-table__header">Due</th>
              <th scope="col" class="govuk-table__header">Status</th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {assessment.actions.map((x) => (
              <tr class={`govuk-table__row${x.overdue ? ' kith-eh-overdue' : ''}`} key={x.id} data-testid="eh-action">
                <td class="govuk-table__cell" data-label="Action">
                  {x.description}
                  {x.need_id && <span class="kith-meta kith-eh-block">For: {needs.find((n) => n.id === x.need_id)?.text ?? x.need_id}</span>}
                </td>
                <td class="govuk-table__cell" data-label="Owner">{x.owner.name}</td>
                <td class="govuk-table__cell" data-label="Due">
                  {formatDate(x.due_on)}
                  {x.overdue && <strong class="govuk-tag govuk-tag--red kith-eh-block">Overdue</strong>}
                </td>
                <td class="govuk-table__cell" data-label="Status">
                  <ActionStatus base={base} action={x} disabled={assessment.stage === 'closed'} onSaved={onSaved} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}

function AddAction({ base, assessment, team, onSaved }: { base: AssessmentAt; assessment: EarlyHelpAssessment; team: Member[]; onSaved: (a: EarlyHelpAssessment, message: string) => void }) {
  const needs = record(assessment)?.content.agreed_needs ?? [];
  const [r, setR] = useState<ActionRow>({ description: '', owner_id: '', due_on: '', need_id: '' });
  const act = useAct();
  return (
    <details class="govuk-details">
      <summary class="govuk-details__summary"><span class="govuk-details__summary-text">Add an action between meetings</span></summary>
      <form class="govuk-details__text" noValidate data-testid="eh-action-form" onSubmit={(e) => {
        e.preventDefault();
        act.run(async () => {
          onSaved(await api.post('/api/v1/children/{child_id}/early-help/{assessment_id}/actions', base, { ...r, need_id: r.need_id || undefined }), 'Action added to the plan.');
          setR({ description: '', owner_id: '', due_on: '', need_id: '' });
        }, check([
          ['description', !r.description.trim() && 'Enter what is to be done'],
          ['owner_id', !r.owner_id && 'Choose who owns the action'],
          ['due_on', dateProblem(r.due_on, 'the due date', { required: true })],
        ]));
      }}>
        <FormErrors error={act.error} errors={act.errors} idPrefix="eh-action">
        <TextField id="eh-action-description" label="What is to be done" value={r.description} onInput={(v) => setR({ ...r, description: v })} maxLength={300} required />
        <SelectField id="eh-action-owner_id" label="Owner" value={r.owner_id} onInput={(v) => setR({ ...r, owner_id: v })} options={memberOptions(team)} emptyLabel="Choose a team member" required />
        <DateField id="eh-action-due_on" label="Due by" value={r.due_on} onInput={(v) => setR({ ...r, due_on: v })} />
        <SelectField id="eh-action-need_id" label="Need it serves" value={r.need_id} onInput={(v) => setR({ ...r, need_id: v })} options={needs.map((n) => [n.id ?? '', n.text])} emptyLabel="No particular need" />
        <Button busy={act.busy}>Add the action</Button>
      </FormErrors>
</form>
    </details>
  );
}

// --- Reviews ------------------------------------------------------------------------------------

function ReviewForm({ base, assessment, onSaved }: { base: AssessmentAt; assessment: EarlyHelpAssessment; onSaved: (a: EarlyHelpAssessment, message: string) => void }) {
  const needs = record(assessment)?.content.agreed_needs ?? [];
  const [heldOn, setHeldOn] = useState(todayIso());
  const [progress, setProgress] = useState<Record<string, { progress: string; note: string }>>({});
  const [summary, setSummary] = useState('');
  const act = useAct();
  return (
    <form noValidate data-testid="eh-review-form" onSubmit={(e) => {
      e.preventDefault();
      act.run(async () => {
        const a = await api.post('/api/v1/children/{child_id}/early-help/{assessment_id}/reviews', base, {
          held_on: heldOn,
          summary,
          progress: needs.map((n) => ({ need_id: n.id, progress: (progress[n.id!]?.progress ?? '') as Body<'/api/v1/children/{child_id}/early-help/{assessment_id}/reviews', 'post'>['progress'][number]['progress'], note: progress[n.id!]?.note ?? '' })),
        });
        setProgress({});
        setSummary('');
        onSaved(a, 'Review recorded.');
      }, check([
        ['held_on', dateProblem(heldOn, 'the date of the review', { required: true, notFuture: true })],
        ...needs.map((n, i): [string, string | false] => [`progress-${i}`, !progress[n.id!]?.progress && `Choose the progress on “${n.text}”`]),
      ]));
    }}>
      <FormErrors error={act.error} errors={act.errors} idPrefix="eh-review">
      <DateField id="eh-review-held_on" label="Date of the review" value={heldOn} onInput={setHeldOn} />
      {needs.map((n, i) => (
        <fieldset class="govuk-fieldset kith-eh-action-row" key={n.id}>
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{n.text}</legend>
          <SelectField id={`eh-review-progress-${i}`} label="Progress" value={progress[n.id!]?.progress ?? ''} emptyLabel="Choose"
            onInput={(v) => setProgress({ ...progress, [n.id!]: { note: progress[n.id!]?.note ?? '', progress: v } })} options={PROGRESS} required />
          <TextField id={`eh-review-note-${i}`} label="Note" value={progress[n.id!]?.note ?? ''}
            onInput={(v) => setProgress({ ...progress, [n.id!]: { progress: progress[n.id!]?.progress ?? '', note: v } })} />
        </fieldset>
      ))}
      <TextArea id="eh-review-summary" label="Summary" value={summary} onInput={setSummary} rows={3} />
      <Button busy={act.busy} testid="eh-record-review">Record the review</Button>
    </FormErrors>
</form>
  );
}

function Reviews({ assessment }: { assessment: EarlyHelpAssessment }) {
  if (assessment.reviews.length === 0) return <p class="govuk-body">No review yet.</p>;
  return (
    <ol class="kith-eh-list" data-testid="eh-reviews">
      {[...assessment.reviews].reverse().map((r) => {
        const needs = assessment.versions.find((v) => v.number === r.version_reviewed)?.content.agreed_needs ?? [];
        return (
          <li key={r.id} class="kith-card">
            <h4 class="govuk-heading-s govuk-!-margin-bottom-1">Review, {formatDate(r.held_on)}</h4>
            <p class="kith-meta">Recorded by {r.recorded_by.name} · against version {r.version_reviewed}</p>
            <ul class="govuk-list govuk-body-s govuk-!-margin-top-2">
              {r.progress.map((p) => (
                <li key={p.need_id}>
                  {needs.find((n) => n.id === p.need_id)?.text ?? p.need_id}: <strong>{label(PROGRESS, p.progress)}</strong>
                  {p.note && <> – {p.note}</>}
                </li>
              ))}
            </ul>
            {r.summary && <p class="govuk-body-s kith-eh-text">{r.summary}</p>}
          </li>
        );
      })}
    </ol>
  );
}

// --- History, lead professional and closure -----------------------------------------------------

function History({ assessment, elements }: { assessment: EarlyHelpAssessment; elements: EarlyHelpElementInfo[] }) {
  const [open, setOpen] = useState<number | null>(null);
  return (
    <>
      <TableWrap label="Versions">
        <table class="govuk-table" data-testid="eh-versions">
          <caption class="govuk-table__caption govuk-table__caption--s">Versions</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">Version</th>
              <th scope="col" class="govuk-table__header">Started</th>
              <th scope="col" class="govuk-table__header">Completed and locked</th>
              <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">View</span></th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {assessment.versions.map((v) => (
              <tr class="govuk-table__row" key={v.number}>
                <td class="govuk-table__cell">{v.number}</td>
                <td class="govuk-table__cell">{formatDateTime(v.created_at)} by {v.created_by.name}</td>
                <td class="govuk-table__cell">{v.locked ? `${formatDateTime(v.completed_at)} by ${v.completed_by?.name}` : 'Draft'}</td>
                <td class="govuk-table__cell">
                  <button type="button" class="kith-link-button" aria-expanded={open === v.number} onClick={() => setOpen(open === v.number ? null : v.number)}>
                    {open === v.number ? 'Hide' : 'View'}<span class="govuk-visually-hidden"> version {v.number}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {open !== null && <div class="kith-card"><ContentView version={assessment.versions.find((v) => v.number === open)!} elements={elements} /></div>}
      <h4 class="govuk-heading-s">Lead professional</h4>
      <ul class="govuk-list govuk-body-s" data-testid="eh-lead-history">
        {assessment.lead_history.map((l, i) => (
          <li key={i}>
            {formatDateTime(l.at)}: <strong>{l.lead.name}</strong> {i === 0 ? 'designated' : `took over from a handover by ${l.by.name}`} – {l.reason}
          </li>
        ))}
      </ul>
    </>
  );
}

function LeadAndClosure({ base, assessment, team, onSaved }: { base: AssessmentAt; assessment: EarlyHelpAssessment; team: Member[]; onSaved: (a: EarlyHelpAssessment, message: string) => void }) {
  const { session } = useSession();
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState('');
  const [summary, setSummary] = useState('');
  const handover = useAct();
  const closing = useAct();
  const iLead = assessment.lead_professional.user_id === session.user.id;
  return (
    <div class="kith-grid kith-grid--halves">
      <section class="kith-card" aria-labelledby="eh-handover-h">
        <h4 class="govuk-heading-s" id="eh-handover-h">Hand over the lead professional role</h4>
        {!iLead ? (
          <p class="govuk-body">Only {assessment.lead_professional.name}, the lead professional, can hand the role over.</p>
        ) : (
          <form noValidate data-testid="eh-handover-form" onSubmit={(e) => {
            e.preventDefault();
            handover.run(async () => onSaved(await api.post('/api/v1/children/{child_id}/early-help/{assessment_id}/lead', base, { user_id: to, reason: reason.trim() }), 'The lead professional has changed on the assessment and the team.'), check([
              ['user_id', !to && 'Choose the new lead professional'],
              ['reason', !reason.trim() && 'Enter the reason for the handover'],
            ]));
          }}>
            <FormErrors error={handover.error} errors={handover.errors} idPrefix="eh-handover">
            <SelectField id="eh-handover-user_id" label="New lead professional" value={to} onInput={setTo} options={memberOptions(team.filter((m) => m.user_id !== session.user.id))} emptyLabel="Choose a team member" required />
            <TextArea id="eh-handover-reason" label="Reason for the handover" value={reason} onInput={setReason} rows={2} maxLength={500} required />
            <Button busy={handover.busy} secondary>Hand over</Button>
          </FormErrors>
</form>
        )}
      </section>
      <section class="kith-card" aria-labelledby="eh-close-h">
        <h4 class="govuk-heading-s" id="eh-close-h">Close the early help assessment</h4>
        <form noValidate data-testid="eh-close-form" onSubmit={(e) => {
          e.preventDefault();
          closing.run(async () => onSaved(await api.post('/api/v1/children/{child_id}/early-help/{assessment_id}/close', base, { revision: assessment.revision, outcome: outcome as Body<'/api/v1/children/{child_id}/early-help/{assessment_id}/close', 'post'>['outcome'], summary }), 'The assessment is closed.'), check([
            ['outcome', !outcome && 'Choose the outcome'],
            ['summary', !summary.trim() && 'Enter why the assessment is closing'],
          ]));
        }}>
          <FormErrors error={closing.error} errors={closing.errors} idPrefix="eh-close">
          <SelectField id="eh-close-outcome" label="Outcome" value={outcome} onInput={setOutcome} options={OUTCOMES} emptyLabel="Choose an outcome" required />
          <TextArea id="eh-close-summary" label="Why it is closing" value={summary} onInput={setSummary} rows={3} required />
          <Button busy={closing.busy} warning>Close the assessment</Button>
        </FormErrors>
</form>
      </section>
    </div>
  );
}

// --- The tab ------------------------------------------------------------------------------------

/** The latest locked version (the version of record), if any. */
function record(a: EarlyHelpAssessment): EarlyHelpVersion | undefined {
  return [...a.versions].reverse().find((v) => v.locked);
}

function StartAssessment({ childId, team, onSaved }: { childId: string; team: Member[]; onSaved: (a: EarlyHelpAssessment, message: string) => void }) {
  const lead = team.find((m) => m.lead);
  const { session } = useSession();
  const [leadId, setLeadId] = useState(lead?.user_id ?? session.user.id);
  const act = useAct();
  return (
    <form class="kith-card kith-card--narrow" noValidate data-testid="eh-start-form" onSubmit={(e) => {
      e.preventDefault();
      act.run(async () => onSaved(await api.post('/api/v1/children/{child_id}/early-help', { child_id: childId }, { content: emptyContent(), lead_user_id: leadId }), 'Early help assessment started.'));
    }}>
      <h3 class="govuk-heading-m">Start an early help assessment</h3>
      <p class="govuk-body">
        Agree with the family that an assessment would help, then record it here section by section. Everyone on the team
        sees it; searches show that an assessment exists and who leads it.
      </p>
      <FormErrors error={act.error} errors={act.errors} idPrefix="eh-start">
      <SelectField id="eh-start-lead_user_id" label="Lead professional" hint={lead ? 'The team\'s lead professional; choosing someone else hands the role over.' : 'The team has no lead professional yet.'} value={leadId} onInput={setLeadId} options={memberOptions(team)} />
      <Button busy={act.busy} testid="eh-start">Start the assessment</Button>
    </FormErrors>
</form>
  );
}

const SECTIONS: [string, string][] = [
  ['assessment', 'Assessment'],
  ['meetings', 'TAC meetings'],
  ['plan', 'Action plan'],
  ['reviews', 'Reviews'],
  ['history', 'History'],
  ['close', 'Lead and closure'],
];

// What the family wrote about this assessment in the family portal (issue 5): family-authored,
// never part of a locked version; the team takes it into the next version's draft by hand.
function FamilyViews({ childId, assessment, reload }: { childId: string; assessment: EarlyHelpAssessment; reload: number }) {
  const entries = useAsync(() => api.get<{ entries: FamilyEntry[] }>(`/api/v1/children/${seg(childId)}/family/entries`), [childId, reload]);
  const mine = entries.data?.entries.filter((e) => e.about_entry_id === assessment.id) ?? [];
  if (mine.length === 0) return null;
  return (
    <div class="kith-card" data-testid="eh-family-views">
      <h4 class="govuk-heading-s">The family's view, from the family portal</h4>
      <p class="govuk-body-s">Written by the family; it is not part of any locked version. Take what is agreed into the next version's draft.</p>
      <ul class="govuk-list">
        {mine.map((e) => (
          <li key={e.id}>
            <strong>{e.author_name}</strong> ({e.relation === 'young_person' ? 'the young person' : 'parent or carer'},{' '}
            {e.kind === 'disagreement' ? 'disagrees' : 'view'}, {formatDateTime(e.created_at)}): {e.text}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Current({ childId, assessment, elements, team, onSaved, reload = 0 }: { childId: string; assessment: EarlyHelpAssessment; elements: EarlyHelpElementInfo[]; team: Member[]; onSaved: (a: EarlyHelpAssessment, message: string) => void; reload?: number }) {
  const [section, setSection] = useState('assessment');
  const base: AssessmentAt = { child_id: childId, assessment_id: assessment.id };
  const draft = !assessment.versions[assessment.versions.length - 1].locked;
  const of = record(assessment);
  const open = assessment.stage !== 'closed';
  const planned = assessment.stage === 'plan' || assessment.stage === 'review';
  const newVersion = useAct();
  const overdue = assessment.actions.filter((x) => x.overdue).length;
  return (
    <div data-testid="eh-current">
      <div class="kith-card">
        <div class="kith-inline-actions">
          <StageTag stage={assessment.stage} />
          {overdue > 0 && <strong class="govuk-tag govuk-tag--red">{overdue} overdue</strong>}
        </div>
        <dl class="govuk-summary-list govuk-!-margin-top-3 govuk-!-margin-bottom-0">
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">Lead professional</dt>
            <dd class="govuk-summary-list__value" data-testid="eh-lead">{assessment.lead_professional.name}</dd>
          </div>
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">Started</dt>
            <dd class="govuk-summary-list__value">{formatDate(assessment.opened_at)} by {assessment.opened_by.name}</dd>
          </div>
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">Version of record</dt>
            <dd class="govuk-summary-list__value">{of ? `Version ${of.number}, locked ${formatDate(of.completed_at)}` : 'None yet: the assessment is a draft'}</dd>
          </div>
          {assessment.outcome_label && (
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">Outcome</dt>
              <dd class="govuk-summary-list__value">{assessment.outcome_label} ({formatDate(assessment.closed_at)}): {assessment.closure_summary}</dd>
            </div>
          )}
        </dl>
      </div>
      <FamilyShare childId={childId} assessmentId={assessment.id} />
      <nav aria-label="Early help sections">
        <ul class="kith-subnav">
          {SECTIONS.filter(([id]) => open || id !== 'close').map(([id, text]) => (
            <li key={id}>
              <button type="button" class="kith-subnav__button" aria-current={section === id ? 'true' : undefined} data-testid={`eh-section-${id}`} onClick={() => setSection(id)}>
                {text}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <h3 class="govuk-heading-m">{SECTIONS.find(([id]) => id === section)?.[1]}</h3>
      {section === 'assessment' && (
        <>
          <FamilyViews childId={childId} assessment={assessment} reload={reload} />
          {draft && open && <DraftForm key={`${assessment.id}-${assessment.versions.length}`} childId={childId} assessment={assessment} elements={elements} onSaved={onSaved} />}
          {of && (
            <>
              {draft && <h4 class="govuk-heading-s">The version of record while the new version is drafted</h4>}
              <ContentView version={of} elements={elements} />
            </>
          )}
          {!draft && open && (
            <>
              <FormError error={newVersion.error} idPrefix="eh-version" />
              <Button type="button" secondary busy={newVersion.busy} testid="eh-new-version" onClick={() => newVersion.run(async () => onSaved(await api.post('/api/v1/children/{child_id}/early-help/{assessment_id}/versions', base, { revision: assessment.revision }), 'A new draft version is open.'))}>
                Start a new version
              </Button>
            </>
          )}
        </>
      )}
      {section === 'meetings' && (
        <>
          <Meetings assessment={assessment} />
          {open && of ? (
            <div class="kith-card">
              <h4 class="govuk-heading-s">Record a TAC meeting</h4>
              <MeetingForm base={base} assessment={assessment} team={team} onSaved={onSaved} />
            </div>
          ) : open && <p class="govuk-body">Complete the assessment before the first Team Around the Child meeting.</p>}
        </>
      )}
      {section === 'plan' && (
        <>
          <Plan base={base} assessment={assessment} onSaved={onSaved} />
          {open && planned && <AddAction base={base} assessment={assessment} team={team} onSaved={onSaved} />}
        </>
      )}
      {section === 'reviews' && (
        <>
          <Reviews assessment={assessment} />
          {open && planned ? (
            <div class="kith-card">
              <h4 class="govuk-heading-s">Record a review</h4>
              <ReviewForm base={base} assessment={assessment} onSaved={onSaved} />
            </div>
          ) : open && <p class="govuk-body">Reviews follow a TAC meeting and its plan.</p>}
        </>
      )}
      {section === 'history' && <History assessment={assessment} elements={elements} />}
      {section === 'close' && open && <LeadAndClosure base={base} assessment={assessment} team={team} onSaved={onSaved} />}
    </div>
  );
}

export function EarlyHelp({ childId, account, versions, reloadAccount }: TabProps) {
  const list = useAsync(() => api.get<ListData>(`/api/v1/children/${seg(childId)}/early-help`), [childId, versions.team, versions.early_help]);
  const [message, setMessage] = useState('');
  // The answer to a change is the assessment as stored: show it at once, with the message.
  const onSaved = (a: EarlyHelpAssessment, m: string) => {
    const d = list.data;
    if (d) {
      const known = d.assessments.some((x) => x.id === a.id);
      list.set({ ...d, assessments: known ? d.assessments.map((x) => (x.id === a.id ? a : x)) : [a, ...d.assessments] });
    }
    setMessage(m);
    reloadAccount();  // the flag and the lead professional may have changed
  };
  return (
    <Loaded state={list} what="The early help assessment">
      {(d) => {
        const current = d.assessments.find((a) => a.stage !== 'closed');
        const closed = d.assessments.filter((a) => a.stage === 'closed');
        return (
          <>
            {message && <Success>{message}</Success>}
            {current ? (
              <Current key={current.id} childId={childId} assessment={current} elements={d.elements} team={account.team} onSaved={onSaved} reload={versions.early_help + versions.family} />
            ) : (
              <StartAssessment childId={childId} team={account.team} onSaved={onSaved} />
            )}
            {closed.length > 0 && (
              <section aria-labelledby="eh-past-h">
                <h3 class="govuk-heading-m" id="eh-past-h">Earlier assessments</h3>
                {closed.map((a) => (
                  <details class="govuk-details" key={a.id} data-testid="eh-past">
                    <summary class="govuk-details__summary">
                      <span class="govuk-details__summary-text">
                        {formatDate(a.opened_at)} to {formatDate(a.closed_at)}: {a.outcome_label}
                      </span>
                    </summary>
                    <div class="govuk-details__text">
                      <Current childId={childId} assessment={a} elements={d.elements} team={account.team} onSaved={onSaved} />
                    </div>
                  </details>
                ))}
              </section>
            )}
          </>
        );
      }}
    </Loaded>
  );
}
