// Functional-test harness: runs the real `kith` binary on a free loopback port with a fresh data
// directory, talks to it over HTTP, and checks every JSON response it receives against
// docs/openapi.yaml (operation, status, media type, body schema and required headers), so the
// description cannot drift from the server without a test failing.
//
// Time never passes by sleeping: the server is the test build (`kith-test`, server/test_hooks.h),
// whose clock tests move with POST /api/v1/test/clock. TOTP codes are computed from the server's
// clock.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { cpSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import YAML from 'yaml';

export const SOURCE_DIR =
  process.env.KITH_SOURCE_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const KITH_BIN = path.resolve(SOURCE_DIR, process.env.KITH_BIN ?? 'build/kith-test');
// The product binary, built beside the test build: what `make run` serves.
export const PRODUCT_BIN = path.join(path.dirname(KITH_BIN), 'kith');
export const DEMO_PASSWORD = 'Northbrook-demo-2026';
export const DEMO_AUTHORITY_ID = 'LNORTHBROOK000000';

// ---------------------------------------------------------------------------------------------
// The OpenAPI description and response validation.

export const OPENAPI_PATH = path.join(SOURCE_DIR, 'docs', 'openapi.yaml');
export const openapi = YAML.parse(readFileSync(OPENAPI_PATH, 'utf8'));

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(openapi, 'kith-openapi');

export function pointerEscape(segment) {
  return String(segment).replaceAll('~', '~0').replaceAll('/', '~1');
}

