// Raw connections and the WebSocket protocol spoken by hand (RFC 6455), for tests that need to
// see exactly what the server sends and when it closes: frames, close codes, the TCP close.
// Client frames are masked, as the protocol requires.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';

// A raw connection to `port` from the local address `from`, collecting what the server sends
// and noting when it closes (conn.closed resolves with the time).
export function connect(port, from = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: from });
    const conn = { socket, data: Buffer.alloc(0), opened: performance.now() };
    conn.closed = new Promise((done) => socket.once('close', () => done(performance.now())));
    socket.on('data', (chunk) => { conn.data = Buffer.concat([conn.data, chunk]); });
    socket.on('error', () => {}); // a reset shows as 'close'
    socket.once('connect', () => resolve(conn));
    socket.once('error', reject);
  });
}

// Waits until the connection's data satisfies `done` (or it closes), at most `ms`.
export async function until(conn, done, ms = 5_000) {
  const deadline = performance.now() + ms;
  while (!done(conn.data.toString('latin1')) && !conn.socket.destroyed) {
    if (performance.now() > deadline) throw new Error(`waited ${ms} ms; got ${conn.data.toString('latin1').slice(0, 200)}`);
    await new Promise((r) => {
      const done = () => {
        conn.socket.off('data', done).off('close', done);
        clearTimeout(timer);
        r();
      };
      const timer = setTimeout(done, 50);
      conn.socket.on('data', done).on('close', done);
    });
  }
  return conn.data.toString('latin1');
}

// A masked client frame: text (opcode 1) by default.
export function frame(text, opcode = 1) {
  const payload = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const mask = randomBytes(4);
  const head = payload.length < 126
    ? Buffer.from([0x80 | opcode, 0x80 | payload.length])
    : Buffer.from([0x80 | opcode, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([head, mask, payload.map((b, i) => b ^ mask[i % 4])]);
}

// The frames the server sent after the handshake: [{ opcode, payload }].
export function frames(data) {
  const out = [];
  let at = data.indexOf('\r\n\r\n') + 4;
  while (at + 2 <= data.length) {
    let len = data[at + 1] & 0x7f;
    let start = at + 2;
    if (len === 126) { len = data.readUInt16BE(at + 2); start = at + 4; }
    if (start + len > data.length) break;
    out.push({ opcode: data[at] & 0x0f, payload: data.subarray(start, start + len) });
    at = start + len;
  }
  return out;
}

export const closeCode = (f) => (f && f.opcode === 8 && f.payload.length >= 2 ? f.payload.readUInt16BE(0) : null);
export const closeReason = (f) => (f && f.opcode === 8 ? f.payload.subarray(2).toString() : null);
// The JSON text messages among `list`.
export const messages = (list) => list.filter((f) => f.opcode === 1).map((f) => JSON.parse(f.payload.toString()));

// Opens the live-updates WebSocket (/api/v1/live) with a session cookie; asserts the upgrade.
export async function openLive(port, cookie, from = '127.0.0.1') {
  const c = await connect(port, from);
  c.socket.write(`GET /api/v1/live HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
                 'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n' +
                 `Origin: http://127.0.0.1:${port}\r\nCookie: ${cookie}\r\n\r\n`);
  const head = await until(c, (t) => t.includes('\r\n\r\n'));
  assert.match(head, /^HTTP\/1\.1 101/);
  return c;
}

// Waits for the server's close frame, at most `ms`; returns every frame received.
export async function serverClose(c, ms = 5_000) {
  await until(c, () => frames(c.data).some((f) => f.opcode === 8), ms);
  return frames(c.data);
}
