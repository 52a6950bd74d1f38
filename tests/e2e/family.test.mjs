// The family portal in real headless Chromium against a real server: a social worker invites a
// parent; the parent passes the identity check, signs in, sees the team and what is shared with
// the family, and adds their view, which a colleague sees live. A restricted entry never appears
// in the family's page, download or WebSocket messages. The lead professional reviews it. Safe by
// default (issue 15): the entry form says who will see an entry and shares nothing unless the
// practitioner chooses to; a sensitive entry saved without a choice never reaches the family; a
// police restriction is shared only once the police agree.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, checkPage, fillDate, launchBrowser, newUser, signIn, startServer, test } from './harness.mjs';

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
  await fillDate(parent.page, 'redeem-child_date_of_birth', '2001-01-01');
  await parent.page.getByLabel("Your child's postcode").fill(leo.postcode);
  await parent.page.getByLabel('Your name').fill('Gary Carter');
  await parent.page.getByLabel('Choose a username').fill('gary.carter');
  await parent.page.getByLabel('Choose a password').fill(FAMILY_PASSWORD);
  await parent.page.getByTestId('redeem').click();
  await parent.page.getByText('does not match our record').first().waitFor();
  await fillDate(parent.page, 'redeem-child_date_of_birth', leo.date_of_birth);
  await parent.page.getByTestId('redeem').click();
  await parent.page.getByTestId('go-sign-in').click();
  await parent.page.getByLabel('Username').fill('gary.carter');
  await parent.page.getByLabel('Password').fill(FAMILY_PASSWORD);
  await parent.page.getByTestId('sign-in').click();

  // The family's page: the team and what is shared; never the restricted entry.
  await parent.page.getByTestId('family-team').waitFor();
  assert.match(await parent.page.getByTestId('family-team').innerText(), /Your main contact/);
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
  // The entries are cards with a coloured edge, not a bulleted list (issue 15: a stray disc beside each).
  for (const list of ['my-entries', 'family-entries']) {
    const bullets = await parent.page.getByTestId(list).evaluate((ul) =>
      [ul, ...ul.querySelectorAll('li')].map((el) => getComputedStyle(el).listStyleType));
    assert.ok(bullets.every((b) => b === 'none'), `${list}: no bullets (${bullets.join(', ')})`);
  }
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
  // (govuk-visually-hidden puts a no-break space before and after the hidden words, so a button's
  // accessible name reads "Keep it from the family : “…” ": the names allow that space.)
  await lead.page.reload();
  const list = lead.page.getByTestId('restrictions');
  await list.getByText(hidden, { exact: true }).waitFor();
  await checkPage(lead.page, 'family-tab-restrictions', violations);
  await list.getByRole('button', { name: new RegExp(`^Keep it from the family\\s*:\\s*“${hidden}”\\s*$`) }).click();
  await lead.page.getByText(`“${hidden}” stays kept from the family.`).waitFor();
  // Sharing needs a reason, even for the lead's own agency's restriction.
  await list.getByRole('button', { name: /^Share with the family\s*:\s*“Second restricted note about the neighbour”\s*$/ }).click();
  await lead.page.getByTestId('share-submit').click();
  await lead.page.getByTestId('form-error').getByText("Enter why Leo's family should see this now").waitFor();
  await lead.page.getByLabel("Why should Leo's family see it now?").fill('The neighbour agreed to be named.');
  await lead.page.getByTestId('share-submit').click();
  await lead.page.getByText('“Second restricted note about the neighbour” is now shared with the family.').waitFor();
  await entries.getByText('Second restricted note about the neighbour').waitFor();
  assert.ok(!(await parent.page.content()).includes(hidden));

  for (const u of [lead, parent, colleague]) {
    assert.deepEqual(u.problems, []);
    await u.context.close();
  }
});

