// Shared e2e harness: starts a real `kith serve` with demo data on a free port, drives Debian's
// Chromium with playwright-core (never a downloaded browser), computes TOTP codes against the
// server's test clock, records CSP violations and console errors, and saves screenshots.
// Test files take `test` from here: when a test fails it reports what every open page showed
// (address, text, a screenshot) and did (its last API calls), and the end of the server's log,
// so that a failure seen once in CI can be understood from its output alone.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test as nodeTest } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const SOURCE_DIR = process.env.KITH_SOURCE_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const KITH_BIN = process.env.KITH_BIN ?? join(SOURCE_DIR, 'build/kith-test');  // the test build
export const ARTIFACTS = join(SOURCE_DIR, 'test-artifacts');
export const PASSWORD = 'Northbrook-demo-2026';

// What is open now, for the failure report: pages (with the trail of what each did) and servers.
const openPages = new Set();
const servers = new Set();

/** node:test's `test`, with a report of the open pages and the server's log when the test fails. */
export function test(name, fn) {
  return nodeTest(name, async (t) => {
    try {
      return await fn(t);
    } catch (e) {
      await reportFailure(name);
      throw e;
    }
  });
}

async function reportFailure(name) {
  const lines = [`---- what the browser showed when "${name}" failed ----`];
  let i = 0;
  for (const { page, trail, pending, opened } of openPages) {
    i += 1;
    const shot = join(ARTIFACTS, 'failures', `${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}-${i}.png`);
    let text = '(the page did not answer)';
    try {
      mkdirSync(dirname(shot), { recursive: true });
      await page.screenshot({ path: shot, fullPage: true, timeout: 5000 });
      text = (await page.locator('body').innerText({ timeout: 5000 })).replace(/\n{2,}/g, '\n').slice(0, 2000);
    } catch (e) {
      text += ` (${e.message.split('\n')[0]})`;
    }
    lines.push(`page ${i} (opened ${((Date.now() - opened) / 1000).toFixed(1)} s ago): ${page.url()}`,
               `screenshot: ${shot}`, 'text:', text, 'last requests and navigations (seconds since the page opened):',
               ...trail.slice(-40), 'still waiting for:',
               ...[...pending].map(([r, at]) => `${r.method()} ${r.url().replace(/^https?:\/\/[^/]+/, '')} (sent at ${at})`));
  }
  for (const server of servers) lines.push('server log (end):', server.log().split('\n').slice(-80).join('\n'));
  console.log(lines.join('\n'));
}

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.unref();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

