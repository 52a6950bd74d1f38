// The family portal (issues 5 and 15) over HTTP: the visibility matrix (entry type × how its
// visibility was set × viewer), safe by default (the planted sensitive types, the authority's
// floor, releases needing the restricting agency's agreement), invitations with the identity
// check, the family's own entries, and what never reaches a family (restricted entries in their
// page, export or word cloud).
//
// Viewers:
//   team       hv.bennett      on Leo's team
//   lead       sw.hughes       Leo's and Mia's lead professional (reviews restrictions)
//   other      teacher.ellis   a practitioner of the same authority on no team
//   parent     tracey.carter   Leo's mother (demo family login)
//   sibParent  dan.carter      a parent linked only to Mia, Leo's sister
//   young      mia.carter      Mia herself, a young person (14)
//   stranger   sam.stone       a parent of another child, Oscar
//   police     pc.davies       the police officer on Leo's team (another agency than the lead's)

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { KithServer, leoCarterId, signedIn } from './harness.mjs';

const PASSWORD = 'Copper-willow-meadow-55';
let server;
const c = {};
const kids = {};

async function invite(child, relation = 'parent_carer', name = 'A parent') {
  const res = await c.lead.post(`/api/v1/children/${child}/family/invitations`, { relation, name });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

async function redeem(child, username, relation = 'parent_carer') {
  const inv = await invite(child.id, relation);
  const res = await server.client().post('/api/v1/family/redeem', {
    code: inv.code.toLowerCase(), child_date_of_birth: child.dob, postcode: child.postcode.replace(' ', ''),
    username, password: PASSWORD, display_name: username,
  });
  assert.equal(res.status, 201, res.text);
  return signedIn(server, username, PASSWORD);
}

async function newChild(given, dob, postcode) {
  const res = await c.lead.post('/api/v1/children', {
    given_names: given, family_name: given === 'Oscar' ? 'Stone' : 'Carter', date_of_birth: dob, postcode,
    reason: 'Referral for the family portal test',
  });
  assert.equal(res.status, 201, res.text);
  const lead = await c.lead.post(`/api/v1/children/${res.body.child.id}/lead`,
                                 { user_id: 'Usw_hughes', reason: 'Allocated social worker' });
  assert.equal(lead.status, 200, lead.text);
  return { id: res.body.child.id, dob, postcode };
}

// Every cell of the matrix as an entry: type × how its visibility was set. The sensitive types
// and a routine note and home visit; nothing is shared unless someone chose to share it.
const SENSITIVE = ['incident', 'hospital_attendance', 'police_call_out', 'strategy_discussion', 'case_conference',
                   'referral'];
const TYPES = ['home_visit', 'note', ...SENSITIVE];
const HOW = {
  default: { body: {}, visible: () => false },
  shared: { body: { visibility: 'team_and_family' }, visible: () => true },
  teamOnly: { body: { visibility: 'team' }, visible: () => false },
  pending: { body: { visibility: 'team', restriction_reason: 'risk_of_harm' }, visible: () => false },
  confirmed: { body: { visibility: 'team', restriction_reason: 'police_investigation' }, review: 'confirm',
               visible: () => false },
  // Restricted by the lead's own agency, then released by the lead with a reason.
  released: { body: { visibility: 'team', restriction_reason: 'other', restriction_text: 'Names a neighbour' },
              release: 'The neighbour has agreed to be named', visible: () => true },
};

const summaryOf = (child, type, how) => `Matrix ${child} ${type} ${how}`;
const expectedFor = {};

// The authority administrator, signed in and enrolled once (signing in again needs the code).
const administrator = async () => {
  if (!c.admin) {
    c.admin = server.client();
    await c.admin.signIn('admin.lee');
    await c.admin.enrol();
  }
  return c.admin;
};

// auditor.clarke with the information-governance permission (an administrator grants it once):
// subject-access exports are information governance's, never an administrator's.
const governance = async () => {
  if (!c.governance) {
    const admin = await administrator();
    const user = (await admin.get('/api/v1/users/Uauditor_clarke')).body;
    const granted = await admin.patch('/api/v1/users/Uauditor_clarke',
                                      { version: user.version, information_governance: true });
    assert.equal(granted.status, 200, granted.text);
    c.governance = await signedIn(server, 'auditor.clarke');
  }
  return c.governance;
};

before(async () => {
  server = await KithServer.start();
  const leoId = await leoCarterId(server);
  c.lead = await signedIn(server, 'sw.hughes');
  c.team = await signedIn(server, 'hv.bennett');
  c.other = await signedIn(server, 'teacher.ellis');
  const leo = (await c.lead.get(`/api/v1/children/${leoId}`)).body.child;
  kids.leo = { id: leoId, dob: leo.date_of_birth, postcode: leo.postcode };
  kids.mia = await newChild('Mia', '2012-06-01', leo.postcode);
  kids.oscar = await newChild('Oscar', '2018-09-09', 'NB9 9ZZ');
  c.parent = await signedIn(server, 'tracey.carter');
  c.sibParent = await redeem(kids.mia, 'dan.carter');
  c.young = await redeem(kids.mia, 'mia.carter', 'young_person');
  c.stranger = await redeem(kids.oscar, 'sam.stone');
  c.police = await signedIn(server, 'pc.davies');

  for (const child of ['leo', 'mia']) {
    expectedFor[child] = [];
    for (const type of TYPES) {
      for (const [how, spec] of Object.entries(HOW)) {
        const summary = summaryOf(child, type, how);
        const res = await c.lead.post(`/api/v1/children/${kids[child].id}/chronology`, {
          occurred_on: '2026-01-05', type, significance: 'notable', summary, detail: `Detail of ${summary}`,
          ...spec.body,
        });
        assert.equal(res.status, 201, res.text);
        if (spec.review) {
          const reviewed = await c.lead.post(
            `/api/v1/children/${kids[child].id}/restrictions/${res.body.lineage_id}/review`, { decision: spec.review });
          assert.equal(reviewed.status, 200, reviewed.text);
        }
        if (spec.release) {
          const released = await c.lead.post(
            `/api/v1/children/${kids[child].id}/visibility/${res.body.lineage_id}/release`, { reason: spec.release });
          assert.equal(released.status, 200, released.text);
          assert.equal(released.body.released, true, 'the lead\'s own agency restricted it: shared at once');
        }
        if (spec.visible(type)) expectedFor[child].push(summary);
      }
    }
    for (const [title, body] of [[`Matrix ${child} team thread`, {}],
                                 [`Matrix ${child} shared thread`, { visibility: 'team_and_family' }]]) {
      const res = await c.lead.post(`/api/v1/children/${kids[child].id}/forum`,
                                    { category: 'progress', title, body: `${title} opening`, ...body });
      assert.equal(res.status, 201, res.text);
    }
  }
});

after(async () => {
  await server?.dispose();
});

const matrixSummaries = (entries, child) =>
  entries.map((e) => e.summary).filter((s) => s.startsWith(`Matrix ${child} `)).sort();

describe('the visibility matrix over the API', () => {
  // Which child each viewer may open on the family side: true = their page, false = 404.
  const FAMILY = {
    parent: { leo: true, mia: false },
    sibParent: { leo: false, mia: true },
    young: { leo: false, mia: true },
    stranger: { leo: false, mia: false },
  };
  for (const [viewer, access] of Object.entries(FAMILY)) {
    for (const child of ['leo', 'mia']) {
      test(`${viewer} on ${child}: ${access[child] ? 'exactly the family-visible entries' : 'nothing'}`, async () => {
        const res = await c[viewer].get(`/api/v1/family/children/${kids[child].id}`);
        if (!access[child]) {
          assert.equal(res.status, 404, res.text);
          assert.ok(!res.text.includes('Matrix'), 'a refusal carries nothing of the child');
          return;
        }
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(matrixSummaries(res.body.entries, child), [...expectedFor[child]].sort());
        assert.deepEqual(res.body.threads.map((t) => t.title), [`Matrix ${child} shared thread`]);
        assert.ok(!res.text.includes('restriction'), 'nothing of the team\'s restriction decisions');
        assert.ok(res.body.team.length > 0 && res.body.team.every((m) => m.agency_name !== undefined));
      });
    }
  }
  test('a team member sees every entry with its visibility, another practitioner nothing', async () => {
    const res = await c.team.get(`/api/v1/children/${kids.leo.id}/chronology`);
    assert.equal(res.status, 200);
    const mine = res.body.entries.filter((e) => e.summary.startsWith('Matrix leo '));
    assert.equal(mine.length, TYPES.length * Object.keys(HOW).length);
    const pending = mine.find((e) => e.summary === summaryOf('leo', 'home_visit', 'pending'));
    assert.deepEqual(pending.family_visibility,
                     { visibility: 'team', restriction_reason: 'risk_of_harm', restriction_text: '', review: 'pending' });
    const byDefault = mine.find((e) => e.summary === summaryOf('leo', 'police_call_out', 'default'));
    assert.deepEqual(byDefault.family_visibility,
                     { visibility: 'team', restriction_reason: null, restriction_text: '', review: 'none' });
    assert.equal((await c.other.get(`/api/v1/children/${kids.leo.id}/chronology`)).status, 403);
    assert.equal((await c.other.get(`/api/v1/family/children/${kids.leo.id}`)).status, 404);
  });
  test('family members cannot use the practitioners\' endpoints', async () => {
    assert.equal((await c.parent.get(`/api/v1/children/${kids.leo.id}/chronology`)).status, 403);
    assert.equal((await c.parent.get(`/api/v1/children/${kids.leo.id}/word-cloud`)).status, 403);
    assert.equal((await c.parent.post('/api/v1/search', { given_name: 'Leo', family_name: 'Carter',
                                                          reason: 'Looking' })).status, 403);
  });
});

describe('restrictions', () => {
  test('a restriction needs a reason from the list, and "other" needs a text', async () => {
    const base = { occurred_on: '2026-01-06', type: 'note', significance: 'routine', summary: 'Reasonless' };
    const url = `/api/v1/children/${kids.leo.id}/chronology`;
    let res = await c.lead.post(url, { ...base, visibility: 'team', restriction_text: 'No reason chosen' });
    assert.equal(res.status, 400);
    assert.equal(res.body.field, 'restriction_reason');
    res = await c.lead.post(url, { ...base, visibility: 'team', restriction_reason: 'other' });
    assert.equal(res.body.field, 'restriction_text');
    res = await c.lead.post(url, { ...base, visibility: 'team', restriction_reason: 'because' });
    assert.equal(res.body.field, 'restriction_reason');
  });
  test('the review list shows pending restrictions first; only the lead reviews; lifting in one click is gone',
       async () => {
    const list = await c.team.get(`/api/v1/children/${kids.leo.id}/restrictions`);
    assert.equal(list.status, 200);
    assert.equal(list.body.restrictions[0].review, 'pending');
    const target = list.body.restrictions.find((r) => r.review === 'pending');
    const byMember = await c.team.post(`/api/v1/children/${kids.leo.id}/restrictions/${target.subject_id}/review`,
                                       { decision: 'confirm' });
    assert.equal(byMember.status, 403);
    const lift = await c.lead.post(`/api/v1/children/${kids.leo.id}/restrictions/${target.subject_id}/review`,
                                   { decision: 'lift' });
    assert.equal(lift.status, 400, lift.text);
    assert.equal(lift.body.field, 'decision');
    assert.match(lift.body.detail, /release/);
  });
  test('a correction keeps the visibility unless it changes it', async () => {
    const res = await c.lead.post(`/api/v1/children/${kids.leo.id}/chronology`, {
      occurred_on: '2026-01-07', type: 'home_visit', significance: 'routine', summary: 'Kept shared',
      visibility: 'team_and_family',
    });
    const corrected = await c.lead.post(`/api/v1/children/${kids.leo.id}/chronology/${res.body.id}/corrections`,
                                        { summary: 'Kept shared (corrected)', reason: 'Spelling' });
    assert.equal(corrected.status, 201, corrected.text);
    assert.equal(corrected.body.family_visibility.visibility, 'team_and_family');
    const seen = await c.parent.get(`/api/v1/family/children/${kids.leo.id}`);
    assert.ok(seen.body.entries.some((e) => e.summary === 'Kept shared (corrected)' && e.corrected));
    const restricted = await c.lead.post(
      `/api/v1/children/${kids.leo.id}/chronology/${corrected.body.id}/corrections`,
      { summary: 'Now restricted', reason: 'Police asked', visibility: 'team', restriction_reason: 'police_investigation' });
    assert.equal(restricted.status, 201, restricted.text);
    const after = await c.parent.get(`/api/v1/family/children/${kids.leo.id}`);
    assert.ok(!after.text.includes('Now restricted') && !after.text.includes('Kept shared'));
  });
  test('a correction that makes a shared entry serious or sensitive holds it back', async () => {
    const url = `/api/v1/children/${kids.leo.id}/chronology`;
    for (const [change, label] of [[{ significance: 'serious' }, 'serious'], [{ type: 'incident' }, 'incident']]) {
      const res = await c.lead.post(url, { occurred_on: '2026-01-07', type: 'contact', significance: 'routine',
                                           summary: `Shared contact to become ${label}`, visibility: 'team_and_family' });
      assert.equal(res.status, 201, res.text);
      const corrected = await c.lead.post(`${url}/${res.body.id}/corrections`,
                                          { ...change, reason: 'It was more than a contact' });
      assert.equal(corrected.status, 201, corrected.text);
      assert.equal(corrected.body.family_visibility.visibility, 'team');
      const seen = await c.parent.get(`/api/v1/family/children/${kids.leo.id}`);
      assert.ok(!seen.text.includes(`to become ${label}`), `${label}: no longer on the family's page`);
    }
  });
  test('sharing something held back is never a visibility change: it is a release with a reason', async () => {
    const res = await c.lead.post(`/api/v1/children/${kids.leo.id}/chronology`, {
      occurred_on: '2026-01-07', type: 'note', significance: 'routine', summary: 'Held back note',
    });
    const put = await c.lead.put(`/api/v1/children/${kids.leo.id}/visibility/${res.body.id}`,
                                 { visibility: 'team_and_family' });
    assert.equal(put.status, 409, put.text);
    const correction = await c.lead.post(`/api/v1/children/${kids.leo.id}/chronology/${res.body.id}/corrections`,
                                         { reason: 'Share it', visibility: 'team_and_family' });
    assert.equal(correction.status, 409, correction.text);
    const bare = await c.lead.post(`/api/v1/children/${kids.leo.id}/visibility/${res.body.id}/release`, { reason: ' ' });
    assert.equal(bare.status, 400);
    assert.equal(bare.body.field, 'reason');
    assert.ok(!(await c.parent.get(`/api/v1/family/children/${kids.leo.id}`)).text.includes('Held back note'));
  });
});

describe('safe by default (issue 15)', () => {
  const leoUrl = () => `/api/v1/children/${kids.leo.id}/chronology`;
  const familySees = async (summary) =>
    (await c.parent.get(`/api/v1/family/children/${kids.leo.id}`)).body.entries.some((e) => e.summary === summary);

  test('the demo family sees only what was shared deliberately: no injury, police, third party or partner', async () => {
    const page = await c.parent.get(`/api/v1/family/children/${kids.leo.id}`);
    assert.equal(page.status, 200);
    for (const words of ['Pattern not typical of an accidental burn', 'Neighbour says', 'flinched',
                         'Police called by neighbour', 'Strategy discussion', 'Referral to children']) {
      assert.ok(!page.text.includes(words), `"${words}" is not on the family's page`);
    }
    assert.ok(page.body.entries.some((e) => e.summary === 'Health visitor 12-month development review'),
              'the routine entries the health visitor shared are');
    for (const m of page.body.team) assert.doesNotMatch(m.agency_email, /@A[A-Z]+\./, 'no agency code in an address');
  });

  test('each sensitive type, planted without a choice, never reaches the family; shared deliberately, it does',
       async () => {
    const admin = await administrator();
    for (const type of SENSITIVE) {
      const loosen = await admin.put('/api/v1/authority/family-settings', { defaults: { [type]: 'team_and_family' } });
      assert.equal(loosen.status, 400, `${type}: the floor cannot be loosened`);
      assert.equal(loosen.body.field, `defaults.${type}`);
    }
    const settings = await admin.get('/api/v1/authority/family-settings');
    assert.deepEqual([...settings.body.fixed].sort(), [...SENSITIVE, 'forum_thread'].sort());
    for (const type of SENSITIVE) assert.equal(settings.body.defaults[type], 'team');
    // An authority may share a routine type by default; the floor still holds serious ones back.
    assert.equal((await admin.put('/api/v1/authority/family-settings',
                                  { defaults: { home_visit: 'team_and_family' } })).status, 200);
    try {
      const planted = [];
      for (const type of [...SENSITIVE, 'home_visit']) {
        for (const significance of ['routine', 'serious']) {
          const summary = `Planted ${type} ${significance}`;
          const res = await c.police.post(leoUrl(), { occurred_on: '2026-01-08', type, significance, summary,
                                                      detail: 'The woman at number 12 saw it' });
          assert.equal(res.status, 201, res.text);
          planted.push({ summary, id: res.body.id, visible: type === 'home_visit' && significance === 'routine' });
        }
      }
      const page = await c.parent.get(`/api/v1/family/children/${kids.leo.id}`);
      for (const p of planted) {
        assert.equal(page.body.entries.some((e) => e.summary === p.summary), p.visible, p.summary);
      }
      const printable = await c.parent.get('/api/v1/family/export?format=html');
      for (const p of planted.filter((x) => !x.visible)) assert.ok(!printable.text.includes(p.summary));
      // Shared deliberately by the agency that recorded it, with a reason, the family sees it.
      const burn = planted.find((p) => p.summary === 'Planted hospital_attendance serious');
      const shared = await c.police.post(`/api/v1/children/${kids.leo.id}/visibility/${burn.id}/release`,
                                         { reason: 'Mother was told at the hospital' });
      assert.equal(shared.status, 200, shared.text);
      assert.equal(shared.body.released, true);
      assert.ok(await familySees(burn.summary));
    } finally {
      await admin.put('/api/v1/authority/family-settings', { defaults: { home_visit: 'team' } });
    }
  });

  test('a police restriction cannot be lifted by another agency alone', async () => {
    const summary = 'Police restricted call-out for the release test';
    const made = await c.police.post(leoUrl(), {
      occurred_on: '2026-01-09', type: 'police_call_out', significance: 'notable', summary,
      visibility: 'team', restriction_reason: 'police_investigation',
    });
    assert.equal(made.status, 201, made.text);
    const id = made.body.lineage_id;
    const at = `/api/v1/children/${kids.leo.id}/visibility/${id}`;
    assert.equal((await c.lead.put(at, { visibility: 'team_and_family' })).status, 409, 'not by a visibility change');
    const replace = await c.lead.put(at, { visibility: 'team', restriction_reason: 'other', restriction_text: 'Mine' });
    assert.equal(replace.status, 409, 'nor by replacing the police restriction with one of the lead\'s own');
    const list = await c.lead.get(`/api/v1/children/${kids.leo.id}/restrictions`);
    const row = list.body.restrictions.find((r) => r.subject_id === id);
    assert.deepEqual(row.agreement_needed, ['Northbrook Police Safeguarding Hub']);
    assert.equal(row.restriction_reason, 'police_investigation');

    const asked = await c.lead.post(`${at}/release`, { reason: 'Mother asked what the police recorded' });
    assert.equal(asked.status, 200, asked.text);
    assert.equal(asked.body.released, false);
    assert.deepEqual(asked.body.requests.map((r) => [r.agency_name, r.status]),
                     [['Northbrook Police Safeguarding Hub', 'pending']]);
    assert.equal(asked.body.visibility.visibility, 'team');
    assert.equal((await c.lead.post(`${at}/release`, { reason: 'Again' })).status, 409, 'one request at a time');
    assert.ok(!(await familySees(summary)), 'still hidden while the police decide');
    const police = await c.police.get('/api/v1/alerts');
    assert.ok(police.body.alerts.some((a) => a.kind === 'release_request' && a.summary.includes(summary)),
              'the officer is told');
    assert.equal((await c.team.post(`${at}/release/decision`, { decision: 'agree', reason: 'Fine by me' })).status, 404,
                 'the health visitor cannot agree for the police');
    const noReason = await c.police.post(`${at}/release/decision`, { decision: 'decline', reason: '' });
    assert.equal(noReason.status, 400);

    const declined = await c.police.post(`${at}/release/decision`,
                                         { decision: 'decline', reason: 'The investigation is still open' });
    assert.equal(declined.status, 200, declined.text);
    assert.equal(declined.body.released, false);
    assert.ok(!(await familySees(summary)));
    const lead = await c.lead.get('/api/v1/alerts');
    assert.ok(lead.body.alerts.some((a) => a.kind === 'release_declined' && a.summary.includes('still open')));

    const again = await c.lead.post(`${at}/release`, { reason: 'The investigation has closed' });
    assert.equal(again.status, 200, again.text);
    const agreed = await c.police.post(`${at}/release/decision`,
                                       { decision: 'agree', reason: 'Closed with no further action' });
    assert.equal(agreed.status, 200, agreed.text);
    assert.equal(agreed.body.released, true);
    assert.equal(agreed.body.visibility.review, 'lifted');
    assert.ok(await familySees(summary));
    const releases = await c.team.get(`/api/v1/children/${kids.leo.id}/family/releases`);
    const mine = releases.body.releases.filter((r) => r.subject_id === id);
    assert.deepEqual(mine.map((r) => [r.status, r.decision_reason]).sort(),
                     [['agreed', 'Closed with no further action'], ['declined', 'The investigation is still open']]);
    const audit = await c.lead.get(`/api/v1/children/${kids.leo.id}/audit?limit=1000`);
    const actions = audit.body.records.map((r) => r.action);
    for (const a of ['family.release', 'family.release_decline', 'family.release_agree']) {
      assert.ok(actions.includes(a), `${a} is audited`);
    }
  });

  test('third-party information restricted by one agency on another\'s entry needs both to agree', async () => {
    const summary = 'Health visitor note naming a neighbour';
    const made = await c.team.post(leoUrl(), { occurred_on: '2026-01-10', type: 'note', significance: 'routine',
                                               summary });
    assert.equal(made.status, 201, made.text);
    const at = `/api/v1/children/${kids.leo.id}/visibility/${made.body.lineage_id}`;
    const restricted = await c.lead.put(at, { visibility: 'team', restriction_reason: 'third_party' });
    assert.equal(restricted.status, 200, restricted.text);
    const asked = await c.police.post(`${at}/release`, { reason: 'Mother disputes it' });
    assert.deepEqual(asked.body.requests.map((r) => r.agency_name).sort(),
                     ['Northbrook Children\'s Services', 'Northbrook Health Visiting Team']);
    assert.equal((await c.team.post(`${at}/release/decision`, { decision: 'agree', reason: 'Our record' })).body.released,
                 false, 'one agency of two');
    assert.ok(!(await familySees(summary)));
    const done = await c.lead.post(`${at}/release/decision`, { decision: 'agree', reason: 'The neighbour agreed' });
    assert.equal(done.body.released, true);
    assert.ok(await familySees(summary));
  });
});

describe('the family\'s voice', () => {
  test('a disagreement reaches the team, the lead\'s alerts, the feed and the word cloud', async () => {
    const page = await c.parent.get(`/api/v1/family/children/${kids.leo.id}`);
    const shared = page.body.entries.find((e) => e.summary === summaryOf('leo', 'home_visit', 'shared'));
    // The feed is newest first and the test clock stands still: without a later time the entry
    // ties with the fifty items before it, and their random ids decide which are shown.
    await server.advance(1);
    const added = await c.parent.post(`/api/v1/family/children/${kids.leo.id}/entries`, {
      kind: 'disagreement', about_entry_id: shared.id,
      text: 'The bruise came from the trampoline at the park, and the nursery saw it happen.',
    });
    assert.equal(added.status, 201, added.text);
    assert.equal(added.body.about_entry_id, shared.lineage_id);
    assert.equal(added.body.about_kind, 'entry');
    const team = await c.team.get(`/api/v1/children/${kids.leo.id}/family/entries`);
    assert.ok(team.body.entries.some((e) => e.id === added.body.id && e.kind === 'disagreement'
                                            && e.relation === 'parent_carer'));
    const alerts = await c.lead.get('/api/v1/alerts');
    assert.ok(alerts.body.alerts.some((a) => a.kind === 'family_entry'));
    const feed = await c.team.get('/api/v1/feed?limit=50');
    assert.ok(feed.body.items.some((i) => i.kind === 'family_entry'));
    const cloud = await c.team.get(`/api/v1/children/${kids.leo.id}/word-cloud?n=200`);
    assert.ok(cloud.body.terms.some((t) => t.entry_ids.includes(added.body.id)), 'the family\'s words are in the cloud');
    const mine = await c.parent.get(`/api/v1/family/children/${kids.leo.id}`);
    assert.ok(mine.body.my_entries.some((e) => e.id === added.body.id));
  });
  test('a family member cannot answer a restricted entry or edit a practitioner\'s', async () => {
    const team = await c.team.get(`/api/v1/children/${kids.leo.id}/chronology`);
    const hidden = team.body.entries.find((e) => e.summary === summaryOf('leo', 'home_visit', 'pending'));
    const res = await c.parent.post(`/api/v1/family/children/${kids.leo.id}/entries`,
                                    { kind: 'response', about_entry_id: hidden.id, text: 'Guessing' });
    assert.equal(res.status, 400);
    assert.ok(!res.text.includes(hidden.summary));
    const edit = await c.parent.post(`/api/v1/children/${kids.leo.id}/chronology/${hidden.id}/corrections`,
                                     { summary: 'Changed by the family', reason: 'Mine now' });
    assert.equal(edit.status, 403);
  });
  test('a young person\'s words are not shown to their parent', async () => {
    const added = await c.young.post(`/api/v1/family/children/${kids.mia.id}/entries`,
                                     { kind: 'thoughts', text: 'I want to stay at my nan\'s at weekends.' });
    assert.equal(added.status, 201, added.text);
    const parent = await c.sibParent.get(`/api/v1/family/children/${kids.mia.id}`);
    assert.ok(!parent.text.includes('nan'));
  });
});

describe('downloads', () => {
  test('the family export holds what they may see and nothing restricted, as JSON and HTML', async () => {
    const json = await c.parent.get('/api/v1/family/export');
    assert.equal(json.status, 200);
    const leo = json.body.children.find((k) => k.child.child_id === kids.leo.id);
    assert.deepEqual(matrixSummaries(leo.entries, 'leo'), [...expectedFor.leo].sort());
    const html = await c.parent.get('/api/v1/family/export?format=html');
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-type'), /text\/html/);
    for (const type of TYPES) {
      for (const how of ['pending', 'confirmed']) {
        const hidden = summaryOf('leo', type, how);
        assert.ok(!json.text.includes(hidden) && !html.text.includes(hidden), `${hidden} is never exported`);
      }
    }
    assert.ok(html.text.includes(summaryOf('leo', 'home_visit', 'shared')));
  });
  test('a subject-access export (information governance) marks restricted parts for redaction review', async () => {
    const admin = await administrator();
    assert.equal((await admin.post(`/api/v1/children/${kids.leo.id}/subject-access`,
                                   { reason: 'SAR 2026/31 from the mother' })).status, 403);
    const ig = await governance();
    const res = await ig.post(`/api/v1/children/${kids.leo.id}/subject-access`, { reason: 'SAR 2026/31 from the mother' });
    assert.equal(res.status, 200, res.text);
    const pending = res.body.entries.find((e) => e.summary === summaryOf('leo', 'home_visit', 'pending'));
    assert.equal(pending.redaction_review, true);
    const shared = res.body.entries.find((e) => e.summary === summaryOf('leo', 'home_visit', 'shared'));
    assert.equal(shared.redaction_review, false);
  });
});

describe('the early help assessment and plan (issues 5 and 7)', () => {
  const CONTENT = {
    consent: { given_by: 'Tracey Carter, mother', given_on: '2025-06-01' },
    elements: [{ code: 'health', strengths: 'Registered with a GP', needs: 'Missed health reviews', family_view: '' }],
    child_view: 'I like nursery.',
    parents_view: 'Getting to appointments is hard.',
    conclusion: 'Support with health appointments.',
    agreed_needs: [{ text: 'Health reviews attended' }],
  };
  let base;
  let id;
  const familyView = async (who, child = kids.leo.id) => {
    const res = await c[who].get(`/api/v1/family/children/${child}`);
    return res.status === 200 ? res.body.early_help : res.status;
  };

  const share = async (child, assessment) => {
    const res = await c.lead.post(`/api/v1/children/${child}/visibility/${assessment}/release`,
                                  { reason: 'Completed with the family, who asked to see it online' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.released, true, 'shared by the lead professional\'s agency: at once');
  };

  test('a draft is never shown; a completed one only once shared, the version of record, with the plan', async () => {
    base = `/api/v1/children/${kids.leo.id}/early-help`;
    const started = await c.lead.post(base, { content: CONTENT });
    assert.equal(started.status, 201, started.text);
    id = started.body.id;
    assert.deepEqual(await familyView('parent'), [], 'nothing while the assessment is a draft');
    assert.equal((await c.lead.post(`${base}/${id}/complete`, {})).status, 200);
    assert.deepEqual(await familyView('parent'), [], 'completed, but nobody has shared it (ADR 0017)');
    await share(kids.leo.id, id);
    const today = new Date(await server.now()).toISOString().slice(0, 10);
    const meeting = await c.lead.post(`${base}/${id}/meetings`, {
      held_on: today, attendees: ['Tracey Carter, mother', 'A neighbour, friend'], decisions: 'Health visitor to help',
      actions: [{ description: 'Book the health review', owner_id: 'Uhv_bennett', due_on: '2099-01-01' }],
    });
    assert.equal(meeting.status, 201, meeting.text);
    // A new version's draft stays with the team until it is completed.
    assert.equal((await c.lead.post(`${base}/${id}/versions`, {})).status, 201);
    const edited = await c.lead.put(`${base}/${id}/draft`, { content: { ...CONTENT, conclusion: 'DRAFT CONCLUSION' } });
    assert.equal(edited.status, 200, edited.text);

    const [a] = await familyView('parent');
    assert.equal(a.id, id);
    assert.equal(a.version, 1);
    assert.equal(a.stage, 'plan');
    assert.equal(a.lead_professional_name, 'Sam Hughes');
    assert.equal(a.content.conclusion, 'Support with health appointments.');
    assert.deepEqual(a.meetings, [{ held_on: today, decisions: 'Health visitor to help' }]);
    assert.equal(a.actions.length, 1);
    assert.equal(a.actions[0].description, 'Book the health review');
    assert.ok(a.actions[0].owner_name.length > 0 && a.actions[0].owner_agency.length > 0);
    const page = await c.parent.get(`/api/v1/family/children/${kids.leo.id}`);
    assert.ok(!page.text.includes('DRAFT CONCLUSION'), 'never the draft');
    assert.ok(!page.text.includes('A neighbour'), 'never the attendee list');
    assert.ok(!page.text.includes('Uhv_bennett'), 'names, not user ids');
    for (const format of ['', '?format=html']) {
      const x = await c.parent.get(`/api/v1/family/export${format}`);
      assert.ok(x.text.includes('Support with health appointments.'), `in the download${format}`);
      assert.ok(!x.text.includes('DRAFT CONCLUSION'));
    }
  });

  test('only the family linked to the child: not a sibling\'s parent, the young person of another child', async () => {
    assert.equal(await familyView('sibParent'), 404);
    assert.equal(await familyView('young'), 404);
    assert.equal(await familyView('stranger'), 404);
    // The young person sees their own assessment.
    const mia = `/api/v1/children/${kids.mia.id}/early-help`;
    const started = await c.lead.post(mia, { content: CONTENT });
    assert.equal(started.status, 201, started.text);
    assert.equal((await c.lead.post(`${mia}/${started.body.id}/complete`, {})).status, 200);
    assert.deepEqual(await familyView('young', kids.mia.id), []);
    await share(kids.mia.id, started.body.id);
    assert.deepEqual((await familyView('young', kids.mia.id)).map((a) => a.id), [started.body.id]);
    assert.deepEqual((await familyView('parent')).map((a) => a.id), [id], 'Leo\'s parent: Leo\'s only');
  });

  test('the family adds its view on the assessment; the team sees it, family-authored, and is told', async () => {
    const at = `/api/v1/family/children/${kids.leo.id}/entries`;
    const view = await c.parent.post(at, { kind: 'disagreement', about_entry_id: id, text: 'We do go to appointments.' });
    assert.equal(view.status, 201, view.text);
    assert.equal(view.body.about_entry_id, id);
    const team = await c.team.get(`/api/v1/children/${kids.leo.id}/family/entries`);
    const seen = team.body.entries.find((e) => e.id === view.body.id);
    assert.equal(seen.about_entry_id, id);
    assert.equal(seen.about_kind, 'assessment');
    assert.equal(seen.kind, 'disagreement');
    const printable = await c.parent.get('/api/v1/family/export?format=html');
    assert.ok(printable.text.includes('I disagree with part of the early help assessment'), 'labelled as about the assessment');
    // The printable copy reads as plain English in UK local time, what the family added first
    // (issue 15): no UTC stamps or ISO dates, GMT or BST said.
    const text = printable.text;
    assert.match(text, /Downloaded by [^<]+ on \d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} \((GMT|BST)\)\./);
    assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}/, 'no ISO dates or UTC stamps');
    assert.match(text, /We do go to appointments\./);
    assert.match(text, /<strong>I disagree with part of the early help assessment<\/strong>, \d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} \((GMT|BST)\)/);
    const leoPart = text.slice(text.indexOf('<h2>Leo'));
    assert.ok(leoPart.indexOf('<h3>What you added</h3>') >= 0 &&
              leoPart.indexOf('<h3>What you added</h3>') < leoPart.indexOf('<h3>What the team has shared with you</h3>'),
              'what the family added comes first');
    assert.match(text, /completed \d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} \((GMT|BST)\)/, 'the assessment in UK time');
    const alerts = await c.lead.get('/api/v1/alerts');
    assert.ok(alerts.text.includes('added their view on the early help assessment'), alerts.text);
    // The locked version is unchanged: the family's words are theirs, beside it.
    const a = await c.lead.get(`/api/v1/children/${kids.leo.id}/early-help/${id}`);
    assert.ok(!JSON.stringify(a.body.versions).includes('We do go to appointments.'));
    // Not about an assessment of another child, nor one they cannot see.
    const miaOnes = await c.lead.get(`/api/v1/children/${kids.mia.id}/early-help`);
    const other = await c.parent.post(at, { kind: 'response', about_entry_id: miaOnes.body.assessments[0].id, text: 'x' });
    assert.equal(other.status, 400);
    assert.equal(other.body.field, 'about_entry_id');
    assert.equal((await c.stranger.post(at, { kind: 'response', about_entry_id: id, text: 'x' })).status, 404);
  });

  test('the team can restrict an assessment with a reason; the lead reviews it like any restriction', async () => {
    const at = `/api/v1/children/${kids.leo.id}/visibility/${id}`;
    const bare = await c.team.put(at, { visibility: 'team' });
    assert.equal(bare.status, 400, 'a restriction needs a reason');
    const restricted = await c.team.put(at, { visibility: 'team', restriction_reason: 'third_party' });
    assert.equal(restricted.status, 200, restricted.text);
    assert.equal(restricted.body.subject_kind, 'assessment');
    assert.deepEqual(await familyView('parent'), []);
    const answer = await c.parent.post(`/api/v1/family/children/${kids.leo.id}/entries`,
                                       { kind: 'response', about_entry_id: id, text: 'About a hidden one' });
    assert.equal(answer.status, 400, 'a restricted assessment cannot be answered');
    const x = await c.parent.get('/api/v1/family/export?format=html');
    assert.ok(!x.text.includes('Support with health appointments.'), 'nor in the download');
    const list = await c.lead.get(`/api/v1/children/${kids.leo.id}/restrictions`);
    const row = list.body.restrictions.find((r) => r.subject_id === id);
    assert.equal(row.title, 'Early help assessment');
    assert.equal(row.review, 'pending');
    // The subject-access export holds it whole, the draft too, marked for redaction review.
    const ig = await governance();
    const sar = async () => {
      const res = await ig.post(`/api/v1/children/${kids.leo.id}/subject-access`, { reason: 'SAR 2026/40 from the mother' });
      assert.equal(res.status, 200, res.text);
      return res.body.early_help.find((x) => x.assessment.id === id);
    };
    const held = await sar();
    assert.equal(held.redaction_review, true);
    assert.equal(held.family_visibility.restriction_reason, 'third_party');
    assert.deepEqual(held.assessment.versions.map((v) => v.locked), [true, false]);
    assert.equal(held.draft_version, 2);
    assert.equal(held.assessment.versions[1].content.conclusion, 'DRAFT CONCLUSION');
    assert.equal(held.assessment.meetings.length, 1);
    assert.equal(held.assessment.actions[0].description, 'Book the health review');
    // The health visitor restricted it, but the lead professional's agency holds the assessment:
    // sharing it again waits for social care's agreement.
    const asked = await c.team.post(`/api/v1/children/${kids.leo.id}/visibility/${id}/release`,
                                    { reason: 'The family helped write it' });
    assert.equal(asked.status, 200, asked.text);
    assert.equal(asked.body.released, false, 'the lead\'s agency must agree');
    assert.deepEqual(await familyView('parent'), []);
    const lifted = await c.lead.post(`/api/v1/children/${kids.leo.id}/visibility/${id}/release/decision`,
                                     { decision: 'agree', reason: 'Social care agrees' });
    assert.equal(lifted.status, 200, lifted.text);
    assert.equal(lifted.body.released, true);
    assert.deepEqual((await familyView('parent')).map((a) => a.id), [id]);
    const shared = await sar();
    assert.equal(shared.redaction_review, false);
    assert.equal(shared.family_visibility.review, 'lifted');
  });
});

