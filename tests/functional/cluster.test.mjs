// Issue 16, part 2: two `kith serve` processes over one PostgreSQL database behave as one system
// for who may act. A session opened on one node is valid on the other; a sign-out, a disabled
// user or a changed role on one node counts on the other's very next request (its session and
// account caches check the database's store versions before serving: storage/store.h,
// IdentityVersion and RecordsVersion); a write acknowledged by one node is seen by the next read
// on the other; a child created or changed on one node is found by search on the other within
// two seconds (the change feed, app/change_follower.h); an entry written on one node reaches
// live-updates connections on the other (app/live_relay.h); one idempotency key sent to both
// nodes at once makes one change (app/idempotency_service.h); the sign-in limit per address counts
// the attempts of both nodes together (app/store_rate_limiter.h).
//
// PostgreSQL only (tests/functional/CMakeLists.txt): a SQLite file has one server, which keeps
// every other process away (server/db_lock.h; cli.test.mjs checks that).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { randomUUID } from 'node:crypto';

import { BACKEND, KithServer, leoCarterId, signedIn, sqlValue } from './harness.mjs';
import { closeCode, closeReason, frames, messages, openLive, serverClose, until } from './websocket.mjs';

assert.equal(BACKEND, 'postgres', 'two nodes share one database only on PostgreSQL (KITH_TEST_BACKEND=postgres)');

let one;
let two;
let leo;
let admin; // on node one

before(async () => {
  one = await KithServer.start();
  two = await KithServer.start({ dataDir: one.dataDir, ownsDataDir: false });
  // Sign-ins count against one limit per address for both nodes: the harness's pacing, which
  // counts per server, is not used here (the test makes fewer than 20 in a minute).
  one.paceSignIns = false;
  two.paceSignIns = false;
  leo = await leoCarterId(one);
  admin = one.client();
  assert.equal((await admin.signIn('admin.lee')).status, 201);
  await admin.enrol();
});
after(async () => {
  await two?.dispose();
  await one?.dispose();
});

// The same session (cookie and CSRF token) presented to the other node.
function onOtherNode(client, server) {
  const c = server.client();
  c.cookie = client.cookie;
  c.csrf = client.csrf;
  return c;
}

async function userNamed(username) {
  const res = await admin.get(`/api/v1/users/U${username.replace('.', '_')}`);
  assert.equal(res.status, 200, res.text);
  return res.body;
}

// Milliseconds from `start` (performance.now()), for the figures printed with each test.
const since = (start) => Math.round(performance.now() - start);

