// Crash consistency (issue 17): mixed writes through the server — chronology entries, forum
// threads and replies, new children, requests to join a team and their decisions, chronology CSV
// imports, and writes that must be refused — while the server is killed with SIGKILL at a random
// moment, again and again (KITH_CRASH_KILLS times, default 50; `make crash-test` runs 200). The
// client keeps a log of every write and what it was answered:
//
// - acknowledged (2xx): after every restart it must be in the database exactly once, whole, with
//   its audit record;
// - refused (4xx, or 503 `unavailable`, which promises nothing changed): it must be absent;
// - unknown (the connection died with the server, or 503 `outcome_unknown`): after the restart
//   it must be whole or absent, never half (a thread without its opening post, an import with
//   some of its rows, an approval without the team member). It is then retried with the same
//   Idempotency-Key until answered for certain, as docs/idempotency.md asks: a replay or
//   `409 response_lost` if it had been made, a fresh answer if not; either way it is then there
//   exactly once.
//
// A few acknowledged writes of each round are also sent again with their key: each must be
// replayed (the same body, `Idempotent-Replayed: true`) or answered `409 response_lost`, never
// applied twice. After each kill `PRAGMA integrity_check` and `foreign_key_check` must be clean
// (SQLite), every tenth kill and at the end `kith audit verify` must pass. Before every tenth
// round the server is stopped cleanly instead (SIGTERM, exit 0), which signs an audit checkpoint:
// the one-minute checkpoints never come in rounds this short, and verify then checks the log
// against them.
//
// On PostgreSQL (KITH_TEST_BACKEND=postgres) the Kith node is killed the same way; with
// KITH_CRASH_KILL_POSTGRES=1 (tests/functional/run-crash-postgres, which starts a cluster of its
// own) PostgreSQL itself — the postmaster and every backend, SIGKILL — is killed instead, and
// restarted (crash recovery) while the node keeps running.
//
// The test clock (kith-test) is moved on after each restart so that it never goes back (each
// start begins at the real time) and past the 30 s in which a key recorded without its response
// counts as still running.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { BACKEND, KithServer, checkResponse, makeDataDir, removeDataDir, runCli, signedIn, sql } from './harness.mjs';