// Key cells of the visibility matrix over the pages: the team sees a restricted entry with its
// tag; a parent linked only to Leo's sister sees her page and nothing of Leo's.
test('the team sees restrictions marked; a sibling\'s parent never sees Leo\'s record', async () => {
  const restricted = 'Team-only note about the referral source';
  // Today, so that it is at the top of the chronology.
  await addEntry(restricted, { visibility: 'team', restriction_reason: 'third_party',
                               occurred_on: new Date().toISOString().slice(0, 10) });
  const team = await newUser(chrome.browser, server.base);
  await signIn(team.page, 'hv.bennett');
  await team.page.getByTestId('my-children').waitFor();
  await team.page.goto(`/#/children/${leo.id}/chronology`);
  const item = team.page.getByTestId('entry').filter({ hasText: restricted });
  await item.waitFor();
  assert.equal(await item.getByTestId('visibility-tag').innerText(), 'Kept from family, awaiting review');

  const sister = await hughes.post('/api/v1/children', {
    given_names: 'Mia', family_name: 'Carter', date_of_birth: '2016-04-02', postcode: leo.postcode,
    reason: 'Sibling of Leo Carter',
  });
  assert.equal(sister.status, 201);
  const inv = await hughes.post(`/api/v1/children/${sister.body.child.id}/family/invitations`,
                                { relation: 'parent_carer', name: 'Dan Carter' });
  const redeemed = await fetch(`${server.base}/api/v1/family/redeem`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: inv.body.code, child_date_of_birth: '2016-04-02', postcode: leo.postcode,
                           username: 'dan.carter', password: FAMILY_PASSWORD, display_name: 'Dan Carter' }),
  });
  assert.equal(redeemed.status, 201);
  const dan = await newUser(chrome.browser, server.base);
  await dan.page.goto('/');
  await dan.page.getByLabel('Username').fill('dan.carter');
  await dan.page.getByLabel('Password').fill(FAMILY_PASSWORD);
  await dan.page.getByTestId('sign-in').click();
  await dan.page.getByTestId('family-child-name').getByText('Mia Carter').waitFor();
  await dan.page.getByText('Nothing has been shared with you yet.').waitFor();
  const page = await dan.page.content();
  assert.ok(!page.includes('Leo') && !page.includes(restricted));
  assert.equal((await dan.page.request.get(`/api/v1/family/children/${leo.id}`)).status(), 404);
  for (const u of [team, dan]) {
    assert.deepEqual(u.problems, []);
    await u.context.close();
  }
});

