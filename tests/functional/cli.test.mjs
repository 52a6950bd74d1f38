// The administration CLI on a stopped server's data directory (the audit chain's `kith audit
// verify` is in audit.test.mjs).

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { makeDataDir, runCli } from './harness.mjs';

let dataDir;
before(() => {
  dataDir = makeDataDir();
  const demo = runCli(dataDir, ['demo']);
  assert.equal(demo.code, 0, demo.stderr);
});
after(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

test('kith user add, then user list shows the user', () => {
  const add = runCli(dataDir, ['user', 'add', '--username', 'amy.jones', '--name', 'Amy Jones', '--agency', 'ASN',
                               '--password-stdin'], { input: 'Copper-willow-meadow-55\n' });
  assert.equal(add.code, 0, add.stderr);
  const list = runCli(dataDir, ['user', 'list']);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^amy\.jones {2}practitioner {2}Amy Jones$/m);
  const weak = runCli(dataDir, ['user', 'add', '--username', 'amy.two', '--name', 'Amy Two', '--agency', 'ASN',
                                '--password-stdin'], { input: 'password1234\n' });
  assert.equal(weak.code, 1);
  assert.match(weak.stderr, /^kith: password: /);
});

test('kith authority list names the demo authority',
     () => {
  const list = runCli(dataDir, ['authority', 'list']);
  assert.equal(list.code, 0, list.stderr);
  assert.equal(list.stdout, 'LNORTHBROOK000000  E06009999  Northbrook (demo)\n');
});