const KILLS = Number(process.env.KITH_CRASH_KILLS ?? 50);
const SEED = Number(process.env.KITH_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const KILL_POSTGRES = process.env.KITH_CRASH_KILL_POSTGRES === '1';
const WORKERS = 4;
const MAX_KILL_DELAY_MS = 700; // a round's writes run this long at most before the kill
// With PostgreSQL killed, the workers go on writing into the dead database for this long after
// the kill, and until at least one of those writes has been answered `503 unavailable`, so that
// every round meets the database down (at most DEAD_WINDOW_CAP_MS, then it is a problem).
const DEAD_WINDOW_MS = 250;
const DEAD_WINDOW_CAP_MS = 30_000;
const VERIFY_EVERY = 10; // `kith audit verify` after every tenth kill
const CLEAN_STOP_EVERY = 10; // and a clean stop (SIGTERM) before every tenth round
const LEO_TEAM = ['sw.hughes', 'hv.bennett', 'gp.osei', 'pc.davies', 'ey.wright'];
const CREATOR = 'sw.okafor'; // makes new children (and so is on their teams)
const JOINERS = ['teacher.ellis', 'teacher.novak', 'hv.bennett', 'gp.osei']; // ask to join them
const DECIDER = 'mgr.patel'; // a manager of the authority decides (the new children have no lead)
const OUTSIDER = 'teacher.ellis'; // not on Leo's team: her entries on Leo's chronology are refused
const STEWARD = 'dq.shah'; // imports source feeds into the index
const FEED_SOURCE = 'Crash test feed';
const USERS = [...new Set([...LEO_TEAM, CREATOR, ...JOINERS, DECIDER, OUTSIDER, STEWARD])];
const ENTRY_DATE = '2026-01-05';

// A small seeded generator (mulberry32): the choices of a run are repeatable from its seed (the
// moments of the kills are not: they depend on the machine).
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(SEED);
const pick = (list) => list[Math.floor(random() * list.length)];

// Names must be letters: n as a, b, …, z, ba, bb, …
const letters = (n) => {
  let s = '';
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
};

const dataDir = makeDataDir();
let keepDataDir = false;
after(() => {
  if (keepDataDir) console.log(`crash: data directory kept for inspection: ${dataDir}`);
  else removeDataDir(dataDir);
});

// ---------------------------------------------------------------------------------------------
// PostgreSQL itself (KITH_CRASH_KILL_POSTGRES): its data directory is the one
// scripts/test-postgres made (KITH_CRASH_POSTGRES_DIR/data).

const PG_DIR = process.env.KITH_CRASH_POSTGRES_DIR ?? '';
const PG_BIN = '/usr/lib/postgresql/15/bin';

function asPostgres(args) {
  const r = process.getuid?.() === 0
    ? spawnSync('runuser', ['-u', 'postgres', '--', ...args], { encoding: 'utf8' })
    : spawnSync(args[0], args.slice(1), { encoding: 'utf8' });
  return r;
}

function killPostgres() {
  const pid = Number(readFileSync(path.join(PG_DIR, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  // The postmaster and every backend at once, as a crashed host would lose them.
  const children = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  for (const p of [pid, ...children.map(Number)]) {
    try { process.kill(p, 'SIGKILL'); } catch { /* already gone */ }
  }
  for (let i = 0; i < 200; ++i) {
    try { process.kill(pid, 0); } catch { return; }
    spawnSync('sleep', ['0.05']);
  }
  throw new Error(`PostgreSQL ${pid} did not die`);
}

function startPostgres() {
  const r = asPostgres([`${PG_BIN}/pg_ctl`, '-D', path.join(PG_DIR, 'data'), '-l', path.join(PG_DIR, 'server.log'),
                        '-w', '-t', '60', 'start']);
  assert.equal(r.status, 0, `PostgreSQL did not restart: ${r.stdout}${r.stderr}`);
}

// ---------------------------------------------------------------------------------------------
// The client's log.

const writes = []; // every write: { n, kind, marker, user, method, path, json | csv, key, outcome, ... }
const writesByMarker = new Map();
const problems = []; // answers that break the contract (checked at the end, and after each round)
const sessions = new Map(); // username -> Client (cookie and CSRF token; their server is swapped at each restart)
let server;
let seq = 0;

const members = new Map(); // child id -> Set of usernames known to be on its team
const threads = []; // [child id, thread id, username who may post]
const pendingRequests = []; // acknowledged requests to join, not yet decided: { child, id }
const asked = new Set(); // `${joiner} ${child}`
const children = []; // ids of acknowledged new children
const LEO = { id: null };
let currentRound = 0;
let unavailableAnswers = 0;  // 503 `unavailable`: a write that met the database down (PostgreSQL killed)
let roundsMetDown = 0; // rounds in which a write sent after PostgreSQL's kill was answered `unavailable`
const sentDown = {}; // what writes sent into the dead database were answered: `${kind} ${status}[ code]` -> count
let feedRound = -3; // the round of the last feed import sent (one in three rounds: each costs a wait)

function note(text) {
  problems.push(text);
  console.log(`crash: PROBLEM: ${text}`);
}

// Sends a write with its key; { status: 0 } when the connection died.
async function send(w) {
  const c = sessions.get(w.user);
  const headers = { cookie: c.cookie, 'x-csrf-token': c.csrf, 'idempotency-key': w.key };
  let body;
  if (w.csv !== undefined) {
    headers['content-type'] = 'text/csv';
    body = w.csv;
  } else {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(w.json);
  }
  let res;
  let text;
  try {
    res = await fetch(server.url + w.path, { method: w.method, headers, body, signal: AbortSignal.timeout(30_000) });
    text = await res.text();
  } catch (e) {
    return { status: 0, error: e.cause?.code ?? e.message };
  }
  try {
    checkResponse(w.method, w.path.split('?')[0], res.status, res.headers, text);
  } catch (e) {
    note(`${w.kind} ${w.marker}: ${e.message.slice(0, 400)}`);
  }
  let parsed;
  try { parsed = JSON.parse(text); } catch { parsed = undefined; }
  return { status: res.status, body: parsed, text, replayed: res.headers.get('idempotent-replayed') === 'true' };
}

// What an answer says about a write. Returns 'acknowledged', 'refused', 'unknown' or 'retry'.
function classify(w, r) {
  if (r.status >= 200 && r.status < 300) return 'acknowledged';
  if (r.status === 0) return 'unknown';
  if (r.status === 503 && r.body?.code === 'unavailable') {
    unavailableAnswers += 1;  // the database was down: nothing changed
    return 'refused';
  }
  if (r.status === 503) return 'unknown';
  if (r.status === 409 && r.body?.code === 'response_lost') return 'lost';
  if (r.status === 409 && r.body?.code === 'idempotency_key_in_use') return 'retry';
  if (r.status >= 400 && r.status < 500) return 'refused';
  note(`${w.kind} ${w.marker}: unexpected ${r.status} ${r.text?.slice(0, 300)}`);
  return 'unknown';
}

// Learns what an acknowledged write made, so later writes can use it.
function learn(w, body) {
  switch (w.kind) {
    case 'child': {
      const id = body?.child?.id ?? w.madeId;
      w.madeId = id;
      children.push(id);
      members.set(id, new Set([CREATOR]));
      break;
    }
    case 'thread': {
      const id = body?.thread?.id ?? w.madeId;
      w.madeId = id;
      threads.push([w.child, id, w.user]);
      break;
    }
    case 'join': {
      w.madeId = body?.id ?? w.madeId;
      const status = body?.status ?? w.madeStatus;
      if (status === 'approved') members.get(w.child)?.add(w.user);
      else if (status === 'pending') pendingRequests.push({ child: w.child, id: w.madeId, joiner: w.user });
      break;
    }
    case 'decide':
      if (w.json.approve) members.get(w.child)?.add(w.joiner);
      break;
    default:
      break;
  }
}

function newWrite(kind, user, method, p, fields) {
  const n = ++seq;
  const marker = `CX${letters(n)}`;
  const w = { n, kind, user, method, path: p, key: randomUUID(), marker, outcome: 'pending', ...fields(marker) };
  writes.push(w);
  writesByMarker.set(marker, w);
  return w;
}

// A source feed of three children whose names and dates of birth differ enough that the linkage
// engine makes each a new child (or, at worst, queues it for review).
const FEED_ROWS = ['son', 'ford', 'ley'];
const GIVEN = ['Amara', 'Bilal', 'Chloe', 'Dmitri', 'Esme', 'Farah', 'Gus', 'Hana', 'Ivo', 'Jun'];
// Fd…, never CX…: a new child's family name is its marker.
const feedFamily = (m, k) => `Fd${m.slice(2)}${k}`;
function feedCsv(m) {
  const two = (n) => String(n).padStart(2, '0');
  return 'record_id,given_name,family_name,date_of_birth,sex\n' +
    FEED_ROWS.map((k, i) => `${m}-${k},${pick(GIVEN)},${feedFamily(m, k)},${2008 + i * 5 + Math.floor(random() * 4)}-` +
                            `${two(1 + Math.floor(random() * 12))}-${two(1 + Math.floor(random() * 28))},${pick(['F', 'M'])}`)
      .join('\n') + '\n';
}

// A team member writing on a child they are on the team of: [child id, username].
function memberOf() {
  if (random() < 0.5 || members.size === 1) return [LEO.id, pick(LEO_TEAM)];
  const child = pick([...members.keys()]);
  return [child, pick([...members.get(child)])];
}

// The next write of a worker, chosen at random among those that make sense now.
function nextWrite() {
  for (;;) {
    const r = random();
    if (r < 0.30) {
      const [child, user] = memberOf();
      return newWrite('entry', user, 'POST', `/api/v1/children/${child}/chronology`, (m) => ({
        child,
        json: { occurred_on: ENTRY_DATE, type: 'note', significance: pick(['routine', 'notable', 'serious']),
                summary: m, detail: `Written by the crash test, ${m}.` },
      }));
    }
    if (r < 0.38) {
      const [child, user] = memberOf();
      return newWrite('thread', user, 'POST', `/api/v1/children/${child}/forum`, (m) => ({
        child, json: { category: pick(['observation', 'progress', 'concern', 'question']), title: m, body: `Opening post of ${m}` },
      }));
    }
    if (r < 0.50 && threads.length > 0) {
      const [child, thread, user] = pick(threads);
      return newWrite('post', user, 'POST', `/api/v1/children/${child}/forum/${thread}/posts`, (m) => ({
        child, json: { body: m },
      }));
    }
    if (r < 0.58) {
      return newWrite('child', CREATOR, 'POST', '/api/v1/children', (m) => ({
        json: { given_names: 'Robin', family_name: m, date_of_birth: '2019-05-01', reason: `Crash test child ${m}` },
      }));
    }
    if (r < 0.70 && children.length > 0) {
      const child = pick(children);
      const user = pick(JOINERS);
      if (asked.has(`${user} ${child}`)) continue;
      asked.add(`${user} ${child}`);
      return newWrite('join', user, 'POST', `/api/v1/children/${child}/team`, (m) => ({
        child, json: { role: 'Supporting practitioner', reason: `${m} asks to join the team` },
      }));
    }
    if (r < 0.80 && pendingRequests.length > 0) {
      const q = pendingRequests.splice(Math.floor(random() * pendingRequests.length), 1)[0];
      return newWrite('decide', DECIDER, 'POST', `/api/v1/children/${q.child}/join-requests/${q.id}/decision`, (m) => ({
        child: q.child, request: q.id, joiner: q.joiner, json: { approve: random() < 0.7, reason: `${m} decided by the manager` },
      }));
    }
    if (r < 0.88) {
      const [child, user] = memberOf();
      return newWrite('import', user, 'POST', `/api/v1/children/${child}/chronology/import`, (m) => ({
        child,
        csv: 'date,agency,type,significance,summary\n' +
             [1, 2, 3].map((k) => `${ENTRY_DATE},ACSC,note,routine,${m} row ${k}`).join('\n') + '\n',
      }));
    }
    if (r < 0.90 && currentRound - feedRound >= 3) {
      // A source feed into the national index (202: it runs in the background; see settleFeeds).
      feedRound = currentRound;
      return newWrite('feed', STEWARD, 'POST', `/api/v1/index/imports?source=${encodeURIComponent(FEED_SOURCE)}`,
                      (m) => ({ csv: feedCsv(m), rows: FEED_ROWS.map((k) => ({ record: `${m}-${k}`, family: feedFamily(m, k) })) }));
    }
    if (r < 0.94) {
      // Refused: someone not on Leo's team writes on his chronology (403, audited as denied).
      return newWrite('refused_entry', OUTSIDER, 'POST', `/api/v1/children/${LEO.id}/chronology`, (m) => ({
        child: LEO.id, expectRefusal: true,
        json: { occurred_on: ENTRY_DATE, type: 'note', significance: 'routine', summary: m },
      }));
    }
    // Refused: an entry that is not valid (400, nothing written).
    return newWrite('invalid_entry', LEO_TEAM[0], 'POST', `/api/v1/children/${LEO.id}/chronology`, (m) => ({
      child: LEO.id, expectRefusal: true,
      json: { occurred_on: ENTRY_DATE, type: 'note', significance: 'dreadful', summary: m },
    }));
  }
}

async function worker(state) {
  while (!state.killed) {
    const w = nextWrite();
    w.round = state.round;
    const down = state.down; // sent after PostgreSQL was killed
    const r = await send(w);
    if (down) {
      const k = `${w.kind} ${r.status}${r.body?.code ? ` ${r.body.code}` : ''}`;
      sentDown[k] = (sentDown[k] ?? 0) + 1;
      if (r.status === 503 && r.body?.code === 'unavailable') state.downAnswers += 1;
    }
    w.first = r.status === 0 ? `no answer (${r.error})` : `${r.status}${r.body?.code ? ` ${r.body.code}` : ''}`;
    const outcome = classify(w, r);
    if (outcome === 'acknowledged') {
      w.outcome = 'acknowledged';
      w.body = r.text;
      learn(w, r.body);
    } else if (outcome === 'refused') {
      w.outcome = 'refused';
      if (w.kind === 'join') asked.delete(`${w.user} ${w.child}`);
      if (w.kind === 'decide') pendingRequests.push({ child: w.child, id: w.request, joiner: w.joiner });
      if (!w.expectRefusal && r.status !== 503) note(`${w.kind} ${w.marker} by ${w.user} refused: ${r.status} ${r.text?.slice(0, 300)}`);
    } else {
      w.outcome = 'unknown';
      if (r.status !== 0) w.unknownAnswer = r.body?.code;
      if (!state.killed && r.status === 0) note(`${w.kind} ${w.marker}: no answer before the kill (${r.error})`);
    }
    if (w.expectRefusal && w.outcome === 'acknowledged') note(`${w.kind} ${w.marker} by ${w.user} was accepted: ${r.status}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The database against the log.

const CHECKED_ACTIONS = ['chronology.add', 'chronology.import', 'forum.thread_create', 'forum.post', 'child.create',
                         'team.join_request', 'team.join', 'team.join_approve', 'team.join_decline'];

// Runs the queries in one transaction (one snapshot of the database, one sqlite3 or psql
// process) and returns each one's rows.
function queryAll(queries) {
  const text = [BACKEND === 'postgres' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ;' : 'BEGIN;',
                ...queries.flatMap((q, i) => [`SELECT '@@${i}';`, q]), 'COMMIT;'].join('\n');
  const r = sql(dataDir, text, { maxBuffer: 1024 * 1024 * 1024 }); // tens of MiB after 200 kills
  assert.equal(r.code, 0, `${text}\n${r.stderr}`);
  const out = queries.map(() => []);
  let at = -1;
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    if (/^@@\d+$/.test(line)) at = Number(line.slice(2));
    else out[at].push(line.split('|'));
  }
  return out;
}

function snapshot() {
  const group = (list, key) => {
    const m = new Map();
    for (const row of list) {
      const k = key(row);
      if (!m.has(k)) m.set(k, []);
      m.get(k).push(row);
    }
    return m;
  };
  const [entries, threads, posts, kids, joins, feed, audit] = queryAll([
    "SELECT summary, id, child_id FROM chronology_entries WHERE summary LIKE 'CX%';",
    "SELECT t.title, t.id, (SELECT count(*) FROM forum_posts p WHERE p.thread_id = t.id AND p.body = 'Opening post of ' || " +
      "t.title) FROM forum_threads t WHERE t.title LIKE 'CX%';",
    "SELECT body, id FROM forum_posts WHERE body LIKE 'CX%';",
    'SELECT c.family_name, c.id, (SELECT count(*) FROM team_members m WHERE m.child_id = c.id ' +
      `AND m.user_id = (SELECT id FROM users WHERE username = '${CREATOR}')) ` +
      "FROM children c WHERE lower(c.family_name) LIKE 'cx%' OR lower(c.family_name) LIKE 'fd%';",
    'SELECT j.reason, j.id, j.status, j.decision_reason, CASE WHEN EXISTS (SELECT 1 FROM team_members m ' +
      "WHERE m.child_id = j.child_id AND m.user_id = j.user_id) THEN 1 ELSE 0 END FROM join_requests j WHERE j.reason LIKE 'CX%';",
    'SELECT s.record_id, CASE WHEN s.child_id IS NULL THEN 0 WHEN EXISTS (SELECT 1 FROM children c WHERE c.id = s.child_id) ' +
      'THEN 1 ELSE 2 END, (SELECT count(*) FROM review_items r WHERE r.source_record_id = s.id) FROM source_records s ' +
      `WHERE s.source = '${FEED_SOURCE}';`,
    `SELECT action, target_id, child_id FROM audit_log WHERE outcome = 'allowed' AND action IN (${
      CHECKED_ACTIONS.map((a) => `'${a}'`).join(', ')});`,
  ]);
  const s = {};
  s.entries = group(entries, (r) => r[0]);
  s.threads = group(threads, (r) => r[0]);
  s.posts = group(posts, (r) => r[0]);
  s.children = group(kids, (r) => r[0].toUpperCase());
  s.joins = group(joins, (r) => r[0].split(' ')[0]);
  s.decisions = group(joins.filter((r) => r[3].startsWith('CX')), (r) => r[3].split(' ')[0]);
  s.joinById = new Map(joins.map((r) => [r[1], r]));
  s.feed = new Map(feed.map((r) => [r[0], r]));
  s.audit = new Map();
  for (const [action, target, child] of audit) {
    const k = `${action} ${action === 'child.create' ? child : action === 'chronology.import' ? '' : target}`;
    s.audit.set(k, (s.audit.get(k) ?? 0) + 1);
  }
  return s;
}

const auditCount = (s, action, target) => s.audit.get(`${action} ${target}`) ?? 0;

// How much of a write the database holds: 'whole' (exactly once, with its audit record),
// 'absent', or a description of what is wrong. Sets w.madeId from the database.
function stateOf(w, s) {
  const m = w.marker;
  switch (w.kind) {
    case 'entry':
    case 'refused_entry':
    case 'invalid_entry': {
      const found = s.entries.get(m) ?? [];
      if (found.length === 0) return 'absent';
      if (found.length > 1) return `${found.length} entries`;
      w.madeId = found[0][1];
      const a = auditCount(s, 'chronology.add', w.madeId);
      return a === 1 ? 'whole' : `the entry with ${a} audit records`;
    }
    case 'thread': {
      const found = s.threads.get(m) ?? [];
      if (found.length === 0) return 'absent';
      if (found.length > 1) return `${found.length} threads`;
      w.madeId = found[0][1];
      if (Number(found[0][2]) !== 1) return `the thread with ${found[0][2]} opening posts`;
      const a = auditCount(s, 'forum.thread_create', w.madeId);
      return a === 1 ? 'whole' : `the thread with ${a} audit records`;
    }
    case 'post': {
      const found = s.posts.get(m) ?? [];
      if (found.length === 0) return 'absent';
      if (found.length > 1) return `${found.length} posts`;
      w.madeId = found[0][1];
      const a = auditCount(s, 'forum.post', w.madeId);
      return a === 1 ? 'whole' : `the post with ${a} audit records`;
    }
    case 'child': {
      const found = s.children.get(m.toUpperCase()) ?? [];
      if (found.length === 0) return 'absent';
      if (found.length > 1) return `${found.length} children`;
      w.madeId = found[0][1];
      if (Number(found[0][2]) !== 1) return 'the child without its creator on the team';
      const a = auditCount(s, 'child.create', w.madeId);
      return a === 1 ? 'whole' : `the child with ${a} audit records`;
    }
    case 'join': {
      const found = s.joins.get(m) ?? [];
      if (found.length === 0) return 'absent';
      if (found.length > 1) return `${found.length} requests`;
      const [, id, status, , member] = found[0];
      w.madeId = id;
      w.madeStatus = status;
      const a = auditCount(s, 'team.join_request', id) + auditCount(s, 'team.join', id);
      if (a !== 1) return `the request with ${a} audit records`;
      // Once decided, the decision's own write says what the team must hold.
      if (status === 'pending' && member !== '0') return 'a pending request whose asker is on the team';
      return 'whole';
    }
    case 'decide': {
      // A request to join has one outcome, and several decisions of it may race (one refused
      // with `503 unavailable` puts the request back to be decided again, by a later write): the
      // request's state must be this decision's (whole) or not (absent). Absent is the state of a
      // decision while the request is pending, or once another decision of the same request in
      // the log decided it (that one's own check holds it to its answer: two acknowledged
      // decisions of one request cannot both be whole, and a refused one must be absent).
      const found = s.decisions.get(m) ?? [];
      const req = s.joinById.get(w.request);
      if (!req) return 'its request is missing';
      const decisionAudits = auditCount(s, 'team.join_approve', w.request) + auditCount(s, 'team.join_decline', w.request);
      if (found.length === 0) {
        if (req[2] === 'pending') return decisionAudits === 0 ? 'absent' : `absent, yet the pending request has ${decisionAudits} decision audit records`;
        const by = writesByMarker.get(req[3].split(' ')[0]);
        if (!by || by.kind !== 'decide' || by.request !== w.request) {
          return `absent, yet the request is ${req[2]} by a decision not in the log (${req[3]})`;
        }
        return 'absent';
      }
      if (found.length > 1 || found[0][1] !== w.request) return `it decided ${found.map((r) => r[1]).join(', ')}, not only ${w.request}`;
      const [, , status, , member] = found[0];
      const wanted = w.json.approve ? 'approved' : 'declined';
      if (status !== wanted) return `the request is ${status}, not ${wanted}`;
      if (w.json.approve !== (member === '1')) return `${wanted}, yet the asker ${member === '1' ? 'is' : 'is not'} on the team`;
      const a = auditCount(s, w.json.approve ? 'team.join_approve' : 'team.join_decline', w.request);
      return a === 1 && decisionAudits === 1 ? 'whole' : `the decision with ${a} audit records (${decisionAudits} in all)`;
    }
    case 'import': {
      const n = [1, 2, 3].map((k) => (s.entries.get(`${m} row ${k}`) ?? []).length);
      if (n.every((x) => x === 0)) return 'absent';
      if (n.every((x) => x === 1)) return 'whole';
      return `rows present ${n.join(', ')} times`;
    }
    case 'feed': {
      // Each row: absent (no source record, no child of its name), or its source record with its
      // child (new or matched) or its review item; never a child without its record, never two.
      const states = w.rows.map(({ record, family }) => {
        const rec = s.feed.get(record);
        const named = (s.children.get(family.toUpperCase()) ?? []).length;
        if (named > 1) return `${named} children named ${family}`;
        if (!rec) return named === 0 ? 'absent' : `a child named ${family} without its source record`;
        if (rec[1] === '2') return `the source record ${record} names a child that does not exist`;
        if (rec[1] === '0' && rec[2] === '0') return `the source record ${record} has neither child nor review item`;
        return 'whole';
      });
      const bad = states.find((x) => x !== 'whole' && x !== 'absent');
      if (bad) return bad;
      if (states.every((x) => x === 'absent')) return 'absent';
      return states.every((x) => x === 'whole') ? 'whole' : `rows ${states.join(', ')}`;
    }
    default:
      throw new Error(w.kind);
  }
}

// Every write against the database: acknowledged ones whole, refused ones absent, unknown ones
// whole or absent. Imports have no target in their audit record: their records are counted.
function checkAll(s, when) {
  let wrong = 0;
  let importsPresent = 0;
  for (const w of writes) {
    if (w.outcome === 'pending') continue;
    const state = stateOf(w, s);
    if (w.kind === 'import' && state === 'whole') ++importsPresent;
    // A feed's 202 says it was accepted, not that it ran: until settled it is whole or absent.
    const ok = w.expectRefusal || w.outcome === 'refused' ? state === 'absent'
      : (w.outcome === 'acknowledged' || w.outcome === 'lost') && (w.kind !== 'feed' || w.settled) ? state === 'whole'
        : state === 'whole' || state === 'absent';
    if (!ok) {
      ++wrong;
      if (wrong <= 20) {
        note(`${when}: ${w.kind} ${w.marker} (${w.user} ${w.method} ${w.path}, round ${w.round}, first answer ${w.first}, ` +
             `outcome ${w.outcome}${w.retries ? `, retries ${w.retries.join(' ')}` : ''}) is ${state}`);
      }
    }
  }
  const audited = auditCount(s, 'chronology.import', '');
  if (audited !== importsPresent) {
    note(`${when}: ${importsPresent} imports are in the chronology but ${audited} chronology.import records were written`);
    ++wrong;
  }
  return wrong;
}

function checkSqliteFile(when) {
  if (BACKEND !== 'sqlite') return;
  const r = sql(dataDir, 'PRAGMA integrity_check; PRAGMA foreign_key_check;');
  assert.equal(r.code, 0, r.stderr);
  if (r.stdout.trim() !== 'ok') note(`${when}: integrity_check / foreign_key_check: ${r.stdout.slice(0, 1000)}`);
}

function verifyAudit(when) {
  const verify = runCli(dataDir, ['audit', 'verify']);
  if (verify.code !== 0 || !/intact/.test(verify.stdout)) {
    note(`${when}: kith audit verify: ${verify.code} ${verify.stdout.slice(0, 1000)}${verify.stderr.slice(0, 1000)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The clock: never back, and past the grace of keys recorded without their response.

let clockHigh = 0;
async function moveClockOn(seconds) {
  const res = await fetch(`${server.url}/api/v1/test/clock`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advance_seconds: 0 }),
  });
  const now = Date.parse((await res.json()).now);
  const advance = Math.max(0, Math.ceil((clockHigh - now) / 1000)) + seconds;
  const moved = await fetch(`${server.url}/api/v1/test/clock`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advance_seconds: advance }),
  });
  clockHigh = Date.parse((await moved.json()).now);
}

// After a restart: sessions may have passed their absolute expiry on the moved clock.
async function ensureSignedIn(username) {
  const c = sessions.get(username);
  c.server = server;
  const res = await fetch(`${server.url}/api/v1/me/children`, { headers: { cookie: c.cookie } });
  await res.arrayBuffer();
  if (res.status === 401) {
    const fresh = await signedIn(server, username);
    c.cookie = fresh.cookie;
    c.csrf = fresh.csrf;
  }
}

// After PostgreSQL's restart: the node answers again once it has new connections.
async function untilServing() {
  const c = sessions.get(DECIDER);
  for (const until = Date.now() + 60_000; Date.now() < until; await sleep(100)) {
    try {
      const res = await fetch(`${server.url}/api/v1/me/children`, { headers: { cookie: c.cookie } });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch { /* not yet */ }
  }
  throw new Error(`the node did not answer within 60 s of PostgreSQL's restart:\n${server.output}`);
}

// Retries a write whose outcome is unknown with the same key until it is answered for certain.
async function resolve(w) {
  w.retries = [];
  for (let attempt = 0; attempt < 100; ++attempt) {
    const r = await send(w);
    w.retries.push(r.status === 0 ? '0' : `${r.status}${r.body?.code ? `:${r.body.code}` : ''}${r.replayed ? ':replayed' : ''}`);
    const outcome = classify(w, r);
    if (outcome === 'acknowledged') {
      w.outcome = 'acknowledged';
      w.body = r.text;
      learn(w, r.body);
      return r.replayed ? 'replayed' : 'made by the retry';
    }
    if (outcome === 'lost') {
      w.outcome = 'lost';
      learn(w, undefined);
      return 'response_lost';
    }
    if (outcome === 'refused') {
      w.outcome = 'refused';
      if (!w.expectRefusal) note(`${w.kind} ${w.marker}: its retry was refused: ${r.status} ${r.text?.slice(0, 300)}`);
      return 'refused';
    }
    if (outcome === 'retry') await moveClockOn(31);
    else await sleep(200);
  }
  note(`${w.kind} ${w.marker}: still not answered for certain after 100 retries (${w.retries.join(' ')})`);
  return 'unresolved';
}

// Feeds accepted (202) whose import had not finished when the server died: their job and its
// file are in the database (app/import_jobs.h), so the restarted server runs them again by itself
// — nothing is sent again. The dead server's import lease is taken over once stale
// (app/index_import.h): the clock is moved past kImportLeaseStale first. Every unfinished import is
// waited for (long polls), and then every feed accepted must be there, each row once.
async function settleFeeds(s) {
  const open = writes.filter((w) => w.kind === 'feed' && !w.settled && (w.outcome === 'acknowledged' || w.outcome === 'lost'));
  if (open.length === 0) return 0;
  if (open.every((w) => stateOf(w, s) === 'whole')) {
    for (const w of open) w.settled = true;
    return 0;
  }
  const c = sessions.get(STEWARD);
  await moveClockOn(5 * 60 + 1);
  const listed = await c.get('/api/v1/index/imports');
  if (listed.status !== 200) {
    note(`listing the imports after the restart: ${listed.status} ${listed.text.slice(0, 300)}`);
    return 0;
  }
  let finished = 0;
  for (const job of listed.body.imports.filter((j) => j.state === 'queued' || j.state === 'running')) {
    for (let i = 0; ; ++i) {
      const res = await c.get(`/api/v1/index/imports/${job.id}?wait_seconds=30`);
      if (res.status === 200 && (res.body.state === 'done' || res.body.state === 'failed')) {
        if (res.body.state === 'failed') note(`import ${job.id}, accepted before a kill, failed after the restart: ${res.text.slice(0, 300)}`);
        else ++finished;
        break;
      }
      if (i === 4) {
        note(`import ${job.id}, accepted before a kill, did not finish after the restart: ${res.status} ${res.text.slice(0, 300)}`);
        break;
      }
    }
  }
  const after = snapshot();
  for (const w of open) {
    const state = stateOf(w, after);
    if (state !== 'whole') note(`feed ${w.marker} (${w.outcome}, round ${w.round}) is ${state} after the restart: the server should have finished it`);
    w.settled = true;
  }
  return finished;
}

// ---------------------------------------------------------------------------------------------

test(`every acknowledged write survives ${KILLS} kills with SIGKILL, nothing refused is present, nothing is half-made`,
     { timeout: 60 * 60_000 }, async () => {
  console.log(`crash: ${KILLS} kills of ${KILL_POSTGRES ? 'PostgreSQL' : 'the Kith server'} on ${BACKEND}, seed ${SEED} ` +
              '(KITH_CRASH_SEED repeats the choices)');
  const t0 = performance.now();
  server = await KithServer.start({ dataDir, ownsDataDir: false });
  for (const u of USERS) sessions.set(u, await signedIn(server, u));
  const me = await sessions.get('sw.hughes').get('/api/v1/me/children');
  LEO.id = me.body.children.find((k) => k.given_names === 'Leo' && k.family_name === 'Carter').child_id;
  members.set(LEO.id, new Set(LEO_TEAM));

  const tally = { replayed: 0, 'made by the retry': 0, response_lost: 0, refused: 0, unresolved: 0 };
  const unknownStates = { whole: 0, absent: 0 };
  let replayChecks = 0;
  let feedsFinished = 0;
  let settleMs = 0;
  let startMs = 0;
  try {
    for (let round = 1; round <= KILLS; ++round) {
      if (round % CLEAN_STOP_EVERY === 0) {
        // A clean stop signs an audit checkpoint (the minute's checkpoint never comes in a round
        // this short), so later kills and `kith audit verify` meet checkpoints too.
        const stopped = await server.stop();
        if (stopped.code !== 0 || stopped.signal !== null) note(`round ${round}: SIGTERM: ${JSON.stringify(stopped)}\n${server.output}`);
        server = await KithServer.start({ dataDir, ownsDataDir: false });
        for (const u of USERS) await ensureSignedIn(u);
        await moveClockOn(1);
      }
      const state = { killed: false, round, down: false, downAnswers: 0 };
      currentRound = round;
      const loops = Array.from({ length: WORKERS }, () => worker(state));
      await sleep(Math.floor(random() * MAX_KILL_DELAY_MS));
      if (KILL_POSTGRES) {
        killPostgres();
        // The window: writes go on into the dead database (the kill may fall between two
        // rounds' writes, or commit every write before it; the window makes every round meet it).
        state.down = true;
        const t = performance.now();
        while (performance.now() - t < DEAD_WINDOW_MS || state.downAnswers === 0) {
          if (performance.now() - t > DEAD_WINDOW_CAP_MS) {
            note(`round ${round}: no write sent after PostgreSQL's kill was answered 503 unavailable within ` +
                 `${DEAD_WINDOW_CAP_MS / 1000} s (${JSON.stringify(sentDown)})`);
            break;
          }
          await sleep(10);
        }
        if (state.downAnswers > 0) ++roundsMetDown;
        state.killed = true;
      } else {
        state.killed = true;
        await server.crash();
      }
      await Promise.all(loops);
      const when = `after kill ${round}`;

      checkSqliteFile(when);
      if (KILL_POSTGRES) {
        startPostgres();
        await untilServing();
      } else {
        if (round % VERIFY_EVERY === 0) verifyAudit(when);
        const t = performance.now();
        server = await KithServer.start({ dataDir, ownsDataDir: false });
        startMs += performance.now() - t;
      }
      for (const u of USERS) await ensureSignedIn(u);
      await moveClockOn(31);

      // Unknown writes: whole or absent, then answered for certain by retries with their key.
      const s = snapshot();
      checkAll(s, when);
      const unknown = writes.filter((w) => w.outcome === 'unknown');
      for (const w of unknown) {
        const st = stateOf(w, s);
        if (st === 'whole' || st === 'absent') ++unknownStates[st];
        tally[await resolve(w)] += 1;
      }
      const tf = performance.now();
      feedsFinished += await settleFeeds(snapshot());
      settleMs += performance.now() - tf;
      // Acknowledged writes of this round, sent again: replayed or response_lost, never twice.
      const acked = writes.filter((w) => w.round === round && w.outcome === 'acknowledged' && w.retries === undefined);
      for (const w of acked.slice(-3)) {
        ++replayChecks;
        let r = await send(w);
        for (let i = 0; i < 5 && r.status === 409 && r.body?.code === 'idempotency_key_in_use'; ++i) {
          await moveClockOn(31);
          r = await send(w);
        }
        const same = r.status >= 200 && r.status < 300 && r.replayed && r.text === w.body;
        if (!same && !(r.status === 409 && r.body?.code === 'response_lost')) {
          note(`${w.kind} ${w.marker}: acknowledged with ${w.first}, its retry was answered ${r.status} ` +
               `(replayed: ${r.replayed}) ${r.text?.slice(0, 300)}`);
        }
      }
      checkAll(snapshot(), `${when}, after the retries`);
      if (KILL_POSTGRES && round % VERIFY_EVERY === 0) verifyAudit(when);
      if (problems.length > 0) break;
      if (round % 10 === 0 || round === KILLS) {
        console.log(`crash: ${round} kills, ${writes.length} writes, ${Math.round((performance.now() - t0) / 1000)} s`);
      }
    }
    if (KILL_POSTGRES) await server.stop();
    checkSqliteFile('at the end');
    verifyAudit('at the end');
  } finally {
    if (server?.child) await server.stop();
  }

  const outcomes = {};
  for (const w of writes) outcomes[`${w.kind} ${w.outcome}`] = (outcomes[`${w.kind} ${w.outcome}`] ?? 0) + 1;
  console.log(`crash: summary: ${JSON.stringify({
    kills: KILLS, seconds: Math.round((performance.now() - t0) / 1000), writes: writes.length,
    mean_restart_ms: KILL_POSTGRES ? undefined : Math.round(startMs / KILLS),
    unknown_after_restart: unknownStates, unknown_resolved: tally, unavailable_answers: unavailableAnswers,
    rounds_met_the_database_down: KILL_POSTGRES ? roundsMetDown : undefined,
    answers_while_down: KILL_POSTGRES ? sentDown : undefined,
    acknowledged_resent: replayChecks,
    feeds_finished_after_a_restart: feedsFinished, seconds_settling_feeds: Math.round(settleMs / 1000), outcomes,
  })}`);
  if (problems.length > 0) keepDataDir = true;
  assert.deepEqual(problems, [], `seed ${SEED}`);
  assert.ok(writes.filter((w) => w.outcome === 'acknowledged').length > KILLS, 'the writes should mostly succeed');
  // The kills must have met writes. The node killed: some were cut off. PostgreSQL killed: the
  // window makes every round send writes into the dead database until one is answered
  // `unavailable` (a write in flight at the kill itself may or may not be cut off: a fast machine
  // commits them all before or after it).
  if (KILL_POSTGRES) assert.equal(roundsMetDown, KILLS, 'every round should have met the database down');
  else assert.ok(unknownStates.whole + unknownStates.absent > 0, 'some writes should have been cut off by the kills');
});
