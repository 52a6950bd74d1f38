// The family portal in real headless Chromium against a real server: a social worker invites a
// parent; the parent passes the identity check, signs in, sees the team and what is shared with
// the family, and adds their view, which a colleague sees live. A restricted entry never appears
// in the family's page, download or WebSocket messages. The lead professional reviews it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, checkPage, launchBrowser, newUser, signIn, startServer } from './harness.mjs';

const FAMILY_PASSWORD = 'Copper-willow-meadow-55';
let server;
let chrome;
let leo;
let hughes;
const violations = [];

before(async () => {
  server = await startServer();
  chrome = await launchBrowser();
  hughes = await apiAs(server.base, 'sw.hughes');
  const mine = (await hughes.get('/api/v1/me/children')).body.children.find((c) => c.given_names === 'Leo');
  leo = (await hughes.get(`/api/v1/children/${mine.child_id}`)).body.child;
});

after(async () => {
  await chrome?.close();
  await server?.stop();
});

async function addEntry(summary, extra) {
  const res = await hughes.post(`/api/v1/children/${leo.id}/chronology`, {
    occurred_on: '2026-01-10', type: 'home_visit', significance: 'notable', summary, ...extra,
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

test('invite, identity check, sign in, see what is shared, add a view the team sees live', async () => {
  // The social worker makes an invitation on Leo's Family tab.
  const lead = await newUser(chrome.browser, server.base);
  await signIn(lead.page, 'sw.hughes');
  await lead.page.getByTestId('my-children').waitFor();
  await lead.page.goto(`/#/children/${leo.id}/family`);
  await lead.page.getByTestId('invite-form').waitFor();
  await lead.page.getByLabel('Their name').fill('Gary Carter');
  await lead.page.getByTestId('invite').click();
  const codeText = await lead.page.getByTestId('invitation-code').innerText();
  const code = /[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/.exec(codeText)[0];
  await checkPage(lead.page, 'family-tab-invitation', violations);

  const hidden = 'Strategy discussion notes for the police';
  await addEntry(hidden, { visibility: 'team', restriction_reason: 'police_investigation' });
  await addEntry('Home visit: the flat was warm and Leo was playing', { visibility: 'team_and_family' });

  // The parent redeems the code: a wrong date of birth first, then the right one.
  const parent = await newUser(chrome.browser, server.base);
  const frames = [];
  parent.page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
  await parent.page.goto('/');
  await parent.page.getByTestId('redeem-link').click();
  await parent.page.getByTestId('redeem-form').waitFor();
  await checkPage(parent.page, 'family-redeem', violations);
  await parent.page.getByLabel('Invitation code').fill(code.toLowerCase());
  await parent.page.getByLabel("Your child's date of birth").fill('2001-01-01');
  await parent.page.getByLabel("Your child's postcode").fill(leo.postcode);
  await parent.page.getByLabel('Your name').fill('Gary Carter');
  await parent.page.getByLabel('Choose a username').fill('gary.carter');
  await parent.page.getByLabel('Choose a password').fill(FAMILY_PASSWORD);
  await parent.page.getByTestId('redeem').click();
  await parent.page.getByText('does not match our record').first().waitFor();
  await parent.page.getByLabel("Your child's date of birth").fill(leo.date_of_birth);
  await parent.page.getByTestId('redeem').click();
  await parent.page.getByTestId('go-sign-in').click();
  await parent.page.getByLabel('Username').fill('gary.carter');
  await parent.page.getByLabel('Password').fill(FAMILY_PASSWORD);
  await parent.page.getByTestId('sign-in').click();

  // The family's page: the team and what is shared; never the restricted entry.
  await parent.page.getByTestId('family-team').waitFor();
  assert.match(await parent.page.getByTestId('family-team').innerText(), /lead professional/);
  const entries = parent.page.getByTestId('family-entries');
  await entries.getByText('Home visit: the flat was warm').waitFor();
  assert.ok(!(await parent.page.content()).includes(hidden));
  await parent.page.locator('[data-testid=live-status][data-status=live]').waitFor();
  await checkPage(parent.page, 'family-home', violations);

  // A colleague has Leo's Family tab open; the parent adds their view; it appears live.
  const colleague = await newUser(chrome.browser, server.base);
  await signIn(colleague.page, 'hv.bennett');
  await colleague.page.getByTestId('my-children').waitFor();
  await colleague.page.goto(`/#/children/${leo.id}/family`);
  await colleague.page.locator('[data-testid=live-status][data-status=live]').waitFor();
  await colleague.page.getByText('The family has not added anything yet.').waitFor();
  await parent.page.getByLabel('Your words').fill('We would like more help at bedtime, Leo is not sleeping.');
  await parent.page.getByTestId('add-view').click();
  await parent.page.getByTestId('my-entries').getByText('more help at bedtime').waitFor();
  await colleague.page.getByTestId('family-entries').getByText('more help at bedtime').waitFor();
  await checkPage(colleague.page, 'family-tab-team', violations);

  // New entries reach the family live only when shared; the restricted one never does.
  await addEntry('Second restricted note about the neighbour', { visibility: 'team', restriction_reason: 'third_party' });
  await addEntry('Nursery says Leo settled well this week', { visibility: 'team_and_family' });
  await entries.getByText('Nursery says Leo settled well').waitFor();
  const page = await parent.page.content();
  assert.ok(!page.includes(hidden) && !page.includes('restricted note'));
  assert.ok(frames.length > 0, 'the family page received live messages');
  assert.ok(frames.every((f) => !f.includes('restricted') && !f.includes(hidden)), frames.join('\n'));

  // The printable download holds the shared entries and nothing restricted.
  const html = await (await parent.page.request.get('/api/v1/family/export?format=html')).text();
  assert.ok(html.includes('Nursery says Leo settled well'));
  assert.ok(!html.includes(hidden) && !html.includes('restricted note'));

  // The lead professional keeps one restriction and shares the other.
  await lead.page.reload();
  const list = lead.page.getByTestId('restrictions');
  await list.getByText(hidden, { exact: true }).waitFor();
  await checkPage(lead.page, 'family-tab-restrictions', violations);
  await list.getByRole('button', { name: new RegExp(`^Keep restricted\\s+“${hidden}”$`) }).click();
  await lead.page.getByText(`The restriction of “${hidden}” is confirmed.`).waitFor();
  await list.getByRole('button', { name: /^Share with the family\s+“Second restricted note about the neighbour”$/ }).click();
  await entries.getByText('Second restricted note about the neighbour').waitFor();
  assert.ok(!(await parent.page.content()).includes(hidden));

  for (const u of [lead, parent, colleague]) {
    assert.deepEqual(u.problems, []);
    await u.context.close();
  }
});

test('every page scanned has no serious or critical accessibility violations', () => {
  assert.deepEqual(violations, []);
});
