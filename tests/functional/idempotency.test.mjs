// Idempotency keys (SECURITY.md "Clients can retry safely"; docs/idempotency.md): a retry with
// the same key and request replays the stored response and changes nothing; a different request
// with the key is refused; a retry while the first runs waits; keys expire after 24 hours; and a
// crash between the change and its stored response never lets a retry apply the change twice.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import { KithServer, makeDataDir, removeDataDir, runCli, signedIn, sql as runSql } from './harness.mjs';

let server;
before(async () => { server = await KithServer.start({ threads: 4 }); });
after(async () => { await server?.dispose(); });

function sql(dataDir, query) {
  const out = runSql(dataDir, `${query};`);
  assert.equal(out.code, 0, out.stderr);
  return out.stdout.trim();
}

const newChild = (familyName) => ({
  given_names: 'Robin', family_name: familyName, date_of_birth: '2020-03-04', reason: 'Idempotency test',
});

function create(client, body, key, headers = {}) {
  return client.post('/api/v1/children', body, { headers: { 'idempotency-key': key, ...headers } });
}

test('a retry with the same key replays the response and changes nothing', async () => {
  const c = await signedIn(server, 'sw.okafor');
  const key = randomUUID();
  const first = await create(c, newChild('IdemReplay'), key);
  assert.equal(first.status, 201, first.text);
  assert.equal(first.headers.get('idempotent-replayed'), null);
  const id = first.body.child.id;
  // This user's audit records, by hash (unique, on every chain).
  const mine = () => sql(server.dataDir, 'SELECT a.hash, a.action, a.detail FROM audit_log a JOIN users u ' +
                         "ON u.id = a.actor_id WHERE u.username = 'sw.okafor'").split('\n');
  const before = new Set(mine().map((line) => line.split('|')[0]));

  const again = await create(c, newChild('IdemReplay'), key);
  assert.equal(again.status, 201);
  assert.equal(again.text, first.text, 'the replay is the stored body, byte for byte');
  assert.equal(again.headers.get('content-type'), first.headers.get('content-type'));
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.headers.get('set-cookie'), null);

  assert.equal(sql(server.dataDir, "SELECT count(*) FROM children WHERE family_name = 'IdemReplay'"), '1');
  assert.equal(sql(server.dataDir, `SELECT count(*) FROM audit_log WHERE action = 'child.create' AND child_id = '${id}'`),
               '1');
  // The one new audit record of this user is the replay itself, naming what was answered.
  const since = mine().filter((line) => !before.has(line.split('|')[0]));
  assert.equal(since.length, 1, since.join('\n'));
  const [, action, detail] = since[0].split('|');
  assert.equal(action, 'request.replay');
  assert.deepEqual(JSON.parse(detail), { method: 'POST', status: 201, target: '/api/v1/children' });
});

test('a replayed forum post adds no second thread, and its replay is audited against the child', async () => {
  const c = await signedIn(server, 'sw.okafor');
  const child = (await create(c, newChild('IdemForum'), randomUUID())).body.child.id;
  const key = randomUUID();
  const thread = { category: 'concern', title: 'Missed appointments', body: 'Two missed dental appointments.' };
  const opts = { headers: { 'idempotency-key': key } };
  const first = await c.post(`/api/v1/children/${child}/forum`, thread, opts);
  assert.equal(first.status, 201, first.text);
  const again = await c.post(`/api/v1/children/${child}/forum`, thread, opts);
  assert.equal(again.status, 201);
  assert.equal(again.text, first.text);
  const threads = await c.get(`/api/v1/children/${child}/forum`);
  assert.equal(threads.body.threads.length, 1);
  assert.equal(sql(server.dataDir, `SELECT count(*) FROM audit_log WHERE action = 'request.replay' AND child_id = '${child}'`),
               '1');
});

test('a refusal that changed nothing is not stored: the retry runs again', async () => {
  const c = await signedIn(server, 'sw.okafor');
  const key = randomUUID();
  const bad = await create(c, { given_names: 'Robin', family_name: 'IdemBad', date_of_birth: '2020-03-04' }, key);
  assert.equal(bad.status, 400);
  const again = await create(c, { given_names: 'Robin', family_name: 'IdemBad', date_of_birth: '2020-03-04' }, key);
  assert.equal(again.status, 400);
  assert.equal(again.headers.get('idempotent-replayed'), null);
});

test('the same key on a different request is refused with 422', async () => {
  const c = await signedIn(server, 'sw.okafor');
  const key = randomUUID();
  assert.equal((await create(c, newChild('IdemMismatchA'), key)).status, 201);
  const other = await create(c, newChild('IdemMismatchB'), key);
  assert.equal(other.status, 422, other.text);
  assert.equal(other.body.code, 'idempotency_key_reused');
  assert.equal(other.body.field, 'Idempotency-Key');
  assert.equal(sql(server.dataDir, "SELECT count(*) FROM children WHERE family_name = 'IdemMismatchB'"), '0');
});

test('keys belong to the signed-in user', async () => {
  const a = await signedIn(server, 'sw.okafor');
  const b = await signedIn(server, 'sw.taylor');
  const key = randomUUID();
  const first = await create(a, newChild('IdemScoped'), key);
  const second = await create(b, newChild('IdemScoped'), key);
  assert.equal(first.status, 201);
  assert.equal(second.status, 201);
  assert.equal(second.headers.get('idempotent-replayed'), null);
  assert.notEqual(second.body.child.id, first.body.child.id);
});

