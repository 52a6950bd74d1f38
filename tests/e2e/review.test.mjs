// The national index's clerical review: two source feeds imported with `kith import` into the
// demo database (before the server starts, as the CLI requires) leave one uncertain record; a manager of the authority
// compares it with its candidate side by side, reads the evidence and decides, in real headless
// Chromium against a real server.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPage, KITH_BIN, launchBrowser, newUser, signIn, startServer, test } from './harness.mjs';

let server;
let chrome;
const violations = [];

function kith(data, args) {
  const r = spawnSync(KITH_BIN, args, { env: { ...process.env, KITH_DATA: data }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

function importFeed(data, name, text) {
  writeFileSync(join(data, name), text);
  kith(data, ['import', join(data, name)]);
}

before(async () => {
  server = await startServer({
    prepare: (data) => {
      kith(data, ['demo']);
      importFeed(data, 'school.csv', 'record_id,source,given_name,family_name,date_of_birth,sex,postcode,address,year_group\n' +
                                     'S3,Hillside Primary,Priya,Sharma,2015-03-07,F,NB4 7QT,12 Elm Road,5\n');
      importFeed(data, 'gp.csv', 'record_id,source,given_name,family_name,sex,postcode,registered\n' +
                                 'G3,Brook Surgery,Priya,Sharma,F,NB9 1ZZ,2015-04-01\n');
    },
  });
  chrome = await launchBrowser();
});

after(async () => {
  await chrome?.close();
  await server?.stop();
});

test('a manager reviews an uncertain record side by side with its candidate and decides', async () => {
  const { page } = await newUser(chrome.browser, server.base);
  await signIn(page, 'mgr.patel');
  await page.getByRole('link', { name: 'Index review' }).click();
  const queue = page.getByTestId('review-queue');
  await queue.waitFor();
  assert.match(await queue.innerText(), /Priya Sharma[\s\S]*Brook Surgery \(G3\)/);
  await checkPage(page, 'review-queue', violations);

  await queue.getByRole('link', { name: 'Priya Sharma' }).click();
  const sides = page.getByTestId('review-side-by-side');
  await sides.waitFor();
  const text = await sides.innerText();
  assert.match(text, /NB9 1ZZ/);
  assert.match(text, /NB4 7QT/);
  assert.match(text, /Hillside Primary \(S3\)/);
  assert.match(await page.getByTestId('review-evidence').innerText(), /Family name\s+exact\s+\+/);
  await checkPage(page, 'review-item', violations);

  // No reason: a clear problem, nothing decided.
  await page.getByLabel(/Yes: candidate 1/).check();
  await page.getByTestId('review-submit').click();
  await page.getByTestId('form-error').waitFor();
  await page.getByLabel('Reason').fill('Same girl: the surgery confirmed her date of birth by phone');
  await page.getByTestId('review-submit').click();
  await page.getByTestId('success').waitFor();
  assert.match(await page.getByTestId('success').innerText(), /existing child/);
  await checkPage(page, 'review-decided', violations);

  await page.getByRole('link', { name: 'Index review' }).click();
  await page.getByTestId('review-empty').waitFor();
});

test('every page scanned has no serious or critical accessibility violations', () => {
  assert.deepEqual(violations, []);
});
