// The overview's agencies involved: one a team member of another agency named is marked as not
// confirmed (its staff ask to join and wait), and the lead professional confirms it by sending
// the involvement back, and nothing else (docs/access.md, "Joining is a request").
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { Overview } from './Overview';
import { SessionContext } from '../session';
import { mockFetch } from '../test/fetch';
import type { ChildAccount, Session } from '../types';

const sessionOf = (id: string) => ({ user: { id, display_name: id, role: 'practitioner', authority_id: 'L1' }, state: 'complete', csrf_token: 't' }) as unknown as Session;

const member = (user_id: string, lead: boolean) => ({ user_id, display_name: user_id, role: 'Practitioner', lead, agency: null, phone: '', email: '' });

const account = {
  child: {
    id: 'K1', authority_id: 'L1', version: 4, given_names: 'Leo', family_name: 'Carter', other_names: [], date_of_birth: '2024-03-14', sex: 'male',
    address: '1 High St', postcode: 'NB1 2AB', nhs_number: '', upn: '', carers: [], school_agency_id: 'ASCH', gp_agency_id: 'AGP',
    services: [{ agency_id: 'AYOUTH', description: 'Detached youth work', start: '2026-01-05', end: null }],
    flags: { early_help_assessment: false, child_protection_plan: false, looked_after: false }, shielded: false,
    unconfirmed_agencies: ['ASCH', 'AYOUTH'],
  },
  team: [member('LEAD', true), member('HV', false)],
  agencies: [
    { id: 'ASCH', name: 'Hillside Primary School', phone: '' },
    { id: 'AGP', name: 'Brook Lane Surgery', phone: '' },
    { id: 'AYOUTH', name: 'Northbrook Youth Service', phone: '' },
  ],
  access: 'team member',
} as unknown as ChildAccount;

const show = (user: string, reloadAccount: () => void = () => undefined) =>
  render(
    <SessionContext.Provider value={{ session: sessionOf(user), signOut: () => undefined }}>
      <Overview childId="K1" account={account} versions={{} as never} reloadAccount={reloadAccount} />
    </SessionContext.Provider>,
  );

describe('Overview: agencies not yet confirmed', () => {
  afterEach(cleanup);

  it('marks them, and the lead confirms them by sending only the involvement', async () => {
    const { calls } = mockFetch({ 'PUT /api/v1/children/K1': { body: account } });
    let reloaded = false;
    show('LEAD', () => { reloaded = true; });
    expect(screen.getAllByTestId('unconfirmed')).toHaveLength(2);  // the school and the youth service, not the GP
    expect(screen.getByTestId('unconfirmed-agencies').textContent).toContain('Hillside Primary School, Northbrook Youth Service');
    fireEvent.click(screen.getByTestId('confirm-agencies'));
    await waitFor(() => expect(reloaded).toBe(true));
    expect(calls[0].body).toEqual({
      version: 4, school_agency_id: 'ASCH', gp_agency_id: 'AGP',
      services: [{ agency_id: 'AYOUTH', description: 'Detached youth work', start: '2026-01-05', end: null }],
    });
    // Said where the button was, in the services card, not in the identity card above.
    const success = screen.getByTestId('success');
    expect(success.textContent).toContain('confirmed');
    expect(success.closest('section')?.getAttribute('aria-labelledby')).toBe('services-h');
  });

  it('tells another team member who confirms them, with no button', () => {
    mockFetch({});
    show('HV');
    expect(screen.getByTestId('unconfirmed-agencies').textContent).toContain('The lead professional confirms them');
    expect(screen.queryByTestId('confirm-agencies')).toBeNull();
  });
});
