// The early help assessment (issue 7) over HTTP: the workflow from draft to closure, refused
// transitions, versions, the TAC plan, overdue actions alerting their owner and the lead
// professional (driven by the test clock), the chronology, signposting and the child's flag,
// the lead professional kept in step with the team, and the audit trail.
// The child is Leo Carter from the demo data (lead professional sw.hughes; hv.bennett is on his
// team; teacher.ellis is on no team).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { KithServer, leoCarterId, signedIn } from './harness.mjs';

let server;
let leo;
let hughes;
let bennett;
let base;
let today;

const DAY = 24 * 60 * 60;
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

const CONTENT = {
  consent: { given_by: 'Sarah Carter, mother' },
  elements: [
    { code: 'health', strengths: 'Registered with a GP', needs: 'Missed two health reviews', family_view: '' },
    { code: 'basic_care_safety', strengths: '', needs: 'Mornings are chaotic', family_view: 'Mum agrees' },
  ],
  child_view: 'I like the nursery garden.',
  parents_view: 'We need help getting to appointments.',
  conclusion: 'Support with routines and health appointments.',
  agreed_needs: [{ text: 'Health reviews attended' }, { text: 'A settled morning routine' }],
};

before(async () => {
  server = await KithServer.start();
  leo = await leoCarterId(server);
  hughes = await signedIn(server, 'sw.hughes');
  bennett = await signedIn(server, 'hv.bennett');
  base = `/api/v1/children/${leo}/early-help`;
  today = isoDay(await server.now() - DAY);  // yesterday in UTC is never in the future in the UK
});
after(async () => {
  await server?.dispose();
});

async function current() {
  const res = await hughes.get(base);
  assert.equal(res.status, 200, res.text);
  return res.body.assessments[0];
}

