// Issue 15, sections 3 and 4 in real headless Chromium against a real server: errors as GOV.UK
// does them (a summary linking to each field, the field marked with its own message, dates as
// day, month and year boxes); no dead ends: a search with no match says what to try and offers to
// add the child; adding a child searches the index first and offers the likely matches; the
// identity details are changed in the page with the API's validation; managers see their
// workers' caseloads; auditors find a child by name; the printable chronology is in UK local time
// with serious entries marked; alerts say what happened once.
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
  const mine = (await hughes.get('/api/v1/me/children')).body.children.find((c) => c.given_names === 'Leo');
  leo = (await hughes.get(`/api/v1/children/${mine.child_id}`)).body.child;
});

after(async () => {
  await chrome?.close();
  await server?.stop();
});

test('an empty sign-in says what to enter, with a summary linking to each field', async () => {
  const { page, problems, context } = await newUser(chrome.browser, server.base);
  await page.goto('/');
  await page.getByTestId('sign-in').click();
  const summary = page.getByTestId('form-error');
  await summary.getByText('There is a problem').waitFor();
  assert.deepEqual(await summary.locator('li').allInnerTexts(), ['Enter your username', 'Enter your password']);
  assert.equal(await page.locator('.govuk-form-group--error').count(), 2, 'both fields are marked');
  await page.locator('#signin-password-error').getByText('Enter your password').waitFor();
  await summary.getByRole('link', { name: 'Enter your password' }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'signin-password');
  assert.ok(!(await page.content()).includes('password is wrong'), 'not a wrong password');
  await checkPage(page, 'sign-in-errors', violations);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the entry form: a summary of problems, each field marked, dates as day, month and year', async () => {
  const { page, problems, context } = await newUser(chrome.browser, server.base);
  await signIn(page, 'hv.bennett');
  await page.getByTestId('my-children').waitFor();
  await page.goto(`/#/children/${leo.id}/chronology`);
  await page.getByTestId('add-entry').click();
  const form = page.getByTestId('new-entry-form');
  await form.getByLabel('Day').waitFor();
  await fillDate(form, 'new-entry-occurred_on', '2026-02-31');
  await page.getByTestId('new-entry-submit').click();
  const summary = page.getByTestId('form-error');
  await summary.getByText('There is a problem').waitFor();
  assert.deepEqual(await summary.locator('li').allInnerTexts(),
                   ['The date of the event must be a real date', 'Enter a summary of what happened']);
  await page.locator('#new-entry-summary-error').getByText('Enter a summary of what happened').waitFor();
  await checkPage(page, 'entry-form-errors', violations);
  await fillDate(form, 'new-entry-occurred_on', new Date().toISOString().slice(0, 10));
  await form.getByLabel('Summary').fill('Weighed at home: growing well');
  await page.getByTestId('new-entry-submit').click();
  await page.getByText('The entry was added to the chronology.').waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('a search with no match says what to try, and adding the child checks for duplicates first', async () => {
  const { page, problems, context } = await newUser(chrome.browser, server.base);
  await signIn(page, 'teacher.ellis');
  await page.goto('/#/search');
  await page.getByLabel('First name').fill('Zephyrine');
  await page.getByLabel('Last name').fill('Quackenbush');
  await page.getByLabel('Why are you looking for this child?').fill('New pupil starting in my class on Monday');
  await page.getByTestId('search').click();
  await page.getByTestId('no-match').waitFor();
  assert.match(await page.getByTestId('no-match').innerText(), /checking the spelling/);
  await checkPage(page, 'search-no-match', violations);
  await page.getByTestId('add-child').click();
  await page.getByTestId('new-child-form').waitFor();
  assert.equal(await page.getByLabel('Last name').inputValue(), 'Quackenbush', 'what was searched for is carried over');

  // Leo's own details: the index finds him, and offers him before a second record is made.
  await page.getByLabel('First name').fill(leo.given_names);
  await page.getByLabel('Last name').fill(leo.family_name);
  await fillDate(page, 'nc-date_of_birth', leo.date_of_birth);
  await page.getByTestId('new-child-continue').click();
  await page.getByTestId('form-error').getByText('Enter why you are adding this child').waitFor();
  await page.getByLabel('Why are you adding this child?').fill('Referral from the school nurse today');
  await page.getByTestId('new-child-continue').click();
  const warning = page.getByTestId('duplicate-warning');
  await warning.getByText(`${leo.given_names} ${leo.family_name}`).first().waitFor();
  await checkPage(page, 'new-child-duplicate', violations);

  // A different child, typed with every kind of mistake: all of them show at once, each linked
  // from the summary and marked on its field, checked as the API checks them (the NHS number's
  // check digit, the UPN's check letter, a real date, a UK postcode), and nothing is sent.
  await page.getByLabel('First name').fill('');
  await page.getByLabel('Last name').fill('Quackenbush');
  await fillDate(page, 'nc-date_of_birth', '2019-02-30');
  await page.getByLabel('Postcode (optional)').fill('NB1');
  await page.getByLabel('NHS number (optional)').fill('943 476 5918');
  await page.getByLabel('Unique Pupil Number (optional)').fill('A801200001001');
  const searches = [];
  page.on('request', (r) => { if (r.url().includes('/api/v1/search') || r.url().endsWith('/api/v1/children')) searches.push(r.url()); });
  await page.getByTestId('new-child-continue').click();
  const all = page.getByTestId('form-error');
  await all.getByText('Check the Unique Pupil Number', { exact: false }).waitFor();
  const links = await all.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, ['#nc-given_names', '#nc-date_of_birth', '#nc-postcode', '#nc-nhs_number', '#nc-upn']);
  for (const [field, message] of [['given_names', "Enter the child's first name"], ['date_of_birth', 'The date of birth must be a real date'],
    ['postcode', 'Enter a real UK postcode'], ['nhs_number', 'Check the NHS number'], ['upn', 'Check the Unique Pupil Number']]) {
    assert.match(await page.locator(`#nc-${field}-error`).innerText(), new RegExp(message), field);
  }
  assert.equal(await page.locator('.govuk-form-group--error').count(), 5);
  assert.deepEqual(searches, [], 'nothing is sent while the form has problems');
  await checkPage(page, 'new-child-errors', violations);
  // The summary's link takes the reader to the field.
  await all.getByRole('link', { name: /Check the NHS number/ }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'nc-nhs_number');

  // Corrected: none of the matches; the record is made and opened.
  await page.getByLabel('First name').fill('Zephyrine');
  await fillDate(page, 'nc-date_of_birth', '2019-05-04');
  await page.getByLabel('Postcode (optional)').fill('NB1 4QT');
  await page.getByLabel('NHS number (optional)').fill('');
  await page.getByLabel('Unique Pupil Number (optional)').fill('');
  await page.getByTestId('new-child-continue').click();
  await page.getByTestId('child-name').getByText('Zephyrine Quackenbush').waitFor();

  // Changing the identity details in the page: the same checks, all at once.
  await page.getByTestId('edit-child').click();
  await page.getByLabel('Postcode (optional)').fill('NB14');
  await page.getByLabel('Unique Pupil Number (optional)').fill('H8012000010');
  await page.getByTestId('save-child').click();
  const editErrors = page.getByTestId('form-error');
  await editErrors.getByText('Enter all 13 characters of the Unique Pupil Number').waitFor();
  assert.deepEqual(await editErrors.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))), ['#ec-postcode', '#ec-upn']);
  await checkPage(page, 'child-record-errors', violations);
  await page.getByLabel('Postcode (optional)').fill('NB1 5QT');
  await page.getByLabel('Unique Pupil Number (optional)').fill('h801 2000 01001');
  await page.getByTestId('save-child').click();
  await page.getByText('The record was saved.').waitFor();
  // The details are shown again once the saved record is read back (waited for, not raced).
  await page.getByTestId('identity').getByText(/NB1 5QT/).waitFor();
  assert.match(await page.getByTestId('identity').innerText(), /H801200001001/);
  await checkPage(page, 'child-record-saved', violations);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a manager sees the workers\' caseloads; an auditor finds a child by name', async () => {
  const manager = await newUser(chrome.browser, server.base);
  await signIn(manager.page, 'mgr.patel');
  const caseloads = manager.page.getByTestId('caseloads');
  await caseloads.waitFor();
  const hughes = caseloads.getByTestId('worker').filter({ hasText: 'Sam Hughes' });
  await hughes.locator('summary').click();
  await hughes.getByRole('link', { name: `${leo.given_names} ${leo.family_name}` }).waitFor();
  await checkPage(manager.page, 'manager-caseloads', violations);
  assert.deepEqual(manager.problems, []);
  await manager.context.close();

  const auditor = await newUser(chrome.browser, server.base);
  await signIn(auditor.page, 'auditor.clarke');
  await auditor.page.getByRole('heading', { name: 'Audit', exact: true }).waitFor();
  await auditor.page.getByLabel("Child's name").fill(`${leo.given_names} ${leo.family_name}`);
  await auditor.page.getByTestId('find-child-find').click();
  await auditor.page.getByTestId('found-children').getByRole('link', { name: new RegExp(`${leo.given_names} ${leo.family_name}`) }).click();
  await auditor.page.getByTestId('audit-table').waitFor();
  await checkPage(auditor.page, 'audit-find', violations);
  assert.deepEqual(auditor.problems, []);
  await auditor.context.close();
});

test('the printable chronology is in UK local time with serious entries marked; alerts say it once', async () => {
  const hughes = await apiAs(server.base, 'sw.hughes');
  const res = await fetch(`${server.base}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'sw.hughes', password: 'Northbrook-demo-2026' }),
  });
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const html = await (await fetch(`${server.base}/api/v1/children/${leo.id}/chronology/print`, { headers: { Cookie: cookie } })).text();
  assert.match(html, /\((GMT|BST)\)/, 'times say which UK time');
  assert.doesNotMatch(html, /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, 'no UTC instants');
  assert.match(html, /<h2>Serious entries<\/h2>/);
  assert.match(html, /<strong>SERIOUS<\/strong>/);
  assert.match(html, /\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) 20\d\d/);
  const alerts = (await hughes.get('/api/v1/alerts')).body.alerts;
  assert.ok(alerts.some((a) => a.summary.startsWith('Serious entry: ')));
  assert.ok(alerts.every((a) => !a.summary.includes(`${leo.given_names} ${leo.family_name}`)), 'the child is named once, by the page');
});

test('every page scanned has no serious or critical accessibility violations', () => {
  assert.deepEqual(violations, []);
});