describe('sessions and access decisions across nodes', () => {
  test('a session opened on one node is valid on the other, and signing out on one ends it on both at once',
       async () => {
    const onOne = await signedIn(one, 'sw.hughes');
    const onTwo = onOtherNode(onOne, two);
    const me = await onTwo.get('/api/v1/session');
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.user.username, 'sw.hughes');
    assert.equal((await onTwo.get(`/api/v1/children/${leo}`)).status, 200, 'and is served (and cached) there');
    // A live-updates connection on node two, for the same session.
    const live = await openLive(two.port, onOne.cookie);

    assert.equal((await onOne.delete('/api/v1/session')).status, 204);
    const signedOutAt = performance.now();
    const after = await onTwo.get('/api/v1/session');
    assert.equal(after.status, 401, 'node two refuses the signed-out session on its very next request');
    assert.equal((await onTwo.get(`/api/v1/children/${leo}`)).status, 401);
    console.log(`sign-out on node one refused by node two ${since(signedOutAt)} ms after it was acknowledged`);
    // Node two closes its live-updates connection at its next revalidation (every 500 ms), within
    // a second of the sign-out.
    const got = await serverClose(live, 4_000);
    const closedAfter = since(signedOutAt);
    assert.equal(closeCode(got.at(-1)), 1008);
    assert.equal(closeReason(got.at(-1)), 'signed out');
    console.log(`node two closed the live-updates connection ${closedAfter} ms after the sign-out`);
    assert.ok(closedAfter <= 1_000, `closed ${closedAfter} ms after the sign-out, not within a second`);
    live.socket.destroy();
  });

  test('a user disabled on one node is refused by the other at once', async () => {
    const onTwo = await signedIn(two, 'gp.walsh');
    assert.equal((await onTwo.get('/api/v1/session')).status, 200);
    const user = await userNamed('gp.walsh');
    const disabled = await admin.patch(`/api/v1/users/${user.id}`, { version: user.version, active: false });
    assert.equal(disabled.status, 200, disabled.text);
    const refused = await onTwo.get('/api/v1/session');
    assert.equal(refused.status, 401, 'the next request on node two');
    assert.equal((await two.client().post('/api/v1/session', { username: 'gp.walsh', password: 'Northbrook-demo-2026' }))
      .status, 401, 'nor may they sign in again there');
  });

  test('a changed role on one node decides the other node\'s next answer', async () => {
    const onTwo = await signedIn(two, 'pc.davies');
    assert.equal((await onTwo.get(`/api/v1/children/${leo}`)).status, 200, 'on Leo\'s team as a practitioner');
    const user = await userNamed('pc.davies');
    const changed = await admin.patch(`/api/v1/users/${user.id}`, { version: user.version, role: 'auditor' });
    assert.equal(changed.status, 200, changed.text);
    const me = await onTwo.get('/api/v1/session');
    assert.equal(me.status, 200);
    assert.equal(me.body.user.role, 'auditor', 'node two serves the new role');
    const account = await onTwo.get(`/api/v1/children/${leo}`);
    assert.equal(account.status, 403, 'an auditor is on no team: node two no longer shows Leo\'s account');
  });

  test('a password changed on one node ends the user\'s sessions on the other at once', async () => {
    const onTwo = await signedIn(two, 'hv.mensah');
    assert.equal((await onTwo.get('/api/v1/session')).status, 200);
    const user = await userNamed('hv.mensah');
    const changed = await admin.patch(`/api/v1/users/${user.id}`,
                                      { version: user.version, password: 'Lantern-orchard-river-88' });
    assert.equal(changed.status, 200, changed.text);
    assert.equal((await onTwo.get('/api/v1/session')).status, 401, 'the next request on node two');
  });

  test('leaving a child\'s team on one node ends access to the account on the other at once', async () => {
    const onTwo = await signedIn(two, 'ey.wright');
    assert.equal((await onTwo.get(`/api/v1/children/${leo}`)).status, 200, 'on Leo\'s team: read (and cached)');
    const onOne = onOtherNode(onTwo, one);
    const left = await onOne.post(`/api/v1/children/${leo}/team/leave`, { reason: 'Family moved out of the area' });
    assert.equal(left.status, 204, left.text);
    assert.equal((await onTwo.get(`/api/v1/children/${leo}`)).status, 403, 'the next request on node two');
  });

  test('a write acknowledged by one node is seen by the next read on the other', async () => {
    const writer = await signedIn(one, 'sw.hughes');
    const reader = await signedIn(two, 'mgr.patel');
    const before = await reader.get(`/api/v1/children/${leo}`);
    assert.equal(before.status, 200, 'read (and cached) on node two');
    const current = (await writer.get(`/api/v1/children/${leo}`)).body.child;
    const { id: _i, authority_id: _a, created_at: _c, updated_at: _u, ...fields } = current;
    const written = await writer.put(`/api/v1/children/${leo}`, { ...fields, upn: 'A123456789012' });
    assert.equal(written.status, 200, written.text);
    const seen = await reader.get(`/api/v1/children/${leo}`);
    assert.equal(seen.body.child.upn, 'A123456789012', 'node two\'s account cache is not stale');
    assert.equal(seen.body.child.version, current.version + 1);
  });
});

