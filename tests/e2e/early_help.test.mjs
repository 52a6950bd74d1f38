// The early help assessment in real headless Chromium against a real server: a social worker
// starts an assessment section by section, completes and locks it, holds a TAC meeting with
// actions; signposting (the index) and the chronology reflect it; an action past its due date is
// highlighted after the test clock moves on. The demo's assessment in progress (Amira Begum) is
// shown to her lead professional. Screenshots at 1280 and 360 px, axe on every page.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { advanceClock, apiAs, checkPage, fillDate, launchBrowser, newUser, signIn, startServer, test } from './harness.mjs';

let server;
let chrome;
let child;
const violations = [];

before(async () => {
  server = await startServer();
  chrome = await launchBrowser();
  // A child new to Kith, on sw.hughes's caseload with hv.bennett (her health visiting service is
  // on the record, so the health visitor joins at once), and no early help yet.
  const hughes = await apiAs(server.base, 'sw.hughes');
  const made = await hughes.post('/api/v1/children', {
    given_names: 'Mia', family_name: 'Harper', date_of_birth: '2022-06-01', reason: 'Referral from the health visitor',
    services: [{ agency_id: 'AHV', description: 'Healthy Child Programme', start: '2022-06-01' }],
  });
  assert.equal(made.status, 201);
  child = made.body.child.id;
  const bennett = await apiAs(server.base, 'hv.bennett');
  const joined = await bennett.post(`/api/v1/children/${child}/team`, { role: 'Health visitor', reason: 'Mia is on my caseload' });
  assert.equal(joined.status, 201);
});

after(async () => {
  await chrome?.close();
  await server?.stop();
});

async function section(page, name) {
  await page.getByRole('button', { name, exact: true }).click();
}

