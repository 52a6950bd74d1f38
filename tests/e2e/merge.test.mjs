// Merge and un-merge: two records of one girl in the index (one from a school feed, one the
// clerical review decided was a new child), found on the merge page, compared side by side,
// merged with a reason and un-merged from the merge's page, in real headless Chromium against a
// real server. A practitioner who is not an index steward sees the server's refusal.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiAs, checkPage, KITH_BIN, launchBrowser, newUser, signIn, startServer, test } from './harness.mjs';

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
      importFeed(data, 'school.csv', 'record_id,source,given_name,family_name,date_of_birth,sex,postcode,address\n' +
                                     'S3,Hillside Primary,Priya,Sharma,2015-03-07,F,NB4 7QT,12 Elm Road\n');
      importFeed(data, 'gp.csv', 'record_id,source,given_name,family_name,sex,postcode\n' +
                                 'G3,Brook Surgery,Priya,Sharma,F,NB9 1ZZ\n');
    },
  });
  chrome = await launchBrowser();
  // The review decides the GP's record is a new child: two records of Priya in the index.
  const patel = await apiAs(server.base, 'mgr.patel');
  const [item] = (await patel.get('/api/v1/index/reviews')).body.reviews;
  const decided = await patel.post(`/api/v1/index/reviews/${item.id}/decision`,
                                   { decision: 'not_a_match', reason: 'Could not confirm with the surgery today' });
  assert.equal(decided.status, 200);
});

after(async () => {
  await chrome?.close();
  await server?.stop();
});

async function chooseBoth(page) {
  await page.getByLabel('Why are you working on these records?').fill('Duplicate of Priya Sharma reported by the surgery');
  await page.getByLabel('First name').fill('Priya');
  await page.getByLabel('Last name').fill('Sharma');
  await page.getByTestId('merge-search-submit').click();
  const results = page.getByTestId('merge-results');
  await results.waitFor();
  const rows = results.locator('tbody tr');
  assert.equal(await rows.count(), 2);
  await rows.nth(0).getByTestId('choose-survivor').click();
  await rows.nth(1).getByTestId('choose-merged').click();
  await page.getByTestId('merge-compare').click();
  await page.getByTestId('merge-side-by-side').waitFor();
}

test('an index steward merges two records of one child side by side and undoes the merge', async () => {
  const { page, problems, context } = await newUser(chrome.browser, server.base);
  await signIn(page, 'dq.shah');
  await page.getByRole('link', { name: 'Merge records' }).click();
  await page.getByRole('heading', { name: 'Merge two records' }).waitFor();
  // A search with no reason: the reason at the top of the page is linked and marked.
  await page.getByLabel('First name').fill('Priya');
  await page.getByTestId('merge-search-submit').click();
  await page.getByTestId('form-error').getByRole('link', { name: 'Enter why you are working on these records' }).waitFor();
  assert.match(await page.locator('#mg-reason-error').innerText(), /Enter why you are working on these records/);
  await checkPage(page, 'merge-reason-first', violations);
  await chooseBoth(page);
  const sides = await page.getByTestId('merge-side-by-side').innerText();
  assert.match(sides, /Priya[\s\S]*Priya/);
  assert.match(sides, /NB4 7QT/);
  assert.match(sides, /NB9 1ZZ/);
  assert.match(sides, /Differs/);
  await checkPage(page, 'merge-compare', violations);

  // No reason: a summary linking to the merge's reason, the field marked, nothing merged.
  await page.getByTestId('merge-submit').click();
  const noReason = page.getByTestId('form-error');
  await noReason.getByRole('link', { name: 'Enter why these are the same child' }).waitFor();
  assert.match(await page.locator('#mg-merge-reason-error').innerText(), /Enter why these are the same child/);
  await checkPage(page, 'merge-reason-missing', violations);
  await page.getByLabel('Why are these the same child?').fill('Same');
  await page.getByTestId('merge-submit').click();
  await page.locator('#mg-merge-reason-error').getByText(/at least 10 characters/).waitFor();
  await page.getByLabel('Why are these the same child?').fill('Same girl: the surgery confirmed her school and address');
  await page.getByTestId('merge-submit').click();
  const history = page.getByTestId('merge-history');
  await history.waitFor();
  assert.match(page.url(), /#\/merges\/M/);
  assert.match(await history.innerText(), /Merged .* by Udq_shah: “Same girl/);
  assert.match(await page.getByTestId('merge-detail').innerText(), /Source records moved\s+1/);
  await checkPage(page, 'merge-done', violations);

  await page.getByLabel('Why undo it?').fill('Wrong child: the surgery rang back, these are cousins');
  await page.getByTestId('unmerge-submit').click();
  await page.getByTestId('success').waitFor();
  assert.match(await history.innerText(), /Un-merged .* by Udq_shah: “Wrong child/);
  assert.equal(await page.getByTestId('unmerge-form').count(), 0);
  await checkPage(page, 'merge-undone', violations);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a practitioner who may not merge sees the server\'s refusal', async () => {
  const { page, problems, context } = await newUser(chrome.browser, server.base);
  await signIn(page, 'teacher.ellis');
  await page.getByRole('heading', { name: 'My children' }).waitFor();
  await page.goto('/#/merges');
  await chooseBoth(page);
  await page.getByLabel('Why are these the same child?').fill('Same girl: the surgery confirmed her school and address');
  await page.getByTestId('merge-submit').click();
  const error = page.getByTestId('form-error');
  await error.waitFor();
  assert.match(await error.innerText(), /Only .* merge records/);
  await checkPage(page, 'merge-refused', violations);
  assert.deepEqual(problems, []);
  await context.close();
});

test('every page scanned has no serious or critical accessibility violations', () => {
  assert.deepEqual(violations, []);
});
