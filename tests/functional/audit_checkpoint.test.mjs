// Signed audit checkpoints (issue 14, reproduction 5): the server signs the audit head at
// shutdown (and every minute), keeps the checkpoints in a directory outside the database and
// sends each to an external endpoint; `kith audit verify` checks the log against them. An
// insider with write access to the database who changes a record and recomputes every later
// hash, deletes a record and renumbers the rest, removes the newest records, or removes a
// checkpoint, passes the chain check alone and is caught against the checkpoints — by
// `kith audit verify` and by an independent verifier written from docs/audit-format.md only. On
// PostgreSQL the log has a chain per connection and each checkpoint signs every chain's head; the
// insider rewrites the chains they touch.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  BACKEND, KithServer, copyDataDir, databaseUrl, freePort, leoCarterId, makeDataDir, removeDataDir, runCli, signedIn, sql,
} from './harness.mjs';
import { readRecords as readFrom, recordHash, verifyAudit } from '../independent_verifier/verify_audit.mjs';

let dataDir;
let publicKey;
let endpoint;
const received = []; // { number, body }
const copies = [];

function checkpointDir(dir) {
  return path.join(dir, 'audit-checkpoints');
}

function checkpointFiles(dir) {
  return readdirSync(checkpointDir(dir)).filter((f) => f.endsWith('.checkpoint')).sort();
}

// Where the independent verifier reads a data directory's log.
const source = (dir) => (BACKEND === 'postgres' ? { pg: databaseUrl(dir) } : { db: path.join(dir, 'kith.db') });

// Every record, by chain and then seq.
const readRecords = (dir) => readFrom(source(dir));

// A copy of the stopped server's data directory (and database) to attack.
function copy() {
  const dir = copyDataDir(dataDir);
  copies.push(dir);
  return dir;
}

