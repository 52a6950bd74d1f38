// Shielded children: a practitioner overrides a shielded child's shield from its signposting
// (warning, reason, time limit, password), sees the address and carers, and a manager reviews and
// ends the override, in real headless Chromium against a real server. Ruby Nowak is the demo's
// shielded child; teacher.ellis is not on her team.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, checkPage, launchBrowser, newUser, PASSWORD, signIn, startServer } from './harness.mjs';

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

test('a practitioner overrides the shield with a reason and sees the address and carers', async () => {
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

  await page.getByTestId('override-start').click();
  const form = page.getByTestId('override-form');
  await form.waitFor();
  assert.match(await form.innerText(), /managers and the lead professional are told at once/);
  await checkPage(page, 'shield-override-form', violations);

  // No reason chosen: a clear problem, nothing granted.
  await page.getByTestId('override-submit').click();
  await page.getByTestId('form-error').waitFor();
  assert.match(await page.getByTestId('form-error').innerText(), /Choose why/);
  await page.getByLabel('The child is missing and must be found').check();
  await page.getByLabel('Explain what has happened and what you will do').fill('Not at school; police asked me to pass on her mother\'s number');
  await page.getByLabel('For how long').selectOption('4');
  // A wrong password is refused on the form, not by signing the user out.
  await page.getByLabel('Your password').fill('not-my-password-1');
  await page.getByTestId('override-submit').click();
  await page.getByTestId('form-error').filter({ hasText: /password/ }).waitFor();
  await page.getByLabel('Your password').fill(PASSWORD);
  await page.getByTestId('override-submit').click();

  await page.getByTestId('shielded-address').waitFor();
  assert.match(await page.getByTestId('shielded-address').innerText(), /Northbrook/);
  assert.match(await page.getByTestId('carers').innerText(), /Agnieszka Nowak[\s\S]*07700 900555/);
  assert.match(await page.getByTestId('lead-contact').innerText(), /Chris Taylor/);
  assert.equal(await page.getByTestId('withheld').count(), 0);
  assert.match(await page.locator('.govuk-warning-text').first().innerText(), /You have overridden this child's shield until/);
  await checkPage(page, 'shield-overridden', violations);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a manager reviews the override and ends it early', async () => {
  const { page, problems, context } = await newUser(chrome.browser, server.base);
  await signIn(page, 'mgr.patel');
  await page.getByRole('link', { name: 'Shield overrides' }).click();
  const item = page.getByTestId('override').first();
  await item.waitFor();
  assert.match(await item.innerText(), /Ruby Nowak[\s\S]*In force[\s\S]*Not reviewed/);
  assert.match(await item.getByTestId('override-reason').innerText(), /police asked me/);
  await checkPage(page, 'shield-overrides', violations);

  await item.getByLabel('Your review note').fill('Checked with the police: justified, but Ruby is now found');
  await item.getByLabel('End this override now').check();
  await item.getByTestId('override-review-submit').click();
  await page.getByTestId('success').waitFor();
  assert.match(await item.innerText(), /Ended[\s\S]*Reviewed[\s\S]*Ended early/);
  await checkPage(page, 'shield-override-ended', violations);
  assert.deepEqual(problems, []);
  await context.close();

  // The alert reached the manager too.
  const patel = await apiAs(server.base, 'mgr.patel');
  const alerts = (await patel.get('/api/v1/alerts')).body.alerts;
  assert.ok(alerts.some((a) => a.kind === 'shield_override' && a.child_id === ruby));
});

test('every page scanned has no serious or critical accessibility violations', () => {
  assert.deepEqual(violations, []);
});
