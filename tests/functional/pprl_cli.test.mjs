// `kith pprl keygen | encode | link`: two authorities encode their records with one secret, the
// token files hold nothing of the records in the clear, linking them by tokens finds the same
// children, and bad secrets and token files are refused with their line numbers, writing nothing.

import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { makeDataDir, runCli } from './harness.mjs';

let dir;
const file = (name) => path.join(dir, name);

const header = 'record_id,given_name,family_name,date_of_birth,sex,postcode,nhs_number\n';
// Authority A and B both know Olivia Hartley (B with a typo and no NHS number) and Jack Osei
// (same NHS number, a nickname); Ruby and Rose Hartley are twins that must stay apart.
const authorityA = header +
  'a1,Olivia,Hartley,2015-03-14,F,LS6 2AB,\n' +
  'a2,Jack,Osei,2012-11-02,M,LS7 1QQ,9434765919\n' +
  'a3,Ruby,Hartley,2018-06-01,F,LS6 2AB,\n' +
  'a4,Noah,Fenwick,2010-01-20,M,LS1 4DY,\n';
const authorityB = header +
  'b1,Olivai,Hartley,2015-03-14,F,LS6 2AB,\n' +
  'b2,John,Osei,2012-11-02,M,BD1 1AA,943 476 5919\n' +
  'b3,Rose,Hartley,2018-06-01,F,LS6 2AB,\n' +
  'b4,Evie,Marsh,2016-07-07,F,BD3 9ZZ,\n';

before(() => {
  dir = makeDataDir();
  writeFileSync(file('a.csv'), authorityA);
  writeFileSync(file('b.csv'), authorityB);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args) => runCli(dir, ['pprl', ...args]);

test('keygen writes a secret only its owner can read and never overwrites one', () => {
  const made = cli(['keygen', '--out', file('secret')]);
  assert.equal(made.code, 0, made.stderr);
  assert.match(made.stderr, /key id [0-9a-f]{16}/);
  assert.equal(statSync(file('secret')).mode & 0o777, 0o600);
  const before = readFileSync(file('secret'), 'utf8');
  const again = cli(['keygen', '--out', file('secret')]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /never overwritten/);
  assert.equal(readFileSync(file('secret'), 'utf8'), before);
});

test('encode writes record ids and tokens only; link finds the same children and keeps twins apart', () => {
  for (const a of ['a', 'b']) {
    const r = cli(['encode', file(`${a}.csv`), '--secret-file', file('secret'), '--out', file(`${a}.tokens.csv`)]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /4 records encoded \(kith-pprl-1:[0-9a-f]{16}\)/);
  }
  const tokens = readFileSync(file('a.tokens.csv'), 'utf8');
  assert.equal(tokens.split('\n')[0], 'record_id,encoding,nhs_token,upn_token,blocks,clk');
  for (const clear of ['Olivia', 'olivia', 'Hartley', 'hartley', '2015', 'LS6', '9434765919']) {
    assert.ok(!tokens.includes(clear), `${clear} appears in the token file`);
  }
  const linked = cli(['link', file('a.tokens.csv'), file('b.tokens.csv'), '--out', file('clusters.csv')]);
  assert.equal(linked.code, 0, linked.stderr);
  const rows = readFileSync(file('clusters.csv'), 'utf8').trim().split('\n');
  assert.equal(rows[0], 'record_id,cluster_id');
  const cluster = Object.fromEntries(rows.slice(1).map((l) => l.split(',')));
  assert.equal(Object.keys(cluster).length, 8);
  assert.equal(cluster.a1, cluster.b1, 'Olivia with a typo');
  assert.equal(cluster.a2, cluster.b2, 'Jack by his NHS number');
  assert.notEqual(cluster.a3, cluster.b3, 'the twins Ruby and Rose');
  assert.notEqual(cluster.a4, cluster.b4);
  assert.notEqual(cluster.a1, cluster.a3);
});

test('a secret readable by others, or not hex, is refused', () => {
  writeFileSync(file('open-secret'), 'ab'.repeat(32) + '\n');
  chmodSync(file('open-secret'), 0o644);
  const open = cli(['encode', file('a.csv'), '--secret-file', file('open-secret'), '--out', file('x.csv')]);
  assert.equal(open.code, 1);
  assert.match(open.stderr, /can be read by group or others: `chmod 600/);
  writeFileSync(file('bad-secret'), '# comment\nnot-a-key\n', { mode: 0o600 });
  const bad = cli(['encode', file('a.csv'), '--secret-file', file('bad-secret'), '--out', file('x.csv')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /bad-secret line 2: a linkage secret is 64 to 128 hexadecimal characters/);
  assert.ok(!existsSync(file('x.csv')));
});

test('a bad token file is refused with its line numbers and nothing is written', () => {
  const good = readFileSync(file('a.tokens.csv'), 'utf8').trim().split('\n');
  const encoding = good[1].split(',')[1];
  writeFileSync(file('bad.tokens.csv'), [
    ...good,
    `c1,${encoding},xyz,,,`,
    'c2,kith-pprl-1:0000000000000000,,,,AAAA',
    `a1,${encoding},${'0'.repeat(32)},,,`,
  ].join('\n') + '\n');
  const r = cli(['link', file('bad.tokens.csv'), '--out', file('never.csv')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /bad\.tokens\.csv line 6: nhs_token is not 32 lower-case hexadecimal characters/);
  assert.match(r.stderr, /bad\.tokens\.csv line 7: encoding kith-pprl-1:0000000000000000 differs/);
  assert.match(r.stderr, /bad\.tokens\.csv line 8: record_id a1 repeats line 2/);
  assert.match(r.stderr, /nothing written/);
  assert.ok(!existsSync(file('never.csv')));

  // Files made with different secrets never match: linking them together is refused.
  assert.equal(cli(['keygen', '--out', file('secret2')]).code, 0);
  assert.equal(cli(['encode', file('b.csv'), '--secret-file', file('secret2'), '--out', file('b2.tokens.csv')]).code, 0);
  const mixed = cli(['link', file('a.tokens.csv'), file('b2.tokens.csv'), '--out', file('never.csv')]);
  assert.equal(mixed.code, 1);
  assert.match(mixed.stderr, /re-encode every file with one secret/);
  assert.ok(!existsSync(file('never.csv')));

  writeFileSync(file('people.csv'), header);
  const notTokens = cli(['link', file('people.csv'), '--out', file('never.csv')]);
  assert.equal(notTokens.code, 1);
  assert.match(notTokens.stderr, /people\.csv line 1: the header must be `record_id,encoding,nhs_token,upn_token,blocks,clk`/);
});
