import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { FamilySettingsPage } from './FamilySettings';
import { mockFetch } from '../test/fetch';

describe('FamilySettingsPage', () => {
  afterEach(cleanup);
  it('shows the defaults in force, the sensitive types fixed, and saves only what may change', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/authority/family-settings': {
        body: { defaults: { home_visit: 'team_and_family', police_call_out: 'team' }, fixed: ['police_call_out'], young_person_min_age: 13 },
      },
      'PUT /api/v1/authority/family-settings': (call) => ({ body: call.body }),
    });
    render(<FamilySettingsPage />);
    const homeVisit = (await screen.findByLabelText('Default for Home visit')) as HTMLSelectElement;
    expect(homeVisit.value).toBe('team_and_family');
    expect(screen.queryByLabelText('Default for Police call-out')).toBeNull();
    expect(screen.getByTestId('settings-fixed-police_call_out').textContent).toContain('cannot be shared by default');
    fireEvent.change(homeVisit, { target: { value: 'team' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('The settings were saved.')).toBeTruthy();
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.body).toEqual({ defaults: { home_visit: 'team' }, young_person_min_age: 13 });
  });
});
