// The per-address sign-in rate limit. It is keyed on the client address and every test comes
// from 127.0.0.1, so it has a server of its own.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { DEMO_PASSWORD, KithServer } from './harness.mjs';

const PER_MINUTE = 20; // app::Policy::address_attempts_per_minute

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

test('the server stops cleanly on SIGTERM', async () => {
  await server.close();
});
