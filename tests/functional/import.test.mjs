// `kith import`: a source feed into the national child index on a stopped server's data
// directory — bad rows reported by line, good rows kept, re-import a no-op, a match to a known
// child, an uncertain record queued for clerical review.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { makeDataDir, removeDataDir, runCli } from './harness.mjs';

let dataDir;
const file = (name, text) => {
  const p = path.join(dataDir, name);
  writeFileSync(p, text);
  return p;
};
const summary = (stdout) => {
  const m = stdout.match(/(\d+) rows: (\d+) created, (\d+) matched, (\d+) queued for review, (\d+) unchanged, (\d+) updated, (\d+) rejected/);
  assert.ok(m, stdout);
  const [rows, created, matched, queued, unchanged, updated, rejected] = m.slice(1).map(Number);
  return { rows, created, matched, queued, unchanged, updated, rejected };
};

before(() => {
  dataDir = makeDataDir();
  assert.equal(runCli(dataDir, ['migrate']).code, 0);
  const la = runCli(dataDir, ['authority', 'add', '--code', 'E06009998', '--name', 'Eastwick']);
  assert.equal(la.code, 0, la.stderr);
});
after(() => removeDataDir(dataDir));

const school = [
  'record_id,given_name,family_name,date_of_birth,sex,postcode,address,nhs_number,year_group',
  'S1,Amelia,Hart,2016-04-02,F,NB1 2AB,4 Mill Lane,9434765919,4',
  'S2,Oliver,Hart,2014-09-10,M,NB1 2AB,4 Mill Lane,,6',
  'S3,Leo,Carter,2016-02-30,M,NB1 3CD,,,4',
  'S4,Priya,Sharma,2015-03-07,F,NB4 7QT,12 Elm Road,,5',
  'S5,Noah,Price,2015-01-01,M,,,9434765918,5',
  'S6,Ava,Price',
  '',
].join('\n');

test('bad rows are reported with their line numbers and reasons; good rows are imported', () => {
  const r = runCli(dataDir, ['import', file('school.csv', school), '--source', 'Hillside Primary']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(summary(r.stdout), { rows: 6, created: 3, matched: 0, queued: 0, unchanged: 0, updated: 0, rejected: 3 });
  assert.match(r.stderr, /line 4: date_of_birth: '2016-02-30' is not a date/);
  assert.match(r.stderr, /line 6: nhs_number: Not a valid NHS number/);
  assert.match(r.stderr, /line 7: the row has 3 fields but the header has 9/);
});

test('importing the same file again changes nothing', () => {
  const r = runCli(dataDir, ['import', path.join(dataDir, 'school.csv'), '--source', 'Hillside Primary']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(summary(r.stdout), { rows: 6, created: 0, matched: 0, queued: 0, unchanged: 3, updated: 0, rejected: 3 });
});

test('a second source: a match, a sibling kept apart, an uncertain record queued', () => {
  const gp = [
    'record_id,source,given_name,family_name,date_of_birth,sex,postcode,nhs_number,registered',
    'G1,Brook Surgery,Millie,Hart,2016-04-02,F,NB1 2AB,9434765919,2016-05-01',
    'G2,Brook Surgery,Harry,Hart,2014-09-10,M,NB1 2AB,,2014-10-01',
    'G3,Brook Surgery,Priya,Sharma,,F,NB9 1ZZ,,2015-04-01',
  ].join('\n');
  const r = runCli(dataDir, ['import', file('gp.csv', gp), '--db', path.join(dataDir, 'kith.db')]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(summary(r.stdout), { rows: 3, created: 1, matched: 1, queued: 1, unchanged: 0, updated: 0, rejected: 0 });
  assert.match(r.stdout, /3 children in the index before/);
});

test('files that are not feeds are refused with what to do', () => {
  const noHeader = runCli(dataDir, ['import', file('bare.csv', 'S1,Amelia,Hart\n'), '--source', 'X']);
  assert.equal(noHeader.code, 1);
  assert.match(noHeader.stderr, /first line must be a header/);
  const utf16 = runCli(dataDir, ['import', file('utf16.csv', Buffer.from('\ufeffrecord_id\n', 'utf16le')), '--source', 'X']);
  assert.equal(utf16.code, 1);
  assert.match(utf16.stderr, /UTF-16; save it as CSV in UTF-8/);
  const noSource = runCli(dataDir, ['import', path.join(dataDir, 'school.csv')]);
  assert.equal(noSource.code, 1);
  assert.match(noSource.stderr, /--source/);
  const audit = runCli(dataDir, ['audit', 'verify']);
  assert.equal(audit.code, 0, audit.stdout);
});
