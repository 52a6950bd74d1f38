// The early help action plan: overdue actions are said in words (not colour alone), and a
// closed plan cannot be changed.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/preact';
import { Plan } from './EarlyHelp';
import type { EarlyHelpAssessment } from '../types';

const person = (user_id: string, name: string) => ({ user_id, name });

function assessment(stage: EarlyHelpAssessment['stage']): EarlyHelpAssessment {
  return {
    id: 'H1', child_id: 'K1', stage, revision: 3, lead_professional: person('U1', 'Sam Hughes'), lead_history: [],
    opened_at: '2026-11-01T09:00:00Z', opened_by: person('U1', 'Sam Hughes'), closed_at: null, closed_by: null,
    outcome: null, outcome_label: null, closure_summary: '',
    versions: [{
      number: 1, locked: true, created_at: '2026-11-01T09:00:00Z', created_by: person('U1', 'Sam Hughes'),
      completed_at: '2026-11-02T09:00:00Z', completed_by: person('U1', 'Sam Hughes'),
      content: { consent: { given_by: 'Mum', given_on: '2026-11-01', lawful_basis: '' }, elements: [], child_view: '',
                 parents_view: '', conclusion: 'x', agreed_needs: [{ id: 'N1', text: 'Health reviews attended' }] },
    }],
    meetings: [],
    actions: [
      { id: 'X1', description: 'Book the review', owner: person('U2', 'Laura Bennett'), due_on: '2026-11-10',
        status: 'in_progress', overdue: true, need_id: 'N1', meeting_id: 'M1', updated_at: '2026-11-03T09:00:00Z' },
      { id: 'X2', description: 'Routine chart', owner: person('U1', 'Sam Hughes'), due_on: '2026-12-10',
        status: 'not_started', overdue: false, need_id: null, meeting_id: 'M1', updated_at: '2026-11-03T09:00:00Z' },
    ],
    reviews: [],
    family_visibility: { visibility: 'team', restriction_reason: null, restriction_text: '', review: 'none' },
  };
}

describe('early help action plan', () => {
  afterEach(cleanup);
  it('marks overdue actions in words and names the need each serves', () => {
    render(<Plan base={{ child_id: "K1", assessment_id: "E1" }} assessment={assessment('plan')} onSaved={() => undefined} />);
    expect(screen.getByText(/1 action is overdue\. Its owner and the lead professional have been alerted\./)).toBeTruthy();
    const rows = screen.getAllByTestId('eh-action');
    expect(within(rows[0]).getByText('Overdue')).toBeTruthy();
    expect(rows[0].textContent).toContain('For: Health reviews attended');
    expect(within(rows[1]).queryByText('Overdue')).toBeNull();
    expect(within(rows[0]).getByLabelText('Status of Book the review')).toBeTruthy();
  });
  it('shows statuses as text once the assessment is closed', () => {
    render(<Plan base={{ child_id: "K1", assessment_id: "E1" }} assessment={assessment('closed')} onSaved={() => undefined} />);
    expect(screen.queryAllByRole('combobox')).toHaveLength(0);
    expect(screen.getAllByTestId('eh-action')[0].textContent).toContain('In progress');
  });
});
