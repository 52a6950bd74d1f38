#!/usr/bin/env node
// An independent verifier of Kith's audit log and its signed checkpoints, written from
// docs/audit-format.md alone (it shares no code with the server): if the format description
// were incomplete, this would disagree with `kith audit verify`, and the functional test
// tests/functional/audit_checkpoint.test.mjs would fail.
//
//   node verify_audit.mjs --db var/kith.db --checkpoints var/audit-checkpoints --public-key 'ed25519 …'
//   node verify_audit.mjs --pg 'host=… dbname=kith' --checkpoints DIR --public-key 'ed25519 …'
//
// Reads the records of the embedded database with the sqlite3 command-line tool, or of a
// PostgreSQL database (schema kith) with psql. Prints one line per problem and exits 1 if there
// is any; prints a summary and exits 0 otherwise. Node.js 20, no packages.

import { spawnSync } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const GENESIS = '0'.repeat(64);
const FIELDS = ['seq', 'at', 'actor_id', 'actor_role', 'authority_id', 'action', 'child_id', 'target_id', 'reason',
                'outcome', 'why', 'detail', 'client', 'prev_hash'];

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

const field = (bytes) => Buffer.concat([Buffer.from(`${bytes.length}:`, 'ascii'), bytes]);

// The record's hash: each field as its length in bytes (decimal), ':', its UTF-8 bytes; then, if
// the record found children, one more field: the list, each id encoded the same way.
export function recordHash(record) {
  const parts = FIELDS.map((name) => field(Buffer.from(String(record[name]), 'utf8')));
  const found = record.found_children ? JSON.parse(record.found_children) : [];
  if (found.length > 0) parts.push(field(Buffer.concat(found.map((id) => field(Buffer.from(id, 'utf8'))))));
  return sha256(Buffer.concat(parts));
}