// `prepare(dataDir)`, when given, runs before the server starts (e.g. command-line imports,
// which need the server stopped).
export async function startServer({ prepare } = {}) {
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), 'kith-e2e-'));
  prepare?.(data);
  const child = spawn(KITH_BIN, ['serve', '--demo-if-empty'], {
    env: {
      ...process.env,
      KITH_DATA: data,
      KITH_PORT: String(port),
      KITH_ADDRESS: '127.0.0.1',
      KITH_FAST_HASHING: '1',
      KITH_LOG_LEVEL: 'debug',  // every request logged, for the failure report
      KITH_WEB_ROOT: join(SOURCE_DIR, 'web/dist'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`kith exited early (${child.exitCode}):\n${log}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`kith did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const server = {
    base,
    log: () => log,
    async stop() {
      servers.delete(server);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
  servers.add(server);
  return server;
}

// playwright-core gives every launch() a new, empty temporary profile (--user-data-dir) and
// removes it on close; it refuses an explicit --user-data-dir argument.
export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

/** A browser context (one signed-in person) that records CSP violations and page errors. */
export async function newUser(browser, base, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ baseURL: base, viewport, locale: 'en-GB', timezoneId: 'Europe/London' });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    const t = m.text();
    if (/Content Security Policy|Refused to/i.test(t)) problems.push(`CSP: ${t}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  const entry = { page, trail: [], pending: new Map(), opened: Date.now() };
  const since = () => ((Date.now() - entry.opened) / 1000).toFixed(1);
  const note = (what) => entry.trail.push(`${since()} ${what}`);
  const path = (url) => url.replace(base, '');
  const api = (r) => r.url().startsWith(`${base}/api/`);
  page.on('request', (r) => api(r) && entry.pending.set(r, since()));
  page.on('requestfinished', (r) => entry.pending.delete(r));
  page.on('response', (r) => api(r) && note(`${r.request().method()} ${path(r.url())} -> ${r.status()} (sent at ${entry.pending.get(r.request())})`));
  page.on('requestfailed', (r) => {
    entry.pending.delete(r);
    note(`${r.method()} ${path(r.url())} failed: ${r.failure()?.errorText}`);
  });
  page.on('framenavigated', (f) => f === page.mainFrame() && note(`at ${path(f.url())}`));
  page.on('pageerror', (e) => note(`page error: ${e.message}`));
  openPages.add(entry);
  context.on('close', () => openPages.delete(entry));
  return { context, page, problems };
}

function base32(secret) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) at `unixSeconds`. */
export function totp(secret, unixSeconds) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const o = mac[mac.length - 1] & 0xf;
  const n = ((mac[o] & 0x7f) << 24) | (mac[o + 1] << 16) | (mac[o + 2] << 8) | mac[o + 3];
  return String(n % 1_000_000).padStart(6, '0');
}

/** Moves the server's test clock on and returns its time (Unix seconds). */
export async function advanceClock(base, seconds) {
  const r = await fetch(`${base}/api/v1/test/clock`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ advance_seconds: seconds }),
  });
  if (!r.ok) throw new Error(`test clock: ${r.status}`);
  return Date.parse((await r.json()).now) / 1000;
}

export async function signIn(page, username) {
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByTestId('sign-in').click();
}

export async function screenshot(page, name) {
  mkdirSync(join(ARTIFACTS, 'screenshots'), { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'screenshots', `${name}.png`), fullPage: true });
}

/** Runs axe-core on the page; returns the serious and critical violations. */
export async function axe(page, label) {
  const { AxeBuilder } = await import('@axe-core/playwright');
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${label}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 360, height: 740 };

/**
 * Checks the current page: axe-core scan (serious and critical violations collected into
 * `found`), then full-page screenshots at desktop and phone width.
 */
export async function checkPage(page, name, found) {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  found.push(...(await axe(page, name)));
  await screenshot(page, `${name}-desktop`);
  const size = page.viewportSize();
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(150);
  found.push(...(await axe(page, `${name} (phone)`)));
  const overflow = await page.evaluate(() => {
    const by = document.documentElement.scrollWidth - window.innerWidth;
    if (by <= 1) return null;
    // Name the outermost elements that stick out, to say what to fix.
    const wide = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1);
    const outer = wide.filter((el) => !wide.includes(el.parentElement)).slice(0, 3);
    return `${by}px (${outer.map((el) => `${el.tagName.toLowerCase()}.${String(el.className).split(' ').join('.')}`).join(', ')})`;
  });
  if (overflow) found.push(`${name} (phone): the page scrolls sideways by ${overflow}`);
  await screenshot(page, `${name}-phone`);
  await page.setViewportSize(size ?? DESKTOP);
}

/** Signs in over HTTP (no browser) and returns a tiny client with the session's cookie and CSRF token. */
export async function apiAs(base, username) {
  const r = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (r.status !== 201) throw new Error(`sign-in ${username}: ${r.status}`);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf } = await r.json();
  const call = async (method, path, body) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return { get: (p) => call('GET', p), post: (p, b) => call('POST', p, b ?? {}), put: (p, b) => call('PUT', p, b ?? {}) };
}

/** Fills a GOV.UK date input (day, month and year boxes; the day box has `id`) with "YYYY-MM-DD". */
export async function fillDate(scope, id, iso) {
  const [year, month, day] = iso.split('-');
  await scope.locator(`[id="${id}"]`).fill(String(Number(day)));
  await scope.locator(`[id="${id}-month"]`).fill(String(Number(month)));
  await scope.locator(`[id="${id}-year"]`).fill(year);
}
