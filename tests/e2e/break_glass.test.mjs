// Break-glass: a practitioner breaks the glass on a shielded child from its signposting (warning,
// reason, time limit, password), reads the record (read-only, with a banner) and sees the address
// and carers; a manager reviews it as justified or not and ends it early; a team member shields
// and unshields a child with a reason; in real headless Chromium against a real server. Ruby Nowak
// is the demo's shielded child; teacher.ellis is not on her team.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, checkPage, launchBrowser, newUser, PASSWORD, signIn, startServer, test } from './harness.mjs';

let server;
let chrome;
let ruby;
const violations = [];

before(async () => {
  server = await startServer();
  chrome = await launchBrowser();
  const taylor = await apiAs(server.base, 'sw.taylor');
  ruby = (await taylor.get('/api/v1/me/children')).body.children.find((c) => c.given_names === 'Ruby').child_id;
});

after(async () => {
  await chrome?.close();
  await server?.stop();
});

test('a practitioner breaks the glass with a reason and reads the record, address and carers', async () => {
  const { page, problems, context } = await newUser(chrome.browser, server.base);
  await signIn(page, 'teacher.ellis');
  await page.getByRole('heading', { name: 'My children' }).waitFor();
  await page.goto(`/#/children/${ruby}`);
  await page.getByLabel('Why do you need to see who is involved?').fill('Ruby did not arrive at school this morning');
  await page.getByTestId('signpost').click();
  const details = page.getByTestId('signposting');
  await details.waitFor();
  const shown = await details.innerText();
  assert.match(shown, /Shielded record/);
  assert.doesNotMatch(shown, /07700 900555/);
  // The services' agencies and the lead professional are withheld; the broker is named instead.
  assert.match(await page.getByTestId('withheld').innerText(),
               /Withheld: this child is shielded — contact through Northbrook Children's Services[\s\S]*01632 960100/);
  assert.match(shown, /GP practice\s*Withheld: this child is shielded/);
  assert.match(await page.getByTestId('lead-contact').innerText(), /A lead professional is recorded/);
  assert.doesNotMatch(shown, /Chris Taylor|Surgery|Medical Centre|Health Centre|Primary School/);
  await checkPage(page, 'shielded-signposting', violations);

  await page.getByTestId('break-glass-start').click();
  const form = page.getByTestId('break-glass-form');
  await form.waitFor();
  assert.match(await form.innerText(), /managers are told at once/);
  assert.match(await form.innerText(), /you will see where the child lives/);
  await checkPage(page, 'break-glass-form', violations);

  // Nothing filled in: every problem at once, each linked and its field marked, nothing granted.
  await page.getByTestId('break-glass-submit').click();
  await page.getByTestId('form-error').waitFor();
  assert.match(await page.getByTestId('form-error').innerText(), /Choose why/);
  assert.deepEqual(await page.getByTestId('form-error').locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
                   ['#bg-reason_code', '#bg-reason', '#bg-password']);
  assert.match(await page.locator('#bg-reason-error').innerText(), /Enter what has happened and what you will do/);
  assert.match(await page.locator('#bg-password-error').innerText(), /Enter your password/);
  assert.equal(await form.locator('.govuk-form-group--error').count(), 3);
  await checkPage(page, 'break-glass-errors', violations);
  // Too short a reason is marked on its field, as the API would say.
  await page.getByLabel('Explain what has happened and what you will do').fill('Missing');
  await page.getByTestId('break-glass-submit').click();
  await page.locator('#bg-reason-error').getByText(/at least 10 characters/).waitFor();
  await page.getByLabel('The child is missing and must be found').check();
  await page.getByLabel('Explain what has happened and what you will do').fill('Not at school; police asked me to pass on her mother\'s number');
  await page.getByLabel('For how long').selectOption('2');
  // A wrong password is refused on the form, not by signing the user out.
  await page.getByLabel('Your password').fill('not-my-password-1');
  await page.getByTestId('break-glass-submit').click();
  await page.getByTestId('form-error').filter({ hasText: /password/ }).waitFor();
  await page.locator('#bg-password-error').filter({ hasText: /password/ }).waitFor();
  await page.getByLabel('Your password').fill(PASSWORD);
  await page.getByTestId('break-glass-submit').click();

  // The record opens, read-only, with a banner saying so.
  await page.getByTestId('break-glass-banner').waitFor();
  assert.equal(await page.getByTestId('child-name').innerText(), 'Ruby Nowak');
  assert.match(await page.getByTestId('break-glass-banner').innerText(), /emergency access[\s\S]*cannot change it/);
  await checkPage(page, 'break-glass-account', violations);
  // Signposting now shows the shielded details too.
  await page.goto(`/#/children/${ruby}/team`);
  await page.getByTestId('team-table').waitFor();
  assert.match(await page.getByTestId('team-table').innerText(), /Chris Taylor/);
  assert.equal(await page.getByTestId('shield-section').count(), 0, 'break-glass cannot change the shield');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a manager reviews the break-glass as justified and ends it early', async () => {
  const { page, problems, context } = await newUser(chrome.browser, server.base);
  await signIn(page, 'mgr.patel');
  await page.getByRole('link', { name: 'Emergency access' }).click();
  const item = page.getByTestId('break-glass').first();
  await item.waitFor();
  assert.match(await item.innerText(), /Ruby Nowak[\s\S]*In force[\s\S]*Not reviewed/);
  assert.match(await item.getByTestId('break-glass-reason').innerText(), /police asked me/);
  assert.match(await item.innerText(), /1 look at the record/);
  await checkPage(page, 'break-glass-reviews', violations);

  // No verdict: the server asks for one.
  await item.getByLabel('Your review note').fill('Checked with the police: justified, but Ruby is now found');
  await item.getByTestId('break-glass-review-submit').click();
  await item.getByTestId('form-error').filter({ hasText: /justified/ }).waitFor();
  await item.getByLabel('Yes, justified').check();
  await item.getByLabel('End this access now').check();
  await item.getByTestId('break-glass-review-submit').click();
  await page.getByTestId('success').waitFor();
  assert.match(await item.innerText(), /Ended[\s\S]*Justified[\s\S]*Ended early/);
  await checkPage(page, 'break-glass-ended', violations);
  assert.deepEqual(problems, []);
  await context.close();

  // The alert reached the manager too.
  const patel = await apiAs(server.base, 'mgr.patel');
  const alerts = (await patel.get('/api/v1/alerts')).body.alerts;
  assert.ok(alerts.some((a) => a.kind === 'break_glass' && a.child_id === ruby));
});

test('a team member shields a child with a reason, and removes the shield the same way', async () => {
  const hughes = await apiAs(server.base, 'sw.hughes');
  const leo = (await hughes.get('/api/v1/me/children')).body.children.find((c) => c.given_names === 'Leo').child_id;
  const { page, problems, context } = await newUser(chrome.browser, server.base);
  await signIn(page, 'sw.hughes');
  await page.getByTestId('my-children').waitFor();
  await page.goto(`/#/children/${leo}/team`);
  const section = page.getByTestId('shield-section');
  await section.waitFor();
  await section.getByTestId('shield-start').click();
  await checkPage(page, 'shield-form', violations);
  await section.getByLabel('Why must this child be shielded?').fill('Mother and Leo moved to a refuge this morning');
  await section.getByTestId('shield-submit').click();
  await page.getByTestId('success').filter({ hasText: /now shielded/ }).waitFor();
  await section.getByRole('heading', { name: 'Remove the shield' }).waitFor();
  await section.getByTestId('shield-start').click();
  await section.getByLabel('Why can the shield be removed?').fill('Risk assessed at the strategy meeting: no longer needed');
  await section.getByTestId('shield-submit').click();
  await page.getByTestId('success').filter({ hasText: /shield is removed/ }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('every page scanned has no serious or critical accessibility violations', () => {
  assert.deepEqual(violations, []);
});
