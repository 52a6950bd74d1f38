// Shielded children beyond the access table: overriding a shield (reason, time limit, alerts to the
// authority, review and early end, expiry by the test clock, re-authentication) and the alert when
// someone joins a shielded child's team. Ruby Nowak is the demo's shielded child (sw.taylor is her
// lead professional); teacher.ellis and pc.davies are not on her team; mgr.patel is a manager of
// the authority.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { DEMO_PASSWORD, KithServer, signedIn } from './harness.mjs';

const REASON = 'Ruby did not arrive at school and police need to reach her mother';
const SIGNPOST = { reason: 'Checking who to contact about Ruby' };

let server;
let ruby;
let leo;

before(async () => {
  server = await KithServer.start();
  const taylor = await signedIn(server, 'sw.taylor');
  const mine = (await taylor.get('/api/v1/me/children')).body.children;
  ruby = mine.find((k) => k.given_names === 'Ruby' && k.family_name === 'Nowak').child_id;
  const hughes = await signedIn(server, 'sw.hughes');
  leo = (await hughes.get('/api/v1/me/children')).body.children.find((k) => k.given_names === 'Leo').child_id;
});
after(async () => {
  await server?.dispose();
});

async function alertsOf(username, kind) {
  const c = await signedIn(server, username);
  const res = await c.get('/api/v1/alerts');
  assert.equal(res.status, 200, res.text);
  return res.body.alerts.filter((a) => a.kind === kind && a.child_id === ruby);
}

