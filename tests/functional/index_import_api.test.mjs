// Importing source feeds through the running server: an administrator grants the index steward
// permission, the steward uploads a feed (whole or in parts), the import runs in the background
// with progress, bad rows come back with their lines, imported children are found by search at
// once, uncertain records wait in the review queue, and importing the same file again changes
// nothing. 50,000 rows go through the whole path.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { BACKEND, KithServer, runCli, signedIn, sql } from './harness.mjs';

let server;
let admin;
let steward;
const REASON = 'Checking the import found the child';

const csv = (c, path, text) => c.request('POST', path, { raw: text, contentType: 'text/csv' });
// The import once it has finished (the server answers when it is done: no polling, no sleeping).
async function finished(c, id) {
  for (;;) {
    const res = await c.get(`/api/v1/index/imports/${id}?wait_seconds=30`);
    assert.equal(res.status, 200, res.text);
    if (res.body.state === 'done' || res.body.state === 'failed') return res.body;
  }
}
async function grant(username, on) {
  const user = (await admin.get('/api/v1/users?authority_id=LNORTHBROOK000000')).body.users
    .find((u) => u.username === username);
  return admin.patch(`/api/v1/users/${user.id}`, { version: user.version, index_steward: on });
}

before(async () => {
  server = await KithServer.start();
  admin = server.client();
  await admin.signIn('admin.lee');
  await admin.enrol();
});
after(async () => {
  await server?.dispose();
});

const SCHOOL = [
  'record_id,given_name,family_name,date_of_birth,sex,postcode,address,nhs_number,year_group',
  'H1,Marnie,Featherstone,2016-04-02,F,NB1 2AB,4 Mill Lane,9434765919,4',
  'H2,Oscar,Featherstone,2014-09-10,M,NB1 2AB,4 Mill Lane,,6',
  'H3,Leo,Carter,2016-02-30,M,NB1 3CD,,,4',
  'H4,Priya,Sharma,2015-03-07,F,NB4 7QT,12 Elm Road,,5',
  'H5,Noah,Price,2015-01-01,M,,,9434765918,5',
  'H6,Ava,Price',
  '',
].join('\n');

describe('the index steward permission', () => {
  test('an administrator grants it to a practitioner, lists it, and takes it away; all audited', async () => {
    const granted = await grant('teacher.ellis', true);
    assert.equal(granted.status, 200, granted.text);
    assert.equal(granted.body.index_steward, true);
    const listed = await admin.get('/api/v1/users?authority_id=LNORTHBROOK000000');
    const stewards = listed.body.users.filter((u) => u.index_steward).map((u) => u.username).sort();
    assert.deepEqual(stewards, ['dq.shah', 'teacher.ellis']);
    const auditor = await grant('auditor.clarke', true);
    assert.equal(auditor.status, 400);
    assert.match(auditor.body.detail, /Only practitioners and managers/);

    const ellis = await signedIn(server, 'teacher.ellis');
    assert.equal((await ellis.get('/api/v1/session')).body.user.index_steward, true);
    assert.equal((await csv(ellis, '/api/v1/index/imports?source=Test', 'record_id,given_name\nT1,Tess\n')).status, 202);
    assert.equal((await grant('teacher.ellis', false)).status, 200);
    assert.equal((await csv(ellis, '/api/v1/index/imports?source=Test', 'record_id,given_name\nT1,Tess\n')).status, 403);

    const trail = sql(server.dataDir, "SELECT actor_id, target_id, detail FROM audit_log WHERE action = 'user.update';");
    assert.equal(trail.code, 0, trail.stderr);
    assert.match(trail.stdout, /Uadmin_lee\|Uteacher_ellis\|\{"changed":\["index_steward"\],"index_steward":true\}/);
    assert.match(trail.stdout, /Uadmin_lee\|Uteacher_ellis\|\{"changed":\["index_steward"\],"index_steward":false\}/);
  });

  test('managers keep the review queue but neither import nor merge', async () => {
    const manager = await signedIn(server, 'mgr.patel');
    assert.equal((await manager.get('/api/v1/index/reviews')).status, 200);
    assert.equal((await csv(manager, '/api/v1/index/imports?source=X', SCHOOL)).status, 403);
    assert.equal((await manager.get('/api/v1/index/imports')).status, 403);
    const merge = await manager.post('/api/v1/index/merges', { survivor_id: 'KA', merged_id: 'KB', reason: REASON });
    assert.equal(merge.status, 404, 'unknown children are looked up first');
  });
});

