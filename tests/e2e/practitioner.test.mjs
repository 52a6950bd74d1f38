// Practitioners: home (my children), a child's account, signposting with a reason, joining a
// team, lead professional handover, and search, in real headless Chromium against a real server.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, checkPage, launchBrowser, newUser, signIn, startServer, test } from './harness.mjs';

let server;
let chrome;
let leo;
const violations = [];

before(async () => {
  server = await startServer();
  chrome = await launchBrowser();
  const hughes = await apiAs(server.base, 'sw.hughes');
  leo = (await hughes.get('/api/v1/me/children')).body.children.find((c) => c.given_names === 'Leo');
});

after(async () => {
  await chrome?.close();
  await server?.stop();
});

test("the lead professional sees their children and the child's account", async () => {
  const { page, problems, context } = await newUser(chrome.browser, server.base);
  await signIn(page, 'sw.hughes');
  const kids = page.getByTestId('my-children');
  await kids.waitFor();
  assert.match(await kids.innerText(), /Leo Carter/);
  assert.match(await kids.innerText(), /You are lead professional/);
  // The first page loads only the app's own script; the graph, word cloud and wheel
  // libraries are split off and load only on the account's tabs.
  const scripts = await page.evaluate(() =>
    performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js')).map((r) => ({ name: r.name, bytes: r.encodedBodySize })),
  );
  assert.ok(scripts.length >= 1);
  assert.deepEqual(scripts.filter((s) => /ContactGraph|WordCloud|Wheel/.test(s.name)), []);
  assert.ok(scripts.reduce((n, s) => n + s.bytes, 0) < 200 * 1024, JSON.stringify(scripts));
  await checkPage(page, 'home', violations);

  await kids.getByRole('link', { name: 'Leo Carter' }).click();
  await page.getByTestId('child-name').waitFor();
  assert.equal(new URL(page.url()).hash, `#/children/${leo.child_id}`);
  assert.match(await page.getByTestId('identity').innerText(), /Brook Lane Surgery/);
  assert.match(await page.getByTestId('lead').innerText(), /Sam Hughes/);
  await checkPage(page, 'account-overview', violations);

  // A cold load of the account page by its address shows the account (how fast is measured by
  // bench/web_interactive.mjs, not asserted here).
  await page.goto('about:blank');
  await page.goto(`/#/children/${leo.child_id}`);
  await page.getByTestId('identity').waitFor();

  await page.getByRole('link', { name: 'Team' }).click();
  await page.getByTestId('team-table').waitFor();
  assert.match(await page.getByTestId('team-table').innerText(), /Laura Bennett/);
  await checkPage(page, 'account-team', violations);

  await page.getByRole('link', { name: 'Audit' }).click();
  await page.getByTestId('audit-table').waitFor();
  await checkPage(page, 'account-audit', violations);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a teacher not on the team signposts with a reason, asks to join, the lead approves and hands over', async () => {
  const { page, problems, context } = await newUser(chrome.browser, server.base);
  await signIn(page, 'teacher.ellis');
  await page.getByRole('heading', { name: 'My children' }).waitFor();
  await page.goto(`/#/children/${leo.child_id}`);
  await page.getByRole('heading', { name: "You are not on this child's team" }).waitFor();
  await checkPage(page, 'not-on-team', violations);

  // No reason: the server's problem is shown against the form.
  await page.getByTestId('signpost').click();
  await page.getByTestId('form-error').waitFor();
  await page.getByLabel('Why do you need to see who is involved?').fill('Leo is starting at our nursery class; I need the lead professional');
  await page.getByTestId('signpost').click();
  const details = page.getByTestId('signposting');
  await details.waitFor();
  assert.match(await page.getByTestId('lead-contact').innerText(), /Sam Hughes/);
  assert.match(await details.innerText(), /Brook Lane Surgery/);
  assert.match(await page.getByTestId('practitioners').innerText(), /Sam Hughes, .*\n.*(Phone|Email)/);
  await checkPage(page, 'signposting', violations);

  await page.getByLabel('Your role with this child').fill('Class teacher');
  await page.getByLabel("Why you need to join this child's team").fill('Leo joins my nursery class next week');
  await page.getByTestId('join-team').click();
  // The school is not recorded as working with Leo: the lead professional decides.
  await page.getByTestId('join-pending').waitFor();
  assert.match(await page.getByTestId('join-pending').innerText(), /request to join Leo Carter's team has been sent/);
  await checkPage(page, 'join-request-sent', violations);

  // The lead professional approves it from "Requests to join", with a reason.
  const lead = await newUser(chrome.browser, server.base);
  await signIn(lead.page, 'sw.hughes');
  await lead.page.getByTestId('my-children').waitFor();
  await lead.page.getByRole('link', { name: 'Requests to join' }).click();
  const request = lead.page.getByTestId('join-request').first();
  await request.waitFor();
  assert.match(await request.getByTestId('join-reason').innerText(), /Leo joins my nursery class next week/);
  await checkPage(lead.page, 'join-requests', violations);
  await request.getByLabel('Reason for your decision').fill('Confirmed with the nursery: Leo starts on Monday');
  await request.getByTestId('join-approve').click();
  await lead.page.getByTestId('success').filter({ hasText: /approved/ }).waitFor();

  // The teacher now opens the account.
  await page.reload();
  await page.getByTestId('child-name').waitFor();
  assert.equal(await page.getByTestId('child-name').innerText(), 'Leo Carter');
  assert.deepEqual(problems, []);

  // The lead professional hands over to the teacher, with a reason.
  await lead.page.goto(`/#/children/${leo.child_id}/team`);
  await lead.page.getByTestId('handover-form').waitFor();
  // The requests load after the page: wait for the decided one rather than read "Loading…".
  await lead.page.getByTestId('child-join-requests').filter({ hasText: /Approved/ }).waitFor();
  assert.match(await lead.page.getByTestId('team-table').innerText(), /Hannah Ellis/);
  await lead.page.getByLabel('New lead professional').selectOption({ label: 'Hannah Ellis (Class teacher)' });
  await lead.page.getByLabel('Reason for the handover').fill('Moving to the early help team; school now coordinates');
  await lead.page.getByTestId('handover').click();
  await lead.page.locator('[data-testid=success], [data-testid=form-error]').first().waitFor();
  assert.equal(await lead.page.getByTestId('form-error').count(), 0, await lead.page.locator('main').innerText());
  assert.match(await lead.page.getByTestId('success').innerText(), /Hannah Ellis is now the lead professional/);
  await lead.page.getByRole('link', { name: 'Overview' }).click();
  assert.match(await lead.page.getByTestId('lead').innerText(), /Hannah Ellis/);
  assert.deepEqual(lead.problems, []);
  await lead.context.close();
  await context.close();
});

test('every page scanned has no serious or critical accessibility violations', () => {
  assert.deepEqual(violations, []);
});
