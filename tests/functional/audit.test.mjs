// The audit trail: reads of a child's account, and refusals, are recorded with the actor, why
// and the outcome; the lead professional and the authority's auditor can read the trail; and
// `kith audit verify` finds a record that someone with file access changed.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { BACKEND, KithServer, leoCarterId, makeDataDir, removeDataDir, runCli, signedIn, sql } from './harness.mjs';

let server;
let dataDir;
let leo;

before(async () => {
  dataDir = makeDataDir();
  server = await KithServer.start({ dataDir, ownsDataDir: false });
  leo = await leoCarterId(server);
});
after(async () => {
  await server?.dispose();
  removeDataDir(dataDir);
});

describe('the child\'s audit trail', () => {
  test('records a read of the account with actor, why and outcome, and a refused read as denied', async () => {
    const gp = await signedIn(server, 'gp.osei');
    assert.equal((await gp.get(`/api/v1/children/${leo}`)).status, 200);
    const teacher = await signedIn(server, 'teacher.ellis');
    assert.equal((await teacher.get(`/api/v1/children/${leo}`)).status, 403);
    assert.equal((await teacher.post(`/api/v1/children/${leo}/signposting`,
                                      { reason: 'Leo may start at our nursery class' })).status, 200);

    const lead = await signedIn(server, 'sw.hughes');
    const trail = await lead.get(`/api/v1/children/${leo}/audit`);
    assert.equal(trail.status, 200);
    const records = trail.body.records;
    assert.ok(records.every((r) => r.child_id === leo), 'only this child\'s records');
    // Newest first: by time, and within each chain by seq (a back end with several chains,
    // PostgreSQL, numbers each chain on its own, so seqs of different chains do not compare).
    const times = records.map((r) => r.at);
    assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
    for (const chain of new Set(records.map((r) => r.chain))) {
      const seqs = records.filter((r) => r.chain === chain).map((r) => r.seq);
      assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a), `newest first in chain ${chain}`);
    }

    const read = records.find((r) => r.action === 'child.read' && r.actor_id === 'Ugp_osei');
    assert.ok(read, 'the GP\'s read is recorded');
    assert.equal(read.outcome, 'allowed');
    assert.equal(read.why, 'team member');
    assert.equal(read.actor_role, 'practitioner');
    assert.equal(read.client, '127.0.0.1');
    assert.equal(read.actor_name, 'Dr Kwame Osei', 'the trail names who acted');

    const denied = records.find((r) => r.action === 'child.read' && r.actor_id === 'Uteacher_ellis');
    assert.ok(denied, 'the refused read is recorded');
    assert.equal(denied.outcome, 'denied');
    assert.equal(denied.why, 'not on the child\'s team');
    assert.equal(denied.actor_name, 'Hannah Ellis');

    const signpost = records.find((r) => r.action === 'child.signposting' && r.actor_id === 'Uteacher_ellis');
    assert.equal(signpost?.reason, 'Leo may start at our nursery class', 'the stated reason is kept');
    assert.ok(records.indexOf(signpost) < records.indexOf(denied));
  });

  test('reading the trail is itself recorded, and the auditor sees the same trail', async () => {
    const auditor = await signedIn(server, 'auditor.clarke');
    const all = await auditor.get(`/api/v1/children/${leo}/audit`);
    assert.equal(all.status, 200);
    assert.ok(all.body.records.length >= 4);
    const res = await auditor.get(`/api/v1/children/${leo}/audit?limit=2`);
    assert.equal(res.body.records.length, 2, 'limit is honoured');
    const lead = all.body.records.find((r) => r.action === 'child.audit_trail' && r.actor_id === 'Usw_hughes');
    assert.equal(lead?.outcome, 'allowed');
    assert.equal(lead?.why, 'lead professional');
    const again = await auditor.get(`/api/v1/children/${leo}/audit?limit=1`);
    assert.equal(again.body.records[0].action, 'child.audit_trail');
    assert.equal(again.body.records[0].actor_id, 'Uauditor_clarke');
    assert.equal(again.body.records[0].why, 'auditor of the child\'s authority');
  });

  test('a refused look at the trail is recorded as denied', async () => {
    const member = await signedIn(server, 'pc.davies');
    assert.equal((await member.get(`/api/v1/children/${leo}/audit`)).status, 403);
    const lead = await signedIn(server, 'sw.hughes');
    const records = (await lead.get(`/api/v1/children/${leo}/audit?limit=3`)).body.records;
    const refused = records.find((r) => r.action === 'child.audit_trail' && r.actor_id === 'Upc_davies');
    assert.equal(refused?.outcome, 'denied');
  });
});

describe('the hash chain', () => {
  test('verifies after the server stops, and names a record changed behind its back', async () => {
    await server.close();

    const intact = runCli(dataDir, ['audit', 'verify']);
    assert.equal(intact.code, 0, intact.stdout + intact.stderr);
    assert.match(intact.stdout, /intact/);

    // A chain with a third record (SQLite has one chain, 0; PostgreSQL one per connection).
    const heads = runCli(dataDir, ['audit', 'head']).stdout.trim().split('\n').map((line) => line.split(' '));
    const chain = heads.find(([, seq]) => Number(seq) >= 3)?.[0];
    assert.ok(chain !== undefined, `no chain has three records: ${JSON.stringify(heads)}`);
    const third = BACKEND === 'postgres' ? `chain = ${chain} AND seq = 3` : 'seq = 3';

    const blocked = sql(dataDir, `UPDATE audit_log SET reason = 'x' WHERE ${third};`);
    assert.notEqual(blocked.code, 0, 'the trigger refuses an UPDATE');
    const noDelete = sql(dataDir, `DELETE FROM audit_log WHERE ${third};`);
    assert.notEqual(noDelete.code, 0, 'the trigger refuses a DELETE');
    assert.equal(runCli(dataDir, ['audit', 'verify']).code, 0, 'refused changes leave the chain intact');

    // An attacker with the file (or the database's superuser) disables the trigger first.
    const disable = BACKEND === 'postgres'
      ? 'ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;'
      : 'DROP TRIGGER audit_log_no_update;';
    const tampered = sql(dataDir, `${disable} UPDATE audit_log SET reason = 'x' WHERE ${third};`);
    assert.equal(tampered.code, 0, tampered.stderr);
    const broken = runCli(dataDir, ['audit', 'verify']);
    assert.equal(broken.code, 1, broken.stdout + broken.stderr);
    assert.match(broken.stdout, new RegExp(`BROKEN at record 3 of chain ${chain}\\b`));
  });
});