const quote = (v) => (typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`);

// The records of one chain, in order.
const chainOf = (records, chain) => records.filter((r) => r.chain === chain);

// The insider's rewrite: the whole log replaced by `records`, each chain renumbered and re-chained
// so that it verifies on its own.
function rewrite(dir, records) {
  const prev = new Map();
  const rows = records.map((r) => {
    const before = prev.get(r.chain) ?? { seq: 0, hash: '0'.repeat(64) };
    const out = { ...r, seq: before.seq + 1, prev_hash: before.hash };
    out.hash = recordHash(out);
    prev.set(r.chain, out);
    return out;
  });
  const columns = Object.keys(rows[0]).filter((c) => BACKEND === 'postgres' || c !== 'chain');
  const value = (r, c) => (c === 'at' && BACKEND === 'postgres'
    ? `timestamptz 'epoch' + ${r.at} * interval '1 microsecond'`
    : quote(r[c]));
  const values = rows.map((r) => `(${columns.map((c) => value(r, c)).join(',')})`).join(',\n');
  const clear = BACKEND === 'postgres'
    ? 'ALTER TABLE audit_log DISABLE TRIGGER USER; DELETE FROM audit_log;'
    : 'DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log;';
  const done = sql(dir, `${clear} INSERT INTO audit_log(${columns.join(',')}) VALUES ${values};`);
  assert.equal(done.code, 0, done.stderr);
}

// The checkpoint file `number` of a data directory, parsed into its chain heads.
function checkpointHeads(dir, number) {
  const text = readFileSync(path.join(checkpointDir(dir), `${String(number).padStart(12, '0')}.checkpoint`), 'utf8');
  return [...text.matchAll(/^chain (\d+) (\d+) ([0-9a-f]{64})$/gm)].map((m) => ({ chain: Number(m[1]), seq: Number(m[2]) }));
}

function kithVerify(dir, extra = []) {
  return runCli(dir, ['audit', 'verify', '--public-key', publicKey, ...extra]);
}

function independent(dir) {
  return verifyAudit({ ...source(dir), checkpointsDir: checkpointDir(dir), publicKeys: [publicKey] });
}

// Asserts that the chain alone passes (so only the checkpoints catch it), and that both
// verifiers fail naming `kithMessage` / `independentMessage`.
function assertCaught(dir, kithMessage, independentMessage, { chainAlonePasses = true } = {}) {
  if (chainAlonePasses) {
    // Every link and every hash of the rewritten chains is consistent: the chains alone pass.
    const records = readRecords(dir);
    for (const chain of new Set(records.map((r) => r.chain))) {
      let prev = '0'.repeat(64);
      chainOf(records, chain).forEach((r, i) => {
        assert.equal(r.seq, i + 1);
        assert.equal(r.prev_hash, prev, `record ${r.seq} of chain ${chain} links`);
        assert.equal(recordHash(r), r.hash, `record ${r.seq} of chain ${chain} hashes`);
        prev = r.hash;
      });
    }
  }
  const kith = kithVerify(dir);
  assert.equal(kith.code, 1, kith.stdout + kith.stderr);
  assert.match(kith.stdout, kithMessage);
  const other = independent(dir);
  assert.equal(other.ok, false, 'the independent verifier fails too');
  assert.ok(other.problems.some((p) => independentMessage.test(p)), other.problems.join('\n'));
}

before(async () => {
  endpoint = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      received.push({ number: Number(req.headers['kith-checkpoint-number']), type: req.headers['content-type'], body });
      res.writeHead(204).end();
    });
  });
  const port = await freePort();
  await new Promise((resolve) => endpoint.listen(port, '127.0.0.1', resolve));
  const env = { KITH_AUDIT_CHECKPOINT_URL: `http://127.0.0.1:${port}/checkpoints` };

  dataDir = makeDataDir();
  // Two runs, so that there are two checkpoints (each made at shutdown).
  for (const reader of ['gp.osei', 'hv.bennett']) {
    const server = await KithServer.start({ dataDir, ownsDataDir: false, env });
    try {
      const leo = await leoCarterId(server);
      const c = await signedIn(server, reader);
      assert.equal((await c.get(`/api/v1/children/${leo}`)).status, 200);
      assert.doesNotMatch(server.output, /audit\.checkpoint_mismatch/);
    } finally {
      const { code } = await server.stop();
      assert.equal(code, 0, server.output);
    }
  }
  const exported = runCli(dataDir, ['audit', 'public-key']);
  assert.equal(exported.code, 0, exported.stderr);
  publicKey = exported.stdout.trim();
});

after(async () => {
  endpoint?.close();
  for (const dir of copies) removeDataDir(dir);
  if (dataDir) removeDataDir(dataDir);
});

describe('signed audit checkpoints', () => {
  test('are made at shutdown, kept in the directory and sent to the endpoint', () => {
    const files = checkpointFiles(dataDir);
    assert.deepEqual(files, ['000000000001.checkpoint', '000000000002.checkpoint']);
    assert.match(publicKey, /^ed25519 [A-Za-z0-9+/]{43}=$/);
    assert.deepEqual(received.map((r) => r.number), [1, 2]);
    for (const r of received) {
      assert.equal(r.body, readFileSync(path.join(checkpointDir(dataDir), files[r.number - 1]), 'utf8'));
      assert.match(r.type, /^text\/plain/);
      assert.ok(r.body.includes(`\nkey ${publicKey}\n`));
    }
    const records = readRecords(dataDir);
    // In number order: on PostgreSQL the two records may be on different chains (ADR 0014), which
    // the records are read by, not by time.
    const made = records.filter((r) => r.action === 'audit.checkpoint').map((r) => Number(r.target_id));
    assert.deepEqual(made.sort((a, b) => a - b), [1, 2], 'the log remembers each checkpoint');
  });

  test('an intact log matches them, for kith audit verify and for the independent verifier', () => {
    const kith = kithVerify(dataDir);
    assert.equal(kith.code, 0, kith.stdout + kith.stderr);
    assert.match(kith.stdout, /intact/);
    assert.match(kith.stdout, /matches all 2 signed checkpoints; the newest, checkpoint 2/);
    const other = independent(dataDir);
    assert.deepEqual(other.problems, []);
    assert.equal(other.newest, 2);
  });

  test('a key the checkpoints were not signed with does not vouch for them', () => {
    const r = runCli(dataDir, ['audit', 'verify', '--public-key', `ed25519 ${Buffer.alloc(32, 7).toString('base64')}`]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /signed by a key that is not trusted/);
  });
});