export function resolveLocal(ref) {
  assert.ok(ref.startsWith('#/'), `only local $refs are supported: ${ref}`);
  let node = openapi;
  for (const raw of ref.slice(2).split('/')) {
    node = node?.[raw.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  assert.ok(node !== undefined, `dangling $ref ${ref}`);
  return { node, pointer: ref.slice(1) };
}

// The path template in the description that matches a concrete request path, if any.
export function matchPath(requestPath) {
  const parts = requestPath.split('/');
  for (const template of Object.keys(openapi.paths ?? {})) {
    const t = template.split('/');
    if (t.length !== parts.length) continue;
    if (t.every((seg, i) => (seg.startsWith('{') && seg.endsWith('}') ? parts[i] !== '' : seg === parts[i]))) {
      return template;
    }
  }
  return undefined;
}

const validators = new Map();
export function validatorFor(pointer) {
  if (!validators.has(pointer)) validators.set(pointer, ajv.compile({ $ref: `kith-openapi#${pointer}` }));
  return validators.get(pointer);
}

// The documented response for an operation and status, and the JSON pointer to it; for answers
// no operation describes (an unknown address, a method a path does not serve, the front end's
// files) a bare problem is all that may come back.
const BARE_PROBLEM = { response: { content: { 'application/problem+json': {} } }, pointer: null };

function documentedResponse(where, method, requestPath, status) {
  const template = matchPath(requestPath);
  const op = template && openapi.paths[template][method.toLowerCase()];
  if (!op) {
    const expected = template ? 405 : requestPath.startsWith('/api/') ? 404 : undefined;
    if (expected) assert.equal(status, expected, `${where}: ${method} ${requestPath} is not in docs/openapi.yaml`);
    return BARE_PROBLEM;
  }
  // Any operation under /api/ may meet a database outage: one shared description (its "Outages").
  const response = op.responses?.[String(status)] ??
    (status === 503 && requestPath.startsWith('/api/') ? { $ref: '#/components/responses/Unavailable' } : undefined);
  assert.ok(response, `${where}: status ${status} is not documented for ${method} ${template}`);
  if (response.$ref) {
    const { node, pointer } = resolveLocal(response.$ref);
    return { response: node, pointer };
  }
  return { response, pointer: `/paths/${pointerEscape(template)}/${method.toLowerCase()}/responses/${status}` };
}

// Checks one response against the description: documented status, required headers, media
// type and body schema. Throws an AssertionError naming what differs.
export function checkResponse(method, requestPath, status, headers, bodyText) {
  const mediaType = (headers.get('content-type') ?? '').split(';')[0].trim();
  const where = `${method} ${requestPath} -> ${status}`;
  const { response, pointer } = documentedResponse(where, method, requestPath, status);
  if (response === BARE_PROBLEM.response && mediaType !== 'application/problem+json' && !requestPath.startsWith('/api/')) {
    return; // a file of the web front end
  }
  for (const [name, spec] of Object.entries(response.headers ?? {})) {
    const h = spec.$ref ? resolveLocal(spec.$ref).node : spec;
    if (h.required) assert.ok(headers.has(name), `${where}: the documented header ${name} is missing`);
  }
  const content = response.content ?? {};
  if (!bodyText) {
    assert.equal(Object.keys(content).length, 0, `${where}: expected a body (${Object.keys(content)})`);
    return;
  }
  assert.ok(content[mediaType], `${where}: media type ${mediaType} is not documented (have ${Object.keys(content)})`);
  if (mediaType !== 'application/json' && mediaType !== 'application/problem+json') return;
  const validate = pointer
    ? validatorFor(`${pointer}/content/${pointerEscape(mediaType)}/schema`)
    : validatorFor('/components/schemas/Problem');
  if (!validate(JSON.parse(bodyText))) {
    assert.fail(`${where}: the body does not match docs/openapi.yaml:\n` +
                `${ajv.errorsText(validate.errors, { separator: '\n' })}\n${bodyText.slice(0, 2000)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The routes the server registers, read from the C++ sources (Router::Add("METHOD", "/path", ...)),
// as "METHOD /path/{}" with parameters blanked, mapped to the file (relative to src/) that adds them.

export const normaliseRoute = (method, p) => `${method.toUpperCase()} ${p.replace(/\{[^}]+\}/g, '{}')}`;

// The routes of `kith serve`. src/hub is another server (`kith hub serve`, docs/hub.md, tested by
// hub.test.mjs) and is left out.
export function registeredRoutes() {
  const routes = new Map();
  const root = path.join(SOURCE_DIR, 'src');
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (full !== path.join(root, 'hub')) walk(full);
      } else if (entry.name.endsWith('.cpp') && !entry.name.endsWith('_test.cpp')) {
        for (const m of readFileSync(full, 'utf8').matchAll(/\.Add\(\s*"([A-Z]+)",\s*"(\/[^"]*)"/g)) {
          routes.set(normaliseRoute(m[1], m[2]), path.relative(root, full));
        }
      }
    }
  };
  walk(root);
  return routes;
}

// ---------------------------------------------------------------------------------------------
// The audit actions the server may write: src/domain/audit_actions.cpp, read like the routes.

export function catalogedActions() {
  const text = readFileSync(path.join(SOURCE_DIR, 'src', 'domain', 'audit_actions.cpp'), 'utf8');
  return new Set([...text.matchAll(/AuditAction\{"([^"]+)"/g)].map((m) => m[1]));
}

// Every action in the data directory's audit log is in the catalogue, so that the auditors'
// pages have words for it (issue 14: the audit page's labels did not match the server's names).
export function assertActionsCatalogued(dataDir) {
  const r = sql(dataDir, 'SELECT DISTINCT action FROM audit_log;');
  if (r.code !== 0) return; // no database (a server that never started)
  const known = catalogedActions();
  const unknown = r.stdout.split('\n').filter((a) => a && !known.has(a));
  assert.deepEqual(unknown, [], `audit actions written but not in src/domain/audit_actions.cpp: ${unknown.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------
// TOTP (RFC 6238 over RFC 4226 HOTP: HMAC-SHA1, 30-second steps, 6 digits).

export function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of text.replace(/=+$/, '').toUpperCase()) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function totp(secretBase32, unixMillis) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixMillis / 1000 / 30)));
  const mac = createHmac('sha1', base32Decode(secretBase32)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

// ---------------------------------------------------------------------------------------------
// The server process.

export async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The storage back end. Every file runs twice under `make test`: against the embedded SQLite
// database (KITH_TEST_BACKEND unset) and against PostgreSQL (KITH_TEST_BACKEND=postgres), in the
// throwaway cluster CTest starts (scripts/test-postgres; KITH_TEST_POSTGRES is its superuser's
// connection string). On PostgreSQL each data directory gets a database of its own, migrated by
// the owner role, and the server and the CLI connect as kith_app, a member of the servers' role:
// the least privilege of README's operations section.

export const BACKEND = process.env.KITH_TEST_BACKEND ?? 'sqlite';
const PG_ADMIN = process.env.KITH_TEST_POSTGRES ?? '';
if (BACKEND !== 'sqlite' && BACKEND !== 'postgres') throw new Error(`KITH_TEST_BACKEND=${BACKEND}: sqlite or postgres`);
if (BACKEND === 'postgres' && !PG_ADMIN) {
  throw new Error('KITH_TEST_BACKEND=postgres needs KITH_TEST_POSTGRES (run the tests with `make test` or ctest)');
}

function databaseName(dataDir) {
  return `kith_f_${path.basename(dataDir).replace(/[^A-Za-z0-9]/g, '_').toLowerCase()}`;
}

// The connection string of a data directory's database, as `role`.
export function databaseUrl(dataDir, role = 'kith_app') {
  return `${PG_ADMIN} user=${role} dbname=${databaseName(dataDir)}`;
}

function psql(conninfo, sql, maxBuffer) {
  const r = spawnSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', conninfo], { input: sql, encoding: 'utf8', ...(maxBuffer ? { maxBuffer } : {}) });
  if (r.error) throw new Error(`psql is needed (postgresql-client): ${r.error.message}`);
  return r;
}

// Runs SQL on the data directory's database with every privilege (tests look behind the
// server's back, and tamper). Returns { code, stdout, stderr }; stdout has one line per row,
// columns separated by '|' on either back end. `maxBuffer` raises the 1 MiB of output allowed.
export function sql(dataDir, text, { maxBuffer } = {}) {
  const r = BACKEND === 'postgres'
    ? psql(`${PG_ADMIN} dbname=${databaseName(dataDir)} options='-c search_path=kith'`, text, maxBuffer)
    : spawnSync('sqlite3', [path.join(dataDir, 'kith.db')], { input: text, encoding: 'utf8', ...(maxBuffer ? { maxBuffer } : {}) });
  if (r.error) throw new Error(`sqlite3 is needed (scripts/apt-packages.txt): ${r.error.message}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// The first column of the first row a query returns.
export function sqlValue(dataDir, text) {
  const r = sql(dataDir, text);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim().split('\n')[0] ?? '';
}

function baseEnv(dataDir) {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME ?? tmpdir(),
    KITH_DATA: dataDir,
    KITH_FAST_HASHING: '1',
    KITH_LOG_LEVEL: 'warn',
  };
  if (BACKEND === 'postgres') env.KITH_DATABASE_URL = databaseUrl(dataDir);
  return env;
}

// Runs the CLI against a data directory (the server must not be running on it). Output is
// capped at 1 MiB; a run that writes more is stopped and throws.
export function runCli(dataDir, args, { input } = {}) {
  const r = spawnSync(KITH_BIN, args, { env: baseEnv(dataDir), input, encoding: 'utf8', timeout: 30_000,
                                        maxBuffer: 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// A fresh data directory (and on PostgreSQL a fresh database, its schema made by the owner).
export function makeDataDir() {
  const dir = mkdtempSync(path.join(tmpdir(), 'kith-functional-'));
  if (BACKEND === 'postgres') {
    const made = psql(`${PG_ADMIN} dbname=postgres`, `CREATE DATABASE ${databaseName(dir)} OWNER kith_owner;`);
    if (made.status !== 0) throw new Error(`cannot create the test database: ${made.stderr}`);
    const migrated = spawnSync(KITH_BIN, ['migrate'], {
      env: { ...baseEnv(dir), KITH_DATABASE_URL: databaseUrl(dir, 'kith_owner') }, encoding: 'utf8' });
    if (migrated.status !== 0) throw new Error(`kith migrate failed: ${migrated.stdout}${migrated.stderr}`);
  }
  return dir;
}

// A copy of a data directory (and on PostgreSQL of its database) whose server is stopped: what an
// attacker tampers with while the original stays intact. Remove it with removeDataDir.
export function copyDataDir(dir) {
  const copy = mkdtempSync(path.join(tmpdir(), 'kith-functional-'));
  cpSync(dir, copy, { recursive: true });
  if (BACKEND === 'postgres') {
    const made = psql(`${PG_ADMIN} dbname=postgres`,
                      `CREATE DATABASE ${databaseName(copy)} TEMPLATE ${databaseName(dir)} OWNER kith_owner;`);
    if (made.status !== 0) throw new Error(`cannot copy the test database: ${made.stderr}`);
  }
  return copy;
}

// Removes a data directory made by makeDataDir (and its database).
export function removeDataDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  if (BACKEND === 'postgres') psql(`${PG_ADMIN} dbname=postgres`, `DROP DATABASE IF EXISTS ${databaseName(dir)} WITH (FORCE);`);
}

// A web root with one page and one asset, so static responses are predictable.
function makeWebRoot(dataDir) {
  const root = path.join(dataDir, 'web');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Kith test</title>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'export {};\n');
  return root;
}

export class KithServer {
  // Starts `kith serve --demo-if-empty` on `dataDir` (a new one by default) and waits for /healthz.
  // `env` adds settings (KITH_* variables) for this server; `bin` runs another binary than the
  // test build (PRODUCT_BIN).
  static async start({ dataDir = makeDataDir(), ownsDataDir = true, threads = 2, env = {}, bin = KITH_BIN } = {}) {
    const server = new KithServer(dataDir, ownsDataDir);
    server.threads = threads;
    server.env = env;
    server.bin = bin;
    try {
      await server.#launch();
    } catch (e) {
      await server.dispose();
      throw e;
    }
    return server;
  }

  constructor(dataDir, ownsDataDir) {
    this.dataDir = dataDir;
    this.ownsDataDir = ownsDataDir;
    this.webRoot = makeWebRoot(dataDir);
    this.output = '';
    // The server allows 20 sign-in attempts and 10 code redemptions a minute from one address
    // (http::AnonymousRouteLimits; all tests come from 127.0.0.1); unless a test turns this off,
    // the harness moves the clock on a minute before a request would pass the limit.
    this.paceSignIns = true;
    this.pacedThisMinute = new Map();
  }

  // The free port can be taken by another process between probing and binding; try another.
  async #launch() {
    for (let attempt = 1; ; ++attempt) {
      try {
        return await this.#launchOnce();
      } catch (e) {
        if (attempt >= 3 || !/address already in use|bind/i.test(this.output)) throw e;
      }
    }
  }

  async #launchOnce() {
    this.output = '';
    this.port = await freePort();
    this.url = `http://127.0.0.1:${this.port}`;
    const env = { ...baseEnv(this.dataDir), KITH_PORT: String(this.port), KITH_WEB_ROOT: this.webRoot,
                  KITH_THREADS: String(this.threads ?? 2), ...this.env };
    this.child = spawn(this.bin, ['serve', '--demo-if-empty'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    this.child.stdout.on('data', collect);
    this.child.stderr.on('data', collect);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => resolve({ code, signal }));
      this.child.once('error', (e) => resolve({ code: null, signal: null, error: `${e.message} (${this.bin})` }));
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const early = await Promise.race([this.exited, new Promise((r) => setTimeout(r, 25, null))]);
      if (early) throw new Error(`kith exited during start-up (${JSON.stringify(early)}):\n${this.output}`);
      try {
        const res = await fetch(`${this.url}/healthz`);
        if (res.status === 200) {
          await res.arrayBuffer();
          return;
        }
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`kith did not become healthy:\n${this.output}`);
    }
  }

  // Stops the server with SIGTERM and returns its exit status.
  async stop() {
    if (!this.child) return { code: 0, signal: null };
    const child = this.child;
    this.child = null;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }

  // Kills the server with SIGKILL, as a power cut would, and waits for it to be gone.
  async crash() {
    const child = this.child;
    this.child = null;
    child.kill('SIGKILL');
    return this.exited;
  }

  // Stops the server, asserts a graceful exit and that every audit action it wrote is in the
  // catalogue, and removes the data directory.
  async close() {
    const { code, signal } = await this.stop();
    if (signal === null && code === 0) assertActionsCatalogued(this.dataDir);
    if (this.ownsDataDir) removeDataDir(this.dataDir);
    assert.equal(signal, null, `kith was killed by ${signal}:\n${this.output}`);
    assert.equal(code, 0, `kith exited with ${code} after SIGTERM:\n${this.output}`);
  }

  // Stops the server and removes the data directory, asserting nothing (for after() hooks,
  // which run also when a test failed before close()).
  async dispose() {
    await this.stop();
    if (this.ownsDataDir) removeDataDir(this.dataDir);
  }

  client() {
    return new Client(this);
  }

  // Sends raw bytes on a new connection and parses the answer (for requests fetch will not make).
  raw(text) {
    return new Promise((resolve, reject) => {
      const socket = net.connect(this.port, '127.0.0.1', () => socket.write(text));
      socket.setTimeout(5_000, () => socket.destroy(new Error('no answer within 5 s')));
      let data = Buffer.alloc(0);
      socket.on('data', (chunk) => { data = Buffer.concat([data, chunk]); });
      socket.on('error', reject);
      socket.on('close', () => {
        const textOut = data.toString('utf8');
        const split = textOut.indexOf('\r\n\r\n');
        const [statusLine, ...lines] = textOut.slice(0, split).split('\r\n');
        const headers = new Headers();
        for (const l of lines) headers.append(l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim());
        resolve({ status: Number(statusLine.split(' ')[1]), headers, text: textOut.slice(split + 4) });
      });
    });
  }

  // Moves the server's clock forward; returns the server's time (ms since the epoch).
  async advance(seconds) {
    if (seconds >= 60) this.pacedThisMinute.clear();
    const res = await this.client().post('/api/v1/test/clock', { advance_seconds: seconds }, { csrf: false });
    assert.equal(res.status, 200, res.text);
    return Date.parse(res.body.now);
  }

  // A six-digit code the server will not accept now (it accepts the steps either side too).
  async wrongTotp(secret) {
    const now = await this.now();
    const valid = new Set([-30_000, 0, 30_000].map((d) => totp(secret, now + d)));
    for (let n = 0; ; ++n) {
      const code = String(n).padStart(6, '0');
      if (!valid.has(code)) return code;
    }
  }

  async now() {
    return this.advance(0);
  }

  // A TOTP code for the server's current time.
  async totp(secret) {
    return totp(secret, await this.now());
  }
}

// Requests per minute from one address that the server allows (http::AnonymousRouteLimits).
export const PACED_ROUTES = { 'POST /api/v1/session': 20, 'POST /api/v1/family/redeem': 10 };

// ---------------------------------------------------------------------------------------------
// A browser-like client: one session cookie, the CSRF token, JSON in and out.

export class Client {
  constructor(server) {
    this.server = server;
    this.cookie = '';
    this.csrf = '';
  }

  // Sends a request and checks the response against the description. `body` is sent as JSON
  // unless `raw` is given (with `contentType`, default application/json); `csrf: false`
  // leaves the CSRF header out.
  async request(method, requestPath, { body, raw, headers = {}, csrf = true, contentType } = {}) {
    const paced = PACED_ROUTES[`${method} ${requestPath}`];
    if (paced && this.server.paceSignIns) {
      if ((this.server.pacedThisMinute.get(requestPath) ?? 0) >= paced - 2) await this.server.advance(61);
      this.server.pacedThisMinute.set(requestPath, (this.server.pacedThisMinute.get(requestPath) ?? 0) + 1);
    }
    const h = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (csrf && this.csrf) h['x-csrf-token'] = this.csrf;
    let payload;
    if (raw !== undefined) {
      payload = raw;
      h['content-type'] = contentType ?? 'application/json';
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      h['content-type'] = contentType ?? 'application/json';
    } else if (contentType) {
      h['content-type'] = contentType;
    }
    const res = await fetch(this.server.url + requestPath, { method, headers: h, body: payload, redirect: 'manual' });
    const text = await res.text();
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const m = /^kith_session=([^;]*)/.exec(setCookie);
      if (m) this.cookie = m[1] ? `kith_session=${m[1]}` : '';
    }
    const type = res.headers.get('content-type') ?? '';
    const parsed = /json/.test(type) && text ? JSON.parse(text) : undefined;
    if (parsed?.csrf_token) this.csrf = parsed.csrf_token;
    const pathOnly = requestPath.split('?')[0];
    checkResponse(method, pathOnly, res.status, res.headers, text);
    return { status: res.status, headers: res.headers, body: parsed, text, setCookie };
  }

  get(p, opts) { return this.request('GET', p, opts); }
  post(p, body, opts = {}) { return this.request('POST', p, { ...opts, body }); }
  put(p, body, opts = {}) { return this.request('PUT', p, { ...opts, body }); }
  patch(p, body, opts = {}) { return this.request('PATCH', p, { ...opts, body }); }
  delete(p, opts) { return this.request('DELETE', p, opts); }

  // Signs in; completes the second factor when `totpSecret` is given. Returns the last response.
  async signIn(username, password = DEMO_PASSWORD, { totpSecret } = {}) {
    const res = await this.post('/api/v1/session', { username, password });
    if (res.status !== 201 || !totpSecret || res.body.state !== 'second_factor_required') return res;
    return this.post('/api/v1/session/second-factor', { code: await this.server.totp(totpSecret) });
  }

  // Enrols a TOTP second factor for the signed-in user; returns the secret.
  async enrol(password = DEMO_PASSWORD) {
    const begin = await this.post('/api/v1/me/second-factor/enrolment', { password });
    assert.equal(begin.status, 201, begin.text);
    const confirm = await this.post('/api/v1/me/second-factor/enrolment/confirm',
                                    { code: await this.server.totp(begin.body.secret) });
    assert.equal(confirm.status, 200, confirm.text);
    assert.equal(confirm.body.state, 'complete');
    return begin.body.secret;
  }
}

// Signs in as `username` with a fresh client, asserting success.
export async function signedIn(server, username, password = DEMO_PASSWORD, options = {}) {
  const c = server.client();
  const res = await c.signIn(username, password, options);
  assert.ok(res.status === 200 || res.status === 201, `sign-in of ${username}: ${res.status} ${res.text}`);
  return c;
}

// Leo Carter's Kith id, found through his lead professional's caseload.
export async function leoCarterId(server) {
  const c = await signedIn(server, 'sw.hughes');
  const res = await c.get('/api/v1/me/children');
  assert.equal(res.status, 200);
  const leo = res.body.children.find((k) => k.given_names === 'Leo' && k.family_name === 'Carter');
  assert.ok(leo, 'Leo Carter is in sw.hughes\'s caseload');
  return leo.child_id;
}
