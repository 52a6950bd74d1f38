// Limits that keep slow or greedy clients from holding the server (issue 17, "Limits"): caps on
// connections (server-wide and per client address), time limits on each stage of reading a
// request (slowloris: slow headers, slow bodies, idle connections), and caps on WebSocket message
// size and rate. The server runs with small limits (docs/limits.md) so that the tests take
// seconds; these limits are wall-clock by nature (socket timers), so the tests wait for the
// server to act, bounded by deadlines, instead of moving the test clock.
//
// Connections the tests hold come from 127.0.0.2 and up (all of 127.0.0.0/8 is loopback), so
// that the harness's own requests from 127.0.0.1 are not counted with them.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { KithServer, signedIn } from './harness.mjs';
import { closeCode, connect as rawConnect, frame, openLive as openLiveFrom, serverClose, until } from './websocket.mjs';

const PER_ADDRESS = 8;
const MAX = 16;
const IDLE_S = 2;
const HEADER_S = 1;
const BODY_S = 2;

let server;
before(async () => {
  server = await KithServer.start({
    env: {
      KITH_MAX_CONNECTIONS: String(MAX), KITH_MAX_CONNECTIONS_PER_ADDRESS: String(PER_ADDRESS),
      KITH_IDLE_TIMEOUT: String(IDLE_S), KITH_HEADER_TIMEOUT: String(HEADER_S), KITH_BODY_TIMEOUT: String(BODY_S),
    },
  });
});
after(async () => {
  await server?.dispose();
});

const connect = (from) => rawConnect(server.port, from);

// Sends one keep-alive request and waits for its status line; returns the status.
async function healthOn(conn) {
  const seen = conn.data.length;
  conn.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  const text = await until(conn, (t) => t.length > seen && /\r\n\r\n\{"status":"[a-z]+"\}/.test(t.slice(seen)));
  return Number(/HTTP\/1\.1 (\d+)/.exec(text.slice(seen))?.[1] ?? 0);
}

// Whether the server refused the connection at once (its bare 503) and closed it.
async function refused(conn) {
  const text = await until(conn, (t) => t.includes('"code":"busy"'), 3_000).catch(() => '');
  return text.startsWith('HTTP/1.1 503') && text.includes('Retry-After: 5');
}

test('issue 17: many idle connections could hold the server', async () => {
  // One address may hold PER_ADDRESS connections; the next is refused at once.
  const held = [];
  for (let i = 0; i < PER_ADDRESS; ++i) {
    const c = await connect('127.0.0.2');
    assert.equal(await healthOn(c), 200, `connection ${i + 1} is served`);
    held.push(c);
  }
  const extra = await connect('127.0.0.2');
  assert.ok(await refused(extra), 'one more from the same address is refused with 503');
  // Other addresses are still served.
  const other = await connect('127.0.0.3');
  assert.equal(await healthOn(other), 200);
  other.socket.destroy();
  // Idle connections are closed after idle_timeout, and the address may connect again.
  const closedAt = await Promise.all(held.map((c) => c.closed));
  for (const [i, at] of closedAt.entries()) {
    const idle = (at - held[i].opened) / 1000;
    assert.ok(idle < IDLE_S + 3, `idle connection ${i + 1} closed after ${idle.toFixed(1)} s`);
  }
  const again = await connect('127.0.0.2');
  assert.equal(await healthOn(again), 200);
  again.socket.destroy();
});

