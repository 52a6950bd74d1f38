import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { onAuthLost } from '../api';
import { mockFetch, problem } from '../test/fetch';
import { BreakGlassForm } from './BreakGlass';

// The shared machine can be slow; the form answers well within this.
const SLOW = { timeout: 5000 };

describe('BreakGlassForm', () => {
  afterEach(cleanup);

  it('asks for a reason before sending, then sends the reason, time limit and password', async () => {
    const granted = { id: 'G1', ends_at: '2026-11-22T12:00:00Z' };
    const { calls } = mockFetch({ 'POST /api/v1/children/K1/break-glass': { status: 201, body: granted } });
    let got: unknown;
    render(<BreakGlassForm childId="K1" shielded={false} onGranted={(o) => { got = o; }} />);
    expect(screen.getByText(/managers are told at once/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Get emergency access' }));
    // Every problem at once, each linked from the summary and marked on its field.
    const summary = await screen.findByTestId('form-error', {}, SLOW);
    const links = [...summary.querySelectorAll('a')].map((l) => [l.textContent, l.getAttribute('href')]);
    expect(links).toEqual([
      ['Choose why you need emergency access', '#bg-reason_code'],
      ['Enter what has happened and what you will do', '#bg-reason'],
      ['Enter your password', '#bg-password'],
    ]);
    expect(document.getElementById('bg-reason-error')?.textContent).toContain('Enter what has happened and what you will do');
    expect(document.getElementById('bg-password-error')?.textContent).toContain('Enter your password');
    expect(document.getElementById('bg-reason_code-error')?.textContent).toContain('Choose why you need emergency access');
    expect(calls).toHaveLength(0);

    fireEvent.input(screen.getByLabelText('Explain what has happened and what you will do'), { target: { value: 'Too short' } });
    fireEvent.click(screen.getByRole('button', { name: 'Get emergency access' }));
    await waitFor(() => expect(document.getElementById('bg-reason-error')?.textContent).toContain('at least 10 characters'), SLOW);
    expect(calls).toHaveLength(0);

    fireEvent.click(screen.getByLabelText('The child is missing and must be found'));
    fireEvent.input(screen.getByLabelText('Explain what has happened and what you will do'), { target: { value: ' Not at school today ' } });
    fireEvent.change(screen.getByLabelText('For how long'), { target: { value: '2' } });
    fireEvent.input(screen.getByLabelText('Your password'), { target: { value: 'secret-pass-1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Get emergency access' }));
    await waitFor(() => expect(got).toEqual(granted), SLOW);
    expect(calls[0].body).toEqual({ reason_code: 'missing_child', reason: 'Not at school today', duration_hours: 2, password: 'secret-pass-1' });
  });

  it('sends a second-factor code instead of the password when chosen', async () => {
    const { calls } = mockFetch({ 'POST /api/v1/children/K1/break-glass': { status: 201, body: { id: 'G1' } } });
    render(<BreakGlassForm childId="K1" shielded={true} onGranted={() => undefined} />);
    expect(screen.getByText(/you will see where the child lives/)).toBeTruthy();
    fireEvent.click(screen.getByLabelText('The child is at immediate risk of significant harm'));
    fireEvent.input(screen.getByLabelText('Explain what has happened and what you will do'), { target: { value: 'Police at the door now' } });
    fireEvent.change(screen.getByLabelText('Confirm it is you with'), { target: { value: 'code' } });
    fireEvent.input(screen.getByLabelText('The 6-digit code'), { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Get emergency access' }));
    await waitFor(() => expect(calls).toHaveLength(1), SLOW);
    expect(calls[0].body).toEqual({ reason_code: 'immediate_risk', reason: 'Police at the door now', duration_hours: 4, code: '123456' });
  });

  it('shows a wrong password on the form without signing the user out', async () => {
    mockFetch({ 'POST /api/v1/children/K1/break-glass': problem(401, 'unauthenticated', 'Enter your password, or a code from your authenticator app, to break the glass.', 'password') });
    let signedOut = false;
    const stop = onAuthLost(() => (signedOut = true));
    render(<BreakGlassForm childId="K1" shielded={false} onGranted={() => undefined} />);
    fireEvent.click(screen.getByLabelText('The child is at immediate risk of significant harm'));
    fireEvent.input(screen.getByLabelText('Explain what has happened and what you will do'), { target: { value: 'Police at the door now' } });
    fireEvent.input(screen.getByLabelText('Your password'), { target: { value: 'not-my-password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Get emergency access' }));
    expect((await screen.findByTestId('form-error', {}, SLOW)).textContent).toContain('Enter your password, or a code');
    // The server's answer marks the password field, as the client's own checks do.
    expect(document.getElementById('bg-password-error')?.textContent).toContain('Enter your password, or a code');
    expect(signedOut).toBe(false);
    stop();
  });
});
