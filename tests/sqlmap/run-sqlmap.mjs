// `make sqlmap` (issue 17): sqlmap against every operation of docs/openapi.yaml that takes a path,
// query or body parameter (tests/sqlmap/endpoints.mjs), signed in with the session cookie and the
// CSRF header, on the back end KITH_TEST_BACKEND names (sqlite, or postgres with
// KITH_TEST_POSTGRES). The test build's deliberately injectable route is the positive control:
// the run passes only if sqlmap finds the control and nothing else.
//
//   node tests/sqlmap/run-sqlmap.mjs OUT_DIR       (KITH_BIN: the test build, build/kith-test)
//
// SQLMAP_ONLY (a regular expression over "METHOD /template") scans some routes only (the control is
// always scanned); SQLMAP_JOBS (default 2) sqlmap processes at once. Each route's request, sqlmap
// output and verdict are kept under OUT_DIR; a summary is printed and written to OUT_DIR/summary.txt.
// The settings, and why: docs/security-testing.md.

import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { BACKEND, KithServer, makeDataDir, removeDataDir } from '../functional/harness.mjs';
import { CALLERS, ENDPOINTS, prepareData, prepareWorld } from './endpoints.mjs';

const out = path.resolve(process.argv[2] ?? 'sqlmap-results');
const only = process.env.SQLMAP_ONLY ? new RegExp(process.env.SQLMAP_ONLY) : null;
const jobs = Number(process.env.SQLMAP_JOBS ?? 2);

// The per-route settings (docs/security-testing.md, "Settings").
const SQLMAP_ARGS = [
  '--batch', '--level=3', '--risk=2', '--technique=BEUST', '--time-sec=2', '--timeout=15', '--retries=1',
  '--threads=1', '--skip-waf', '--ignore-stdin', '--flush-session', '--disable-coloring', '--ignore-code=401,404',
  `--dbms=${BACKEND === 'postgres' ? 'PostgreSQL' : 'SQLite'}`,
];

// Appends sqlmap's custom injection marker to every scalar of a JSON value but those under the
// keys in `unmarked`.
function markedJson(value, unmarked = []) {
  if (Array.isArray(value)) return `[${value.map((v) => markedJson(v, unmarked)).join(',')}]`;
  if (value === null) return 'null';
  if (typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:` +
                                                      `${unmarked.includes(k) ? JSON.stringify(v) : markedJson(v, unmarked)}`).join(',')}}`;
  }
  if (typeof value === 'string') return JSON.stringify(value).replace(/"$/, '*"');
  return `${JSON.stringify(value)}*`;
}

// The target with every path id (where the template has {name}) and query value marked.
function markedTarget(template, target) {
  const [p, query] = target.split('?');
  const t = template.split('/');
  const segments = p.split('/').map((seg, i) => (t[i]?.startsWith('{') ? `${seg}*` : seg));
  const q = query ? `?${query.split('&').map((kv) => `${kv}*`).join('&')}` : '';
  return segments.join('/') + q;
}

function markedCsv(text) {
  const [header, ...rows] = text.split('\n');
  return [header, ...rows.map((r) => (r ? r.split(',').map((cell) => `${cell}*`).join(',') : r))].join('\n');
}

function run(cmd, args, logFile) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (c) => { text += c; });
    child.stderr.on('data', (c) => { text += c; });
    child.on('close', (code) => {
      writeFileSync(logFile, text);
      resolve({ code, text });
    });
  });
}

// What sqlmap said of one route: 'injectable', 'not injectable', or 'incomplete' (it stopped
// before testing every marked point, e.g. a connection failure); the runner adds 'session lost'.
function verdict(text) {
  if (/identified the following injection point|is vulnerable/.test(text)) return 'injectable';
  if (/all tested parameters do not appear to be injectable/.test(text)) return 'not injectable';
  return 'incomplete';
}

