// Importing a source feed through the running server, in real headless Chromium: an
// administrator makes a practitioner an index steward; the steward uploads a CSV with good and
// bad rows, watches it import, sees the bad rows with their lines, and finds an imported child
// by search straight away.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { advanceClock, checkPage, launchBrowser, newUser, signIn, startServer, totp, test } from './harness.mjs';

let server;
let chrome;
let dataDir;
const violations = [];

before(async () => {
  server = await startServer({ prepare: (data) => { dataDir = data; } });
  chrome = await launchBrowser();
});

after(async () => {
  await chrome?.close();
  await server?.stop();
});

const FEED = [
  'record_id,given_name,family_name,date_of_birth,sex,postcode,address,nhs_number,year_group',
  'H1,Marnie,Featherstone,2016-04-02,F,NB1 2AB,4 Mill Lane,9434765919,4',
  'H2,Oscar,Featherstone,2014-09-10,M,NB1 2AB,4 Mill Lane,,6',
  'H3,Leo,Carter,2016-02-30,M,NB1 3CD,,,4',
  'H4,Priya,Sharma,2015-03-07,F,NB4 7QT,12 Elm Road,,5',
  'H5,Noah,Price,2015-01-01,M,,,9434765918,5',
  'H6,Ava,Price',
  '',
].join('\n');

test('an administrator makes a practitioner an index steward', async () => {
  const { page } = await newUser(chrome.browser, server.base);
  await signIn(page, 'admin.lee');
  const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s+/g, '');
  await page.getByLabel('Code from your authenticator app').fill(totp(secret, await advanceClock(server.base, 0)));
  await page.getByTestId('confirm-enrolment').click();
  const table = page.getByTestId('users-table');
  await table.waitFor();
  await table.getByRole('row', { name: /Amir Shah/ }).getByText('Index steward').waitFor();
  await table.getByRole('button', { name: 'Change Hannah Ellis' }).click();
  await page.getByLabel('Index steward').check();
  await checkPage(page, 'admin-grant-steward', violations);
  await page.getByTestId('save-user').click();
  await page.getByTestId('success').waitFor();
  await table.getByRole('row', { name: /Hannah Ellis/ }).getByText('Index steward').waitFor();
});

test('the steward imports a feed, watches it, sees the bad rows and finds the children', async () => {
  const { page } = await newUser(chrome.browser, server.base);
  await signIn(page, 'teacher.ellis');
  await page.getByRole('link', { name: 'Imports' }).click();
  await page.getByRole('heading', { name: 'Import a source feed' }).waitFor();
  await checkPage(page, 'imports-empty', violations);

  // No file chosen: a clear problem.
  await page.getByTestId('start-import').click();
  await page.getByTestId('form-error').waitFor();
  assert.match(await page.getByTestId('form-error').innerText(), /Choose the CSV file/);

  const file = join(dataDir, 'hillside-roll.csv');
  writeFileSync(file, FEED);
  await page.getByLabel('CSV file').setInputFiles(file);
  await page.getByLabel('Source').fill('Hillside Primary');
  await page.getByTestId('start-import').click();
  await page.getByRole('heading', { name: 'hillside-roll.csv' }).waitFor();
  const counts = page.getByTestId('import-counts');
  await page.getByText('Imported', { exact: true }).waitFor();
  const text = await counts.innerText();
  assert.match(text, /Rows read\s+6/);
  assert.match(text, /New children\s+3/);
  assert.match(text, /Bad rows\s+3/);
  const bad = await page.getByTestId('bad-rows').innerText();
  assert.match(bad, /4\s+date_of_birth: '2016-02-30' is not a date/);
  assert.match(bad, /7\s+the row has 3 fields but the header has 9/);
  // What became of each row: the three good rows made a child each, linked to its page.
  const rows = page.getByTestId('import-rows-table');
  await rows.waitFor();
  assert.equal(await rows.getByRole('row').count(), 4);
  assert.match(await rows.innerText(), /2\s+H1 \(Hillside Primary\)\s+New child\s+K\w+[\s\S]*3\s+H2[\s\S]*5\s+H4/);
  await checkPage(page, 'import-done', violations);

  await page.getByRole('link', { name: 'All imports' }).click();
  await page.getByTestId('imports-table').getByRole('link', { name: 'hillside-roll.csv' }).waitFor();
  await checkPage(page, 'imports-list', violations);

  await page.getByRole('link', { name: 'Find a child' }).click();
  await page.getByLabel('First name').fill('Marnie');
  await page.getByLabel('Last name').fill('Featherstone');
  await page.getByLabel('Why are you looking for this child?').fill('Checking the school roll import found her');
  await page.getByTestId('search').click();
  const results = page.getByTestId('search-results');
  await results.waitFor();
  assert.match(await results.innerText(), /Marnie Featherstone/);
});

test('every page scanned has no serious or critical accessibility violations', () => {
  assert.deepEqual(violations, []);
});
