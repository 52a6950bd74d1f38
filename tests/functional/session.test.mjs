// Signing in and out, lockout, session expiry and the TOTP second factor, against the real
// server. Time moves only through the test clock.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { DEMO_PASSWORD, KithServer, signedIn, totp } from './harness.mjs';

let server;
let adminSecret; // admin.lee's TOTP secret, once enrolled
before(async () => {
  server = await KithServer.start();
});
after(async () => {
  await server?.dispose();
});

describe('sign-in', () => {
  test('the right password opens a session with an HttpOnly, SameSite=Strict cookie', async () => {
    const c = server.client();
    const res = await c.post('/api/v1/session', { username: 'sw.hughes', password: DEMO_PASSWORD });
    assert.equal(res.status, 201);
    assert.equal(res.body.state, 'complete');
    assert.equal(res.body.user.username, 'sw.hughes');
    assert.match(res.setCookie, /^kith_session=[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+/);
    const me = await c.get('/api/v1/session');
    assert.equal(me.status, 200);
    assert.equal(me.body.user.id, res.body.user.id);
    assert.equal(me.body.csrf_token, res.body.csrf_token);
  });

  test('a wrong password and an unknown user get the same answer and no cookie', async () => {
    const wrong = await server.client().post('/api/v1/session', { username: 'sw.okafor', password: 'not-the-password-1' });
    const unknown = await server.client().post('/api/v1/session', { username: 'no.such.user', password: DEMO_PASSWORD });
    for (const res of [wrong, unknown]) {
      assert.equal(res.status, 401);
      assert.equal(res.body.code, 'unauthenticated');
      assert.equal(res.setCookie, null);
    }
    assert.equal(wrong.body.detail, unknown.body.detail);
    assert.equal(wrong.body.title, unknown.body.title);
    assert.equal(wrong.headers.get('www-authenticate'), unknown.headers.get('www-authenticate'));
  });

  test('five failures from one address lock it out of the account: 423 with Retry-After, even for the right ' +
       'password', async () => {
    const attempt = (password) => server.client().post('/api/v1/session', { username: 'gp.walsh', password });
    for (let i = 1; i <= 4; ++i) assert.equal((await attempt(`wrong-password-${i}x`)).status, 401, `attempt ${i}`);
    const fifth = await attempt('wrong-password-5x');
    assert.equal(fifth.status, 423);
    assert.equal(fifth.body.code, 'locked');
    assert.equal(Number(fifth.headers.get('retry-after')), 15 * 60);

    await server.advance(10 * 60);
    const stillLocked = await attempt(DEMO_PASSWORD);
    assert.equal(stillLocked.status, 423);
    const wait = Number(stillLocked.headers.get('retry-after'));
    assert.ok(wait > 0 && wait <= 5 * 60, `Retry-After ${wait} counts down`);

    await server.advance(wait + 1);
    assert.equal((await attempt(DEMO_PASSWORD)).status, 201);
  });

  test('malformed sign-in bodies are refused with the field named', async () => {
    const c = server.client();
    const missing = await c.post('/api/v1/session', { username: 'sw.hughes' });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.field, 'password');
    const extra = await c.post('/api/v1/session', { username: 'sw.hughes', password: DEMO_PASSWORD, remember: true });
    assert.equal(extra.status, 400);
    assert.equal(extra.body.field, 'remember');
  });
});

describe('session lifetime', () => {
  test('a session ends after 30 minutes without use', async () => {
    const c = await signedIn(server, 'sw.taylor');
    await server.advance(29 * 60);
    assert.equal((await c.get('/api/v1/session')).status, 200, 'used within 30 minutes');
    await server.advance(29 * 60);
    assert.equal((await c.get('/api/v1/me/children')).status, 200, 'use keeps it alive');
    await server.advance(31 * 60);
    const expired = await c.get('/api/v1/session');
    assert.equal(expired.status, 401);
    assert.equal(expired.body.code, 'unauthenticated');
    assert.match(expired.body.detail, /expired/);
    assert.equal((await c.get('/api/v1/session')).status, 401, 'and stays ended');
  });

  test('a session ends 12 hours after sign-in however busy it is', async () => {
    const c = await signedIn(server, 'sw.evans');
    let elapsed = 0;
    while (elapsed + 29 <= 12 * 60) {
      await server.advance(29 * 60);
      elapsed += 29;
      assert.equal((await c.get('/api/v1/session')).status, 200, `after ${elapsed} minutes`);
    }
    await server.advance(29 * 60);
    const expired = await c.get('/api/v1/session');
    assert.equal(expired.status, 401, `after ${elapsed + 29} minutes`);
    assert.match(expired.body.detail, /expired/);
  });

  test('signing out needs the CSRF token, clears the cookie and ends the session', async () => {
    const c = await signedIn(server, 'sw.okafor');
    const cookie = c.cookie;
    assert.equal((await c.delete('/api/v1/session', { csrf: false })).status, 403);
    const out = await c.delete('/api/v1/session');
    assert.equal(out.status, 204);
    assert.match(out.setCookie, /^kith_session=; .*Max-Age=0/);
    c.cookie = cookie; // a copied cookie is worthless after sign-out
    assert.equal((await c.get('/api/v1/session')).status, 401);
  });
});