test('start an assessment, complete it, hold a TAC meeting; the index and chronology reflect it', async () => {
  const { page, problems, context } = await newUser(chrome.browser, server.base);
  await signIn(page, 'sw.hughes');
  await page.getByTestId('my-children').waitFor();
  await page.goto(`/#/children/${child}/early-help`);
  await page.getByTestId('eh-start-form').waitFor();
  await checkPage(page, 'early-help-start', violations);
  await page.getByTestId('eh-start').click();

  // The form by section: consent, the elements of the three domains, views, needs.
  const form = page.getByTestId('eh-draft-form');
  await form.waitFor();
  assert.equal(await page.getByTestId('eh-stage').innerText(), 'Draft');
  await page.getByLabel('Consent given by').fill('Chloe Harper, mother');
  await page.getByTestId('eh-element-health').locator('summary').click();
  await page.locator('#eh-elements_health_needs').fill('Two missed health reviews; weight to be checked.');
  await page.locator('#eh-elements_health_family_view').fill('Chloe wants help getting to appointments.');
  await page.getByTestId('eh-element-basic_care_safety').locator('summary').click();
  await page.locator('#eh-elements_basic_care_safety_strengths').fill('Warm and attentive care.');
  await page.getByLabel("The child's view").fill('Mia says she likes the park.');
  await page.getByLabel('Conclusion').fill('Support with health appointments and routines.');
  await page.getByTestId('eh-add-need').click();
  await page.getByLabel('Need 1').fill('Health reviews attended');
  await checkPage(page, 'early-help-draft', violations);

  // Completing without a consent date is refused with the reason shown.
  await page.getByTestId('eh-complete').click();
  await page.getByTestId('form-error').waitFor();
  assert.match(await page.getByTestId('form-error').innerText(), /consent/i);
  await fillDate(page, 'eh-consent_given_on', new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
  await page.getByTestId('eh-complete').click();
  await page.getByTestId('success').getByText('Version 1 completed and locked.').waitFor();
  await page.getByTestId('eh-stage').getByText('Completed', { exact: true }).waitFor();
  assert.match(await page.getByTestId('eh-needs').innerText(), /Health reviews attended/);
  await checkPage(page, 'early-help-completed', violations);

  // A TAC meeting with an action owned by the health visitor, due in a week.
  await section(page, 'TAC meetings');
  const meeting = page.getByTestId('eh-meeting-form');
  await meeting.waitFor();
  await meeting.getByLabel('Who attended').fill('Sam Hughes, social worker\nLaura Bennett, health visitor\nChloe Harper, mother');
  await meeting.getByLabel('Decisions').fill('Health visitor to book the review and go with Chloe.');
  await page.getByTestId('eh-add-action-row').click();
  await meeting.getByLabel('What is to be done').fill('Book the two-year review');
  await meeting.getByLabel('Owner').selectOption({ label: 'Laura Bennett (Health visitor)' });
  const due = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  await fillDate(meeting, 'eh-meeting-due-0', due);
  await meeting.getByLabel('Need it serves').selectOption({ label: 'Health reviews attended' });
  await checkPage(page, 'early-help-meeting-form', violations);
  await page.getByTestId('eh-record-meeting').click();
  await page.getByTestId('eh-meetings').waitFor();
  await page.getByTestId('eh-stage').getByText('Plan in place', { exact: true }).waitFor();
  await section(page, 'Action plan');
  await page.getByTestId('eh-plan').waitFor();
  assert.match(await page.getByTestId('eh-plan').innerText(), /Book the two-year review[\s\S]*Laura Bennett/);
  await checkPage(page, 'early-help-plan', violations);

  // The chronology shows the key events.
  await page.goto(`/#/children/${child}/chronology`);
  const chronology = page.getByTestId('chronology');
  const summary = (text) => chronology.locator('.kith-entry__summary', { hasText: text });
  await summary('Team Around the Child meeting: 3 attended, 1 action agreed').waitFor();
  await summary('Early help assessment completed and locked (version 1)').waitFor();
  await summary('Early help assessment started; lead professional Sam Hughes').waitFor();
  await checkPage(page, 'early-help-chronology', violations);
  assert.deepEqual(problems, []);
  await context.close();

  // Signposting (the index): a practitioner not on the team sees that an assessment exists and who leads.
  const teacher = await newUser(chrome.browser, server.base);
  await signIn(teacher.page, 'teacher.ellis');
  await teacher.page.getByRole('heading', { name: 'My children' }).waitFor();
  await teacher.page.goto(`/#/children/${child}`);
  await teacher.page.getByLabel('Why do you need to see who is involved?').fill('Mia starts at our nursery; I need the lead professional');
  await teacher.page.getByTestId('signpost').click();
  const details = teacher.page.getByTestId('signposting');
  await details.waitFor();
  assert.match(await details.innerText(), /Yes, an assessment exists/);
  assert.match(await teacher.page.getByTestId('lead-contact').innerText(), /Sam Hughes/);
  await checkPage(teacher.page, 'early-help-signposting', violations);
  assert.deepEqual(teacher.problems, []);
  await teacher.context.close();
});

test('an action past its due date is highlighted for the team and alerts its owner', async () => {
  await advanceClock(server.base, 9 * 86_400);
  const { page, problems, context } = await newUser(chrome.browser, server.base);
  await signIn(page, 'hv.bennett');
  await page.getByTestId('my-children').waitFor();
  await page.goto(`/#/children/${child}/early-help`);
  await section(page, 'Action plan');
  const row = page.getByTestId('eh-action').filter({ hasText: 'Book the two-year review' });
  await row.getByText('Overdue', { exact: true }).waitFor();
  assert.match(await page.locator('.govuk-warning-text').innerText(), /1 action is overdue/);
  await checkPage(page, 'early-help-overdue', violations);
  const alerts = await apiAs(server.base, 'hv.bennett');
  const mine = (await alerts.get('/api/v1/alerts')).body.alerts.filter((a) => a.kind === 'overdue_action');
  assert.equal(mine.length, 1);
  assert.match(mine[0].summary, /Book the two-year review/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the demo assessment in progress, with its history and an overdue action', async () => {
  const { page, problems, context } = await newUser(chrome.browser, server.base);
  await signIn(page, 'dsl.brown');
  await page.getByTestId('my-children').waitFor();
  const brown = await apiAs(server.base, 'dsl.brown');
  const amira = (await brown.get('/api/v1/me/children')).body.children.find((c) => c.given_names === 'Amira');
  await page.goto(`/#/children/${amira.child_id}/early-help`);
  await page.getByTestId('eh-current').waitFor();
  assert.equal(await page.getByTestId('eh-lead').innerText(), 'Joanne Brown');
  await checkPage(page, 'early-help-demo-assessment', violations);
  await section(page, 'Reviews');
  await page.getByTestId('eh-reviews').waitFor();
  await section(page, 'History');
  await page.getByTestId('eh-versions').getByRole('button', { name: /View/ }).click();
  await page.getByTestId('eh-content').waitFor();
  await checkPage(page, 'early-help-history', violations);
  await section(page, 'Lead and closure');
  await page.getByTestId('eh-close-form').waitFor();
  await checkPage(page, 'early-help-close', violations);
  assert.deepEqual(problems, []);
  await context.close();
});

test('no serious or critical accessibility findings on the early help pages', () => {
  assert.deepEqual(violations, []);
});
