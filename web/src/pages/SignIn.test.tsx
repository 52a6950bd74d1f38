import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { SignIn } from './SignIn';
import { mockFetch, problem } from '../test/fetch';
import { csrf } from '../api';

const user = { id: 'U1', username: 'sw.hughes', display_name: 'Sam Hughes', role: 'practitioner' };

describe('SignIn', () => {
  afterEach(cleanup);

  it('signs in with a password and hands over the session with its CSRF token', async () => {
    const { calls } = mockFetch({ 'POST /api/v1/session': { status: 201, body: { user, state: 'complete', csrf_token: 'c1' } } });
    const onSession = vi.fn();
    render(<SignIn session={null} onSession={onSession} />);
    fireEvent.input(screen.getByLabelText('Username'), { target: { value: 'sw.hughes' } });
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'secret-pass' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(onSession).toHaveBeenCalled());
    expect(calls[0].body).toEqual({ username: 'sw.hughes', password: 'secret-pass' });
    expect(onSession.mock.calls[0][0].state).toBe('complete');
    expect(csrf()).toBe('c1');
  });

  it('shows the server’s problem clearly when sign-in fails', async () => {
    mockFetch({ 'POST /api/v1/session': problem(401, 'unauthenticated', 'The username or password is wrong.') });
    render(<SignIn session={null} onSession={vi.fn()} />);
    fireEvent.input(screen.getByLabelText('Username'), { target: { value: 'sw.hughes' } });
    fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'not-the-password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('The username or password is wrong.')).toBeTruthy();
    expect(screen.getByTestId('form-error').textContent).toContain('There is a problem');
  });

  it('says what to enter when the form is empty, without asking the server', async () => {
    const { calls } = mockFetch({});
    render(<SignIn session={null} onSession={vi.fn()} />);
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const summary = await screen.findByTestId('form-error');
    expect([...summary.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['Enter your username', 'Enter your password']);
    expect(summary.querySelector('a')!.getAttribute('href')).toBe('#signin-username');
    expect(document.getElementById('signin-username-error')!.textContent).toContain('Enter your username');
    expect(calls).toHaveLength(0);
  });

  it('asks for the code when a second factor is due and sends it', async () => {
    const { calls } = mockFetch({ 'POST /api/v1/session/second-factor': { body: { user, state: 'complete', csrf_token: 'c2' } } });
    const onSession = vi.fn();
    render(<SignIn session={{ user: user as never, state: 'second_factor_required', csrf_token: 'c1', session_started_at: '2026-11-20T10:00:00Z' }} onSession={onSession} />);
    expect(screen.getByRole('heading', { name: 'Enter your code' })).toBeTruthy();
    fireEvent.input(screen.getByLabelText('Code from your authenticator app'), { target: { value: '123 456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await waitFor(() => expect(onSession).toHaveBeenCalled());
    expect(calls[0].body).toEqual({ code: '123456' });
  });

  it('enrols: shows the key for manual entry and confirms with a code', async () => {
    const { calls } = mockFetch({
      'POST /api/v1/me/second-factor/enrolment': { status: 201, body: { secret: 'JBSWY3DPEHPK3PXP', otpauth_uri: 'otpauth://totp/Kith:admin.lee?secret=JBSWY3DPEHPK3PXP' } },
      'POST /api/v1/me/second-factor/enrolment/confirm': { body: { user, state: 'complete', csrf_token: 'c3' } },
    });
    const onSession = vi.fn();
    render(<SignIn session={{ user: user as never, state: 'enrolment_required', csrf_token: 'c1', session_started_at: '2026-11-20T10:00:00Z' }} onSession={onSession} />);
    expect((await screen.findByTestId('totp-secret')).textContent).toBe('JBSW Y3DP EHPK 3PXP');
    fireEvent.input(screen.getByLabelText('Code from your authenticator app'), { target: { value: '654321' } });
    fireEvent.click(screen.getByRole('button', { name: 'Finish setting up' }));
    await waitFor(() => expect(onSession).toHaveBeenCalled());
    expect(calls.at(-1)!.body).toEqual({ code: '654321' });
  });
});
