// Sign-in with second-factor enrolment and verification, administration and the audit view,
// in real headless Chromium against a real server.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { advanceClock, apiAs, checkPage, launchBrowser, newUser, PASSWORD, signIn, startServer, totp, test } from './harness.mjs';

let server;
let chrome;
const violations = [];

before(async () => {
  server = await startServer();
  chrome = await launchBrowser();
});

after(async () => {
  await chrome?.close();
  await server?.stop();
});

test('an administrator enrols a second factor, then signs in with it, and manages users and agencies', async () => {
  const { page, problems, context } = await newUser(chrome.browser, server.base);
  await page.goto('/');
  await page.getByRole('heading', { name: 'Sign in to Kith' }).waitFor();
  await checkPage(page, 'sign-in', violations);

  // Wrong password: a clear problem, still on the sign-in page.
  await page.getByLabel('Username').fill('admin.lee');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByTestId('sign-in').click();
  await page.getByTestId('form-error').waitFor();
  assert.match(await page.getByTestId('form-error').innerText(), /password/i);

  // admin.lee must enrol: the QR code and the key for manual entry are shown.
  await signIn(page, 'admin.lee');
  await page.getByRole('heading', { name: 'Set up your authenticator' }).waitFor();
  await page.getByTestId('qr').waitFor();
  const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s+/g, '');
  assert.match(secret, /^[A-Z2-7]{16,}$/);
  assert.equal(await page.getByTestId('qr').evaluate((img) => img.naturalWidth > 0 && img.src.startsWith('data:image/png')), true);
  await checkPage(page, 'enrolment', violations);
  let now = await advanceClock(server.base, 0);
  await page.getByLabel('Code from your authenticator app').fill(totp(secret, now));
  await page.getByTestId('confirm-enrolment').click();

  // An administrator lands on the users page.
  await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
  assert.match(await page.getByTestId('users-table').innerText(), /sw\.hughes/);
  await checkPage(page, 'admin-users', violations);

  // Create a user (a state-changing request with the CSRF token).
  await page.getByTestId('add-user').click();
  await page.getByLabel('Full name').fill('Nadia Rahman');
  await page.getByLabel('Username').fill('sn.rahman');
  await page.getByLabel('Role').selectOption('practitioner');
  await page.getByLabel('Agency').selectOption({ label: 'Northbrook School Nursing Service' });
  await page.getByLabel('First password').fill('Riverside-Nurse-2026!');
  await checkPage(page, 'admin-add-user', violations);
  await page.getByTestId('create-user').click();
  await page.getByTestId('success').waitFor();
  assert.match(await page.getByTestId('success').innerText(), /sn\.rahman/);
  await page.getByTestId('users-table').getByText('sn.rahman').waitFor();

  // Record her home for the misuse report (write-only: the form starts empty and is not shown again).
  await page.getByRole('button', { name: 'Home of Nadia Rahman, for the misuse report' }).click();
  await page.getByLabel('Home address').fill('12 Mill Lane, Northbrook');
  await page.getByLabel('Postcode').fill('nb1 4qt');
  await checkPage(page, 'admin-home', violations);
  await page.getByTestId('save-home').click();
  await page.getByText("Nadia Rahman's home is recorded for the misuse report.").waitFor();
  assert.equal(await page.getByTestId('home-form').count(), 0);

  await page.getByRole('link', { name: 'Agencies' }).click();
  await page.getByTestId('agencies-table').waitFor();
  assert.match(await page.getByTestId('agencies-table').innerText(), /Brook Lane Surgery/);
  await checkPage(page, 'admin-agencies', violations);

  // The family portal's defaults: share home visits with families in this authority; referrals
  // are safeguarding-sensitive and stay the team's whatever the authority sets.
  await page.getByRole('link', { name: 'Family portal' }).click();
  await page.getByTestId('family-settings-form').waitFor();
  assert.match(await page.getByTestId('settings-fixed-referral').innerText(), /cannot be shared by default/);
  assert.equal(await page.getByLabel('Default for Referral').count(), 0);
  await page.getByLabel('Default for Home visit').selectOption('team_and_family');
  await checkPage(page, 'admin-family-settings', violations);
  await page.getByTestId('save-family-settings').click();
  await page.getByText('The settings were saved.').waitFor();

  // Sign out, then in again: now the code is asked for.
  await page.getByTestId('sign-out').click();
  await page.getByRole('heading', { name: 'Sign in to Kith' }).waitFor();
  await signIn(page, 'admin.lee');
  await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
  await checkPage(page, 'second-factor', violations);
  await page.getByLabel('Code from your authenticator app').fill('000000');
  await page.getByTestId('verify-code').click();
  await page.getByTestId('form-error').waitFor();
  now = await advanceClock(server.base, 30); // a fresh time step: a used code is never accepted twice
  await page.getByLabel('Code from your authenticator app').fill(totp(secret, now));
  await page.getByTestId('verify-code').click();
  await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();

  assert.deepEqual(problems, []);
  await context.close();
});

test('an auditor sees who looked at a child, when and why', async () => {
  const hughes = await apiAs(server.base, 'sw.hughes');
  const leo = (await hughes.get('/api/v1/me/children')).body.children.find((c) => c.given_names === 'Leo');
  assert.ok(leo, 'the demo data has Leo Carter');
  // A practitioner not on the team signposts with a reason, which the auditor must then see.
  const ellis = await apiAs(server.base, 'teacher.ellis');
  assert.equal((await ellis.post(`/api/v1/children/${leo.child_id}/signposting`, { reason: 'Sibling starting in my class; checking who is involved' })).status, 200);

  const { page, problems, context } = await newUser(chrome.browser, server.base);
  await signIn(page, 'auditor.clarke');
  await page.getByRole('heading', { name: 'Audit', exact: true }).waitFor();
  // The earlier address of a child's trail, #/audit/<Kith id>, still leads to it.
  await page.goto(`/#/audit/${leo.child_id}`);
  const table = page.getByTestId('audit-table');
  await table.waitFor();
  assert.match(await table.innerText(), /Sibling starting in my class; checking who is involved/);
  assert.doesNotMatch(page.url(), /Leo|Carter/);
  await checkPage(page, 'audit', violations);
  assert.deepEqual(problems, []);
  await context.close();
});

test('every page scanned has no serious or critical accessibility violations', () => {
  assert.deepEqual(violations, []);
});