describe('the early help workflow', () => {
  let id;

  test('one source of truth: the record says no assessment until one starts, and cannot be told otherwise', async () => {
    const { child } = (await hughes.get(`/api/v1/children/${leo}`)).body;
    assert.equal(child.flags.early_help_assessment, false, 'Leo has no early help assessment in the demo');
    const { id: _i, authority_id: _a, created_at: _c, updated_at: _u, ...fields } = child;
    const res = await hughes.put(`/api/v1/children/${leo}`, { ...fields, flags: { ...fields.flags, early_help_assessment: true } });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.field, 'flags.early_help_assessment');
    assert.match(res.body.detail, /Early help tab/);
    const sign = await hughes.post(`/api/v1/children/${leo}/signposting`, { reason: 'Checking the early help status' });
    assert.equal(sign.status, 200, sign.text);
    assert.equal(sign.body.early_help_assessment, false);
  });

  test('an assessment starts in draft with the team lead as lead professional and sets the flag', async () => {
    const res = await hughes.post(base, { content: { consent: { given_by: 'Sarah Carter, mother' } } });
    assert.equal(res.status, 201, res.text);
    id = res.body.id;
    assert.equal(res.body.stage, 'draft');
    assert.equal(res.body.revision, 1);
    assert.equal(res.body.lead_professional.user_id, 'Usw_hughes');
    assert.equal(res.body.lead_professional.name, 'Sam Hughes');
    assert.deepEqual(res.body.versions.map((v) => [v.number, v.locked]), [[1, false]]);
    const child = await hughes.get(`/api/v1/children/${leo}`);
    assert.equal(child.body.child.flags.early_help_assessment, true);
    const again = await bennett.post(base, {});
    assert.equal(again.status, 409, 'one open assessment per child');
    assert.match(again.body.detail, /already has an open early help assessment/);
  });

  test('the element catalogue lists the CAF triangle', async () => {
    const res = await hughes.get(base);
    assert.equal(res.body.elements.length, 16);
    assert.deepEqual([...new Set(res.body.elements.map((e) => e.domain))],
                     ['development', 'parenting', 'family_environment']);
  });

  test('the draft is edited; incomplete content cannot be completed and says what is missing', async () => {
    const thin = await bennett.put(`${base}/${id}/draft`, { revision: 1, content: { ...CONTENT, consent: {} } });
    assert.equal(thin.status, 200, thin.text);
    const refused = await hughes.post(`${base}/${id}/complete`, {});
    assert.equal(refused.status, 400);
    assert.equal(refused.body.field, 'consent');
    const stale = await hughes.put(`${base}/${id}/draft`, { revision: 1, content: CONTENT });
    assert.equal(stale.status, 409, 'a stale revision is refused');
    const bad = await hughes.put(`${base}/${id}/draft`, { content: { elements: [{ code: 'astrology' }] } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'elements.code');
    const ok = await hughes.put(`${base}/${id}/draft`,
                                { revision: 2, content: { ...CONTENT, consent: { given_by: 'Sarah Carter', given_on: today } } });
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual(ok.body.versions[0].content.agreed_needs.map((n) => n.id), ['N1', 'N2']);
    assert.deepEqual(ok.body.versions[0].content.elements.map((e) => e.code), ['health', 'basic_care_safety']);
  });

  test('a TAC meeting before completion is refused', async () => {
    const res = await hughes.post(`${base}/${id}/meetings`, { held_on: today, attendees: ['Sam'], decisions: 'x' });
    assert.equal(res.status, 409);
    assert.match(res.body.detail, /complete and lock the assessment first/);
  });

  test('completing locks the version; a locked version cannot be edited', async () => {
    const res = await hughes.post(`${base}/${id}/complete`, {});
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.stage, 'completed');
    assert.equal(res.body.versions[0].locked, true);
    assert.equal(res.body.versions[0].completed_by.name, 'Sam Hughes');
    const edit = await hughes.put(`${base}/${id}/draft`, { content: CONTENT });
    assert.equal(edit.status, 409);
    assert.match(edit.body.detail, /start a new version/);
    const actions = await hughes.post(`${base}/${id}/actions`,
                                      { description: 'x', owner_id: 'Uhv_bennett', due_on: today });
    assert.equal(actions.status, 409, 'no plan before a TAC meeting');
  });

  test('a TAC meeting records attendees, decisions and actions owned by team members', async () => {
    const due = isoDay(Date.parse(today) + 7 * DAY * 1000);
    const outsider = await hughes.post(`${base}/${id}/meetings`, {
      held_on: today, attendees: ['Sam Hughes'], decisions: 'Weekly check-ins',
      actions: [{ description: 'Chart', owner_id: 'Uteacher_ellis', due_on: due }],
    });
    assert.equal(outsider.status, 400);
    assert.equal(outsider.body.field, 'owner_id');
    const res = await hughes.post(`${base}/${id}/meetings`, {
      held_on: today,
      attendees: ['Sam Hughes, social worker', 'Laura Bennett, health visitor', 'Sarah Carter, mother'],
      decisions: 'Health visitor to book and attend the next review with Sarah.',
      actions: [
        { description: 'Book the two-year review', owner_id: 'Uhv_bennett', due_on: due, need_id: 'N1' },
        { description: 'Morning routine chart with Sarah', owner_id: 'Usw_hughes', due_on: due, need_id: 'N2' },
      ],
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.stage, 'plan');
    assert.equal(res.body.meetings.length, 1);
    assert.deepEqual(res.body.actions.map((a) => [a.owner.user_id, a.status, a.overdue, a.meeting_id]),
                     [['Uhv_bennett', 'not_started', false, res.body.meetings[0].id],
                      ['Usw_hughes', 'not_started', false, res.body.meetings[0].id]]);
  });

  test('key events are in the chronology', async () => {
    const res = await hughes.get(`/api/v1/children/${leo}/chronology`);
    const summaries = res.body.entries.map((e) => e.summary);
    assert.ok(summaries.some((s) => /^Early help assessment started; lead professional Sam Hughes/.test(s)), summaries.join('\n'));
    assert.ok(summaries.includes('Early help assessment completed and locked (version 1)'));
    assert.ok(summaries.includes('Team Around the Child meeting: 3 attended, 2 actions agreed'));
    const meeting = res.body.entries.find((e) => e.summary.startsWith('Team Around the Child'));
    assert.equal(meeting.type, 'meeting');
    assert.match(meeting.detail, /Book the two-year review/);
  });

  test('signposting shows that an assessment exists and who the lead professional is', async () => {
    const ellis = await signedIn(server, 'teacher.ellis');
    const res = await ellis.post(`/api/v1/children/${leo}/signposting`, { reason: 'Checking who is involved for a referral' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.early_help_assessment, true);
    assert.equal(res.body.lead_professional.user_id, 'Usw_hughes');
    const read = await ellis.get(base);
    assert.equal(read.status, 403, 'only the team reads the assessment');
    assert.match(read.body.detail, /Only the team around the child/);
  });

  test('a review needs progress on every agreed need', async () => {
    const partial = await bennett.post(`${base}/${id}/reviews`, {
      held_on: today, progress: [{ need_id: 'N1', progress: 'met' }],
    });
    assert.equal(partial.status, 400);
    assert.match(partial.body.detail, /A settled morning routine/);
    const res = await bennett.post(`${base}/${id}/reviews`, {
      held_on: today, summary: 'Good start',
      progress: [{ need_id: 'N1', progress: 'met', note: 'Review booked' }, { need_id: 'N2', progress: 'some_progress' }],
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.stage, 'review');
    assert.equal(res.body.reviews[0].version_reviewed, 1);
    const chronology = await hughes.get(`/api/v1/children/${leo}/chronology`);
    assert.ok(chronology.body.entries.some((e) => e.summary === 'Early help review: 1 of 2 needs met'));
  });

  test('a new version is a draft copy; the locked one stays of record until it is completed', async () => {
    const opened = await hughes.post(`${base}/${id}/versions`, {});
    assert.equal(opened.status, 201, opened.text);
    assert.deepEqual(opened.body.versions.map((v) => [v.number, v.locked]), [[1, true], [2, false]]);
    const again = await hughes.post(`${base}/${id}/versions`, {});
    assert.equal(again.status, 409);
    const close = await hughes.post(`${base}/${id}/close`, { outcome: 'needs_met', summary: 'Done' });
    assert.equal(close.status, 409, 'not while a draft is open');
    const content = opened.body.versions[1].content;
    content.agreed_needs.push({ text: 'Nursery attendance' });
    const edited = await hughes.put(`${base}/${id}/draft`, { revision: opened.body.revision, content });
    assert.equal(edited.status, 200, edited.text);
    assert.equal(edited.body.versions[0].content.agreed_needs.length, 2, 'version 1 is unchanged');
    assert.equal(edited.body.versions[1].content.agreed_needs[2].id, 'N3');
    const done = await hughes.post(`${base}/${id}/complete`, { revision: edited.body.revision });
    assert.equal(done.status, 200, done.text);
    assert.equal(done.body.versions[1].locked, true);
  });

  test('action status changes', async () => {
    const a = await current();
    const chart = a.actions.find((x) => x.owner.user_id === 'Usw_hughes');
    const res = await hughes.put(`${base}/${id}/actions/${chart.id}/status`, { status: 'in_progress' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.actions.find((x) => x.id === chart.id).status, 'in_progress');
    const bad = await hughes.put(`${base}/${id}/actions/${chart.id}/status`, { status: 'finished' });
    assert.equal(bad.status, 400);
    const none = await hughes.put(`${base}/${id}/actions/X-none/status`, { status: 'done' });
    assert.equal(none.status, 404);
    const added = await bennett.post(`${base}/${id}/actions`,
                                     { description: 'Nursery visit', owner_id: 'Uhv_bennett',
                                       due_on: isoDay(Date.parse(today) + 30 * DAY * 1000), need_id: 'N3' });
    assert.equal(added.status, 201, added.text);
    assert.equal(added.body.actions.length, 3);
  });

  test('overdue actions alert their owner and the lead professional once', async () => {
    await server.advance(9 * DAY);
    hughes = await signedIn(server, 'sw.hughes');
    bennett = await signedIn(server, 'hv.bennett');
    const a = await current();
    const overdue = a.actions.filter((x) => x.overdue).map((x) => x.description).sort();
    assert.deepEqual(overdue, ['Book the two-year review', 'Morning routine chart with Sarah']);
    const mine = (await bennett.get('/api/v1/alerts')).body.alerts.filter((x) => x.kind === 'overdue_action');
    assert.deepEqual(mine.map((x) => x.summary),
                     [`Overdue early help action: Book the two-year review (was due ${a.actions[0].due_on})`]);
    const lead = (await hughes.get('/api/v1/alerts')).body.alerts.filter((x) => x.kind === 'overdue_action');
    assert.equal(lead.length, 2, 'the lead hears of both (one alert for the action they own)');
    await current();  // reading again does not alert again
    assert.equal((await hughes.get('/api/v1/alerts')).body.alerts.filter((x) => x.kind === 'overdue_action').length, 2);
  });

  test('handing over on the assessment moves the team lead, and a team handover moves the assessment', async () => {
    const refused = await bennett.post(`${base}/${id}/lead`, { user_id: 'Uhv_bennett', reason: 'Taking over the plan' });
    assert.equal(refused.status, 403, 'only the current lead hands over');
    const res = await hughes.post(`${base}/${id}/lead`, { user_id: 'Uhv_bennett', reason: 'Health visitor leads the plan now' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.lead_professional.user_id, 'Uhv_bennett');
    const team = (await hughes.get(`/api/v1/children/${leo}`)).body.team;
    assert.deepEqual(team.filter((m) => m.lead).map((m) => m.user_id), ['Uhv_bennett']);
    const back = await bennett.post(`/api/v1/children/${leo}/lead`, { user_id: 'Usw_hughes', reason: 'Handing the role back' });
    assert.equal(back.status, 200, back.text);
    const a = await current();
    assert.equal(a.lead_professional.user_id, 'Usw_hughes');
    assert.deepEqual(a.lead_history.map((l) => [l.lead.user_id, l.reason]),
                     [['Usw_hughes', 'designated when the assessment started'],
                      ['Uhv_bennett', 'Health visitor leads the plan now'],
                      ['Usw_hughes', 'Handing the role back']]);
  });

  test('the flag cannot be cleared on the record while the assessment is open', async () => {
    const { child } = (await hughes.get(`/api/v1/children/${leo}`)).body;
    const { id: _i, authority_id: _a, created_at: _c, updated_at: _u, ...fields } = child;
    const res = await hughes.put(`/api/v1/children/${leo}`, { ...fields, flags: { ...fields.flags, early_help_assessment: false } });
    assert.equal(res.status, 400);
    assert.equal(res.body.field, 'flags.early_help_assessment');
  });

  test('closing records the outcome, clears the flag and ends the workflow', async () => {
    const bad = await hughes.post(`${base}/${id}/close`, { outcome: 'finished', summary: 'x' });
    assert.equal(bad.status, 400);
    const res = await hughes.post(`${base}/${id}/close`, { outcome: 'stepped_down', summary: 'Needs met by universal services' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.stage, 'closed');
    assert.equal(res.body.outcome_label, 'stepped down to universal services');
    assert.ok(res.body.actions.every((x) => !x.overdue), 'a closed plan has nothing overdue');
    const child = await hughes.get(`/api/v1/children/${leo}`);
    assert.equal(child.body.child.flags.early_help_assessment, false);
    for (const [path, body] of [[`${base}/${id}/meetings`, { held_on: today, attendees: ['A'], decisions: 'B' }],
                                [`${base}/${id}/versions`, {}],
                                [`${base}/${id}/close`, { outcome: 'needs_met', summary: 'Again' }]]) {
      const again = await hughes.post(path, body);
      assert.equal(again.status, 409, path);
      assert.match(again.body.detail, /it is closed/);
    }
    const chronology = await hughes.get(`/api/v1/children/${leo}/chronology`);
    assert.ok(chronology.body.entries.some((e) => e.summary === 'Early help closed: stepped down to universal services'));
    const fresh = await hughes.post(base, {});
    assert.equal(fresh.status, 201, 'a new assessment may start once the last is closed');
  });

  test('reads, changes and refusals are in the audit trail', async () => {
    const res = await hughes.get(`/api/v1/children/${leo}/audit?limit=200`);
    const actions = new Set(res.body.records.map((r) => `${r.action}:${r.outcome}`));
    for (const a of ['early_help.start:allowed', 'early_help.list:allowed', 'early_help.complete:allowed',
                     'early_help.complete:failed', 'early_help.meeting:allowed', 'early_help.review:allowed',
                     'early_help.close:allowed', 'early_help.handover:allowed', 'early_help.list:denied',
                     'early_help.overdue_alert:allowed']) {
      assert.ok(actions.has(a), `${a} in ${[...actions].join(' ')}`);
    }
  });
});

describe('unknown and foreign assessments', () => {
  test('an assessment is only found under its own child', async () => {
    const other = await hughes.post('/api/v1/children', { given_names: 'Ava', family_name: 'Stone',
                                                           reason: 'Referral from the health visitor' });
    assert.equal(other.status, 201, other.text);
    const a = await current();
    const res = await hughes.get(`/api/v1/children/${other.body.child.id}/early-help/${a.id}`);
    assert.equal(res.status, 404);
    const none = await hughes.get(`${base}/Hnone`);
    assert.equal(none.status, 404);
  });
});