const started = Date.now();
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const dataDir = makeDataDir();
prepareData(dataDir);
// Loopback is a trusted proxy here, so that sqlmap's requests to the rate-limited anonymous
// routes can come from many addresses (the xforwardedfor tamper script).
const server = await KithServer.start({ dataDir, ownsDataDir: false, env: { KITH_TRUSTED_PROXIES: '127.0.0.1' } });
const results = [];
try {
  const ctx = await prepareWorld(server);
  const selected = ENDPOINTS.filter((e) => e.control || !only || only.test(e.route));
  console.log(`sqlmap ${SQLMAP_ARGS.join(' ')} on ${BACKEND}: ${selected.length} routes, ${jobs} at a time`);
  let next = 0;
  let anonymous = 0;
  const worker = async () => {
    while (next < selected.length) {
      const e = selected[next++];
      const name = e.route.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');
      const dir = path.join(out, name);
      mkdirSync(dir, { recursive: true });
      const client = await CALLERS[e.as](server, ctx);
      const [method, template] = e.route.split(' ');
      const target = e.target(ctx);
      let body;
      let marked;
      let type;
      if (e.body) {
        body = JSON.stringify(e.body(ctx));
        marked = markedJson(e.body(ctx), e.unmarked);
        type = 'application/json';
      } else if (e.csv) {
        body = e.csv(ctx);
        marked = markedCsv(body);
        type = 'text/csv';
      }
      const headers = { Host: `127.0.0.1:${server.port}`, Accept: 'application/json' };
      // The session cookie is marked too: the server looks sessions up in the database.
      if (client?.cookie) headers.Cookie = `${client.cookie}*`;
      if (client?.csrf) headers['X-CSRF-Token'] = client.csrf;
      if (e.anonymous) headers['X-Forwarded-For'] = `198.51.100.${++anonymous}`;
      if (type) headers['Content-Type'] = type;
      // The unmarked request once, to record what it answers before sqlmap starts.
      const { Host: _host, ...sent } = { ...headers, Cookie: client?.cookie };
      if (!sent.Cookie) delete sent.Cookie;
      const baseline = await fetch(`${server.url}${target}`, { method, headers: sent, body });
      await baseline.arrayBuffer();
      const lines = [`${method} ${markedTarget(template, target)} HTTP/1.1`,
                     ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', marked ?? ''];
      const requestFile = path.join(dir, 'request.txt');
      writeFileSync(requestFile, lines.join('\r\n'));
      const args = ['-r', requestFile, ...SQLMAP_ARGS, `--output-dir=${path.join(dir, 'session')}`];
      if (e.anonymous) args.push('--tamper=xforwardedfor');
      const t0 = Date.now();
      const { code, text } = await run('sqlmap', args, path.join(dir, 'sqlmap.log'));
      const seconds = (Date.now() - t0) / 1000;
      // 401 and 404 do not stop sqlmap (SQLMAP_ARGS), so a session lost during the scan would pass
      // for "not injectable": the session must still stand at the end.
      let sessionLost = false;
      if (client?.cookie) {
        const still = await fetch(`${server.url}/api/v1/session`, { headers: { cookie: client.cookie } });
        await still.arrayBuffer();
        sessionLost = still.status !== 200;
      }
      const points = new Set(text.match(/testing for SQL injection on [^\n]*/g) ?? []).size;
      const found = sessionLost ? 'session lost' : verdict(text);
      const expected = e.control ? 'injectable' : 'not injectable';
      const r = { route: e.route, as: e.as, baseline: baseline.status, verdict: found, ok: found === expected && code === 0,
                  seconds, points };
      results.push(r);
      console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${found.padEnd(14)} ${String(baseline.status).padEnd(4)} ` +
                  `${seconds.toFixed(0).padStart(4)} s ${String(points).padStart(3)} points  ${e.route}` +
                  `${e.control ? '  (positive control)' : ''}`);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
} finally {
  await server.dispose();
  removeDataDir(dataDir);
}

const failed = results.filter((r) => !r.ok);
const control = results.find((r) => r.route === ENDPOINTS.find((e) => e.control).route);
const lines = [
  `backend ${BACKEND}; ${results.length} routes in ${((Date.now() - started) / 60000).toFixed(1)} min; ` +
    `sqlmap ${SQLMAP_ARGS.join(' ')}`,
  `positive control: ${control?.verdict ?? 'not run'}`,
  `others injectable: ${results.filter((r) => r !== control && r.verdict === 'injectable').length}; ` +
    `incomplete: ${results.filter((r) => r.verdict === 'incomplete').length}; ` +
    `baseline not 2xx: ${results.filter((r) => r.baseline >= 300).map((r) => `${r.route} (${r.baseline})`).join(', ') || 'none'}`,
  ...results.map((r) => `${r.ok ? 'ok  ' : 'FAIL'} ${r.verdict.padEnd(14)} ${r.baseline} ${r.seconds.toFixed(0)} s ` +
                        `${r.points} points  ${r.route}`),
];
writeFileSync(path.join(out, 'summary.txt'), `${lines.join('\n')}\n`);
console.log(lines.slice(0, 3).join('\n'));
if (failed.length) {
  console.error(`sqlmap: ${failed.length} route(s) not as expected:\n${failed.map((r) => `  ${r.route}: ${r.verdict}`).join('\n')}`);
  process.exit(1);
}
console.log('sqlmap: the positive control was found and nothing else');