describe('second factor', () => {
  test('the tests compute TOTP codes as RFC 6238 does (its SHA-1 test vectors, 6 digits)', () => {
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // "12345678901234567890"
    assert.equal(totp(secret, 59_000), '287082');
    assert.equal(totp(secret, 1_111_111_109_000), '081804');
    assert.equal(totp(secret, 1_234_567_890_000), '005924');
    assert.equal(totp(secret, 20_000_000_000_000), '353130');
  });

  test('a practitioner enrols; the next sign-in needs a code before any child data', async () => {
    const before = await signedIn(server, 'hv.mensah'); // another device, signed in before enrolment
    const c = await signedIn(server, 'hv.mensah');
    const secret = await c.enrol();
    assert.equal((await c.get('/api/v1/me/children')).status, 200, 'the enrolling session is complete');
    assert.equal((await before.get('/api/v1/session')).status, 401, 'enrolment ends the other sessions');

    const next = server.client();
    const signIn = await next.post('/api/v1/session', { username: 'hv.mensah', password: DEMO_PASSWORD });
    assert.equal(signIn.status, 201);
    assert.equal(signIn.body.state, 'second_factor_required');
    assert.equal(signIn.body.user.second_factor_enrolled, true);

    const refused = await next.get('/api/v1/me/children');
    assert.equal(refused.status, 401);
    assert.equal(refused.body.code, 'second_factor_required');
    assert.equal((await next.get('/api/v1/session')).body.state, 'second_factor_required');

    const wrong = await next.post('/api/v1/session/second-factor', { code: await server.wrongTotp(secret) });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.code, 'unauthenticated');

    const code = await server.totp(secret);
    const done = await next.post('/api/v1/session/second-factor', { code });
    assert.equal(done.status, 200);
    assert.equal(done.body.state, 'complete');
    assert.equal((await next.get('/api/v1/me/children')).status, 200);
    const again = await next.post('/api/v1/session/second-factor', { code });
    assert.equal(again.status, 409, 'no code is due once complete');
  });

  test('an administrator must enrol before anything else', async () => {
    const c = server.client();
    const signIn = await c.post('/api/v1/session', { username: 'admin.lee', password: DEMO_PASSWORD });
    assert.equal(signIn.status, 201);
    assert.equal(signIn.body.state, 'enrolment_required');
    for (const p of ['/api/v1/users', '/api/v1/me/children', '/api/v1/authorities']) {
      const res = await c.get(p);
      assert.equal(res.status, 401, p);
      assert.equal(res.body.code, 'second_factor_required', p);
    }
    const confirmFirst = await c.post('/api/v1/me/second-factor/enrolment/confirm', { code: '123456' });
    assert.equal(confirmFirst.status, 409, 'nothing to confirm before enrolment starts');

    const secret = await c.enrol();
    adminSecret = secret;
    assert.equal((await c.get('/api/v1/users')).status, 200);

    const next = server.client();
    assert.equal((await next.post('/api/v1/session', { username: 'admin.lee', password: DEMO_PASSWORD })).body.state,
                 'second_factor_required');
    assert.equal((await next.get('/api/v1/users')).status, 401);
    assert.equal((await next.post('/api/v1/session/second-factor', { code: await server.totp(secret) })).status, 200);
    assert.equal((await next.get('/api/v1/users')).status, 200);
  });

  test('changing the second factor more than 5 minutes after sign-in needs the password again', async () => {
    const c = await signedIn(server, 'sn.price');
    await server.advance(6 * 60);
    const bare = await c.post('/api/v1/me/second-factor/enrolment', {});
    assert.equal(bare.status, 401);
    assert.equal(bare.body.field, 'password');
    const wrong = await c.post('/api/v1/me/second-factor/enrolment', { password: 'not-my-password-at-all' });
    assert.equal(wrong.status, 401);
    const right = await c.post('/api/v1/me/second-factor/enrolment', { password: DEMO_PASSWORD });
    assert.equal(right.status, 201);
    assert.match(right.body.otpauth_uri, new RegExp(`secret=${right.body.secret}&`));
    const badCode = await c.post('/api/v1/me/second-factor/enrolment/confirm',
                                 { code: await server.wrongTotp(right.body.secret) });
    assert.equal(badCode.status, 400);
    assert.equal(badCode.body.field, 'code');
    const code = await server.totp(right.body.secret);
    assert.equal((await c.post('/api/v1/me/second-factor/enrolment/confirm', { code })).status, 200);
  });
});

