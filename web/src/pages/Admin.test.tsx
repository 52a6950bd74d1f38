// The administrators' users page records a practitioner's home for the misuse report
// (docs/misuse-report.md): the form starts empty, sends what was typed and says it was recorded.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { AdminUsers } from './Admin';
import { SessionContext } from '../session';
import { mockFetch, problem } from '../test/fetch';
import type { Session } from '../types';

const session = { user: { id: 'ADMIN', display_name: 'Admin', role: 'authority_admin', authority_id: 'L1' }, state: 'complete', csrf_token: 't' } as unknown as Session;
const user = (id: string, display_name: string, role: string) => ({
  id, username: id, display_name, job_title: '', email: '', phone: '', role, agency_id: 'ACSC', authority_id: 'L1', active: true,
  locked_until: null, second_factor_enrolled: false, index_steward: false, information_governance: false, last_login_at: null, version: 1,
});

const show = () =>
  render(
    <SessionContext.Provider value={{ session, signOut: () => undefined }}>
      <AdminUsers />
    </SessionContext.Provider>,
  );

describe('Users: a practitioner\'s home for the misuse report', () => {
  afterEach(cleanup);

  it('is offered for practitioners and managers, and records what was typed', async () => {
    const { calls } = mockFetch({
      'GET /api/v1/users': { body: { users: [user('U1', 'Sam Hughes', 'practitioner'), user('U2', 'Ann Auditor', 'auditor')] } },
      'GET /api/v1/agencies': { body: { agencies: [{ id: 'ACSC', name: 'Children\'s Services' }] } },
      'PUT /api/v1/users/U1/home': { body: { user_id: 'U1', address: '3 Mill Lane', postcode: 'NB1 4QT', other_surnames: ['Doyle'], updated_by: 'ADMIN', updated_at: '2026-12-07T20:00:00Z' } },
    });
    show();
    await waitFor(() => expect(screen.getAllByTestId('record-home')).toHaveLength(1));  // not the auditor
    fireEvent.click(screen.getByTestId('record-home'));
    fireEvent.input(screen.getByLabelText('Home address'), { target: { value: ' 3 Mill Lane ' } });
    fireEvent.input(screen.getByLabelText('Postcode'), { target: { value: 'nb1 4qt' } });
    fireEvent.input(screen.getByLabelText('Other surnames (optional)'), { target: { value: 'Doyle, , ' } });
    fireEvent.click(screen.getByTestId('save-home'));
    await waitFor(() => expect(screen.getByTestId('success').textContent).toContain('Sam Hughes\'s home is recorded'));
    const put = calls.find((c) => c.method === 'PUT');
    expect(put?.body).toEqual({ address: '3 Mill Lane', postcode: 'nb1 4qt', other_surnames: ['Doyle'] });
    expect(screen.queryByTestId('home-form')).toBeNull();
  });

  it('shows the server\'s objection at its field', async () => {
    mockFetch({
      'GET /api/v1/users': { body: { users: [user('U1', 'Sam Hughes', 'practitioner')] } },
      'GET /api/v1/agencies': { body: { agencies: [] } },
      'PUT /api/v1/users/U1/home': problem(400, 'invalid_input', 'Not a UK postcode (for example NB1 2AB).', 'postcode'),
    });
    show();
    fireEvent.click(await screen.findByTestId('record-home'));
    fireEvent.input(screen.getByLabelText('Postcode'), { target: { value: 'nowhere' } });
    fireEvent.click(screen.getByTestId('save-home'));
    await waitFor(() => expect(document.body.textContent).toContain('Not a UK postcode'));
    expect(screen.getByTestId('home-form')).toBeTruthy();
  });
});