describe('overriding a shield', () => {
  test('shows the address and carers until the time limit, and alerts the managers and the lead', async () => {
    const teacher = await signedIn(server, 'teacher.ellis');
    const before = await teacher.post(`/api/v1/children/${ruby}/signposting`, SIGNPOST);
    assert.equal(before.status, 200);
    assert.equal(before.body.shielded, true);
    assert.equal(before.body.address, '');
    assert.deepEqual(before.body.carers, []);
    assert.equal(before.body.shield_override, null);
    // The services' agencies and the lead professional are withheld too; the broker is named.
    assert.equal(before.body.withheld, true);
    assert.equal(before.body.has_lead_professional, true);
    assert.equal(before.body.lead_professional, null);
    assert.deepEqual(before.body.services.map((v) => v.agency), [null, null]);
    assert.deepEqual(before.body.services.map((v) => v.agency_kind_name).sort(), ['GP practice', 'School']);
    assert.equal(before.body.contact_broker.name, "Northbrook Children's Services");
    assert.equal(before.body.contact_broker.phone, '01632 960100');
    assert.equal(before.body.contact_through, "Contact through Northbrook Children's Services");
    assert.doesNotMatch(before.text, /Chris Taylor|Surgery|Medical Centre|Health Centre|Primary School/);

    const granted = await teacher.post(`/api/v1/children/${ruby}/shield-override`,
                                       { reason_code: 'missing_child', reason: REASON, duration_hours: 2 });
    assert.equal(granted.status, 201, granted.text);
    const o = granted.body;
    assert.equal(o.child_name, 'Ruby Nowak');
    assert.equal(o.reason, REASON);
    assert.equal(o.active, true);
    assert.equal(Date.parse(o.ends_at) - Date.parse(o.starts_at), 2 * 3600 * 1000);
    assert.equal(o.reviewed_at, null);

    const during = await teacher.post(`/api/v1/children/${ruby}/signposting`, SIGNPOST);
    assert.equal(during.body.shield_override.id, o.id);
    assert.match(during.body.address, /Northbrook/);
    assert.notEqual(during.body.postcode, '');
    assert.equal(during.body.carers[0].phone, '07700 900555');
    assert.equal(during.body.withheld, false);
    assert.equal(during.body.lead_professional.display_name, 'Chris Taylor');
    assert.ok(during.body.services.every((v) => v.agency !== null));
    assert.equal(during.body.contact_through, "Contact through Northbrook Children's Services");

    // Nobody else sees it through this override.
    const police = await signedIn(server, 'pc.davies');
    assert.equal((await police.post(`/api/v1/children/${ruby}/signposting`, SIGNPOST)).body.address, '');

    for (const who of ['mgr.patel', 'sw.taylor']) {
      const alerts = await alertsOf(who, 'shield_override');
      assert.equal(alerts.length, 1, who);
      assert.match(alerts[0].summary, /Ruby Nowak/);
      assert.match(alerts[0].summary, /police need to reach her mother/);
    }
    assert.equal((await alertsOf('teacher.ellis', 'shield_override')).length, 0);

    await server.advance(2 * 3600);
    const again = await signedIn(server, 'teacher.ellis'); // the idle session has expired too
    const expired = await again.post(`/api/v1/children/${ruby}/signposting`, SIGNPOST);
    assert.equal(expired.body.shield_override, null);
    assert.equal(expired.body.withheld, true);
    assert.equal(expired.body.lead_professional, null);
    assert.equal(expired.body.address, '');
    assert.deepEqual(expired.body.carers, []);
  });

  test('bad requests are refused with the field named, and nothing is granted', async () => {
    const teacher = await signedIn(server, 'teacher.ellis');
    const cases = [
      [{ reason_code: 'curiosity', reason: REASON }, 'reason_code'],
      [{ reason_code: 'missing_child', reason: 'too short' }, 'reason'],
      [{ reason_code: 'missing_child', reason: REASON, duration_hours: 73 }, 'duration_hours'],
      [{ reason_code: 'missing_child', reason: REASON, duration_hours: 0 }, 'duration_hours'],
      [{ reason_code: 'missing_child', reason: REASON, colour: 'red' }, 'colour'],
    ];
    for (const [body, field] of cases) {
      const res = await teacher.post(`/api/v1/children/${ruby}/shield-override`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.field, field, JSON.stringify(body));
    }
    const after = await teacher.post(`/api/v1/children/${ruby}/signposting`, SIGNPOST);
    assert.equal(after.body.shield_override, null);
  });

  test('the team, children not shielded and roles without children are refused', async () => {
    const taylor = await signedIn(server, 'sw.taylor');
    const body = { reason_code: 'immediate_risk', reason: REASON };
    assert.equal((await taylor.post(`/api/v1/children/${ruby}/shield-override`, body)).status, 403);
    const teacher = await signedIn(server, 'teacher.ellis');
    const notShielded = await teacher.post(`/api/v1/children/${leo}/shield-override`, body);
    assert.equal(notShielded.status, 403);
    assert.match(notShielded.body.detail, /not shielded/);
    assert.equal((await teacher.post('/api/v1/children/KNOSUCHCHILD/shield-override', body)).status, 404);
    const auditor = await signedIn(server, 'auditor.clarke');
    assert.equal((await auditor.post(`/api/v1/children/${ruby}/shield-override`, body)).status, 403);
  });

  test('a session older than five minutes gives the password again', async () => {
    const police = await signedIn(server, 'pc.davies');
    await server.advance(6 * 60);
    const body = { reason_code: 'court_or_police_requirement', reason: REASON, duration_hours: 1 };
    const refused = await police.post(`/api/v1/children/${ruby}/shield-override`, body);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.field, 'password');
    const wrong = await police.post(`/api/v1/children/${ruby}/shield-override`, { ...body, password: 'not-the-one-1' });
    assert.equal(wrong.status, 401);
    const right = await police.post(`/api/v1/children/${ruby}/shield-override`, { ...body, password: DEMO_PASSWORD });
    assert.equal(right.status, 201, right.text);
    await server.advance(3600);
  });
});

