// The auditors' pages (issue 14) in real headless Chromium: an auditor finds a child by name and
// sees who looked at or searched for them, finds a user and sees their activity, sees the whole
// authority by date with a CSV download, and reads, inspects and reviews the misuse report.
// axe-core on every page and screenshots at desktop and phone width.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, checkPage, fillDate, launchBrowser, newUser, signIn, startServer, test } from './harness.mjs';

let server;
let chrome;
let leo;
const violations = [];

before(async () => {
  server = await startServer();
  chrome = await launchBrowser();
  const hughes = await apiAs(server.base, 'sw.hughes');
  leo = (await hughes.get('/api/v1/me/children')).body.children.find((c) => c.given_names === 'Leo');
  assert.ok(leo, 'the demo data has Leo Carter');
  // A teacher not on Leo's team searches for him and looks him up, late at night.
  const ellis = await apiAs(server.base, 'teacher.ellis');
  assert.equal((await ellis.post('/api/v1/search', { given_name: 'Leo', family_name: 'Carter', reason: 'A new pupil in my class' })).status, 200);
  assert.equal((await ellis.post(`/api/v1/children/${leo.child_id}/signposting`, { reason: 'Sibling starting in my class; checking who is involved' })).status, 200);
});

after(async () => {
  await chrome?.close();
  await server?.stop();
});

test('an auditor finds a child by name and sees who looked at or searched for them', async () => {
  const { page, problems, context } = await newUser(chrome.browser, server.base);
  await signIn(page, 'auditor.clarke');
  await page.getByRole('heading', { name: 'Audit', exact: true }).waitFor();
  await page.getByLabel("Child's name").fill('leo car');
  await page.getByTestId('find-child-find').click();
  await page.getByTestId('found-children').getByRole('link', { name: /Leo Carter/ }).click();
  const table = page.getByTestId('audit-table');
  await table.waitFor();
  assert.equal((await page.getByTestId('audit-heading').innerText()).trim(), 'Leo Carter', 'the heading names the child, not the id');
  const text = await table.innerText();
  assert.match(text, /Sibling starting in my class; checking who is involved/);
  assert.match(text, /Looked up who is involved \(signposting\)/, 'labels come from the server\'s catalogue');
  assert.match(text, /Searched the child index/);
  assert.match(text, /this child among them/);
  assert.doesNotMatch(page.url(), /Leo|Carter|leo/, 'names never go in the address');
  assert.equal(await page.getByTestId('export-csv').getAttribute('href'), `/api/v1/audit/export?child_id=${leo.child_id}`);
  await checkPage(page, 'audit-child', violations);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an auditor finds a user and sees what they did, and the whole authority by date', async () => {
  const { page, problems, context } = await newUser(chrome.browser, server.base);
  await signIn(page, 'auditor.clarke');
  await page.getByRole('link', { name: 'A user' }).click();
  await page.getByLabel("User's name or username").fill('ellis');
  await page.getByTestId('find-user-find').click();
  await page.getByTestId('found-users').getByRole('link', { name: 'Hannah Ellis' }).click();
  await page.getByTestId('audit-table').waitFor();
  assert.match(await page.getByTestId('audit-table').innerText(), /Leo Carter/);
  assert.equal((await page.getByTestId('audit-heading').innerText()).trim(), 'Hannah Ellis');
  // Opened from its address (nothing clicked to name it), the records name the user.
  await page.reload();
  await page.getByTestId('audit-table').waitFor();
  await page.getByTestId('audit-heading').getByText('Hannah Ellis', { exact: true }).waitFor();
  await checkPage(page, 'audit-user', violations);

  await page.getByRole('link', { name: 'The whole authority' }).click();
  await page.getByTestId('audit-table').waitFor();
  // Dates are GOV.UK's day, month and year boxes side by side, not a browser date picker, at
  // desktop and phone width (issue 15).
  const filter = page.getByTestId('date-filter');
  assert.equal(await filter.locator('input[type=date]').count(), 0);
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    const tops = await Promise.all(['audit-from', 'audit-from-month', 'audit-from-year'].map(
      async (id) => (await page.locator(`[id="${id}"]`).boundingBox()).y));
    assert.ok(tops.every((y) => Math.abs(y - tops[0]) < 2), `the boxes sit on one row at ${width}px: ${tops}`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  // A date that does not exist is named in the error summary, linked to its field.
  await fillDate(page, 'audit-from', '2001-02-31');
  await page.getByTestId('apply-dates').click();
  await page.getByTestId('form-error').getByRole('link', { name: 'The first day must be a real date' }).waitFor();
  // Days long gone hold nothing.
  await fillDate(page, 'audit-from', '2001-01-01');
  await fillDate(page, 'audit-to', '2001-01-31');
  await page.getByTestId('apply-dates').click();
  await page.getByTestId('audit-empty').waitFor();
  assert.equal(await page.getByTestId('form-error').count(), 0);
  for (const id of ['audit-from', 'audit-to']) {
    for (const box of [id, `${id}-month`, `${id}-year`]) await page.locator(`[id="${box}"]`).fill('');
  }
  await page.getByTestId('apply-dates').click();
  await page.getByTestId('audit-table').waitFor();
  await checkPage(page, 'audit-authority', violations);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an auditor runs the misuse report, reads the records behind a flag and marks it reviewed', async () => {
  // Five children nobody at the teacher's school works with, looked up in one afternoon.
  const ellis = await apiAs(server.base, 'teacher.ellis');
  const auditorApi = await apiAs(server.base, 'auditor.clarke');
  const strangers = (await auditorApi.post('/api/v1/audit/children/find', { name: 'smith' })).body.children.slice(0, 12);
  assert.ok(strangers.length >= 5, 'the demo has Smiths');
  for (const c of strangers) {
    await ellis.post(`/api/v1/children/${c.child_id}/signposting`, { reason: 'Checking who is involved with this child' });
  }

  const { page, problems, context } = await newUser(chrome.browser, server.base);
  await signIn(page, 'auditor.clarke');
  await page.getByRole('link', { name: 'Misuse report' }).click();
  await page.getByTestId('run-report').click();
  await page.getByTestId('run-result').waitFor();
  const flag = page.locator('[data-testid="misuse-flag"][data-kind="no_involvement"]').first();
  await flag.waitFor();
  assert.match(await flag.innerText(), /Hannah Ellis looked up \d+ children/);
  await flag.getByTestId('flag-records').click();
  await flag.getByTestId('audit-table').waitFor();
  assert.match(await flag.getByTestId('audit-table').innerText(), /Checking who is involved with this child/);
  await checkPage(page, 'audit-misuse', violations);
  await flag.getByLabel('What you found').fill('Ms Ellis was checking the new class list; spoken to.');
  await flag.getByTestId('review-flag').click();
  await flag.getByTestId('flag-review').waitFor();
  assert.match(await flag.getByTestId('flag-review').innerText(), /Reviewed by Morgan Clarke/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('every audit page scanned has no serious or critical accessibility violations', () => {
  assert.deepEqual(violations, []);
});