// Issues 5 and 7: the team completes an early help assessment; the parent sees the version of
// record and, live, the plan agreed at the TAC meeting; a new version's draft never reaches them.
test('the parent sees the completed early help assessment and the plan, never a draft', async () => {
  const base = `/api/v1/children/${leo.id}/early-help`;
  const content = {
    consent: { given_by: 'Gary Carter, father', given_on: '2025-06-01' },
    elements: [{ code: 'health', strengths: 'Registered with a GP', needs: 'Missed two health reviews',
                 family_view: 'We forgot the letters' }],
    child_view: 'I like the nursery garden.',
    parents_view: 'We need help getting to appointments.',
    conclusion: 'Support with routines and health appointments.',
    agreed_needs: [{ text: 'Health reviews attended' }],
  };
  const started = await hughes.post(base, { content });
  assert.equal(started.status, 201, JSON.stringify(started.body));
  const at = `${base}/${started.body.id}`;
  assert.equal((await hughes.post(`${at}/complete`, {})).status, 200);

  // Completed, it stays within the team until someone shares it (ADR 0017): the lead does, on the
  // Early help tab, with a reason.
  const lead = await newUser(chrome.browser, server.base);
  await signIn(lead.page, 'sw.hughes');
  await lead.page.getByTestId('my-children').waitFor();
  await lead.page.goto(`/#/children/${leo.id}/early-help`);
  const share = lead.page.getByTestId('eh-family-share');
  await share.getByText('Team only').waitFor();
  await share.getByTestId('eh-family-share-open').click();
  await share.getByLabel(/family see it now\?/).fill('Completed with Gary, who asked to see it online');
  await share.getByTestId('share-submit').click();
  await share.getByText('Shared with family').waitFor();
  await checkPage(lead.page, 'early-help-shared', violations);

  const parent = await newUser(chrome.browser, server.base);
  await parent.page.goto('/');
  await parent.page.getByLabel('Username').fill('gary.carter');
  await parent.page.getByLabel('Password').fill(FAMILY_PASSWORD);
  await parent.page.getByTestId('sign-in').click();
  const section = parent.page.getByTestId('family-assessment');
  await section.getByText('Support with routines and health appointments.').waitFor();
  await section.getByText('Missed two health reviews').waitFor();
  await parent.page.locator('[data-testid=live-status][data-status=live]').waitFor();

  // The TAC meeting agrees an action; the parent's open page shows it without reloading.
  const today = new Date().toISOString().slice(0, 10);
  const meeting = await hughes.post(`${at}/meetings`, {
    held_on: today, attendees: ['Gary Carter, father'], decisions: 'The health visitor will help book reviews',
    actions: [{ description: 'Book the two-year health review', owner_id: 'Uhv_bennett', due_on: '2099-01-31' }],
  });
  assert.equal(meeting.status, 201, JSON.stringify(meeting.body));
  await parent.page.getByTestId('family-plan').getByText('Book the two-year health review').waitFor();
  await section.getByText('The health visitor will help book reviews').waitFor();
  await checkPage(parent.page, 'family-early-help', violations);

  // The parent adds their view on the assessment; the lead sees it on the Early help tab.
  await parent.page.getByLabel('Your words about the assessment').fill('Mornings are better now; the letters confuse us.');
  await parent.page.getByTestId('add-assessment-view').click();
  await parent.page.getByTestId('my-entries').getByText('the letters confuse us').waitFor();
  await parent.page.getByTestId('my-entries').getByText('My view on the early help assessment').waitFor();
  await lead.page.reload();
  await lead.page.getByTestId('eh-family-views').getByText('the letters confuse us').waitFor();
  await checkPage(lead.page, 'early-help-family-view', violations);
  assert.deepEqual(lead.problems, []);
  await lead.context.close();

  // A new version's draft stays with the team.
  assert.equal((await hughes.post(`${at}/versions`, {})).status, 201);
  assert.equal((await hughes.put(`${at}/draft`, { content: { ...content, conclusion: 'Draft: not agreed yet' } })).status,
               200);
  await parent.page.reload();
  await section.getByText('Support with routines and health appointments.').waitFor();
  assert.ok(!(await parent.page.content()).includes('Draft: not agreed yet'));
  assert.deepEqual(parent.problems, []);
  await parent.context.close();
});

