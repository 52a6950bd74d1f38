// Issue 16, part 2: two `kith serve` processes over one PostgreSQL database behave as one system
// for who may act. A session opened on one node is valid on the other; a sign-out, a disabled
// user or a changed role on one node counts on the other's very next request (its session and
// account caches check the database's store versions before serving: storage/store.h,
// IdentityVersion and RecordsVersion); a write acknowledged by one node is seen by the next read
// on the other; a child created or changed on one node is found by search on the other within
// two seconds (the change feed, app/change_follower.h); an entry written on one node reaches
// live-updates connections on the other (app/live_relay.h); one idempotency key sent to both
// nodes at once makes one change (app/idempotency_service.h); the sign-in limit per address counts
// the attempts of both nodes together (app/store_rate_limiter.h); an index import is sent to
// either node, answered for by either, and finished by the other when the node running it is
// killed (app/import_jobs.h: jobs and their parts in the database).
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

describe('index imports across nodes (jobs in the database)', () => {
  const csv = (c, path, body) => c.request('POST', path, { raw: body, contentType: 'text/csv' });
  // A feed of `rows` children unlike each other and unlike anyone in the demo (a xorshift from
  // `seed`: each feed of this file its own, or one feed's children match the other's).
  function feed(source, prefix, rows, seed) {
    const random = (n) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const two2 = (n) => String(n).padStart(2, '0');
    const lines = ['record_id,source,given_name,family_name,date_of_birth,sex,postcode'];
    for (let i = 0; i < rows; ++i) {
      const family = Array.from({ length: 8 }, () => String.fromCharCode(97 + random(26))).join('');
      lines.push(`${prefix}${i},${source},${['Amelia', 'Oliver', 'Isla', 'Noah', 'Ava'][random(5)]},` +
                 `${family[0].toUpperCase()}${family.slice(1)},${2008 + random(10)}-${two2(1 + random(12))}-` +
                 `${two2(1 + random(28))},${random(2) ? 'M' : 'F'},NB${1 + random(9)} ${random(10)}AB`);
    }
    return Buffer.from(`${lines.join('\n')}\n`);
  }
  async function waitDone(c, id, seconds = 120) {
    const start = performance.now();
    for (;;) {
      const res = await c.get(`/api/v1/index/imports/${id}?wait_seconds=30`);
      assert.equal(res.status, 200, res.text);
      if (res.body.state === 'done' || res.body.state === 'failed') return res.body;
      assert.ok(performance.now() - start < seconds * 1000, `not finished in ${seconds} s: ${res.text}`);
    }
  }

  test('an import started on one node takes its last part on the other, which answers the long poll', async () => {
    const onOne = await signedIn(one, 'dq.shah');
    const onTwo = onOtherNode(onOne, two);
    const file = feed('Cluster Roll', 'C', 300, 7);
    const half = 5000;
    const started = await csv(onOne, '/api/v1/index/imports?last=false&filename=roll.csv', file.subarray(0, half));
    assert.equal(started.status, 202, started.text);
    assert.equal(started.body.state, 'receiving');
    const id = started.body.id;
    // Node two knows it at once, and refuses a part that does not follow on.
    const seen = await onTwo.get(`/api/v1/index/imports/${id}`);
    assert.equal(seen.status, 200, seen.text);
    assert.equal(seen.body.bytes_received, half);
    const stale = await csv(onTwo, `/api/v1/index/imports/${id}/parts?offset=0&last=true`, file.subarray(half));
    assert.equal(stale.status, 409, stale.text);
    const last = await csv(onTwo, `/api/v1/index/imports/${id}/parts?offset=${half}&last=true`, file.subarray(half));
    assert.equal(last.status, 202, last.text);
    assert.equal(last.body.parts, 2);
    const t0 = performance.now();
    const done = await waitDone(onTwo, id);
    console.log(`  import of 300 rows sent to both nodes: done on the long poll of node two after ${since(t0)} ms`);
    assert.equal(done.state, 'done', JSON.stringify(done));
    assert.equal(done.bytes_received, file.length);
    assert.equal(done.rows_read, 300);
    assert.equal(done.created + done.matched + done.queued_for_review, 300);
    // One run: one summary record, whichever node ran it; both list it.
    assert.equal(Number(sqlValue(one.dataDir, `SELECT count(*) FROM audit_log WHERE action = 'index.import' AND detail LIKE '%"rows":300%'`)), 1);
    for (const c of [onOne, onTwo]) {
      const listed = await c.get('/api/v1/index/imports');
      assert.ok(listed.body.imports.some((j) => j.id === id && j.state === 'done'), listed.text);
    }
    assert.equal(Number(sqlValue(one.dataDir, `SELECT count(*) FROM import_parts WHERE import_id = '${id}'`)), 0,
                 'its parts are deleted once it finished');
  });

  test('when the node running an import is killed, the other node finishes it; the rows written are not written twice',
       { timeout: 300_000 }, async () => {
    const ROWS = 8_000;
    const source = 'Cluster Kill Roll';
    const file = feed(source, 'K', ROWS, 1013);
    const onOne = await signedIn(one, 'dq.shah');
    // The nodes' clocks, which stand still, at least 5 s apart: a job's started_at then names the
    // node whose worker claimed it.
    const [oneAt, twoAt] = [await one.now(), await two.now()];
    if (Math.abs(oneAt - twoAt) < 5000) await two.advance(Math.ceil((Math.max(oneAt, twoAt) - twoAt) / 1000) + 5);
    const part = 1_000_000;
    let res = await csv(onOne, `/api/v1/index/imports?last=${file.length <= part}`, file.subarray(0, part));
    assert.equal(res.status, 202, res.text);
    const id = res.body.id;
    for (let at = part; at < file.length; at += part) {
      res = await csv(onOne, `/api/v1/index/imports/${id}/parts?offset=${at}&last=${at + part >= file.length}`,
                      file.subarray(at, at + part));
      assert.equal(res.status, 202, res.text);
    }
    // Wait until some batches are written, then kill the node that runs it. Which node that is
    // is read from the job's row: the worker that claimed it wrote its own node's clock into
    // started_at, and each test build's clock stands still (the two nodes' clocks are made to
    // differ by seconds first, before the last part is sent; see below).
    let written = 0;
    for (const t0 = performance.now(); written === 0; await new Promise((r) => setTimeout(r, 20))) {
      const job = await onOne.get(`/api/v1/index/imports/${id}`);
      assert.ok(job.body.state === 'queued' || job.body.state === 'running', job.text);
      written = job.body.imported;
      assert.ok(performance.now() - t0 < 120_000, `no batch written in 120 s: ${job.text}`);
    }
    const claimed = sqlValue(one.dataDir, `SELECT state || '|' || attempts || '|' ||
        floor(extract(epoch FROM started_at) * 1000)::bigint FROM import_jobs WHERE id = '${id}'`).split('|');
    assert.deepEqual(claimed.slice(0, 2), ['running', '1'], `claimed once, and running: ${claimed}`);
    const startedMs = Number(claimed[2]);
    const [oneNow, twoNow] = [await one.now(), await two.now()];
    const runsOnOne = Math.abs(startedMs - oneNow) < 1000;
    const runsOnTwo = Math.abs(startedMs - twoNow) < 1000;
    assert.ok(runsOnOne !== runsOnTwo,
              `started_at ${startedMs} names one node's clock (node one ${oneNow}, node two ${twoNow})`);
    const [victim, survivor] = runsOnOne ? [one, two] : [two, one];
    // Each test build's clock stands still from its start: the survivor's must pass the dead
    // node's by more than the lease's stale time (kImportLeaseStale, five minutes).
    const victimNow = await victim.now();
    await victim.crash();
    const onSurvivor = onOtherNode(onOne, survivor);
    const behind = Math.max(0, Math.ceil((victimNow - (await survivor.now())) / 1000));
    await survivor.advance(behind + 5 * 60 + 1);
    const t1 = performance.now();
    const done = await waitDone(onSurvivor, id, 240);
    console.log(`  import of ${ROWS} rows killed after ${written} rows written on its node: finished by the other ` +
                `${since(t1)} ms after the clock passed the stale lease (created ${done.created}, unchanged ${done.unchanged})`);
    assert.equal(done.state, 'done', JSON.stringify(done));
    // Run twice: claimed by the killed node, then taken over by the survivor (a run cut off by a
    // death counts as an attempt).
    assert.equal(sqlValue(survivor.dataDir, `SELECT attempts FROM import_jobs WHERE id = '${id}'`), '2');
    assert.equal(done.rows_read, ROWS);
    assert.ok(done.unchanged >= written, `the ${written} rows written before the kill are found unchanged: ${done.unchanged}`);
    assert.equal(done.created + done.matched + done.queued_for_review + done.unchanged, ROWS);
    // Each row once, and each child made once (every creation audited once, by either run).
    assert.equal(sqlValue(survivor.dataDir, `SELECT count(*) || '|' || count(DISTINCT record_id) FROM source_records WHERE source = '${source}'`),
                 `${ROWS}|${ROWS}`);
    assert.equal(sqlValue(survivor.dataDir, `SELECT count(DISTINCT child_id) FROM source_records WHERE source = '${source}'`),
                 sqlValue(survivor.dataDir, `SELECT count(*) FROM audit_log WHERE action = 'index.import.create' AND detail LIKE '%"source":"${source}"%'`));
    // The killed node comes back over the same database, for the tests that follow.
    const back = await KithServer.start({ dataDir: victim.dataDir, ownsDataDir: victim.ownsDataDir });
    if (runsOnOne) one = back;
    else two = back;
    one.paceSignIns = false;
    two.paceSignIns = false;
    // Its clock starts at the real time: the nodes' clocks are brought together again (forward).
    const [c1, c2] = [await one.now(), await two.now()];
    if (c1 < c2) await one.advance(Math.ceil((c2 - c1) / 1000));
    else if (c2 < c1) await two.advance(Math.ceil((c1 - c2) / 1000));
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