test('no more than max_connections are open at once', async () => {
  const conns = [];
  for (const from of ['127.0.0.4', '127.0.0.5', '127.0.0.6']) {
    for (let i = 0; i < PER_ADDRESS; ++i) conns.push(await connect(from));
  }
  const served = [];
  let busy = 0;
  for (const c of conns) {
    // A connection refused at accept has its 503 waiting; a served one answers the request.
    c.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const text = await until(c, (t) => /\r\n\r\n\{.*\}/.test(t));
    if (text.startsWith('HTTP/1.1 503')) ++busy; else served.push(c);
  }
  assert.ok(served.length <= MAX, `${served.length} served at once (max ${MAX})`);
  assert.ok(served.length >= MAX - 3, `${served.length} served (the harness may hold a few)`);
  assert.equal(busy + served.length, conns.length);
  for (const c of conns) c.socket.destroy();
  await Promise.all(conns.map((c) => c.closed));
  const metrics = await server.client().get('/metrics');
  const refusedTotal = Number(/^kith_http_connections_refused_total (\d+)$/m.exec(metrics.text)?.[1]);
  assert.ok(refusedTotal >= busy, metrics.text.slice(0, 300));
});

test('issue 17: slow headers (slowloris) could hold a connection', async () => {
  const c = await connect('127.0.0.7');
  c.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  // One more header line every 200 ms: each read succeeds, but the head never ends.
  const drip = setInterval(() => { if (!c.socket.destroyed) c.socket.write(`X-Drip-${Date.now()}: a\r\n`); }, 200);
  const closed = await Promise.race([c.closed, new Promise((r) => setTimeout(r, (HEADER_S + 4) * 1000, null))]);
  clearInterval(drip);
  assert.ok(closed, `the connection was still open after ${HEADER_S + 4} s`);
  const held = (closed - c.opened) / 1000;
  assert.ok(held < HEADER_S + 2, `held for ${held.toFixed(1)} s with header_timeout ${HEADER_S} s`);
  assert.ok(!c.data.toString('latin1').includes('200 OK'), 'the request was never answered');
});

test('issue 17: slow bodies (slowloris) could hold a connection', async () => {
  const c = await connect('127.0.0.8');
  c.socket.write('POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
                 'Content-Length: 1000\r\n\r\n{');
  const drip = setInterval(() => { if (!c.socket.destroyed) c.socket.write(' '); }, 200);
  const closed = await Promise.race([c.closed, new Promise((r) => setTimeout(r, (BODY_S + 4) * 1000, null))]);
  clearInterval(drip);
  assert.ok(closed, `the connection was still open after ${BODY_S + 4} s`);
  const held = (closed - c.opened) / 1000;
  assert.ok(held < BODY_S + 2, `held for ${held.toFixed(1)} s with body_timeout ${BODY_S} s`);
});

// ---------------------------------------------------------------------------------------------
// The live-updates WebSocket, spoken by hand (websocket.mjs).

// Waits for the server's close frame, then drops the connection (rather than answer the
// closing handshake); returns every frame received.
async function closedByServer(c) {
  const got = await serverClose(c);
  c.socket.destroy();
  return got;
}

const openLive = (cookie) => openLiveFrom(server.port, cookie, '127.0.0.9');

test('a WebSocket message over 4 KiB closes the connection (1009)', async () => {
  const hughes = await signedIn(server, 'sw.hughes');
  const c = await openLive(hughes.cookie);
  c.socket.write(frame(JSON.stringify({ type: 'ping', padding: 'x'.repeat(5000) })));
  const last = (await closedByServer(c)).at(-1);
  assert.equal(closeCode(last), 1009, `the server closed with ${closeCode(last)}`);
});

test('a WebSocket client sending too fast is closed (1008) after its burst', async () => {
  const hughes = await signedIn(server, 'sw.hughes');
  const c = await openLive(hughes.cookie);
  const ping = frame(JSON.stringify({ type: 'ping' }));
  for (let i = 0; i < 100; ++i) {
    if (!c.socket.destroyed) c.socket.write(ping);
  }
  const got = await closedByServer(c);
  const pongs = got.filter((f) => f.opcode === 1 && f.payload.toString() === '{"type":"pong"}').length;
  // The burst of 20 is read and answered; an answer still queued when the 21st message closes the
  // connection may be dropped (a loaded machine shows 19).
  assert.ok(pongs >= 15 && pongs < 100, `${pongs} pongs before the close`);
  assert.equal(closeCode(got.at(-1)), 1008);
});

test('the server stops cleanly on SIGTERM', async () => {
  await server.close();
});