// Issue 15: the entry form says who will see the entry before it is saved; nothing reaches the
// family unless the practitioner chooses it, and a sensitive entry saved without a choice never
// does. A police restriction cannot be lifted by the lead alone: the police are asked and agree.
test('safe by default: the form says who will see it, sensitive entries stay with the team, police agree', async () => {
  const parent = await newUser(chrome.browser, server.base);
  await parent.page.goto('/');
  await parent.page.getByLabel('Username').fill('tracey.carter');
  await parent.page.getByLabel('Password').fill('Northbrook-demo-2026');
  await parent.page.getByTestId('sign-in').click();
  await parent.page.getByTestId('family-entries').waitFor();
  await parent.page.locator('[data-testid=live-status][data-status=live]').waitFor();
  const demo = await parent.page.content();
  for (const words of ['Pattern not typical of an accidental burn', 'flinched', 'Neighbour says', 'Police called by neighbour']) {
    assert.ok(!demo.includes(words), `the demo family does not see "${words}"`);
  }
  assert.ok(!demo.includes('JSON'), 'no JSON download offered');
  assert.ok(!/@A[A-Z]+\./.test(demo), 'no agency code in an address');
  await checkPage(parent.page, 'family-home-demo', violations);

  // The health visitor records an A&E attendance without touching who sees it.
  const hv = await newUser(chrome.browser, server.base);
  await signIn(hv.page, 'hv.bennett');
  await hv.page.getByTestId('my-children').waitFor();
  await hv.page.goto(`/#/children/${leo.id}/chronology`);
  await hv.page.getByTestId('add-entry').click();
  const form = hv.page.getByTestId('new-entry-form');
  assert.ok(await form.getByLabel('Only the team around Leo Carter').isChecked(), 'the team only, unless chosen');
  assert.match(await hv.page.getByTestId('new-entry-who-will-see').innerText(), /only the team around Leo Carter/);
  await form.getByLabel('Type of event').selectOption('hospital_attendance');
  await form.getByLabel('Serious').check();
  await form.getByLabel('Summary').fill('A&E: second burn, explanation does not fit');
  await checkPage(hv.page, 'entry-form-who-will-see', violations);
  await hv.page.getByTestId('new-entry-submit').click();
  await hv.page.getByText('The entry was added to the chronology.').waitFor();

  // A routine note the health visitor chooses to share: the warning and the sentence change.
  await hv.page.getByTestId('add-entry').click();
  await form.getByLabel('Summary').fill('Weighed at clinic: Leo is growing well');
  await form.getByLabel("The team and Leo's family").check();
  await hv.page.getByTestId('new-entry-share-warning').waitFor();
  assert.match(await hv.page.getByTestId('new-entry-who-will-see').innerText(), /and Leo's family/);
  await checkPage(hv.page, 'entry-form-share', violations);
  await hv.page.getByTestId('new-entry-submit').click();
  await parent.page.getByTestId('family-entries').getByText('Weighed at clinic: Leo is growing well').waitFor();
  assert.ok(!(await parent.page.content()).includes('second burn'), 'the sensitive entry never reaches the family');

  // The lead asks to share what the police restricted; it stays hidden until they agree.
  const police = 'Police called by neighbour to shouting at the address';
  const lead = await newUser(chrome.browser, server.base);
  await signIn(lead.page, 'sw.hughes');
  await lead.page.getByTestId('my-children').waitFor();
  await lead.page.goto(`/#/children/${leo.id}/family`);
  const row = lead.page.getByTestId('restriction').filter({ hasText: police });
  await row.getByTestId('agreement-needed').getByText('Northbrook Police Safeguarding Hub must agree').waitFor();
  await row.getByRole('button', { name: new RegExp(`^Ask to share with the family\\s*:\\s*“${police}”\\s*$`) }).click();
  await lead.page.getByLabel("Why should Leo's family see it now?").fill('Mother asked what the police recorded about the night.');
  await checkPage(lead.page, 'family-tab-ask-police', violations);
  await lead.page.getByTestId('share-submit').click();
  await lead.page.getByText(/We have asked Northbrook Police Safeguarding Hub to agree/).waitFor();
  await row.getByTestId('release-waiting').waitFor();
  assert.ok(!(await parent.page.content()).includes(police));

  // The police officer answers on the Family tab; then the family sees it.
  const officer = await newUser(chrome.browser, server.base);
  await signIn(officer.page, 'pc.davies');
  await officer.page.getByTestId('alerts').getByText(/asks your agency to agree to share/).waitFor();
  await officer.page.goto(`/#/children/${leo.id}/family`);
  const request = officer.page.getByTestId('release').filter({ hasText: police });
  await request.getByTestId('decide-form').waitFor();
  await request.getByTestId('decide-submit').click();
  await request.getByText('Choose whether your agency agrees').first().waitFor();
  await checkPage(officer.page, 'family-tab-police-decide', violations);
  await request.getByLabel('Yes, share it with the family').check();
  await request.getByLabel('Your reason').fill('No further police action; the mother was told at the time.');
  await request.getByTestId('decide-submit').click();
  await officer.page.getByText(`“${police}” is now shared with the family.`).waitFor();
  await parent.page.getByTestId('family-entries').getByText(police).waitFor();
  for (const u of [parent, hv, lead, officer]) {
    assert.deepEqual(u.problems, []);
    await u.context.close();
  }
});

test('every page scanned has no serious or critical accessibility violations', () => {
  assert.deepEqual(violations, []);
});