describe('second factor abuse', () => {
  test('five wrong codes lock the account and end its sessions', async () => {
    const enrolled = await signedIn(server, 'mw.roberts');
    const secret = await enrolled.enrol();
    const c = server.client();
    assert.equal((await c.post('/api/v1/session', { username: 'mw.roberts', password: DEMO_PASSWORD })).status, 201);
    for (let i = 1; i <= 4; ++i) {
      const res = await c.post('/api/v1/session/second-factor', { code: await server.wrongTotp(secret) });
      assert.equal(res.status, 401, `code ${i}`);
    }
    const fifth = await c.post('/api/v1/session/second-factor', { code: await server.wrongTotp(secret) });
    assert.equal(fifth.status, 423);
    assert.equal(Number(fifth.headers.get('retry-after')), 15 * 60);
    assert.equal((await c.get('/api/v1/session')).status, 401, 'the half-open session is gone');
    assert.equal((await enrolled.get('/api/v1/session')).status, 401, 'so are the user\'s other sessions');
    const again = await server.client().post('/api/v1/session', { username: 'mw.roberts', password: DEMO_PASSWORD });
    assert.equal(again.status, 423);
  });

  test('wrong codes spread over several sign-ins still lock the account',
       async () => {
    const enrolled = await signedIn(server, 'yw.ali');
    const secret = await enrolled.enrol();
    const statuses = [];
    for (let round = 0; round < 2; ++round) {
      const c = await signedIn(server, 'yw.ali');
      for (let i = 0; i < 4; ++i) {
        statuses.push((await c.post('/api/v1/session/second-factor', { code: await server.wrongTotp(secret) })).status);
      }
    }
    assert.ok(statuses.includes(423), `eight wrong codes in two sign-ins: ${statuses.join(' ')}`);
  });

  test('a code cannot be used twice', async () => {
    const enrolled = await signedIn(server, 'ed.kaur');
    const secret = await enrolled.enrol();
    await server.advance(30); // a step the enrolment did not use
    const code = await server.totp(secret);
    const first = await signedIn(server, 'ed.kaur');
    // signedIn stops at second_factor_required; finish it with the code
    assert.equal((await first.post('/api/v1/session/second-factor', { code })).status, 200);
    const second = await signedIn(server, 'ed.kaur');
    assert.equal((await second.post('/api/v1/session/second-factor', { code })).status, 401);
  });

  test('disabling a user ends their sessions; sign-in then says the account is disabled', async () => {
    const admin = await signedIn(server, 'admin.lee', DEMO_PASSWORD, { totpSecret: adminSecret });
    const victim = await signedIn(server, 'ho.green');
    const user = await admin.get('/api/v1/users/Uho_green');
    const off = await admin.patch('/api/v1/users/Uho_green', { version: user.body.version, active: false });
    assert.equal(off.status, 200);
    assert.equal(off.body.active, false);
    assert.equal((await victim.get('/api/v1/session')).status, 401);
    const signIn = await server.client().post('/api/v1/session', { username: 'ho.green', password: DEMO_PASSWORD });
    assert.equal(signIn.status, 401);
    assert.match(signIn.body.detail, /disabled/);
    const wrong = await server.client().post('/api/v1/session', { username: 'ho.green', password: 'wrong-password-here' });
    assert.doesNotMatch(wrong.body.detail, /disabled/, 'only the right password learns the account is disabled');
  });
});

test('the server stops cleanly on SIGTERM', async () => {
  await server.close();
});
