// Sign in: password, then the second factor (a code from an authenticator app), or — the first
// time, when the user's role requires one — enrolment of that authenticator via a QR code.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { adopt } from '../session';
import type { Session } from '../types';
import { Button, check, FormErrors, TextField, useProblems } from '../components/ui';

interface Props {
  session: Session | null;
  onSession: (s: Session | null) => void;
}

export function SignIn({ session, onSession }: Props) {
  // The password is kept only in memory, only until enrolment has started.
  const password = useRef('');
  if (session?.state === 'second_factor_required') return <SecondFactor onSession={onSession} />;
  if (session?.state === 'enrolment_required') return <Enrol password={password} onSession={onSession} />;
  return <Password password={password} onSession={onSession} />;
}

function useTitle(t: string) {
  useEffect(() => {
    document.title = `${t} – Kith`;
    const h = document.querySelector<HTMLElement>('main h1');
    if (h) {
      h.setAttribute('tabindex', '-1');
    }
  }, [t]);
}

function Password({ password, onSession }: { password: { current: string }; onSession: (s: Session) => void }) {
  useTitle('Sign in');
  const [username, setUsername] = useState('');
  const [pw, setPw] = useState('');
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!problems.passes(check([['username', !username.trim() && 'Enter your username'], ['password', !pw && 'Enter your password']]))) return;
    setBusy(true);
    try {
      const s = await api.post('/api/v1/session', { username: username.trim(), password: pw }, { quiet401: true });
      password.current = pw;
      onSession(adopt(s));
    } catch (err) {
      problems.fail(err);
      setBusy(false);
    }
  };
  return (
    <div class="kith-grid">
    <div class="kith-card">
      <h1 class="govuk-heading-l">Sign in to Kith</h1>
      <p class="govuk-body">
        Use the account your local authority gave you. A parent, carer or young person with an invitation code can{' '}
        <a class="govuk-link" href="#/redeem" data-testid="redeem-link">make their family account</a>.
      </p>
      <FormErrors error={problems.error} errors={problems.errors} idPrefix="signin">
        <form onSubmit={submit} noValidate>
          <TextField id="signin-username" label="Username" value={username} onInput={setUsername} autocomplete="username" spellcheck={false} required width="20" />
          <TextField id="signin-password" label="Password" type="password" value={pw} onInput={setPw} autocomplete="current-password" required width="20" />
          <Button busy={busy} testid="sign-in">Sign in</Button>
        </form>
      </FormErrors>
    </div>
    <section class="kith-sign-in-about" aria-labelledby="about-h">
      <h2 class="govuk-heading-m" id="about-h">
        About Kith
      </h2>
      <p class="govuk-body">
        Kith connects the professionals around a child — social workers, teachers, health visitors, GPs, police — so that small
        worries held by different agencies are seen together, early.
      </p>
      <p class="govuk-body">
        You see a child's account only if you are on their team. Every search and every view is recorded with your reason.
      </p>
      <p class="govuk-body">Forgotten your password, or lost your phone? Contact your local authority's Kith administrator.</p>
    </section>
    </div>
  );
}

function codeProblem(code: string): string | undefined {
  if (!code) return 'Enter the code from your authenticator app';
  if (!/^\d{6}$/.test(code)) return 'Enter the 6-digit code from your authenticator app';
  return undefined;
}

function CodeField({ id, value, onInput, error }: { id: string; value: string; onInput: (v: string) => void; error?: string }) {
  return (
    <TextField
      id={id}
      label="Code from your authenticator app"
      hint="The 6-digit code, for example 123456"
      value={value}
      onInput={(v) => onInput(v.replace(/\s+/g, ''))}
      autocomplete="one-time-code"
      inputMode="numeric"
      width="5"
      maxLength={10}
      required
      error={error}
    />
  );
}

