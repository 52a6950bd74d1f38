// Durability (SECURITY.md): the server is killed with SIGKILL while many clients are writing.
// Every write it acknowledged, and the audit record written with it, must be there after a
// restart, and the audit chain must verify.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { KithServer, makeDataDir, removeDataDir, runCli, signedIn, sql } from './harness.mjs';

const WRITERS = ['sw.okafor', 'sw.taylor', 'sw.evans', 'dsl.morgan', 'dsl.khan', 'gp.walsh', 'hv.mensah', 'yw.ali'];
const dataDir = makeDataDir();
after(() => removeDataDir(dataDir));

test('every acknowledged write and its audit record survive SIGKILL under load', async () => {
  const server = await KithServer.start({ dataDir, ownsDataDir: false, threads: 8 });
  const clients = await Promise.all(WRITERS.map((u) => signedIn(server, u)));
  const acknowledged = [];  // [writer index, child id]
  let stop = false;
  let interrupted = 0;  // requests in flight when the server died
  const loops = clients.map(async (c, w) => {
    for (let n = 0; !stop; ++n) {
      let res;
      try {
        res = await c.post('/api/v1/children', {
          given_names: `Writer${w}`, family_name: `Durability${n}`, date_of_birth: '2019-05-01',
          reason: 'Durability test: a write under load',
        });
      } catch {
        interrupted += 1;  // the connection died with the server
        return;
      }
      assert.equal(res.status, 201, res.text);
      acknowledged.push([w, res.body.child.id]);
    }
  });
  // Let the writers get going, then pull the plug mid-stream.
  while (acknowledged.length < 150) await new Promise((r) => setTimeout(r, 10));
  await server.crash();
  stop = true;
  await Promise.all(loops);
  assert.ok(interrupted > 0, 'the crash should have cut writes off mid-flight');

  const restarted = await KithServer.start({ dataDir, ownsDataDir: false });
  const readers = await Promise.all(WRITERS.map((u) => signedIn(restarted, u)));
  for (const [w, id] of acknowledged) {
    const res = await readers[w].get(`/api/v1/children/${id}`);
    assert.equal(res.status, 200, `acknowledged child ${id} is missing after the crash`);
  }
  await restarted.close();

  const created = sql(dataDir, "SELECT child_id FROM audit_log WHERE action = 'child.create' AND outcome = 'allowed';");
  assert.equal(created.code, 0, created.stderr);
  const audited = new Set(created.stdout.trim().split('\n'));
  for (const [, id] of acknowledged) assert.ok(audited.has(id), `no audit record for acknowledged child ${id}`);
  const verify = runCli(dataDir, ['audit', 'verify']);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  assert.match(verify.stdout, /intact/);
});
