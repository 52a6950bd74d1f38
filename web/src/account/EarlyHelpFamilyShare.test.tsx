// The early help tab's family portal control: shared unless restricted; restricting needs a
// reason from the list and is sent to the visibility endpoint for the assessment.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { FamilyShare } from './EarlyHelpFamilyShare';
import { mockFetch } from '../test/fetch';

const restriction = {
  subject_id: 'H1', subject_kind: 'assessment', title: 'Early help assessment', visibility: 'team',
  restriction_reason: 'third_party', restriction_text: '', review: 'pending', set_by_name: 'Laura Bennett',
  set_at: '2026-11-20T10:00:00Z', reviewed_by_name: null, reviewed_at: null,
};

describe('FamilyShare', () => {
  afterEach(cleanup);
  it('shows the assessment shared, then restricts it with a reason', async () => {
    let restricted = false;
    const { calls } = mockFetch({
      'GET /api/v1/children/K1/restrictions': () => ({ body: { restrictions: restricted ? [restriction] : [] } }),
      'PUT /api/v1/children/K1/visibility/H1': (call) => {
        restricted = true;
        return { body: { ...restriction, ...(call.body as object) } };
      },
    });
    render(<FamilyShare childId="K1" assessmentId="H1" />);
    expect((await screen.findByTestId('visibility-tag')).textContent).toBe('Shared with family');
    fireEvent.change(screen.getByLabelText('Who can see this'), { target: { value: 'team' } });
    fireEvent.change(await screen.findByLabelText('Why is this kept from the family?'), { target: { value: 'third_party' } });
    fireEvent.click(screen.getByTestId('eh-family-share-save'));
    await waitFor(() => expect(screen.getByTestId('visibility-tag').textContent).toBe('Restricted from family, awaiting review'));
    expect(screen.getByText('The family does not see this assessment.')).toBeTruthy();
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.body).toEqual({ visibility: 'team', restriction_reason: 'third_party' });
  });
  it('offers nothing when the restrictions cannot be read', async () => {
    const { calls } = mockFetch({});
    const { container } = render(<FamilyShare childId="K1" assessmentId="H1" />);
    await waitFor(() => expect(calls.length).toBe(1));
    expect(container.textContent).toBe('');
  });
});
