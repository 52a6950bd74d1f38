// Issue 18 in real headless Chromium against a real server: an authority administrator's
// Retention page. The rules with a contradiction shown at its field, then saved; a legal hold
// placed on a child and released with a reason; what falls due in the next 90 days. Every page
// is scanned with axe-core and photographed at desktop and phone width.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { advanceClock, apiAs, checkPage, fillDate, launchBrowser, newUser, signIn, startServer, test, totp } from './harness.mjs';

let server;
let chrome;
let leoId;
const violations = [];

before(async () => {
  server = await startServer();
  chrome = await launchBrowser();
  const hughes = await apiAs(server.base, 'sw.hughes');
  leoId = (await hughes.get('/api/v1/me/children')).body.children.find((c) => c.given_names === 'Leo').child_id;
});

after(async () => {
  await chrome?.close();
  await server?.stop();
});

test('an administrator changes the rules, places and releases a hold, and sees what is due', async () => {
  const { page, problems, context } = await newUser(chrome.browser, server.base);
  await signIn(page, 'admin.lee');
  const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s+/g, '');
  await page.getByLabel('Code from your authenticator app').fill(totp(secret, await advanceClock(server.base, 0)));
  await page.getByTestId('confirm-enrolment').click();
  await page.getByRole('link', { name: 'Retention' }).click();
  await page.getByRole('heading', { name: 'Retention', exact: true }).waitFor();
  await page.getByTestId('rules-version').getByText(/The defaults/).waitFor();
  await page.getByTestId('due-summary').waitFor();

  // A contradiction is shown at its field; nothing is saved.
  await page.getByLabel('Archive at this age for care leavers and young people with SEN').fill('16');
  await page.getByLabel('Purge the record this long after archive').fill('0');
  await page.getByTestId('save-retention-rules').click();
  const summary = page.getByTestId('form-error');
  await summary.getByText('There is a problem').waitFor();
  assert.deepEqual(await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
                   ['#rules-extended_archive_age_years', '#rules-purge_after_archive_years']);
  await page.locator('#rules-extended_archive_age_years-error').getByText(/cannot be below/).waitFor();
  await checkPage(page, 'retention-rule-errors', violations);
  await page.getByLabel('Archive at this age for care leavers and young people with SEN').fill('25');
  await page.getByLabel('Purge the record this long after archive').fill('7');
  await page.getByTestId('save-retention-rules').click();
  await page.getByText('The rules were saved (version 1).').waitFor();
  await page.getByTestId('rules-version').getByText(/Version 1/).waitFor();

  // A hold on Leo, placed and listed, then released with a reason.
  const form = page.getByTestId('place-hold-form');
  await form.getByLabel("Child's Kith id").fill(leoId);
  await form.getByLabel('Why is the record held?').selectOption('safeguarding_review');
  await form.getByLabel('Reason').fill('Local child safeguarding practice review of the family');
  const now = new Date(await advanceClock(server.base, 0) * 1000);
  await fillDate(form, 'hold-ends_on', `${now.getUTCFullYear() + 1}-06-30`);
  await page.getByTestId('place-hold').click();
  await page.getByText(`A hold was placed on ${leoId}`).waitFor();
  const row = page.getByTestId('hold').filter({ hasText: leoId });
  await row.getByText('Safeguarding review').waitFor();
  await checkPage(page, 'retention', violations);
  await row.getByRole('button', { name: `Release the hold on ${leoId}` }).click();
  await page.getByLabel(`Why is the hold on ${leoId} released?`).fill('The review reported; nothing more is needed');
  await page.getByTestId('release-hold').click();
  await page.getByText(`The hold on ${leoId} was released.`).waitFor();
  await page.getByTestId('no-holds').waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('no serious accessibility problems on the pages', () => {
  assert.deepEqual(violations, []);
});