describe('search across nodes (the change feed)', () => {
  // Polls node two's search until `found(results)` holds, at most `ms` of real time (the change
  // feed is followed on a real-time interval, so this waits for another process, not for a clock).
  async function searchUntil(client, terms, found, ms) {
    const start = performance.now();
    for (;;) {
      const res = await client.post('/api/v1/search', { ...terms, reason: 'Checking a new referral' });
      assert.equal(res.status, 200, res.text);
      if (found(res.body.results)) return since(start);
      if (performance.now() - start > ms) return null;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  test('a child created on one node is found by search on the other within two seconds, and so is a change',
       async () => {
    const writer = await signedIn(one, 'sw.hughes');
    const searcher = await signedIn(two, 'sw.okafor');
    const terms = { given_name: 'Marigold', family_name: 'Quennell' };
    const absent = await searcher.post('/api/v1/search', { ...terms, reason: 'Checking a new referral' });
    assert.ok(!absent.body.results.some((r) => r.family_name === 'Quennell'), 'not there before');
    const created = await writer.post('/api/v1/children', {
      given_names: 'Marigold', family_name: 'Quennell', date_of_birth: '2019-05-06', sex: 'female',
      postcode: 'SW1A 1AA', reason: 'Referral from the health visitor',
    });
    assert.equal(created.status, 201, created.text);
    const id = created.body.child.id;
    const start = performance.now();
    const ms = await searchUntil(searcher, terms, (results) => results.some((r) => r.child_id === id), 2_000);
    assert.ok(ms !== null, `node two did not find the child within 2 s (${since(start)} ms)`);
    console.log(`a child created on node one was found by search on node two ${ms} ms after it was acknowledged`);

    const { id: _i, authority_id: _a, created_at: _c, updated_at: _u, ...fields } = created.body.child;
    const renamed = await writer.put(`/api/v1/children/${id}`, { ...fields, family_name: 'Thistlewood' });
    assert.equal(renamed.status, 200, renamed.text);
    const ms2 = await searchUntil(searcher, { given_name: 'Marigold', family_name: 'Thistlewood' },
                                  (results) => results.some((r) => r.child_id === id && r.family_name === 'Thistlewood'),
                                  2_000);
    assert.ok(ms2 !== null, 'node two did not find the changed name within 2 s');
    console.log(`a change on node one was searchable on node two ${ms2} ms after it was acknowledged`);
  });
});

describe('live updates across nodes', () => {
  test('an entry written on one node reaches live-updates connections on the other within a second', async () => {
    const watcher = await signedIn(two, 'gp.osei');
    const writer = await signedIn(one, 'sw.hughes');
    assert.equal((await watcher.get(`/api/v1/children/${leo}`)).status, 200, 'the watcher is on Leo\'s team');
    const live = await openLive(two.port, watcher.cookie);
    const summary = `Home visit seen live on the other node ${Date.now()}`;
    const feed = () => messages(frames(live.data)).filter((m) => m.type === 'feed').map((m) => m.item.summary);
    const start = performance.now();
    const made = await writer.post(`/api/v1/children/${leo}/chronology`,
                                   { occurred_on: '2026-01-07', type: 'home_visit', significance: 'routine', summary });
    assert.equal(made.status, 201, made.text);
    await until(live, () => feed().includes(`New entry: ${summary}`), 4_000);
    const ms = since(start);
    console.log(`an entry written on node one reached a live connection on node two ${ms} ms after it was sent`);
    assert.ok(ms <= 1_000, `${ms} ms`);
    live.socket.destroy();
  });
});

describe('idempotency keys across nodes', () => {
  test('one key sent to both nodes at once makes one change, and both get its response', async () => {
    const first = await signedIn(one, 'sw.hughes');
    const clients = [first, onOtherNode(first, two)];
    const key = randomUUID();
    const body = { given_names: 'Wren', family_name: `Idemcluster${Date.now()}`, date_of_birth: '2020-03-04',
                   reason: 'Referral from the school nurse' };
    const send = (c) => c.post('/api/v1/children', body, { headers: { 'idempotency-key': key } });
    // The two race: one runs; the other finds the key in flight (here, or recorded by the other
    // node's commit: its change undone) and is told to retry with the same key.
    const answers = await Promise.all(clients.map(send));
    const made = answers.filter((a) => a.status === 201 && a.headers.get('idempotent-replayed') === null);
    assert.equal(made.length, 1, answers.map((a) => `${a.status} ${a.text}`).join('\n'));
    for (const a of answers.filter((x) => x !== made[0])) {
      const replayed = a.status === 201 && a.headers.get('idempotent-replayed') === 'true';
      const inUse = a.status === 409 && a.body.code === 'idempotency_key_in_use' && a.headers.get('retry-after') === '1';
      assert.ok(replayed || inUse, `${a.status} ${a.text}`);
    }
    // Each node, retried as Retry-After says, answers with the one response.
    for (const c of clients) {
      let again;
      for (let tries = 0; tries < 20; tries++) {
        again = await send(c);
        if (again.status !== 409) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(again.status, 201, again.text);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.equal(again.text, made[0].text, 'the stored response, byte for byte');
    }
    assert.equal(sqlValue(one.dataDir, `SELECT count(*) FROM children WHERE family_name = '${body.family_name}'`), '1');
  });
});

describe('the sign-in limit across nodes', () => {
  test('one address gets 20 sign-in attempts a minute from both nodes together, not 20 from each', async () => {
    // A fresh minute on both nodes' clocks: each test build has a clock of its own, frozen at its
    // start, and node two started a few seconds after node one; two minutes on, neither sees the
    // other's earlier attempts.
    await one.advance(120);
    await two.advance(120);
    const statuses = [];
    for (let i = 0; i < 30; ++i) {
      const node = i % 2 === 0 ? one : two;
      const res = await node.client().post('/api/v1/session', { username: `nobody.${i}`, password: 'not-the-password-1' });
      statuses.push(res.status);
    }
    assert.equal(statuses.filter((s) => s === 401).length, 20, statuses.join(' '));
    assert.deepEqual(statuses.slice(20), Array(10).fill(429), 'every attempt after the 20th is refused, on both');
  });
});

test('both servers stop cleanly on SIGTERM', async () => {
  await two.close();
  await one.close();
});
