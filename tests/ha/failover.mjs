// The failover test of issue 16 section 3, run by tests/ha/run-ha-test (`make ha-test`), which
// has made a three-member Patroni cluster (synchronous_mode and synchronous_mode_strict on) and
// migrated its database. This file:
//
// 1. starts two `kith serve` nodes over the cluster (HA_DATABASE_URL: a multi-host URI with
//    target_session_attrs=read-write) and signs one practitioner in on each;
// 2. drives a steady write load through both (new children, each with its own Idempotency-Key
//    and a unique family name), keeping a client-side log of every attempt and every
//    acknowledged (201) write; a write that meets a 503 is retried with the same key, on the
//    other node every second time, except one in four of those answered `unavailable` (nothing
//    changed), which are abandoned (a client that gave up); `outcome_unknown` (the connection was
//    lost during the commit: it may have been made) is always retried, as the answer asks, until
//    the write is answered for certain;
// 3. asks every member, four times a second, whether it accepts writes (pg_is_in_recovery, and
//    Patroni's REST API for its role);
// 4. after a few seconds of load SIGKILLs the leader's Patroni and every process of its
//    PostgreSQL at once (a crashed host), and keeps the load going until writes have resumed;
// 5. checks: writes resume within 30 s of the kill; every acknowledged write is in the database
//    exactly once; no write is there twice; a write answered 409 response_lost is there once; an
//    abandoned write is absent; every answer matches docs/openapi.yaml; retries of acknowledged writes replay the stored answer; never
//    more than one member accepted writes at once; synchronous_standby_names on the new primary
//    is not empty; requests during the outage got 503 with Retry-After and never another 5xx;
//    the nodes stop cleanly; `kith audit verify` passes.
//
// Figures are printed as it goes and in a summary at the end. Exit status 1 names each check that
// failed.

import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { KITH_BIN, KithServer, checkResponse, signedIn } from '../functional/harness.mjs';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run this through tests/ha/run-ha-test (make ha-test)`);
  return v;
};
const DIR = env('HA_DIR');
const PG_PORTS = env('HA_PG_PORTS').split(',');
const API_PORTS = env('HA_API_PORTS').split(',');
const DATABASE_URL = env('HA_DATABASE_URL');

const WARM_UP_MS = 6_000; // load before the kill
const RESUME_LIMIT_MS = 30_000; // the issue's bound on the outage
const AFTER_RESUME_MS = 6_000; // load after the first write succeeds again
const GIVE_UP_MS = 60_000; // after the kill: stop the load and retries whatever happened
const WORKERS_PER_NODE = 2;
const PAUSE_MS = 20; // between one worker's writes
const REQUEST_TIMEOUT_MS = 20_000;

const t0 = performance.now();
const now = () => performance.now() - t0;
const secs = (ms) => (ms / 1000).toFixed(1);
const log = (text) => console.log(`ha-test: [${secs(now())} s] ${text}`);

const failures = [];
const fail = (text) => {
  failures.push(text);
  log(`FAIL: ${text}`);
};

// ---------------------------------------------------------------------------------------------
// The cluster's members.

function psqlAsync(port, sql) {
  return new Promise((resolve) => {
    execFile('psql', ['-XAtq', `host=127.0.0.1 port=${port} user=postgres dbname=kith connect_timeout=1`, '-c', sql],
             { timeout: 2_000, encoding: 'utf8' },
             (error, stdout) => resolve(error ? null : stdout.trim()));
  });
}

function psqlSync(port, sql) {
  const r = spawnSync('psql', ['-XAtq', '-v', 'ON_ERROR_STOP=1',
                               `host=127.0.0.1 port=${port} user=postgres dbname=kith connect_timeout=2`, '-c', sql],
                      { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`psql on port ${port} failed: ${r.stderr}`);
  return r.stdout.trim();
}

async function patroniState(i) {
  try {
    const res = await fetch(`http://127.0.0.1:${API_PORTS[i]}/patroni`, { signal: AbortSignal.timeout(1_000) });
    return await res.json();
  } catch {
    return null;
  }
}

const isLeaderRole = (role) => role === 'master' || role === 'primary';

// Every member, four times a second: does PostgreSQL accept writes, and what does Patroni say.
const samples = [];
let monitoring = true;
async function monitor() {
  while (monitoring) {
    const at = now();
    const members = await Promise.all(PG_PORTS.map(async (port, i) => {
      const [state, patroni] = await Promise.all([
        psqlAsync(port, "SELECT pg_is_in_recovery(), (SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync')"),
        patroniState(i)]);
      const [recovery, sync] = (state ?? '').split('|');
      return { writable: recovery === 'f', syncStandbys: Number(sync ?? 0), role: patroni?.role ?? null };
    }));
    samples.push({ at, members });
    await sleep(250);
  }
}