describe('imports through the running server', () => {
  before(async () => {
    steward = await signedIn(server, 'dq.shah');
  });

  test('a feed is imported in the background: progress, bad rows with lines, children searchable at once', async () => {
    const started = await csv(steward, '/api/v1/index/imports?source=Hillside%20Primary&filename=roll.csv', SCHOOL);
    assert.equal(started.status, 202, started.text);
    assert.ok(['queued', 'running', 'done'].includes(started.body.state), started.body.state);
    assert.equal(started.body.filename, 'roll.csv');
    assert.equal(started.body.bytes_received, Buffer.byteLength(SCHOOL));
    const done = await finished(steward, started.body.id);
    assert.equal(done.state, 'done', done.error);
    assert.equal(done.progress, 1);
    assert.deepEqual(
      { read: done.rows_read, imported: done.imported, created: done.created, matched: done.matched,
        review: done.queued_for_review, unchanged: done.unchanged, bad: done.bad_rows_total },
      { read: 6, imported: 3, created: 3, matched: 0, review: 0, unchanged: 0, bad: 3 });
    assert.deepEqual(done.bad_rows.map((b) => b.line), [4, 6, 7]);
    assert.match(done.bad_rows[0].reason, /date_of_birth: '2016-02-30' is not a date/);
    assert.match(done.bad_rows[1].reason, /nhs_number/);
    assert.match(done.bad_rows[2].reason, /the row has 3 fields but the header has 9/);

    const found = await steward.post('/api/v1/search', { given_name: 'Marnie', family_name: 'Featherstone',
                                                         reason: REASON });
    assert.equal(found.status, 200, found.text);
    assert.equal(found.body.results.length, 1, 'the imported child is in the search index');
    assert.equal(found.body.results[0].date_of_birth, '2016-04-02');

    const again = await finished(steward, (await csv(steward, '/api/v1/index/imports?source=Hillside%20Primary',
                                                     SCHOOL)).body.id);
    assert.deepEqual([again.created, again.matched, again.queued_for_review, again.unchanged], [0, 0, 0, 3],
                     'importing the same file twice changes nothing');

    const list = await steward.get('/api/v1/index/imports');
    assert.equal(list.body.imports[0].id, again.id, 'newest first');
    assert.ok(list.body.imports.some((i) => i.id === done.id));
  });

  test('a second source: a match, and an uncertain record in the review queue', async () => {
    const gp = [
      'record_id,source,given_name,family_name,date_of_birth,sex,postcode,nhs_number',
      'G1,Brook Surgery,Marnie,Featherstone,2016-04-02,F,NB1 2AB,9434765919',
      'G4,Brook Surgery,Priya,Sharma,,F,NB9 1ZZ,',
    ].join('\n');
    const done = await finished(steward, (await csv(steward, '/api/v1/index/imports', gp)).body.id);
    assert.deepEqual([done.matched, done.queued_for_review, done.created], [1, 1, 0]);
    const reviews = await steward.get('/api/v1/index/reviews');
    const g4 = reviews.body.reviews.find((r) => r.record_id === 'G4');
    assert.ok(g4, reviews.text);

    // The import report per row: which child each row joined, which review it raised.
    const rows = await steward.get(`/api/v1/index/imports/${done.id}/rows`);
    assert.equal(rows.status, 200, rows.text);
    const marnie = (await steward.post('/api/v1/search', { given_name: 'Marnie', family_name: 'Featherstone',
                                                           reason: REASON })).body.results[0].child_id;
    assert.deepEqual(rows.body, {
      rows: [
        { line: 2, source: 'Brook Surgery', record_id: 'G1', outcome: 'matched', child_id: marnie, review_id: null },
        { line: 3, source: 'Brook Surgery', record_id: 'G4', outcome: 'queued', child_id: null, review_id: g4.id },
      ],
      next_after: null,
    });
    const page = await steward.get(`/api/v1/index/imports/${done.id}/rows?limit=1&outcome=queued`);
    assert.deepEqual(page.body.rows.map((r) => r.record_id), ['G4']);
    assert.equal(page.body.next_after, 3, 'a full page may have more');
    assert.deepEqual((await steward.get(`/api/v1/index/imports/${done.id}/rows?after=3`)).body,
                     { rows: [], next_after: null });
    for (const [query, field] of [['limit=0', 'limit'], ['limit=1001', 'limit'], ['limit=ten', 'limit'],
                                  ['after=-1', 'after'], ['outcome=joined', 'outcome']]) {
      const refused = await steward.get(`/api/v1/index/imports/${done.id}/rows?${query}`);
      assert.equal(refused.status, 400, `${query}: ${refused.text}`);
      assert.equal(refused.body.field, field, query);
    }
    assert.equal((await steward.get('/api/v1/index/imports/I-none/rows')).status, 404);
  });

  test('a file in parts: each part must follow on; the header is checked with the first', async () => {
    const text = 'record_id,source,given_name,family_name,date_of_birth\nP1,Parted,Quentin,Ashdown,2017-01-01\n';
    const first = await csv(steward, '/api/v1/index/imports?last=false', text.slice(0, 40));
    assert.equal(first.status, 202, first.text);
    assert.equal(first.body.state, 'receiving');
    const id = first.body.id;
    const wrong = await csv(steward, `/api/v1/index/imports/${id}/parts?offset=0`, text.slice(40));
    assert.equal(wrong.status, 409);
    assert.match(wrong.body.detail, /starts at byte 40/);
    const rest = await csv(steward, `/api/v1/index/imports/${id}/parts?offset=40&last=true`, text.slice(40));
    assert.equal(rest.status, 202, rest.text);
    assert.equal((await finished(steward, id)).created, 1);

    const bare = await csv(steward, '/api/v1/index/imports?source=X', 'S1,Amelia,Hart\n');
    assert.equal(bare.status, 400);
    assert.match(bare.body.detail, /first line must be a header/);
    const utf16 = await steward.request('POST', '/api/v1/index/imports?source=X',
                                        { raw: Buffer.from('\ufeffrecord_id\n', 'utf16le'), contentType: 'text/csv' });
    assert.equal(utf16.status, 400);
    assert.match(utf16.body.detail, /UTF-16/);
    const json = await steward.post('/api/v1/index/imports', { rows: [] });
    assert.equal(json.status, 415);
    const huge = await csv(steward, '/api/v1/index/imports?source=X', `record_id\n${'x'.repeat(1 << 20)}\n`);
    assert.equal(huge.status, 413, 'one request carries at most the server body limit: send parts');
  });

  if (BACKEND === 'sqlite') {
    test('`kith import` refuses a SQLite database a server is using, and says how to import instead', () => {
      const file = path.join(server.dataDir, 'offline.csv');
      writeFileSync(file, SCHOOL);
      const r = runCli(server.dataDir, ['import', file, '--source', 'Hillside Primary']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /A running Kith server \(or another kith import\) is using .*kith\.db/);
      assert.match(r.stderr, /POST \/api\/v1\/index\/imports/);
    });
  } else {
    test('`kith import` runs beside the servers on PostgreSQL', () => {
      const file = path.join(server.dataDir, 'offline.csv');
      writeFileSync(file, SCHOOL.replaceAll('Hillside Primary', 'Offline Feed'));
      const r = runCli(server.dataDir, ['import', file, '--source', 'Offline Feed']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /rows: /);
    });
  }

  test('50,000 rows in 1 MiB parts: all imported and searchable', async () => {
    const ROWS = 50_000;
    const given = ['Amelia', 'Oliver', 'Isla', 'Noah', 'Ava', 'George', 'Mia', 'Arthur', 'Ivy', 'Theo', 'Freya',
                   'Oscar', 'Grace', 'Harry', 'Zara', 'Jacob', 'Poppy', 'Kofi', 'Ruby', 'Ethan'];
    // Random children (a seeded xorshift generator), as unlike each other as real ones: a school
    // roll or GP list has each child once.
    let seed = 42;
    const random = (n) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const two = (n) => String(n).padStart(2, '0');
    const children = Array.from({ length: ROWS }, () => {
      const family = Array.from({ length: 7 }, () => String.fromCharCode(97 + random(26))).join('');
      return [given[random(20)], family[0].toUpperCase() + family.slice(1),
              `${2008 + random(10)}-${two(1 + random(12))}-${two(1 + random(28))}`, random(2) ? 'M' : 'F',
              `NB${1 + random(9)} ${random(10)}AB`];
    });
    const rows = ['record_id,source,given_name,family_name,date_of_birth,sex,postcode',
                  ...children.map((c, i) => `B${i},Big Feed,${c.join(',')}`)];
    const file = Buffer.from(`${rows.join('\n')}\n`);
    const part = 1_000_000;
    let res = await csv(steward, `/api/v1/index/imports?last=${file.length <= part}`, file.subarray(0, part));
    assert.equal(res.status, 202, res.text);
    const id = res.body.id;
    for (let at = part; at < file.length; at += part) {
      res = await csv(steward, `/api/v1/index/imports/${id}/parts?offset=${at}&last=${at + part >= file.length}`,
                      file.subarray(at, at + part));
      assert.equal(res.status, 202, res.text);
    }
    assert.equal(res.body.bytes_received, file.length);
    const done = await finished(steward, id);
    assert.equal(done.state, 'done', done.error);
    assert.equal(done.rows_read, 50_000);
    assert.equal(done.bad_rows_total, 0);
    assert.equal(done.created + done.matched + done.queued_for_review, 50_000);
    const [givenName, familyName] = children[49_998];
    const found = await steward.post('/api/v1/search', { given_name: givenName, family_name: familyName,
                                                         reason: REASON });
    assert.equal(found.status, 200, found.text);
    assert.ok(found.body.results.some((r) => r.family_name === familyName), 'the last rows are searchable');
    assert.ok(done.created > 49_000, `nearly every row is a new child (${done.created})`);
  });
});
