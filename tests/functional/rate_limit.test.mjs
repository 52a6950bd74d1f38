// The per-address sign-in rate limit. It is keyed on the client address and every test comes
// from 127.0.0.1, so it has a server of its own (which trusts no proxy).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { DEMO_PASSWORD, KithServer } from './harness.mjs';

const PER_MINUTE = 20; // http::AnonymousRouteLimits

let server;
before(async () => {
  server = await KithServer.start();
  server.paceSignIns = false;
});
after(async () => {
  await server?.dispose();
});

test('more than 20 sign-in attempts a minute from one address get 429 with Retry-After', async () => {
  const attempt = (username, password) => server.client().post('/api/v1/session', { username, password });
  for (let i = 0; i < PER_MINUTE; ++i) {
    const res = await attempt(`guess.${i}`, 'password-guess-1234');
    assert.equal(res.status, 401, `attempt ${i + 1}`);
  }
  const limited = await attempt('sw.hughes', DEMO_PASSWORD);
  assert.equal(limited.status, 429, 'even the right password waits');
  assert.equal(limited.body.code, 'rate_limited');
  assert.equal(limited.setCookie, null);
  const wait = Number(limited.headers.get('retry-after'));
  assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 61, `Retry-After ${wait}`);

  await server.advance(wait - 1 > 0 ? wait - 1 : 0);
  if (wait > 1) assert.equal((await attempt('sw.hughes', DEMO_PASSWORD)).status, 429, 'not before Retry-After');
  await server.advance(1);
  const ok = await attempt('sw.hughes', DEMO_PASSWORD);
  assert.equal(ok.status, 201, 'after Retry-After the address may try again');
  assert.equal(ok.body.user.locked_until, null, 'the limit did not lock the account');
});

test('X-Forwarded-For from a client that is not a trusted proxy is ignored', async () => {
  await server.advance(61);
  const attempt = (i) => server.client().post('/api/v1/session', { username: `spoof.${i}`, password: 'password-guess-1234' },
                                              { headers: { 'x-forwarded-for': `203.0.113.${i + 1}` } });
  for (let i = 0; i < PER_MINUTE; ++i) assert.equal((await attempt(i)).status, 401, `attempt ${i + 1}`);
  assert.equal((await attempt(PER_MINUTE)).status, 429, 'a made-up address is not a new client');
});

test('the server stops cleanly on SIGTERM', async () => {
  await server.close();
});