// Every record, by chain and then seq. `source` is { db: SQLite file } (one chain, 0) or
// { pg: libpq connection string } (`at` is a timestamptz there; the hash takes microseconds).
export function readRecords(source) {
  if (typeof source === 'string') source = { db: source };
  if (source.pg) {
    const columns = FIELDS.map((f) => (f === 'at' ? '(extract(epoch from at) * 1000000)::bigint AS at' : f));
    const query = `SELECT coalesce(json_agg(t ORDER BY chain, seq), '[]') FROM (SELECT chain, ${columns.join(', ')},` +
                  ' found_children, hash FROM kith.audit_log) t';
    const r = spawnSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', source.pg, '-c', query],
                        { encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
    return JSON.parse(r.stdout);
  }
  const r = spawnSync('sqlite3', ['-json', source.db,
                                  `SELECT 0 AS chain, ${FIELDS.join(', ')}, found_children, hash FROM audit_log ORDER BY seq`],
                      { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

const CHECKPOINT = new RegExp(
  '^kith-audit-checkpoint 1\\n' +
  'number ([1-9][0-9]*)\\n' +
  'issued-at ([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z)\\n' +
  'previous ([0-9a-f]{64})\\n' +
  '((?:chain (?:0|[1-9][0-9]*) (?:0|[1-9][0-9]*) [0-9a-f]{64}\\n)+)' +
  'key ed25519 ([A-Za-z0-9+/]{43}=)\\n' +
  'signature ([A-Za-z0-9+/]{86}==)\\n$');

export function parseCheckpoint(text) {
  const m = CHECKPOINT.exec(text);
  if (!m) return null;
  const statement = text.slice(0, text.lastIndexOf('signature '));
  const chains = m[4].trimEnd().split('\n').map((line) => {
    const [, chain, seq, hash] = line.split(' ');
    return { chain: Number(chain), seq: Number(seq), hash };
  });
  // Chains are listed once each, in increasing order.
  if (chains.some((c, i) => i > 0 && c.chain <= chains[i - 1].chain)) return null;
  return { number: Number(m[1]), issuedAt: m[2], previous: m[3], chains, key: m[5], signature: m[6], statement };
}

function keyObject(base64) {
  const raw = Buffer.from(base64, 'base64');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

export function verifyAudit({ db, pg, checkpointsDir, publicKeys }) {
  const problems = [];
  const trusted = new Set(publicKeys.map((k) => k.replace(/^ed25519 /, '').trim()));

  // The checkpoints on their own.
  const files = existsSync(checkpointsDir)
    ? readdirSync(checkpointsDir).filter((f) => /^[0-9]{12}\.checkpoint$/.test(f)).sort()
    : [];
  const held = new Map(); // number -> { text, checkpoint (if believed) }
  let expected = 1;
  let previousText = null;
  for (const name of files) {
    const number = Number(name.slice(0, 12));
    const text = readFileSync(path.join(checkpointsDir, name), 'utf8');
    if (number !== expected) {
      problems.push(`checkpoints ${expected}..${number - 1} missing`);
      previousText = null;
    }
    expected = number + 1;
    const c = parseCheckpoint(text);
    const entry = { text, checkpoint: null };
    held.set(number, entry);
    if (!c || c.number !== number) {
      problems.push(`checkpoint ${number} malformed`);
    } else if (!trusted.has(c.key)) {
      problems.push(`checkpoint ${number} signed by an untrusted key`);
    } else if (!verify(null, Buffer.from(c.statement, 'utf8'), keyObject(c.key), Buffer.from(c.signature, 'base64'))) {
      problems.push(`checkpoint ${number} signature invalid`);
    } else {
      const wanted = number === 1 ? GENESIS : previousText === null ? null : sha256(Buffer.from(previousText, 'utf8'));
      if (wanted !== null && c.previous !== wanted) problems.push(`checkpoint ${number} does not follow ${number - 1}`);
      entry.checkpoint = c;
    }
    previousText = text;
  }

  // Each chain, and each believed checkpoint's heads.
  const records = readRecords(pg ? { pg } : { db });
  const chains = new Map(); // chain -> records in seq order
  for (const r of records) {
    if (!chains.has(r.chain)) chains.set(r.chain, []);
    chains.get(r.chain).push(r);
  }
  for (const [chain, list] of chains) {
    let prev = GENESIS;
    list.forEach((r, i) => {
      if (r.seq !== i + 1) problems.push(`record ${i + 1} of chain ${chain} missing`);
      else if (r.prev_hash !== prev) problems.push(`record ${r.seq} of chain ${chain} does not follow`);
      else if (recordHash(r) !== r.hash) problems.push(`record ${r.seq} of chain ${chain} changed`);
      prev = r.hash;
    });
  }
  let newest = null;
  for (const [number, { checkpoint }] of held) {
    if (!checkpoint) continue;
    newest = checkpoint;
    for (const head of checkpoint.chains) {
      const list = chains.get(head.chain) ?? [];
      if (head.seq > list.length) {
        problems.push(`truncated: checkpoint ${number} vouches for record ${head.seq} of chain ${head.chain}, ` +
                      `the chain ends at ${list.length}`);
      } else if (head.seq > 0 && list[head.seq - 1].hash !== head.hash) {
        problems.push(`record ${head.seq} of chain ${head.chain} differs from checkpoint ${number}`);
      }
    }
  }
  // Checkpoints the log says were made.
  for (const r of records) {
    if (r.action !== 'audit.checkpoint') continue;
    const detail = JSON.parse(r.detail);
    const entry = held.get(detail.number);
    const where = `record ${r.seq} of chain ${r.chain}`;
    if (!entry) problems.push(`checkpoint ${detail.number} (recorded at ${where}) missing`);
    else if (sha256(Buffer.from(entry.text, 'utf8')) !== detail.file_sha256) {
      problems.push(`checkpoint ${detail.number} is not the file recorded at ${where}`);
    }
  }
  return { ok: problems.length === 0, problems, records: records.length, newest: newest?.number ?? 0 };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    return i < 0 ? undefined : args[i + 1];
  };
  const db = opt('--db');
  const pg = opt('--pg');
  const checkpointsDir = opt('--checkpoints');
  const publicKeys = args.flatMap((a, i) => (a === '--public-key' ? [args[i + 1]] : []));
  if ((!db && !pg) || !checkpointsDir || publicKeys.length === 0) {
    console.error('usage: verify_audit.mjs (--db KITH_DB | --pg CONNINFO) --checkpoints DIR --public-key "ed25519 BASE64" [...]');
    process.exit(2);
  }
  const report = verifyAudit({ db, pg, checkpointsDir, publicKeys });
  for (const p of report.problems) console.log(p);
  if (report.ok) console.log(`intact: ${report.records} records, newest checkpoint ${report.newest}`);
  process.exit(report.ok ? 0 : 1);
}