test('concurrent tries with one key: one runs, the others wait (409 + Retry-After) or replay', async () => {
  const c = await signedIn(server, 'sw.okafor');
  // A burst of tries whose first is still running when others arrive; a burst that happens to be
  // served one after another proves nothing about waiting, so another burst follows (at most 5).
  let waited = 0;
  for (let burst = 0; burst < 5 && waited === 0; ++burst) {
    const key = randomUUID();
    const family = `IdemConcurrent${burst}`;
    const answers = await Promise.all(Array.from({ length: 8 }, () => create(c, newChild(family), key)));
    const fresh = answers.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null);
    const waiting = answers.filter((r) => r.status === 409);
    assert.equal(fresh.length, 1, answers.map((r) => r.status).join(','));
    assert.equal(fresh.length + waiting.length + answers.filter((r) => r.headers.get('idempotent-replayed')).length, 8);
    for (const r of waiting) {
      assert.equal(r.body.code, 'idempotency_key_in_use');
      assert.equal(r.headers.get('retry-after'), '1');
    }
    for (const r of answers.filter((x) => x.status === 201)) assert.equal(r.text, fresh[0].text);
    // Retrying as told gets the first try's response.
    const retried = await create(c, newChild(family), key);
    assert.equal(retried.status, 201);
    assert.equal(retried.text, fresh[0].text);
    assert.equal(sql(server.dataDir, `SELECT count(*) FROM children WHERE family_name = '${family}'`), '1');
    waited += waiting.length;
  }
  assert.ok(waited > 0, 'in five bursts no try found the first still running');
});

test('a malformed key is refused with 400; sign-in ignores keys', async () => {
  const c = await signedIn(server, 'sw.okafor');
  for (const key of ['a'.repeat(256), '""']) {
    const res = await create(c, newChild('IdemMalformed'), key);
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.field, 'Idempotency-Key');
  }
  const anonymous = server.client();
  const key = randomUUID();
  const opts = { headers: { 'idempotency-key': key } };
  const one = await anonymous.post('/api/v1/session', { username: 'sw.okafor', password: 'Northbrook-demo-2026' }, opts);
  const two = await anonymous.post('/api/v1/session', { username: 'sw.okafor', password: 'Northbrook-demo-2026' }, opts);
  assert.equal(one.status, 201);
  assert.equal(two.status, 201);
  assert.ok(one.setCookie && two.setCookie && one.setCookie !== two.setCookie, 'each sign-in sets its own session');
});

test('keys expire after 24 hours', async () => {
  const key = randomUUID();
  let c = await signedIn(server, 'sw.okafor');
  assert.equal((await create(c, newChild('IdemExpiryA'), key)).status, 201);
  await server.advance(24 * 3600 - 60);
  c = await signedIn(server, 'sw.okafor');  // the session expired meanwhile; the key did not
  assert.equal((await create(c, newChild('IdemExpiryB'), key)).status, 422);
  await server.advance(61);
  c = await signedIn(server, 'sw.okafor');
  const later = await create(c, newChild('IdemExpiryB'), key);
  assert.equal(later.status, 201, later.text);
  assert.equal(later.headers.get('idempotent-replayed'), null);
});

test('after a crash between the change and its response, a retry is told the change was made', async () => {
  const dataDir = makeDataDir();
  const crashing = await KithServer.start({ dataDir, ownsDataDir: false });
  try {
    const c = await signedIn(crashing, 'sw.okafor');
    const key = randomUUID();
    // The server ends itself (as SIGKILL would) once the change is durable, before storing the response.
    await assert.rejects(create(c, newChild('IdemCrash'), key, { 'x-kith-test-fault': 'crash-after-write' }));
    const { code } = await crashing.exited;
    assert.equal(code, 137);
    crashing.child = null;

    const restarted = await KithServer.start({ dataDir, ownsDataDir: false });
    try {
      const again = await signedIn(restarted, 'sw.okafor');
      // Just after the change, this server cannot tell a crash from a run still going on another
      // node over the same database: "in progress", retry shortly.
      const early = await create(again, newChild('IdemCrash'), key);
      assert.equal(early.status, 409, early.text);
      assert.equal(early.body.code, 'idempotency_key_in_use');
      assert.equal(early.headers.get('retry-after'), '1');
      // Well past the 30 s grace (kIdempotencyRunGrace) whatever the first server's clock said.
      await restarted.advance(120);
      const retry = await create(again, newChild('IdemCrash'), key);
      assert.equal(retry.status, 409, retry.text);
      assert.equal(retry.body.code, 'response_lost');
      assert.equal(retry.headers.get('retry-after'), null);
      // A different request with the key is still refused, and a new key works as usual.
      assert.equal((await create(again, newChild('IdemCrashOther'), key)).status, 422);
    } finally {
      await restarted.stop();
    }
    assert.equal(sql(dataDir, "SELECT count(*) FROM children WHERE family_name = 'IdemCrash'"), '1');
    assert.equal(sql(dataDir, "SELECT count(*) FROM idempotency_keys WHERE status IS NULL"), '1');
    const verify = runCli(dataDir, ['audit', 'verify']);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  } finally {
    await crashing.dispose();
    removeDataDir(dataDir);
  }
});
