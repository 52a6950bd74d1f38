// The soak test of issue 17 (`make soak`): the realistic mix at half of the measured peak
// throughput for SOAK_SECONDS against the product binary (`kith serve`, demo data, real argon2id),
// sampling the server's resident memory, open files and sockets (/proc) and the latency of each
// interval. docs/BENCHMARKS.md, "Soak", has the figures and the command.
//
//   node bench/soak.mjs BUILD_DIR [SECONDS=600] [sqlite|postgres]
//
// The mix (weights per 100 operations): 53 reads of a child's account (GET /children/{id}),
// 20 chronology entries written, 15 searches, 10 forum replies, 2 sign-ins (each followed by its
// sign-out: two requests; each sign-in is an argon2id hash of about 64 MiB and 0.1 s of a core), spread over six practitioners' sessions and the children on their
// teams. Sign-ins come from many addresses through the loopback proxy (as behind a load balancer),
// so the per-address limit of 20 a minute is not what is measured.
//
// Phases: PEAK (SOAK_PEAK_SECONDS, default 30, after 10 s of warm-up) runs the mix closed-loop
// with SOAK_CONNECTIONS (default 32) requests in flight and gives the peak rate; the soak then
// sends at half of it, open-loop (each request's latency counts from when it was due, so a stall
// is not hidden), for SECONDS, sampled every SOAK_SAMPLE_SECONDS (default 60). The first
// interval is warm-up. It fails (exit 1) when, after warm-up:
//   - any request fails (a network error or a status other than the one expected);
//   - resident memory less the word index's bytes (below) grows more than 10% over its value at the
//     end of warm-up (RSS is read every second and each interval's floor, its lowest reading, is compared: a sign-in's 64 MiB
//     argon2id block, held for a moment, would otherwise decide the verdict; a leak raises the floor);
//   - the open files other than client connections end more than 2 above their value at the end of
//     warm-up, or the server holds connections its clients have closed (more than 2 in CLOSE_WAIT);
//   - p99 drifts: the median p99 of the last three intervals is more than 1.5 times the median
//     of the first three plus 10 ms;
//   - the rate achieved falls below 95% of the rate asked for (the server fell behind);
//   - the word cloud's indexes in memory (kith_word_index_bytes in /metrics) exceed their bound.
// The word cloud's cache (app::WordIndex) grows with the text written to the children it holds, up
// to its bound (word_index_mib, 32 MiB by default; SOAK_WORD_INDEX_MIB sets it). The soak writes
// about 15,000 texts in ten minutes, most of them to one child (Leo Carter is on five of the six
// practitioners' teams), whose index is what grows: a bound below it makes every write to him
// rebuild it from storage (a run with 1 MiB fell minutes behind), a bound above it leaves RSS
// growing with his text. So the memory rule is on the RSS floor less the word index's own bytes
// as it reports them (an estimate, 0.7-0.8 of its heap), and the raw RSS growth is printed too.
//
// On PostgreSQL the throwaway cluster loads pg_stat_statements, and each interval also prints the
// writes retried after serialisation failures (kith_db_write_retries_total) and the
// SOAK_STATEMENTS (default 5) statements the database spent most time on in that interval, with
// their calls, mean time and rows per call: a statement whose mean grows from one interval to the
// next reads more as the soak writes (docs/BENCHMARKS.md, "Soak", run 5).
import { execFile, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

const build = path.resolve(process.argv[2] ?? 'build');
const seconds = Number(process.argv[3] ?? 600);
const backend = process.argv[4] ?? 'sqlite';
const sampleSeconds = Number(process.env.SOAK_SAMPLE_SECONDS ?? 60);
const peakSeconds = Number(process.env.SOAK_PEAK_SECONDS ?? 30);
const connections = Number(process.env.SOAK_CONNECTIONS ?? 32);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const PASSWORD = 'Northbrook-demo-2026';
const REASON = 'Checking who is involved before a strategy meeting';
const USERS = ['sw.hughes', 'sw.taylor', 'hv.bennett', 'gp.osei', 'pc.davies', 'ey.wright'];

const work = mkdtempSync(path.join(tmpdir(), 'kith-soak-'));
// Traversable (not listable) by others: PostgreSQL's cluster lives below it, run as `postgres`.
chmodSync(work, 0o711);
let server;
let pgAdmin;  // postgres: a superuser's connection string to the soak's database
let pgDir;    // postgres: the throwaway cluster's directory
const cleanups = [() => rmSync(work, { recursive: true, force: true })];
async function cleanup() {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  for (const f of cleanups.reverse()) f();
}
process.on('SIGINT', async () => { await cleanup(); process.exit(130); });

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

// --- The server -------------------------------------------------------------------------------
const port = 20000 + Math.floor(Math.random() * 20000);
const env = { PATH: process.env.PATH, HOME: process.env.HOME ?? tmpdir(), KITH_DATA: work, KITH_PORT: String(port),
              KITH_LOG_LEVEL: 'warn', KITH_WEB_ROOT: '/nonexistent', KITH_TRUSTED_PROXIES: '127.0.0.1',
              ...(process.env.SOAK_WORD_INDEX_MIB ? { KITH_WORD_INDEX_MIB: process.env.SOAK_WORD_INDEX_MIB } : {}) };
if (backend === 'postgres') {
  pgDir = path.join(work, 'pg');
  const pg = pgDir;
  sh(path.join(root, 'scripts', 'test-postgres'), ['start', pg]);
  cleanups.push(() => spawnSync(path.join(root, 'scripts', 'test-postgres'), ['stop', pg]));
  const admin = `host=${pg}/sock port=5432 user=postgres`;
  // Durable commits, as in production (the test cluster turns fsync off); pg_stat_statements
  // loaded (a restart), so that each interval can name the statements the database spent its time on.
  sh('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', `${admin} dbname=postgres`],
     { input: 'ALTER SYSTEM SET fsync = on;\nALTER SYSTEM SET shared_preload_libraries = \'pg_stat_statements\';\n' });
  sh(path.join(root, 'scripts', 'test-postgres'), ['restart', pg]);
  sh('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', `${admin} dbname=postgres`],
     { input: 'CREATE DATABASE kith_soak OWNER kith_owner;\n' });
  sh('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', `${admin} dbname=kith_soak`],
     { input: 'CREATE EXTENSION pg_stat_statements;\n' });
  pgAdmin = `${admin} dbname=kith_soak`;
  sh(path.join(build, 'kith'), ['migrate'],
     { env: { ...env, KITH_DATABASE_URL: `host=${pg}/sock port=5432 dbname=kith_soak user=kith_owner` } });
  env.KITH_DATABASE_URL = `host=${pg}/sock port=5432 dbname=kith_soak user=kith_app`;
} else if (backend !== 'sqlite') {
  throw new Error(`backend ${backend}: sqlite or postgres`);
}
server = spawn(path.join(build, 'kith'), ['serve', '--demo-if-empty'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
let serverLog = '';
server.stderr.on('data', (c) => { serverLog = (serverLog + c).slice(-20000); });

const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
let forwarded = 0;

// One request; resolves { status, body, headers } (body parsed when JSON).
function request(method, target, { body, cookie, csrf, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const h = { ...headers };
    if (cookie) h.cookie = cookie;
    if (csrf) h['x-csrf-token'] = csrf;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload) {
      h['content-type'] = 'application/json';
      h['content-length'] = Buffer.byteLength(payload);
    }
    const req = http.request({ host: '127.0.0.1', port, method, path: target, headers: h, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed;
        if (/json/.test(res.headers['content-type'] ?? '') && text) parsed = JSON.parse(text);
        resolve({ status: res.statusCode, body: parsed, headers: res.headers });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    if (payload) req.write(payload);
    req.end();
  });
}

async function signIn(username) {
  const xff = `10.${(forwarded >> 16) & 255}.${(forwarded >> 8) & 255}.${forwarded++ & 255}`;
  const res = await request('POST', '/api/v1/session', { body: { username, password: PASSWORD },
                                                         headers: { 'x-forwarded-for': xff } });
  if (res.status !== 201) throw new Error(`sign-in of ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  const cookie = /^kith_session=[^;]*/.exec([].concat(res.headers['set-cookie'])[0])[0];
  return { username, cookie, csrf: res.body.csrf_token };
}

for (let i = 0; ; ++i) {
  try {
    if ((await request('GET', '/healthz')).status === 200) break;
  } catch {
    // not listening yet
  }
  if (server.exitCode !== null || i > 600) throw new Error(`kith did not start:\n${serverLog}`);
  await new Promise((r) => setTimeout(r, 100));
}

// --- The world: each practitioner's session, children and a forum thread on each ------------------
const sessions = [];
for (const u of USERS) {
  const s = await signIn(u);
  const mine = await request('GET', '/api/v1/me/children', s);
  s.children = [];
  for (const c of mine.body.children) {
    const t = await request('POST', `/api/v1/children/${c.child_id}/forum`,
                            { ...s, body: { category: 'observation', title: 'Soak thread', body: 'Opening post.' } });
    if (t.status === 201) s.children.push({ id: c.child_id, thread: t.body.thread.id });
  }
  if (s.children.length) sessions.push(s);
}
const names = [['Leo', 'Carter'], ['Ruby', 'Nowak'], ['Amir', 'Hussain'], ['Mia', 'Brown'], ['Jack', 'Smith']];
const words = ['home visit', 'school attendance', 'missed appointment', 'nursery report', 'GP review', 'housing',
               'mother said', 'father absent', 'sibling', 'bruising noted', 'attended', 'positive'];
let serial = 0;
const pick = (a) => a[Math.floor(Math.random() * a.length)];

// The operations of the mix: each returns the number of requests it made, and throws on any
// unexpected answer.
async function expect(promise, status, what) {
  const res = await promise;
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res;
}
const OPS = [
  [53, 'read', async (s, c) => { await expect(request('GET', `/api/v1/children/${c.id}`, s), 200, 'read'); }],
  [20, 'chronology', async (s, c) => {
    const n = ++serial;
    await expect(request('POST', `/api/v1/children/${c.id}/chronology`, { ...s, body: {
      occurred_on: '2026-11-30', type: 'note', significance: 'routine',
      summary: `Soak ${n}: ${pick(words)}, ${pick(words)} and ${pick(words)}` } }), 201, 'chronology');
  }],
  [15, 'search', async (s) => {
    const [given, family] = pick(names);
    await expect(request('POST', '/api/v1/search', { ...s, body: { given_name: given, family_name: family, reason: REASON } }),
                 200, 'search');
  }],
  [10, 'forum', async (s, c) => {
    await expect(request('POST', `/api/v1/children/${c.id}/forum/${c.thread}/posts`,
                         { ...s, body: { body: `Reply ${++serial}: ${pick(words)}.` } }), 201, 'forum');
  }],
  [2, 'sign-in', async (s) => {
    const fresh = await signIn(s.username);
    await expect(request('DELETE', '/api/v1/session', fresh), 204, 'sign-out');
  }],
];
// SOAK_MIX="read=53,chronology=20,..." changes the weights (e.g. chronology=0,forum=0 to see
// whether memory grows without new text).
for (const part of (process.env.SOAK_MIX ?? '').split(',').filter(Boolean)) {
  const [name, weight] = part.split('=');
  const op = OPS.find((o) => o[1] === name);
  if (!op) throw new Error(`SOAK_MIX: no operation ${name}`);
  op[0] = Number(weight);
}
const TOTAL = OPS.reduce((n, [w]) => n + w, 0);
function chooseOp() {
  let r = Math.random() * TOTAL;
  for (const op of OPS) if ((r -= op[0]) < 0) return op;
  return OPS[0];
}

// --- Measurement --------------------------------------------------------------------------------
class Interval {
  constructor() { this.latencies = []; this.errors = []; this.counts = {}; this.rss = []; }
  record(name, ms, error) {
    this.latencies.push(ms);
    this.counts[name] = (this.counts[name] ?? 0) + 1;
    if (error) this.errors.push(`${name}: ${error.message}`);
  }
  quantile(q) {
    if (!this.latencies.length) return NaN;
    const s = Float64Array.from(this.latencies).sort();
    return s[Math.min(s.length - 1, Math.floor(q * s.length))];
  }
}

async function runOp(interval, due) {
  const [, name, fn] = chooseOp();
  const s = pick(sessions);
  const c = pick(s.children);
  let error;
  try {
    await fn(s, c);
  } catch (e) {
    error = e;
  }
  interval.current.record(name, performance.now() - due, error);
}

function residentMiB() {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))[1]) / 1024;
}

function processStats() {
  const rss = residentMiB();
  let files = 0;
  let sockets = 0;
  for (const fd of readdirSync(`/proc/${server.pid}/fd`)) {
    ++files;
    try {
      if (readlinkSync(`/proc/${server.pid}/fd/${fd}`).startsWith('socket:')) ++sockets;
    } catch {
      // closed meanwhile
    }
  }
  // The server's TCP connections on its port, from /proc/net/tcp{,6}: the
  // clients' connections, which the load generator's pool decides; what the server holds beyond
  // them (files - connections: the database, its WAL, PostgreSQL connections, the listener) must
  // stay flat, and it must hold no connection its client has closed (CLOSE_WAIT).
  let connections = 0;
  let closeWait = 0;
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // ESTABLISHED or CLOSE_WAIT: held by the server (TIME_WAIT and the like belong to no process).
      if (f.length < 4 || !f[1].endsWith(`:${hexPort}`) || (f[3] !== '01' && f[3] !== '08')) continue;
      ++connections;
      if (f[3] === '08') ++closeWait;
    }
  }
  return { rss, files, sockets, connections, closeWait, own: files - connections,
           load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') };
}

// The word cloud cache's gauges and the store's write retries from /metrics (loopback only).
async function wordIndex() {
  const res = await new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/metrics' }, (r) => {
      let text = '';
      r.on('data', (c) => { text += c; });
      r.on('end', () => resolve(text));
      r.on('error', reject);
    }).on('error', reject);
  });
  const value = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(res)?.[1] ?? NaN);
  return { bytes: value('kith_word_index_bytes'), maxBytes: value('kith_word_index_max_bytes'),
           entries: value('kith_word_index_entries'), children: value('kith_word_index_children'),
           evictions: value('kith_word_index_evictions_total'), retries: value('kith_db_write_retries_total'),
           writes: value('kith_db_write_jobs_total') };
}

// PostgreSQL: pg_stat_statements as it stands (queryid -> calls, total ms, rows, text).
async function statements() {
  if (!pgAdmin) return new Map();
  const sql = "SELECT queryid, calls, total_exec_time, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 200)" +
              ' FROM pg_stat_statements';
  const out = await new Promise((resolve) => {
    execFile('psql', ['-X', '-A', '-t', '-F', '\t', '-c', sql, pgAdmin], { maxBuffer: 64 << 20 },
             (error, stdout) => resolve(error ? '' : stdout));
  });
  const map = new Map();
  for (const line of out.split('\n')) {
    const [id, calls, ms, rows, text] = line.split('\t');
    if (text !== undefined) map.set(id, { calls: Number(calls), ms: Number(ms), rows: Number(rows), text });
  }
  return map;
}
// What each statement cost between two snapshots, the costliest first.
function statementDelta(before, after, top) {
  const out = [];
  for (const [id, a] of after) {
    const b = before.get(id) ?? { calls: 0, ms: 0, rows: 0 };
    const calls = a.calls - b.calls;
    if (calls > 0) out.push({ id, calls, ms: a.ms - b.ms, meanMs: (a.ms - b.ms) / calls, rowsPerCall: (a.rows - b.rows) / calls, text: a.text });
  }
  return out.sort((x, y) => y.ms - x.ms).slice(0, top);
}

// Closed loop: `connections` workers, each sending the next operation when its last is answered.
async function closedLoop(secondsToRun) {
  const holder = { current: new Interval() };
  const end = performance.now() + secondsToRun * 1000;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < end) await runOp(holder, performance.now());
  }));
  return holder.current;
}

console.log(`machine: ${sh('nproc', []).trim()} cores; load average before: ${processStats().load}; ` +
            `backend ${backend}; ${sessions.length} sessions over ${sessions.reduce((n, s) => n + s.children.length, 0)} ` +
            'child-session pairs');
await closedLoop(10);
const peak = await closedLoop(peakSeconds);
const peakRate = peak.latencies.length / peakSeconds;
if (peak.errors.length) throw new Error(`errors while measuring the peak: ${peak.errors.slice(0, 5).join('; ')}`);
const rate = peakRate / 2;
console.log(`peak (closed loop, ${connections} in flight, ${peakSeconds} s): ${peakRate.toFixed(0)} operations/s, ` +
            `p50 ${peak.quantile(0.5).toFixed(1)} ms, p99 ${peak.quantile(0.99).toFixed(1)} ms; soak at ${rate.toFixed(0)}/s ` +
            `for ${seconds} s, sampled every ${sampleSeconds} s`);

// Open loop at `rate`: operation k is due at start + k / rate; at most 4 * connections in flight
// (past that the soak has failed anyway: the server is behind).
const holder = { current: new Interval() };
const samples = [];
const start = performance.now();
let sent = 0;
let inFlight = 0;
let nextSample = start + sampleSeconds * 1000;
let statementsBefore = await statements();
let retriesBefore = (await wordIndex()).retries;
const statementTop = Number(process.env.SOAK_STATEMENTS ?? 5);
const rssTimer = setInterval(() => holder.current.rss.push(residentMiB()), 1000);
const header = 'interval  ops/s  errors   p50 ms   p99 ms   max ms   RSS MiB floor (median-max)  files  conns  own  ' +
               'words MiB (entries, children, evictions)  load average';
console.log(header);
const intervals = Math.floor(seconds / sampleSeconds);
while (samples.length < intervals) {
  const now = performance.now();
  const due = Math.min(Math.floor(((now - start) / 1000) * rate), Math.round(intervals * sampleSeconds * rate));
  while (sent < due && inFlight < 4 * connections) {
    const dueAt = start + (sent / rate) * 1000;
    ++sent;
    ++inFlight;
    runOp(holder, dueAt).finally(() => { --inFlight; });
  }
  if (now >= nextSample) {
    const i = holder.current;
    holder.current = new Interval();
    const stats = processStats();
    stats.words = await wordIndex();
    stats.retries = stats.words.retries - retriesBefore;
    retriesBefore = stats.words.retries;
    const statementsNow = await statements();
    stats.statements = statementDelta(statementsBefore, statementsNow, statementTop);
    statementsBefore = statementsNow;
    const sorted = [...i.rss, stats.rss].sort((a, b) => a - b);
    stats.rss = sorted[0];  // the floor: without a sign-in's argon2id block held at that second
    stats.rssMedian = sorted[Math.floor(sorted.length / 2)];
    stats.rssMax = sorted.at(-1);
    const sample = { interval: samples.length + 1, rate: i.latencies.length / sampleSeconds, errors: i.errors.length,
                     firstErrors: i.errors.slice(0, 3), p50: i.quantile(0.5), p99: i.quantile(0.99), max: i.quantile(1),
                     counts: i.counts, ...stats };
    samples.push(sample);
    console.log(`${String(sample.interval).padStart(8)} ${sample.rate.toFixed(0).padStart(6)} ${String(sample.errors).padStart(7)} ` +
                `${sample.p50.toFixed(1).padStart(8)} ${sample.p99.toFixed(1).padStart(8)} ${sample.max.toFixed(0).padStart(8)} ` +
                `${sample.rss.toFixed(1).padStart(11)} (${sample.rssMedian.toFixed(0)}-${sample.rssMax.toFixed(0)})`.padEnd(28) +
                `${String(sample.files).padStart(5)} ${String(sample.connections).padStart(6)} ${String(sample.own).padStart(4)}  ` +
                `${(sample.words.bytes / 1048576).toFixed(2).padStart(9)} (${sample.words.entries}, ${sample.words.children}, ` +
                `${sample.words.evictions})`.padEnd(43) + `${sample.load}`);
    for (const e of sample.firstErrors) console.log(`          error: ${e}`);
    if (pgAdmin) {
      console.log(`          write retries after serialisation failures: ${sample.retries}; the database's costliest statements:`);
      for (const st of sample.statements) {
        console.log(`          ${st.ms.toFixed(0).padStart(8)} ms ${String(st.calls).padStart(7)} calls ` +
                    `${st.meanMs.toFixed(3).padStart(9)} ms each ${st.rowsPerCall.toFixed(1).padStart(8)} rows  ${st.text.slice(0, 110)}`);
      }
    }
    nextSample += sampleSeconds * 1000;
  }
  await new Promise((r) => setTimeout(r, 2));
}
while (inFlight > 0) await new Promise((r) => setTimeout(r, 10));
clearInterval(rssTimer);

// --- Verdict ------------------------------------------------------------------------------------
const problems = [];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const warm = samples[0];
const after = samples.slice(1);
const errors = samples.reduce((n, s) => n + s.errors, 0) + holder.current.errors.length;
if (errors) problems.push(`${errors} requests failed`);
if (after.length < 3) problems.push(`only ${after.length} intervals after warm-up: run at least 4 intervals`);
if (after.length) {
  const rssMax = Math.max(...after.map((s) => s.rss));
  const lessWords = (s) => s.rss - s.words.bytes / 1048576;
  const otherMax = Math.max(...after.map(lessWords));
  console.log(`RSS floor after warm-up: ${warm.rss.toFixed(1)} -> at most ${rssMax.toFixed(1)} MiB ` +
              `(${(100 * (rssMax / warm.rss - 1)).toFixed(1)}%); less the word index: ${lessWords(warm).toFixed(1)} -> at most ` +
              `${otherMax.toFixed(1)} MiB (${(100 * (otherMax / lessWords(warm) - 1)).toFixed(1)}%)`);
  if (otherMax > lessWords(warm) * 1.1) problems.push(`RSS floor less the word index grew ${(100 * (otherMax / lessWords(warm) - 1)).toFixed(1)}% after warm-up (${lessWords(warm).toFixed(1)} -> ${otherMax.toFixed(1)} MiB)`);
  const last = after.at(-1);
  if (last.own > warm.own + 2) problems.push(`open files other than client connections grew: ${warm.own} -> ${last.own}`);
  const held = Math.max(...after.map((s) => s.closeWait));
  const words = Math.max(...after.map((s) => s.words.bytes));
  if (!(words <= warm.words.maxBytes)) problems.push(`the word index held ${words} bytes, over its bound of ${warm.words.maxBytes}`);
  if (held > 2) problems.push(`the server held ${held} connections its clients had closed (CLOSE_WAIT)`);
  if (Math.max(...after.map((s) => s.connections)) > 4 * connections + 2) problems.push('more connections than the client opened');
  const first3 = median(after.slice(0, 3).map((s) => s.p99));
  const last3 = median(after.slice(-3).map((s) => s.p99));
  if (last3 > first3 * 1.5 + 10) problems.push(`p99 drifted: median of the first three intervals ${first3.toFixed(1)} ms, of the last three ${last3.toFixed(1)} ms`);
  const achieved = after.reduce((n, s) => n + s.rate, 0) / after.length;
  if (achieved < rate * 0.95) problems.push(`the server fell behind: ${achieved.toFixed(0)}/s of ${rate.toFixed(0)}/s asked`);
}
const summary = { backend, seconds, sampleSeconds, peakRate, rate, connections, samples, problems,
                  verify: '' };
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
const verify = spawnSync(path.join(build, 'kith'), ['audit', 'verify'], { env, encoding: 'utf8' });
summary.verify = verify.stdout.split('\n')[0];
if (verify.status !== 0) problems.push(`kith audit verify failed: ${verify.stdout}${verify.stderr}`);
writeFileSync(process.env.SOAK_RESULT ?? path.join(build, `soak-${backend}.json`), JSON.stringify(summary, null, 2));
console.log(`audit verify: ${summary.verify}`);
if (pgDir) {
  // PostgreSQL logs each serialisation failure with the statement it cancelled: which writes
  // conflicted, whether retried or not.
  const log = readFileSync(path.join(pgDir, 'server.log'), 'utf8').split('\n');
  const byStatement = new Map();
  let failures = 0;
  for (let i = 0; i < log.length; ++i) {
    if (!log[i].includes('could not serialize access')) continue;
    ++failures;
    const statement = log.slice(i + 1, i + 4).find((l) => l.includes('STATEMENT:'));
    const text = statement ? statement.replace(/^.*STATEMENT:\s*/, '').slice(0, 100) : '(none logged)';
    byStatement.set(text, (byStatement.get(text) ?? 0) + 1);
  }
  summary.serialisationFailures = failures;
  console.log(`serialisation failures in PostgreSQL's log: ${failures}`);
  for (const [text, n] of [...byStatement].sort((a, b) => b[1] - a[1]).slice(0, 6)) {
    console.log(`  ${String(n).padStart(6)}  ${text}`);
  }
  writeFileSync(process.env.SOAK_RESULT ?? path.join(build, `soak-${backend}.json`), JSON.stringify(summary, null, 2));
}
await cleanup();
if (problems.length) {
  console.error(`soak FAILED:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('soak passed: no error; RSS, open files, sockets and p99 flat after warm-up');