// ---------------------------------------------------------------------------------------------
// The write load.

const writes = []; // the client-side log: every write, its attempts and its outcome
const statusCounts = new Map();
let count503 = 0;
const codes503 = new Map(); // the `code` of each 503 answer
let missingRetryAfter = 0;
let killAt = null;
let firstAckAfterKill = null; // the first 201 to a request sent after the kill
let stopLoad = false;
let seq = 0;

function count(status) {
  statusCounts.set(status, (statusCounts.get(status) ?? 0) + 1);
}

async function post(node, write) {
  const { server, client } = node;
  const started = now();
  try {
    const res = await fetch(`${server.url}/api/v1/children`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: client.cookie, 'x-csrf-token': client.csrf,
                 'idempotency-key': write.key },
      body: JSON.stringify({ given_names: 'Robin', family_name: write.family, date_of_birth: '2020-03-04',
                             reason: 'Failover test' }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    let body;
    try { body = JSON.parse(text); } catch { body = undefined; }
    // Every answer, the outage's included, as docs/openapi.yaml describes it.
    try {
      checkResponse('POST', '/api/v1/children', res.status, res.headers, text);
    } catch (e) {
      fail(`an answer of ${server.url} does not match docs/openapi.yaml: ${e.message.slice(0, 500)}`);
    }
    return { started, status: res.status, retryAfter: res.headers.get('retry-after'), body, text,
             replayed: res.headers.get('idempotent-replayed') === 'true' };
  } catch (e) {
    return { started, status: 0, error: e.message };
  }
}

async function worker(nodes, home) {
  while (!stopLoad) {
    const n = ++seq;
    const write = { seq: n, key: randomUUID(), family: `HaW${n}`, attempts: [], outcome: 'pending' };
    writes.push(write);
    let tries = 0;
    for (;;) {
      // Retries alternate between the nodes: a retry sent to the other node must replay too.
      const node = nodes[(home + tries) % nodes.length];
      ++tries;
      const r = await post(node, write);
      count(r.status);
      write.attempts.push({ node: node.name, sent: r.started, status: r.status, code: r.body?.code, at: now() });
      if (r.status === 201) {
        write.outcome = 'acknowledged';
        write.id = r.body?.child?.id;
        write.body = r.text;
        write.node = node.name;
        write.ackedAt = now();
        if (killAt !== null && r.started >= killAt && firstAckAfterKill === null) {
          firstAckAfterKill = now();
          log(`first write acknowledged after the kill: ${secs(firstAckAfterKill - killAt)} s after it (${node.name})`);
        }
        break;
      }
      if (r.status === 409 && r.body?.code === 'response_lost') {
        write.outcome = 'response_lost'; // made, its answer lost: must be present exactly once
        break;
      }
      let wait = 1_000;
      if (r.status === 503) {
        ++count503;
        codes503.set(r.body?.code, (codes503.get(r.body?.code) ?? 0) + 1);
        if (r.retryAfter === null) {
          ++missingRetryAfter;
        } else {
          wait = Number(r.retryAfter) * 1000;
        }
        // `unavailable` promises that this attempt changed nothing: one in four such writes is
        // abandoned (a client that gave up), and must not be there. `outcome_unknown` says the
        // change may have been made and asks for a retry with the same key, which every write
        // gets until it is answered for certain (201 or 409 response_lost): an `unavailable`
        // to such a retry says nothing of the earlier attempt, so it is never abandoned.
        if (r.body?.code === 'unavailable' && n % 4 === 0 && !write.outcomeUnknown) {
          write.outcome = 'abandoned';
          break;
        }
        if (r.body?.code === 'outcome_unknown') write.outcomeUnknown = true;
      } else if (r.status === 409 && r.body?.code === 'idempotency_key_in_use') {
        wait = Number(r.retryAfter ?? 1) * 1000;
      } else if (r.status === 0) {
        fail(`write ${write.family} on ${node.name}: no answer (${r.error})`);
      } else {
        fail(`write ${write.family} on ${node.name}: unexpected ${r.status}: ${r.text?.slice(0, 300)}`);
        if (r.status < 500) {
          write.outcome = 'refused';
          break;
        }
      }
      if (killAt !== null && now() - killAt > GIVE_UP_MS) {
        write.outcome = 'gave_up';
        fail(`write ${write.family} was still failing ${secs(GIVE_UP_MS)} s after the kill`);
        break;
      }
      await sleep(wait);
    }
    await sleep(PAUSE_MS);
  }
}

// ---------------------------------------------------------------------------------------------
// The kill: Patroni and every process of its PostgreSQL, at once.

function processesOf(postmaster) {
  const pids = [postmaster];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

async function leader() {
  for (let tries = 0; tries < 40; ++tries) {
    const states = await Promise.all(API_PORTS.map((_, i) => patroniState(i)));
    const i = states.findIndex((s) => isLeaderRole(s?.role));
    if (i >= 0) return i;
    await sleep(250);
  }
  throw new Error('no member is the leader');
}

// ---------------------------------------------------------------------------------------------
// `kith audit verify`, timed. While it runs longer than a few seconds, what every member's
// PostgreSQL is doing is printed every five seconds (its sessions on the database and what they
// wait for, the primary's standbys and synchronous_standby_names, Patroni's view), so that a
// stall names its cause in the log.

const VERIFY_LIMIT_MS = 120_000;

async function describeCluster() {
  const lines = [];
  for (const [i, port] of PG_PORTS.entries()) {
    const [patroni, activity, standbys, syncNames] = await Promise.all([
      patroniState(i),
      psqlAsync(port, "SELECT pid, application_name, state, coalesce(wait_event_type || ':' || wait_event, '-'), " +
                      "round(extract(epoch FROM now() - query_start)::numeric, 1), left(query, 90) " +
                      "FROM pg_stat_activity WHERE datname = 'kith' AND pid <> pg_backend_pid()"),
      psqlAsync(port, 'SELECT application_name, state, sync_state, replay_lsn FROM pg_stat_replication'),
      psqlAsync(port, 'SHOW synchronous_standby_names'),
    ]);
    lines.push(`pg${i + 1}: patroni ${patroni ? `${patroni.role}/${patroni.state}` : 'unreachable'}, ` +
               `synchronous_standby_names ${JSON.stringify(syncNames)}, standbys [${(standbys ?? '').replaceAll('\n', '; ')}]`);
    for (const row of (activity ?? '').split('\n').filter(Boolean)) lines.push(`  pg${i + 1} session ${row}`);
  }
  return lines;
}

async function auditVerify(dataDir) {
  const started = now();
  let done = false;
  const run = new Promise((resolve) => {
    execFile(KITH_BIN, ['audit', 'verify'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME ?? '/tmp', KITH_DATA: dataDir,
             KITH_DATABASE_URL: DATABASE_URL },
      encoding: 'utf8', timeout: VERIFY_LIMIT_MS, killSignal: 'SIGKILL' },
    (error, stdout, stderr) => {
      done = true;
      resolve({ status: error ? (error.code ?? error.signal ?? 'error') : 0, stdout, stderr });
    });
  });
  const watch = (async () => {
    let reported = started;
    while (!done) {
      await sleep(250);
      if (done || now() - reported < 5_000) continue;
      reported = now();
      log(`kith audit verify still running after ${secs(now() - started)} s; the cluster:\n  ` +
          (await describeCluster()).join('\n  '));
    }
  })();
  const result = await run;
  await watch;
  result.seconds = Number(secs(now() - started));
  log(`kith audit verify took ${result.seconds} s (exit ${result.status})`);
  return result;
}

// ---------------------------------------------------------------------------------------------

let one;
let two;
let exitCode = 1;
try {
  const serverEnv = { KITH_DATABASE_URL: DATABASE_URL, KITH_LOG_LEVEL: 'error' };
  one = await KithServer.start({ env: serverEnv });
  two = await KithServer.start({ dataDir: one.dataDir, ownsDataDir: false, env: serverEnv });
  log(`two kith nodes serving on ${one.url} and ${two.url} (${path.basename(KITH_BIN)})`);
  const nodes = [
    { name: 'node1', server: one, client: await signedIn(one, 'sw.okafor') },
    { name: 'node2', server: two, client: await signedIn(two, 'sw.okafor') },
  ];

  const monitorDone = monitor();
  const workers = [];
  for (let w = 0; w < WORKERS_PER_NODE; ++w) {
    for (let home = 0; home < nodes.length; ++home) workers.push(worker(nodes, home));
  }
  await sleep(WARM_UP_MS);
  const ackedBefore = writes.filter((w) => w.outcome === 'acknowledged').length;
  log(`${ackedBefore} writes acknowledged before the kill`);
  if (ackedBefore === 0) fail('no write was acknowledged before the kill');

  const victim = await leader();
  const patroniPid = Number(readFileSync(path.join(DIR, `pg${victim + 1}`, 'patroni.pid'), 'utf8'));
  const postmaster = Number(readFileSync(path.join(DIR, `pg${victim + 1}`, 'data', 'postmaster.pid'), 'utf8')
    .split('\n')[0]);
  const victims = [patroniPid, ...processesOf(postmaster)];
  killAt = now();
  for (const pid of victims) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  log(`SIGKILLed the leader pg${victim + 1}: Patroni (${patroniPid}) and PostgreSQL (${victims.length - 1} processes)`);

  while (now() - killAt < GIVE_UP_MS &&
         (firstAckAfterKill === null || now() - firstAckAfterKill < AFTER_RESUME_MS)) {
    await sleep(100);
  }
  stopLoad = true;
  await Promise.all(workers);
  monitoring = false;
  await monitorDone;
  log(`load stopped: ${writes.length} writes sent`);

  // The new primary.
  const newLeader = await leader();
  const port = PG_PORTS[newLeader];
  log(`new leader: pg${newLeader + 1}`);

  // Retries of acknowledged writes, on the node that did not acknowledge them: each must
  // replay the stored answer (or say the answer was lost), never make a second child.
  const acked = writes.filter((w) => w.outcome === 'acknowledged');
  const lastBeforeKill = acked.filter((w) => w.ackedAt < killAt).slice(-10);
  const firstAfter = acked.filter((w) => w.ackedAt >= killAt).slice(0, 10);
  let replays = 0;
  let lostAnswers = 0;
  for (const w of [...lastBeforeKill, ...firstAfter]) {
    const node = nodes.find((n) => n.name !== w.node);
    // Another node stores a response a moment after answering (docs/idempotency.md); until the
    // response is stored, or for 30 s after the key was recorded, a retry here is told the key is
    // in use: wait as Retry-After says, at most 40 s.
    let r = await post(node, w);
    for (const until = now() + 40_000; r.status === 409 && r.body?.code === 'idempotency_key_in_use' && now() < until;) {
      await sleep(Number(r.retryAfter ?? 1) * 1000);
      r = await post(node, w);
    }
    if (r.status === 201 && r.replayed && r.text === w.body) {
      ++replays;
    } else if (r.status === 409 && r.body?.code === 'response_lost') {
      ++lostAnswers;
    } else {
      fail(`a retry of acknowledged write ${w.family} on ${node.name} was not replayed: ${r.status} ${r.text?.slice(0, 300)}`);
    }
  }
  log(`retries of ${lastBeforeKill.length + firstAfter.length} acknowledged writes: ${replays} replayed, ${lostAnswers} ` +
      `answered 409 response_lost`);

  // The database against the client's log.
  const present = new Map();
  for (const line of psqlSync(port, "SELECT family_name, count(*) FROM kith.children WHERE family_name LIKE 'HaW%' " +
                                    'GROUP BY family_name').split('\n')) {
    if (!line) continue;
    const [family, n] = line.split('|');
    present.set(family, Number(n));
  }
  const outcomes = {};
  let lost = 0;
  let doubled = 0;
  let ghosts = 0;
  for (const w of writes) {
    outcomes[w.outcome] = (outcomes[w.outcome] ?? 0) + 1;
    const n = present.get(w.family) ?? 0;
    if (n > 1) {
      ++doubled;
      fail(`${w.family} is in the database ${n} times (${JSON.stringify(w.attempts)})`);
    }
    if ((w.outcome === 'acknowledged' || w.outcome === 'response_lost') && n === 0) {
      ++lost;
      fail(`${w.family} was ${w.outcome} but is not in the database (${JSON.stringify(w.attempts)})`);
    }
    if (w.outcome === 'abandoned' && n !== 0) {
      ++ghosts;
      fail(`${w.family} was answered 503 unavailable ("nothing was changed") and not retried, yet it is in the ` +
           `database (${JSON.stringify(w.attempts)})`);
    }
  }
  const known = new Set(writes.map((w) => w.family));
  for (const family of present.keys()) {
    if (!known.has(family)) fail(`${family} is in the database but was never sent`);
  }

  // The outage seen from the client.
  const resumeMs = firstAckAfterKill === null ? null : firstAckAfterKill - killAt;
  if (resumeMs === null) fail(`writes did not resume within ${secs(GIVE_UP_MS)} s of the kill`);
  else if (resumeMs > RESUME_LIMIT_MS) fail(`writes resumed ${secs(resumeMs)} s after the kill (limit ${secs(RESUME_LIMIT_MS)} s)`);
  if (missingRetryAfter) fail(`${missingRetryAfter} of ${count503} 503 answers had no Retry-After`);
  for (const [status, n] of statusCounts) {
    if (status >= 500 && status !== 503) fail(`${n} answers were ${status} (only 503 may meet the outage)`);
  }
  if (count503 === 0) fail('no request met the outage (no 503): the test did not test the failover');

  // At most one member accepted writes at any moment; when the database became writable again.
  const split = samples.filter((s) => s.members.filter((m) => m.writable).length > 1);
  if (split.length) fail(`${split.length} samples saw more than one member accepting writes: ${JSON.stringify(split[0])}`);
  const writableAgain = samples.find((s) => s.at > killAt && s.members.some((m) => m.writable));
  const leaderAgain = samples.find((s) => s.at > killAt && s.members.some((m) => isLeaderRole(m.role)));
  // With synchronous_mode_strict a commit on the new primary waits until a standby streams from
  // it synchronously: until then writes hang rather than go unreplicated.
  const syncAgain = samples.find((s) => s.at > killAt && s.members.some((m) => m.writable && m.syncStandbys > 0));

  const syncNames = psqlSync(port, 'SHOW synchronous_standby_names');
  if (!syncNames) fail('synchronous_standby_names is empty on the new primary: commits would not wait for a standby');
  const syncStandbys = psqlSync(port, "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'");

  // The nodes stop cleanly; the audit log verifies.
  for (const server of [two, one]) {
    const { code, signal } = await server.stop();
    if (code !== 0 || signal !== null) fail(`a kith node (${server.url}) exited with ${code ?? signal} after SIGTERM`);
  }
  const audit = await auditVerify(one.dataDir);
  if (audit.status !== 0) fail(`kith audit verify failed (${audit.status}): ${audit.stdout}${audit.stderr}`);

  const summary = {
    writes_sent: writes.length,
    outcomes,
    acknowledged: acked.length,
    acknowledged_before_kill: acked.filter((w) => w.ackedAt < killAt).length,
    answers: Object.fromEntries([...statusCounts].sort((a, b) => a[0] - b[0])),
    answers_503: count503,
    answers_503_by_code: Object.fromEntries(codes503),
    writes_answered_outcome_unknown_then_made_by_retry: writes.filter((w) => w.outcomeUnknown && w.outcome === 'acknowledged').length,
    writes_answered_outcome_unknown_then_response_lost: writes.filter((w) => w.outcomeUnknown && w.outcome === 'response_lost').length,
    seconds_to_first_write_after_kill: resumeMs === null ? null : Number(secs(resumeMs)),
    seconds_to_a_writable_member: writableAgain ? Number(secs(writableAgain.at - killAt)) : null,
    seconds_to_a_new_patroni_leader: leaderAgain ? Number(secs(leaderAgain.at - killAt)) : null,
    seconds_to_a_synchronous_standby: syncAgain ? Number(secs(syncAgain.at - killAt)) : null,
    acknowledged_writes_lost: lost,
    writes_applied_twice: doubled,
    abandoned_writes_present: ghosts,
    retries_of_acknowledged_writes_replayed: replays,
    retries_answered_response_lost: lostAnswers,
    member_samples: samples.length,
    samples_with_two_writable_members: split.length,
    new_primary_synchronous_standby_names: syncNames,
    new_primary_sync_standbys: Number(syncStandbys),
    audit_verify: audit.status === 0 ? 'passed' : 'failed',
    audit_verify_seconds: audit.seconds,
  };
  console.log(`ha-test: summary ${JSON.stringify(summary, null, 2)}`);
  if (audit.status === 0) console.log(`ha-test: ${audit.stdout.trim().split('\n').slice(-1)[0]}`);
  exitCode = failures.length ? 1 : 0;
} catch (e) {
  fail(`the test itself failed: ${e.stack ?? e}`);
} finally {
  stopLoad = true;
  monitoring = false;
  // The nodes' logs stay with the cluster's (run-ha-test keeps them when the test fails).
  for (const [name, server] of [['node1', one], ['node2', two]]) {
    if (server) writeFileSync(path.join(DIR, `${name}.log`), server.output);
  }
  await two?.dispose();
  await one?.dispose();
}
if (failures.length) {
  console.log(`ha-test: FAILED (${failures.length} checks):\n  ${failures.slice(0, 30).join('\n  ')}`);
} else {
  console.log('ha-test: passed');
}
process.exit(exitCode);
