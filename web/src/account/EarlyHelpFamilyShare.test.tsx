// The early help tab's family portal control: team only until someone shares it (ADR 0017);
// sharing is a release with a reason, which asks the restricting agency when it is not the
// reader's own; keeping it from the family again needs a reason from the list.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { FamilyShare } from './EarlyHelpFamilyShare';
import { mockFetch } from '../test/fetch';

const restriction = {
  subject_id: 'H1', subject_kind: 'assessment', title: 'Early help assessment', visibility: 'team',
  restriction_reason: 'third_party', restriction_text: '', review: 'pending', set_by_name: 'Laura Bennett',
  set_at: '2026-11-20T10:00:00Z', reviewed_by_name: null, reviewed_at: null, restricting_agency_name: 'Health Visiting',
  recording_agency_name: '', agreement_needed: ['Health Visiting'], release_pending: false,
};

const teamOnly = { visibility: 'team', restriction_reason: null, restriction_text: '', review: 'none' };
const familySees = { ...teamOnly, visibility: 'team_and_family' };
const assessment = (family_visibility: object) => () => ({ body: { id: 'H1', family_visibility } });

describe('FamilyShare', () => {
  afterEach(cleanup);
  it('shows a completed assessment as team only until someone shares it, with a reason', async () => {
    let shared = false;
    const { calls } = mockFetch({
      'GET /api/v1/children/K1/restrictions': () => ({ body: { restrictions: [] } }),
      'GET /api/v1/children/K1/early-help/H1': () => assessment(shared ? familySees : teamOnly)(),
      'POST /api/v1/children/K1/visibility/H1/release': () => {
        shared = true;
        return { body: { released: true, visibility: familySees, requests: [] } };
      },
    });
    render(<FamilyShare childId="K1" assessmentId="H1" childName="Leo Carter" />);
    expect((await screen.findByTestId('visibility-tag')).textContent).toBe('Team only');
    expect(screen.getByText('The family does not see this assessment. Share it when it has been agreed with them.')).toBeTruthy();
    fireEvent.click(screen.getByTestId('eh-family-share-open'));
    fireEvent.input(await screen.findByLabelText('Why should Leo\'s family see it now?'), { target: { value: 'Agreed with the family.' } });
    fireEvent.click(screen.getByTestId('share-submit'));
    await waitFor(() => expect(screen.getByTestId('visibility-tag').textContent).toBe('Shared with family'));
    expect(screen.getByTestId('success').textContent).toContain('is now shared with the family');
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ reason: 'Agreed with the family.' });
  });
  it('keeps a shared assessment from the family with a reason', async () => {
    let restricted = false;
    const { calls } = mockFetch({
      'GET /api/v1/children/K1/restrictions': () => ({ body: { restrictions: restricted ? [restriction] : [] } }),
      'GET /api/v1/children/K1/early-help/H1': () => assessment(restricted ? restriction : familySees)(),
      'PUT /api/v1/children/K1/visibility/H1': (call) => {
        restricted = true;
        return { body: { ...restriction, ...(call.body as object) } };
      },
    });
    render(<FamilyShare childId="K1" assessmentId="H1" childName="Leo Carter" />);
    expect((await screen.findByTestId('visibility-tag')).textContent).toBe('Shared with family');
    fireEvent.click(screen.getByTestId('eh-family-share-open'));
    fireEvent.change(await screen.findByLabelText('Why must the family not see “Early help assessment”?'), { target: { value: 'third_party' } });
    fireEvent.click(screen.getByTestId('keep-submit'));
    await waitFor(() => expect(screen.getByTestId('visibility-tag').textContent).toBe('Kept from family, awaiting review'));
    expect(screen.getByText('The family does not see this assessment. Share it when it has been agreed with them.')).toBeTruthy();
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.body).toEqual({ visibility: 'team', restriction_reason: 'third_party' });
  });
  it('shares a restricted assessment only with a reason, asking the restricting agency', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/children/K1/restrictions': () => ({ body: { restrictions: [restriction] } }),
      'GET /api/v1/children/K1/early-help/H1': assessment(restriction),
      'POST /api/v1/children/K1/visibility/H1/release': () => ({
        body: { released: false, visibility: restriction, requests: [{ agency_name: 'Health Visiting', status: 'pending', agency_on_team: true }] },
      }),
    });
    render(<FamilyShare childId="K1" assessmentId="H1" childName="Leo Carter" />);
    fireEvent.click(await screen.findByTestId('eh-family-share-open'));
    expect(screen.getByText(/Health Visiting must agree first/)).toBeTruthy();
    fireEvent.click(screen.getByTestId('share-submit'));
    expect((await screen.findAllByText('Enter why Leo\'s family should see this now')).length).toBe(2); // summary and field
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    fireEvent.input(screen.getByLabelText('Why should Leo\'s family see it now?'), { target: { value: 'The family asked to see it.' } });
    fireEvent.click(screen.getByTestId('share-submit'));
    await waitFor(() => expect(screen.getByTestId('success').textContent).toContain('We have asked Health Visiting to agree'));
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ reason: 'The family asked to see it.' });
  });
  it('offers nothing when the restrictions cannot be read', async () => {
    const { calls } = mockFetch({});
    const { container } = render(<FamilyShare childId="K1" assessmentId="H1" />);
    await waitFor(() => expect(calls.length).toBe(2));
    expect(container.textContent).toBe('');
  });
});
