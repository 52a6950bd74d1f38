// `kith search --db … --batch`: a file of queries through the search index built from the
// database — results named by the feed's own record ids, query_row numbering that survives a
// malformed row, a reason required and the batch audited once.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { makeDataDir, removeDataDir, runCli, sql } from './harness.mjs';

let dataDir;
let db;
const file = (name, text) => {
  const p = path.join(dataDir, name);
  writeFileSync(p, text);
  return p;
};
// In the order they were written (the command line's clock is the real one).
const batchAudits = () =>
  sql(dataDir, "SELECT actor_id, reason, detail FROM audit_log WHERE action = 'child.search.batch' ORDER BY at;")
    .stdout.trim();

before(() => {
  dataDir = makeDataDir();
  db = path.join(dataDir, 'kith.db');
  assert.equal(runCli(dataDir, ['migrate']).code, 0);
  assert.equal(runCli(dataDir, ['authority', 'add', '--code', 'E06009998', '--name', 'Eastwick']).code, 0);
  // Amelia Hart is in both feeds (one child, two source records); Oliver is her brother.
  const feed = [
    'record_id,source,given_name,family_name,date_of_birth,sex,postcode,nhs_number',
    'S1,Hillside Primary,Amelia,Hart,2016-04-02,F,NB1 2AB,9434765919',
    'S2,Hillside Primary,Oliver,Hart,2014-09-10,M,NB1 2AB,',
    'S4,Hillside Primary,Priya,Sharma,2015-03-07,F,NB4 7QT,',
    'G1,Brook Surgery,Amelia,Hart,2016-04-02,F,NB1 2AB,9434765919',
  ].join('\n');
  const r = runCli(dataDir, ['import', '--db', db, file('feed.csv', feed)]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /4 rows: 3 created, 1 matched/);
});
after(() => removeDataDir(dataDir));

const queries = [
  'given_name,family_name,date_of_birth,postcode',
  'Amelai,Hart,2016-04-02,', // 1: a typo'd given name
  'Oliver,Hart', // 2: malformed (too few fields)
  'Priay,Sharma,2015-03-07,', // 3: a typo'd given name
  'Leo,Carter,2016-02-30,', // 4: malformed (no such date)
  ',Hart,,NB1 2AB', // 5: two children
  '',
].join('\n');

test('without a reason the database is not searched, and nothing is audited', () => {
  for (const args of [[], ['--reason', 'because']]) {
    const r = runCli(dataDir, ['search', '--db', db, '--batch', file('queries.csv', queries), ...args]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /--reason: Give a reason of at least 10 characters/);
    assert.equal(r.stdout, '');
  }
  assert.equal(batchAudits(), '');
});

test('results name the feed records; query_row is the data row even after malformed rows', () => {
  const r = runCli(dataDir, ['search', '--db', db, '--batch', path.join(dataDir, 'queries.csv'),
                             '--reason', 'Checking the linkage against the truth file']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], 'query_row,rank,record_id,score');
  const rows = lines.slice(1).map((l) => l.split(','));
  const keys = rows.map(([row, rank, id]) => `${row},${rank},${id}`);
  // Amelia's child has two source records: one line each, same rank and score.
  assert.deepEqual(keys.filter((k) => k.startsWith('1,')).sort(), ['1,1,G1', '1,1,S1']);
  assert.deepEqual(keys.filter((k) => k.startsWith('3,')), ['3,1,S4']);
  // Two children with the same score: their order is not fixed, but each has one rank.
  const hart = rows.filter(([row]) => row === '5');
  const rankOf = (id) => hart.find(([, , i]) => i === id)?.[1];
  assert.deepEqual(hart.map(([, , id]) => id).sort(), ['G1', 'S1', 'S2']);
  assert.equal(rankOf('G1'), rankOf('S1'));
  assert.deepEqual([rankOf('G1'), rankOf('S2')].sort(), ['1', '2']);
  assert.ok(!keys.some((k) => k.startsWith('2,') || k.startsWith('4,')), r.stdout);
  const amelia = rows.filter(([row]) => row === '1');
  assert.equal(amelia[0][3], amelia[1][3]);
  for (const [, , , score] of rows) assert.match(score, /^(0|1)\.\d{4}$/);
  assert.ok(rows.every(([, , id]) => !id.startsWith('K')), 'no Kith ids');
  assert.match(r.stderr, /queries\.csv: line 3: the row has 2 fields but the header has 4 \(skipped\)/);
  assert.match(r.stderr, /queries\.csv: line 5: date_of_birth: '2016-02-30' is not a date \(skipped\)/);
  assert.match(r.stderr, /3 queries \(2 malformed rows skipped, 0 refused\)/);
});

test('the batch is audited once, as the command line, with its reason, file and number of queries', () => {
  const [row, ...more] = batchAudits().split('\n');
  assert.equal(more.length, 0);
  const [actor, reason, detail] = row.split('|');
  assert.equal(actor, 'cli');
  assert.equal(reason, 'Checking the linkage against the truth file');
  assert.deepEqual(JSON.parse(detail), { file: path.join(dataDir, 'queries.csv'), queries: 3, malformed_rows: 2 });
  // A second record, after the search, lists the children it found (issue 14: who searched for
  // this child).
  const results = sql(dataDir, "SELECT reason, found_children, detail FROM audit_log WHERE action = 'child.search.batch.results';")
    .stdout.trim().split('|');
  assert.equal(results[0], 'Checking the linkage against the truth file');
  const found = JSON.parse(results[1]);
  assert.ok(found.length >= 1 && found.every((id) => id.startsWith('K')), results[1]);
  assert.equal(JSON.parse(results[2]).queries, 3);
  const verify = runCli(dataDir, ['audit', 'verify']);
  assert.equal(verify.code, 0, verify.stdout);
});

test('with --index no database is read and no reason is needed', () => {
  const r = runCli(dataDir, ['search', '--index', path.join(dataDir, 'feed.csv'), '--batch',
                             path.join(dataDir, 'queries.csv')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^3,1,S4,/m);
  const both = runCli(dataDir, ['search', '--db', db, '--index', path.join(dataDir, 'feed.csv'), '--batch',
                                path.join(dataDir, 'queries.csv')]);
  assert.notEqual(both.code, 0);
  assert.match(both.stderr, /--db excludes --index/);
});
