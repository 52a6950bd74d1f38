// Sign-in and code-redemption throttling (issue 14, "Denial of service and enumeration"): the
// reproductions, each a test named after it. The server trusts 127.0.0.1 as a proxy
// (KITH_TRUSTED_PROXIES), so each test chooses its client addresses with X-Forwarded-For, and it
// hashes passwords at full cost (KITH_FAST_HASHING=0) so that timings mean what they would in
// production.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { DEMO_PASSWORD, KithServer, leoCarterId } from './harness.mjs';

let server;
let anon;

before(async () => {
  server = await KithServer.start({ env: { KITH_TRUSTED_PROXIES: '127.0.0.1', KITH_FAST_HASHING: '0' } });
  server.paceSignIns = false; // each test uses addresses of its own
  anon = server.client();
});
after(async () => {
  await server?.dispose();
});

const signIn = (from, username, password = 'Wrong-guess-1234567') =>
  anon.post('/api/v1/session', { username, password }, { headers: { 'x-forwarded-for': from } });

async function timed(send) {
  const started = performance.now();
  const res = await send();
  return { status: res.status, ms: performance.now() - started, detail: res.body?.detail,
           retryAfter: Number(res.headers.get('retry-after')) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function passwordHashes() {
  const res = await server.client().get('/metrics');
  const m = /^kith_password_hashes_total (\d+)$/m.exec(res.text);
  assert.ok(m, 'kith_password_hashes_total is in /metrics');
  return Number(m[1]);
}

test('issue 14: a locked account answered 423 in 3 ms while an unknown username took 190 ms', async () => {
  // Five failures each for a username that exists and one that does not, each from its own address.
  const known = [];
  const unknown = [];
  for (let i = 0; i < 5; ++i) {
    known.push(await timed(() => signIn('203.0.113.10', 'sw.hughes')));
    unknown.push(await timed(() => signIn('203.0.113.11', 'no.such.user')));
  }
  const statuses = [401, 401, 401, 401, 423];
  assert.deepEqual(known.map((r) => r.status), statuses, 'the fifth failure locks the address out');
  assert.deepEqual(unknown.map((r) => r.status), statuses, 'an unknown username locks exactly alike');
  assert.equal(known[4].detail, unknown[4].detail);

  // Locked: both answer alike, and as slowly as a password check (the first failure of fresh
  // addresses), so that neither status nor timing tells whether the username exists.
  const locked = { known: [], unknown: [], check: [] };
  for (let i = 0; i < 5; ++i) {
    locked.known.push(await timed(() => signIn('203.0.113.10', 'sw.hughes')));
    locked.unknown.push(await timed(() => signIn('203.0.113.11', 'no.such.user')));
    locked.check.push(await timed(() => signIn(`198.51.100.${20 + i}`, `invented.user${i}`)));
  }
  for (const r of [...locked.known, ...locked.unknown]) {
    assert.equal(r.status, 423);
    assert.equal(r.detail, known[4].detail);
    assert.ok(r.retryAfter > 850 && r.retryAfter <= 900, `Retry-After ${r.retryAfter}`);
  }
  assert.deepEqual(locked.check.map((r) => r.status), [401, 401, 401, 401, 401]);
  const check = median(locked.check.map((r) => r.ms));
  for (const kind of ['known', 'unknown']) {
    const ms = median(locked[kind].map((r) => r.ms));
    assert.ok(ms > check * 0.5, `a locked ${kind} username answered in ${ms.toFixed(1)} ms, a password check takes ` +
                                `${check.toFixed(1)} ms`);
  }
});

test('issue 14: five requests locked anyone out for 15 minutes', async () => {
  for (let i = 0; i < 4; ++i) assert.equal((await signIn('203.0.113.30', 'sw.okafor')).status, 401);
  const fifth = await signIn('203.0.113.30', 'sw.okafor');
  assert.equal(fifth.status, 423);
  assert.equal(fifth.headers.get('retry-after'), '900');
  assert.equal((await signIn('203.0.113.30', 'sw.okafor', DEMO_PASSWORD)).status, 423,
               'the guesser\'s address is refused even the right password');
  const holder = await signIn('198.51.100.30', 'sw.okafor', DEMO_PASSWORD);
  assert.equal(holder.status, 201, 'the account holder, elsewhere, signs in');
  assert.equal(holder.body.user.locked_until, null, 'the account itself is not locked');
  await server.advance(15 * 60);
  assert.equal((await signIn('203.0.113.30', 'sw.okafor', DEMO_PASSWORD)).status, 201, 'nor after 15 minutes');
});

test('issue 14: behind the TLS proxy every user shared one sign-in rate limit and every audit record ' +
     'named the proxy\'s address', async () => {
  await server.advance(61);
  for (let i = 0; i < 20; ++i) assert.equal((await signIn('203.0.113.40', `someone.${i}`)).status, 401);
  const limited = await signIn('203.0.113.40', 'sw.hughes', DEMO_PASSWORD);
  assert.equal(limited.status, 429, 'one client address is limited');
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  // Another client behind the same proxy is not, and the audit names it, not the proxy. The
  // first entry was written by the client and is not believed; the proxy appended the second.
  const hughes = server.client();
  const res = await hughes.post('/api/v1/session', { username: 'sw.hughes', password: DEMO_PASSWORD },
                                { headers: { 'x-forwarded-for': '10.66.66.66, 198.51.100.40' } });
  assert.equal(res.status, 201);
  const leo = await leoCarterId(server);
  await hughes.get(`/api/v1/children/${leo}`, { headers: { 'x-forwarded-for': '198.51.100.40' } });
  const trail = await hughes.get(`/api/v1/children/${leo}/audit?limit=5`);
  const read = trail.body.records.find((r) => r.actor_id === res.body.user.id && r.action === 'child.read');
  assert.ok(read, JSON.stringify(trail.body.records.map((r) => r.action)));
  assert.equal(read.client, '198.51.100.40');
});

test('issue 14: 60 concurrent redeems with invented codes made a normal sign-in take 14 s', async () => {
  await server.advance(61);
  const before = await passwordHashes();
  const redeems = Array.from({ length: 60 }, (_, i) => anon.post('/api/v1/family/redeem', {
    code: `ABCD-EFGH-${String(1000 + i)}`, child_date_of_birth: '2019-03-14', postcode: 'NB1 4QT',
    username: `invented.parent${i}`, password: 'Copper-willow-meadow-55', display_name: 'Invented',
  }, { headers: { 'x-forwarded-for': `192.0.2.${i + 1}` } }));
  const signedIn = timed(() => signIn('198.51.100.50', 'sw.taylor', DEMO_PASSWORD));
  const [results, normal] = await Promise.all([Promise.all(redeems), signedIn]);
  for (const r of results) assert.equal(r.status, 404, r.text);
  assert.equal(normal.status, 201);
  assert.ok(normal.ms < 3000, `a normal sign-in took ${normal.ms.toFixed(0)} ms during the flood`);
  assert.equal(await passwordHashes() - before, 1, 'only the sign-in checked a password');
});

test('the code redemption is limited per address before any work', async () => {
  await server.advance(61);
  const before = await passwordHashes();
  const redeem = () => anon.post('/api/v1/family/redeem', {
    code: 'ABCD-EFGH-JKMN', child_date_of_birth: '2019-03-14', postcode: 'NB1 4QT', username: 'guessing.parent',
    password: 'Copper-willow-meadow-55', display_name: 'Guessing',
  }, { headers: { 'x-forwarded-for': '203.0.113.60' } });
  for (let i = 0; i < 10; ++i) assert.equal((await redeem()).status, 404);
  const limited = await redeem();
  assert.equal(limited.status, 429);
  assert.equal(limited.body.code, 'rate_limited');
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  assert.equal(await passwordHashes(), before);
});

test('the server stops cleanly on SIGTERM', async () => {
  await server.close();
});