describe('invitations and the identity check', () => {
  test('a wrong date of birth is refused and counted; five failures cancel the code', async () => {
    const inv = await invite(kids.leo.id);
    const anon = server.client();
    const attempt = (dob) => anon.post('/api/v1/family/redeem', {
      code: inv.code, child_date_of_birth: dob, postcode: kids.leo.postcode, username: 'wrong.guess',
      password: PASSWORD, display_name: 'Wrong',
    });
    for (let i = 0; i < 5; ++i) assert.equal((await attempt('2001-01-01')).status, 400);
    assert.equal((await attempt(kids.leo.dob)).status, 404, 'cancelled after five failures');
    const listed = await c.lead.get(`/api/v1/children/${kids.leo.id}/family/invitations`);
    const row = listed.body.invitations.find((x) => x.id === inv.id);
    assert.equal(row.status, 'cancelled');
    assert.equal(row.failed_checks, 5);
    assert.ok(!('code' in row), 'codes are never listed');
  });
  test('a young person is invited only from the authority\'s age', async () => {
    const res = await c.lead.post(`/api/v1/children/${kids.oscar.id}/family/invitations`,
                                  { relation: 'young_person', name: 'Oscar' });
    assert.equal(res.status, 400);
    assert.equal(res.body.field, 'relation');
  });
  // Last: moving the clock on ends every session.
  test('codes expire after fourteen days', async () => {
    const inv = await invite(kids.leo.id);
    await server.advance(15 * 24 * 3600);
    const res = await server.client().post('/api/v1/family/redeem', {
      code: inv.code, child_date_of_birth: kids.leo.dob, postcode: kids.leo.postcode, username: 'late.parent',
      password: PASSWORD, display_name: 'Late',
    });
    assert.equal(res.status, 404);
  });
});
