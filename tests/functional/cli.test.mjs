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

// Issue 18: the dry run lists what the retention rules make due and changes nothing; applying
// is not built yet, and says so.
test('kith retention run lists what is due with --dry-run and refuses to apply', () => {
  const apply = runCli(dataDir, ['retention', 'run']);
  assert.equal(apply.code, 2);
  assert.match(apply.stderr, /applying retention \(archiving and purging children's records\) is not built yet; run with --dry-run/);
  assert.equal(apply.stdout, '');

  const badDate = runCli(dataDir, ['retention', 'run', '--dry-run', '--as-of', '2026-02-30']);
  assert.equal(badDate.code, 1);
  assert.match(badDate.stderr, /--as-of: '2026-02-30' is not a date/);
  const nobody = runCli(dataDir, ['retention', 'run', '--dry-run', '--authority', 'LNOWHERE']);
  assert.equal(nobody.code, 1);
  assert.match(nobody.stderr, /no local authority with the id LNOWHERE/);

  // Today every demo child is under 18: nothing is due. In 2100 every one of them is.
  const today = runCli(dataDir, ['retention', 'run', '--dry-run']);
  assert.equal(today.code, 0, today.stderr);
  assert.equal(today.stdout, 'authority,child_id,step,due_on,rule,held_by\n');
  assert.match(today.stderr, /\b200 children checked; due: 0 to archive, 0 to purge, 0 to remove from the index; 0 held/);
  assert.match(today.stderr, /LNORTHBROOK000000: 200 children checked/);

  const later = runCli(dataDir, ['retention', 'run', '--dry-run', '--as-of', '2100-01-01',
                                 '--authority', 'LNORTHBROOK000000']);
  assert.equal(later.code, 0, later.stderr);
  const lines = later.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 201, later.stdout.slice(0, 500));
  const steps = { archive: 0, remove_from_index: 0 };
  for (const line of lines.slice(1)) {
    const m = line.match(/^LNORTHBROOK000000,K[0-9A-Z]{16},(archive|remove_from_index),(\d{4}-\d{2}-\d{2}),(archive_age|extended_archive_age|unused),$/);
    assert.ok(m, line);
    assert.ok(m[2] <= '2100-01-01', line);
    steps[m[1]] += 1;
  }
  assert.match(later.stderr, new RegExp(`as of 2100-01-01\\): 200 children checked; due: ${steps.archive} to archive, 0 to purge, ${steps.remove_from_index} to remove from the index; 0 held by a legal hold; 0 with no date of birth .*nothing was changed`));

  // Both runs are in the audit trail, and the chain still verifies.
  const verify = runCli(dataDir, ['audit', 'verify']);
  assert.equal(verify.code, 0, verify.stderr);
});