describe('reviewing overrides', () => {
  test('a manager of the authority lists, reviews and ends an override; others cannot', async () => {
    const teacher = await signedIn(server, 'teacher.ellis');
    const granted = await teacher.post(`/api/v1/children/${ruby}/shield-override`,
                                       { reason_code: 'child_protection_enquiry', reason: REASON });
    assert.equal(granted.status, 201, granted.text);
    const id = granted.body.id;
    assert.equal(Date.parse(granted.body.ends_at) - Date.parse(granted.body.starts_at), 24 * 3600 * 1000);

    assert.equal((await teacher.get('/api/v1/shield-overrides')).status, 403);
    assert.equal((await teacher.post(`/api/v1/shield-overrides/${id}/review`,
                                     { note: 'Reviewing my own override' })).status, 403);

    const manager = await signedIn(server, 'mgr.patel');
    const list = await manager.get('/api/v1/shield-overrides');
    assert.equal(list.status, 200);
    const listed = list.body.overrides.find((x) => x.id === id);
    assert.equal(listed.active, true);
    assert.equal(listed.user_name, granted.body.user_name);
    // Overrides earlier in this file that nobody has reviewed are listed too, even if expired.
    assert.ok(list.body.overrides.some((x) => !x.active && x.reviewed_at === null));

    const short = await manager.post(`/api/v1/shield-overrides/${id}/review`, { note: 'ok' });
    assert.equal(short.status, 400);
    assert.equal(short.body.field, 'note');
    const reviewed = await manager.post(`/api/v1/shield-overrides/${id}/review`,
                                        { note: 'Spoke to the teacher: the enquiry is real' });
    assert.equal(reviewed.status, 200, reviewed.text);
    assert.equal(reviewed.body.active, true);
    assert.ok(reviewed.body.reviewed_by);
    assert.equal((await manager.post(`/api/v1/shield-overrides/${id}/review`,
                                     { note: 'A second review of the same' })).status, 409);

    const ended = await manager.post(`/api/v1/shield-overrides/${id}/review`,
                                     { note: 'Ruby is safe: access no longer needed', end: true });
    assert.equal(ended.status, 200, ended.text);
    assert.equal(ended.body.active, false);
    assert.ok(ended.body.ended_early_at);
    assert.equal((await manager.post(`/api/v1/shield-overrides/${id}/review`,
                                     { note: 'Ending it a second time', end: true })).status, 409);
    const hidden = await teacher.post(`/api/v1/children/${ruby}/signposting`, SIGNPOST);
    assert.equal(hidden.body.shield_override, null);
    assert.equal(hidden.body.address, '');

    assert.equal((await manager.post('/api/v1/shield-overrides/ONOSUCH/review',
                                     { note: 'Reviewing nothing at all' })).status, 404);
  });

  test('every act is on the child\'s audit trail', async () => {
    const taylor = await signedIn(server, 'sw.taylor');
    const res = await taylor.get(`/api/v1/children/${ruby}/audit?limit=200`);
    assert.equal(res.status, 200, res.text);
    const actions = new Set(res.body.records.map((r) => `${r.action}:${r.outcome}`));
    for (const a of ['shield.override:allowed', 'shield.override:denied', 'shield.override.review:allowed',
                     'shield.override.end:allowed']) {
      assert.ok(actions.has(a), a);
    }
  });
});

describe('joining a shielded child\'s team', () => {
  test('the join happens and the managers and the lead are told who joined and why', async () => {
    const teacher = await signedIn(server, 'teacher.ellis');
    const joined = await teacher.post(`/api/v1/children/${ruby}/team`,
                                      { role: 'Class teacher', reason: 'Ruby joins my class on Monday' });
    assert.equal(joined.status, 201, joined.text);
    for (const who of ['mgr.patel', 'sw.taylor']) {
      const alerts = await alertsOf(who, 'shielded_join');
      assert.equal(alerts.length, 1, who);
      assert.match(alerts[0].summary, /Class teacher/);
      assert.match(alerts[0].summary, /Ruby joins my class on Monday/);
    }
  });
});