describe('reproduction 5: an insider with write access to the database', () => {
  test('changes a record and recomputes every later hash', async () => {
    const dir = copy();
    const records = readRecords(dir);
    const read = records.findIndex((r) => r.action === 'child.read' && r.actor_id === 'Ugp_osei');
    assert.ok(read >= 0);
    records[read].actor_id = 'Usw_hughes'; // someone else's read, now
    rewrite(dir, records);
    assertCaught(dir, /is not the record checkpoint 1 \(signed [^)]*\) vouches for/, /differs from checkpoint 1/);

    // The server notices at start and says so in its log.
    const server = await KithServer.start({ dataDir: dir, ownsDataDir: false });
    await server.stop();
    assert.match(server.output, /audit\.checkpoint_mismatch/);
  });

  test('deletes a record and renumbers the rest', () => {
    const dir = copy();
    const records = readRecords(dir);
    // The first record of a chain that checkpoint 1 vouches for, one that grew by checkpoint 2 if
    // there is one. On PostgreSQL which chains the second run wrote is up to its connections
    // (ADR 0014): if none of checkpoint 1's grew, the renumbered chain is now too short for it.
    const second = new Map(checkpointHeads(dir, 2).map((h) => [h.chain, h.seq]));
    const vouched = checkpointHeads(dir, 1).filter((h) => h.seq >= 2);
    const head = vouched.find((h) => second.get(h.chain) > h.seq) ?? vouched[0];
    assert.ok(head, 'a chain of two records or more vouched for by checkpoint 1');
    records.splice(records.findIndex((r) => r.chain === head.chain && r.seq === 1), 1);
    rewrite(dir, records);
    if (second.get(head.chain) > head.seq) {
      assertCaught(dir, /is not the record checkpoint 1 .* vouches for: a record after the start/, /differs from checkpoint 1/);
    } else {
      assertCaught(dir, /Chain \d+ ends at record \d+ but checkpoint \d+ .* were removed/, /truncated: checkpoint \d+/);
    }
  });

  test('removes the newest records', () => {
    const dir = copy();
    const records = readRecords(dir);
    // The newest records of a chain checkpoint 2 vouches for, from three before its head.
    const head = checkpointHeads(dir, 2).find((h) => h.seq >= 4);
    assert.ok(head, 'a chain of four records or more');
    rewrite(dir, records.filter((r) => r.chain !== head.chain || r.seq < head.seq - 2));
    assertCaught(dir, /Chain \d+ ends at record \d+ but checkpoint 2 .* were removed/, /truncated: checkpoint 2/);
  });

  test('removes a checkpoint: the newest, or one in the middle', () => {
    const newest = copy();
    unlinkSync(path.join(checkpointDir(newest), '000000000002.checkpoint'));
    assertCaught(newest, /Checkpoint 2, made at record \d+ of chain \d+ of the log, is missing/,
                 /checkpoint 2 \(recorded at record \d+ of chain \d+\) missing/,
                 { chainAlonePasses: false });
    const middle = copy();
    unlinkSync(path.join(checkpointDir(middle), '000000000001.checkpoint'));
    assertCaught(middle, /Checkpoint 1 is missing from/, /checkpoints 1..1 missing/, { chainAlonePasses: false });
  });

  test('edits a checkpoint to match a rewritten log', () => {
    const dir = copy();
    const file = path.join(checkpointDir(dir), '000000000002.checkpoint');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/chain (\d+) (\d+)/, (m, c, n) => `chain ${c} ${Number(n) - 1}`));
    assertCaught(dir, /checkpoint 2 \(signed [^)]*\) does not match its signature/, /checkpoint 2 signature invalid/,
                 { chainAlonePasses: false });
  });
});
