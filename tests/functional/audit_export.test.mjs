// The auditors' CSV export streamed (issue 14, "Next (audit)" 4): no cap on the number of
// records, sent a page at a time in chunks as the records are read, so the server never holds the
// export whole. The server here reads and sends 7 records at a time (audit_export_page), so a
// few dozen records cross many page borders; the unit test AuditServiceTest.ExportBeyond… exports
// more than the old cap of 100,000.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { KithServer, leoCarterId, signedIn } from './harness.mjs';

const PAGE = 7;
const HEADER = 'chain,seq,at,actor_id,actor_name,actor_role,authority_id,action,action_label,child_id,child_name,' +
               'target_id,reason,outcome,why,detail,client,found_children,hash';

let server;
let auditor;
let leo;

before(async () => {
  server = await KithServer.start({ env: { KITH_AUDIT_EXPORT_PAGE: String(PAGE) } });
  leo = await leoCarterId(server);
  auditor = await signedIn(server, 'auditor.clarke');
  // Enough records of the authority for many pages: reads of Leo's record by his team.
  for (const name of ['gp.osei', 'sw.hughes']) {
    const member = await signedIn(server, name);
    for (let i = 0; i < 20; ++i) assert.equal((await member.get(`/api/v1/children/${leo}`)).status, 200);
  }
});
after(async () => {
  await server?.close();
});

const key = (chain, seq) => `${chain}:${seq}`;
// chain and seq, the first two cells of a row (numbers, never quoted).
const rowKey = (line) => {
  const [chain, seq] = line.split(',', 2);
  return key(chain, seq);
};

// Every record of the authority through the paged API, newest first.
async function allRecords(query = {}) {
  const out = [];
  let before = '';
  for (;;) {
    const res = await auditor.get(`/api/v1/audit/records?${new URLSearchParams({ ...query, limit: '500',
                                                                                   ...(before ? { before } : {}) })}`);
    assert.equal(res.status, 200, res.text);
    out.push(...res.body.records);
    if (!res.body.next) return out;
    before = res.body.next;
  }
}

// Sends the export request on a raw connection and returns the head and the body's bytes as sent.
async function rawExport(version, query = '') {
  return server.raw(`GET /api/v1/audit/export${query} HTTP/${version}\r\nHost: 127.0.0.1\r\n` +
                    `Cookie: ${auditor.cookie}\r\nConnection: close\r\n\r\n`);
}

// The chunks of a chunked body (RFC 9112, 7.1); fails on anything malformed or unfinished.
function dechunk(text) {
  const chunks = [];
  let at = 0;
  for (;;) {
    const eol = text.indexOf('\r\n', at);
    assert.ok(eol > at, `a chunk size line at ${at}`);
    const size = Number.parseInt(text.slice(at, eol), 16);
    assert.ok(Number.isInteger(size) && /^[0-9a-f]+$/i.test(text.slice(at, eol)), `chunk size "${text.slice(at, eol)}"`);
    const start = eol + 2;
    if (size === 0) {
      assert.equal(text.slice(start), '\r\n', 'the last chunk ends the body');
      return chunks;
    }
    const data = Buffer.from(text.slice(start)).subarray(0, size).toString('utf8');
    assert.equal(Buffer.byteLength(data), size, 'the chunk is whole');
    chunks.push(data);
    at = start + data.length;
    assert.equal(text.slice(at, at + 2), '\r\n', 'a chunk ends with CRLF');
    at += 2;
  }
}

describe('the streamed audit export', () => {
  test('the whole authority across many pages: header once, newest first, each record once, none missing', async () => {
    // The test server's clock stands still unless moved: on, so that what comes after the
    // export began is later (on PostgreSQL records of one instant are ordered by chain).
    await server.advance(1);
    const res = await auditor.get('/api/v1/audit/export');
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type'), /^text\/csv/);
    assert.equal(res.headers.get('transfer-encoding'), 'chunked');
    assert.equal(res.headers.get('content-length'), null);
    const lines = res.text.split('\r\n');
    assert.equal(lines.pop(), '', 'the body ends with a line end');
    assert.equal(lines[0], HEADER);
    const rows = lines.slice(1);
    assert.ok(!rows.includes(HEADER), 'the header row once');
    assert.ok(rows.length > 4 * PAGE, `${rows.length} records: more than four pages`);
    const keys = rows.map(rowKey);
    assert.equal(new Set(keys).size, keys.length, 'no record twice (page borders)');
    // The same records, in the same order, as the paged API gives: those that came after the
    // export began (its own record, the API's looks, a checkpoint) are newer and come first there.
    const listed = await allRecords();
    const start = listed.findIndex((r) => key(r.chain, r.seq) === keys[0]);
    assert.ok(start >= 1, 'the newest exported record is in the listing, after the export\'s own record');
    assert.deepEqual(listed.slice(start).map((r) => key(r.chain, r.seq)), keys, 'every record, newest first');
    for (const r of listed.slice(0, start)) {
      assert.ok(['audit.records.export', 'audit.records', 'audit.checkpoint'].includes(r.action),
                `${r.action} came after the export began`);
    }
    // Audited once, before any record was sent, naming the newest record it holds.
    const exports = listed.filter((r) => r.action === 'audit.records.export');
    assert.equal(exports.length, 1, 'one record of the export');
    assert.equal(exports[0].actor_id, 'Uauditor_clarke');
    assert.equal(exports[0].outcome, 'allowed');
    const { newest } = exports[0].detail;
    assert.equal(newest.split('.').slice(1).join(':'), keys[0]);
    // Each row is the record's own: the hash matches the listing's.
    const byKey = new Map(listed.map((r) => [key(r.chain, r.seq), r]));
    for (const line of rows) assert.ok(line.endsWith(`,${byKey.get(rowKey(line)).hash}`), line);
  });

  test('sent in chunks of one page each, and the body ends with the last chunk', async () => {
    const res = await rawExport('1.1', `?child_id=${leo}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('transfer-encoding'), 'chunked');
    const chunks = dechunk(res.text);
    assert.equal(chunks[0], `${HEADER}\r\n`, 'the header row is the first chunk');
    const pages = chunks.slice(1).map((c) => c.split('\r\n').length - 1);
    assert.ok(pages.length >= 4, `${pages.length} pages`);
    assert.ok(pages.every((n) => n >= 1 && n <= PAGE), `pages of at most ${PAGE}: ${pages}`);
    assert.ok(pages.slice(0, -1).every((n) => n === PAGE), 'every page but the last is full');
  });

  test('HTTP/1.0: the body ends with the connection, unchunked', async () => {
    const res = await rawExport('1.0', `?child_id=${leo}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('transfer-encoding'), null);
    const lines = res.text.split('\r\n');
    assert.equal(lines[0], HEADER);
    assert.equal(lines.pop(), '');
    assert.ok(lines.length - 1 > 3 * PAGE);
    assert.equal(new Set(lines.slice(1).map(rowKey)).size, lines.length - 1);
  });

  test('a refused export sends no records and is audited', async () => {
    const lead = await signedIn(server, 'sw.hughes');
    const res = await lead.get('/api/v1/audit/export');
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('transfer-encoding'), null);
    const denied = (await allRecords({ user_id: 'Usw_hughes' }))
      .find((r) => r.action === 'audit.records.export' && r.outcome === 'denied');
    assert.ok(denied, 'the refusal is audited');
  });
});
