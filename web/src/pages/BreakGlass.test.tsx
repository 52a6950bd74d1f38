import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { onAuthLost } from '../api';
import { mockFetch, problem } from '../test/fetch';
import { OverrideShieldForm } from './Shield';

// The shared machine can be slow; the form answers well within this.
const SLOW = { timeout: 5000 };

describe('OverrideShieldForm', () => {
  afterEach(cleanup);

  it('asks for a reason before sending, then sends the reason, time limit and password', async () => {
    const granted = { id: 'O1', ends_at: '2026-11-22T12:00:00Z' };
    const { calls } = mockFetch({ 'POST /api/v1/children/K1/shield-override': { status: 201, body: granted } });
    let got: unknown;
    render(<OverrideShieldForm childId="K1" onGranted={(o) => { got = o; }} />);
    expect(screen.getByText(/managers and the lead professional are told at once/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Override the shield' }));
    expect((await screen.findByTestId('form-error', {}, SLOW)).textContent).toContain('Choose why');
    expect(calls).toHaveLength(0);

    fireEvent.click(screen.getByLabelText('The child is missing and must be found'));
    fireEvent.input(screen.getByLabelText('Explain what has happened and what you will do'), { target: { value: ' Not at school today ' } });
    fireEvent.change(screen.getByLabelText('For how long'), { target: { value: '4' } });
    fireEvent.input(screen.getByLabelText('Your password'), { target: { value: 'secret-pass-1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Override the shield' }));
    await waitFor(() => expect(got).toEqual(granted), SLOW);
    expect(calls[0].body).toEqual({ reason_code: 'missing_child', reason: 'Not at school today', duration_hours: 4, password: 'secret-pass-1' });
  });

  it('shows a wrong password on the form without signing the user out', async () => {
    mockFetch({ 'POST /api/v1/children/K1/shield-override': problem(401, 'unauthenticated', 'Enter your password again to override a shield.', 'password') });
    let signedOut = false;
    const stop = onAuthLost(() => (signedOut = true));
    render(<OverrideShieldForm childId="K1" onGranted={() => undefined} />);
    fireEvent.click(screen.getByLabelText('The child is at immediate risk of significant harm'));
    fireEvent.click(screen.getByRole('button', { name: 'Override the shield' }));
    expect((await screen.findByTestId('form-error', {}, SLOW)).textContent).toContain('Enter your password again');
    expect(signedOut).toBe(false);
    stop();
  });
});