function SecondFactor({ onSession }: { onSession: (s: Session | null) => void }) {
  useTitle('Enter your code');
  const [code, setCode] = useState('');
  const problems = useProblems();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!problems.passes(check([['code', codeProblem(code)]]))) return;
    setBusy(true);
    try {
      onSession(adopt(await api.post('/api/v1/session/second-factor', { code }, { quiet401: true })));
    } catch (err) {
      problems.fail(err);
      setBusy(false);
    }
  };
  return (
    <div class="kith-card kith-card--narrow">
      <h1 class="govuk-heading-l">Enter your code</h1>
      <p class="govuk-body">Open the authenticator app on your phone and enter the code it shows for Kith.</p>
      <FormErrors error={problems.error} errors={problems.errors} idPrefix="sf">
        <form onSubmit={submit} noValidate>
          <CodeField id="sf-code" value={code} onInput={setCode} />
          <div class="govuk-button-group">
            <Button busy={busy} testid="verify-code">Continue</Button>
            <button type="button" class="govuk-button govuk-button--secondary" onClick={() => api.del('/api/v1/session', { quiet401: true }).finally(() => onSession(null))}>
              Cancel
            </button>
          </div>
        </form>
      </FormErrors>
    </div>
  );
}

function QrImage({ uri }: { uri: string }) {
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    let live = true;
    // The QR library loads only here, on the enrolment step.
    import('qrcode')
      .then((m) => m.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 1, width: 200 }))
      .then((d) => live && setSrc(d), () => undefined);
    return () => {
      live = false;
    };
  }, [uri]);
  if (!src) return <p class="govuk-body kith-loading">Preparing the QR code…</p>;
  return <img class="kith-qr" src={src} alt="QR code to scan with your authenticator app (the key is also shown as text below)" data-testid="qr" />;
}

function Enrol({ password, onSession }: { password: { current: string }; onSession: (s: Session | null) => void }) {
  useTitle('Set up your authenticator');
  const [enrolment, setEnrolment] = useState<{ secret: string; otpauth_uri: string }>();
  const [needPassword, setNeedPassword] = useState(false);
  const [pw, setPw] = useState('');
  const [code, setCode] = useState('');
  const problems = useProblems();
  const [busy, setBusy] = useState(false);

  const begin = async (with_password: string) => {
    problems.clear();
    try {
      const e = await api.post('/api/v1/me/second-factor/enrolment', with_password ? { password: with_password } : {},
        { quiet401: true },
      );
      password.current = '';
      setEnrolment(e);
      setNeedPassword(false);
    } catch (err) {
      const e = err as ApiError;
      if (e.status === 401 && e.code === 'unauthenticated') setNeedPassword(true);
      if (with_password || e.status !== 401) problems.fail(e);
    }
  };
  useEffect(() => {
    begin(password.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const confirm = async (e: Event) => {
    e.preventDefault();
    if (!problems.passes(check([['code', codeProblem(code)]]))) return;
    setBusy(true);
    try {
      onSession(adopt(await api.post('/api/v1/me/second-factor/enrolment/confirm', { code }, { quiet401: true })));
    } catch (err) {
      problems.fail(err);
      setBusy(false);
    }
  };

  return (
    <div class="kith-card kith-card--narrow">
      <h1 class="govuk-heading-l">Set up your authenticator</h1>
      <p class="govuk-body">
        Your role needs a second factor. Install an authenticator app on your work phone, then add Kith to it by scanning the QR
        code or typing the key.
      </p>
      <FormErrors error={problems.error} errors={problems.errors} idPrefix="enrol">
      {needPassword && !enrolment && (
        <form onSubmit={(e) => { e.preventDefault(); if (problems.passes(check([['password', !pw && 'Enter your password']]))) begin(pw); }} noValidate>
          <TextField id="enrol-password" label="Confirm your password" type="password" value={pw} onInput={setPw} autocomplete="current-password" width="20" required />
          <Button>Continue</Button>
        </form>
      )}
      {enrolment && (
        <>
          <h2 class="govuk-heading-m">1. Add Kith to your app</h2>
          <QrImage uri={enrolment.otpauth_uri} />
          <p class="govuk-body">Cannot scan? Enter this key in the app instead:</p>
          <p class="kith-secret" data-testid="totp-secret">
            {enrolment.secret.replace(/(.{4})/g, '$1 ').trim()}
          </p>
          <h2 class="govuk-heading-m">2. Enter the code it shows</h2>
          <form onSubmit={confirm} noValidate>
            <CodeField id="enrol-code" value={code} onInput={setCode} />
            <Button busy={busy} testid="confirm-enrolment">Finish setting up</Button>
          </form>
        </>
      )}
      </FormErrors>
    </div>
  );
}
