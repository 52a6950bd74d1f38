// Children and their teams beyond the access table: optimistic concurrency, shielding, the
// lead professional's handover and leaving a team.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { KithServer, leoCarterId, signedIn } from './harness.mjs';

let server;
let leo;
let hughes;

before(async () => {
  server = await KithServer.start();
  leo = await leoCarterId(server);
  hughes = await signedIn(server, 'sw.hughes');
});
after(async () => {
  await server?.dispose();
});

function editable(child) {
  const { id: _i, authority_id: _a, created_at: _c, updated_at: _u, ...fields } = child;
  return fields;
}

describe('the index record', () => {
  test('a practitioner adds a child and is on the new team with the stated reason', async () => {
    const res = await hughes.post('/api/v1/children', {
      given_names: ' Amelia ', family_name: 'Stone', date_of_birth: '2021-03-14', sex: 'female',
      postcode: 'sw1a1aa', nhs_number: '943 476 5919',
      carers: [{ name: 'Dana Stone', relationship: 'Mother', parental_responsibility: true }],
      services: [{ agency_id: 'AHV', description: 'Health visiting', start: '2021-03-20' }],
      reason: 'Referral from the health visitor',
    });
    assert.equal(res.status, 201);
    const { child, team, agencies, access } = res.body;
    assert.equal(child.given_names, 'Amelia', 'names are trimmed');
    assert.equal(child.postcode, 'SW1A 1AA', 'postcodes are normalised');
    assert.equal(child.nhs_number, '9434765919');
    assert.equal(child.authority_id, 'LNORTHBROOK000000');
    assert.equal(child.version, 1);
    assert.deepEqual(team.map((m) => [m.user_id, m.reason]), [['Usw_hughes', 'Referral from the health visitor']]);
    assert.deepEqual(agencies.map((a) => a.id), ['AHV']);
    assert.equal(access, 'team member');
  });

  test('invalid values are refused with the field named', async () => {
    const base = { given_names: 'Amy', family_name: 'Bell', reason: 'Referral from school nurse' };
    const cases = [
      [{ nhs_number: '1234567890' }, 'nhs_number'],
      [{ date_of_birth: '2099-01-01' }, 'date_of_birth'],
      [{ sex: 'unknown' }, 'sex'],
      [{ gp_agency_id: 'ANOSUCH' }, 'gp_agency_id'],
      [{ carers: [{ name: 'Jo' }] }, 'carers[0].relationship'],
      [{ reason: 'too short' }, 'reason'],
    ];
    for (const [extra, field] of cases) {
      const res = await hughes.post('/api/v1/children', { ...base, ...extra });
      assert.equal(res.status, 400, JSON.stringify(extra));
      assert.equal(res.body.field, field, JSON.stringify(extra));
    }
  });

  test('a stale version gets 409 and changes nothing', async () => {
    const current = (await hughes.get(`/api/v1/children/${leo}`)).body.child;
    const updated = await hughes.put(`/api/v1/children/${leo}`, { ...editable(current), upn: 'A123456789012' });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.child.version, current.version + 1);
    assert.equal(updated.body.child.upn, 'A123456789012');

    const stale = await hughes.put(`/api/v1/children/${leo}`, { ...editable(current), upn: '' });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.code, 'conflict');
    const now = (await hughes.get(`/api/v1/children/${leo}`)).body.child;
    assert.equal(now.version, current.version + 1);
    assert.equal(now.upn, 'A123456789012');
  });

  test('signposting names every practitioner on the team and how to reach them, never why they joined', async () => {
    const teacher = await signedIn(server, 'teacher.ellis');
    const team = (await hughes.get(`/api/v1/children/${leo}`)).body.team;
    assert.ok(team.length >= 2, 'Leo has a multi-agency team');
    const res = await teacher.post(`/api/v1/children/${leo}/signposting`, { reason: 'Checking a new pupil' });
    assert.equal(res.status, 200);
    assert.equal(res.body.withheld, false);
    assert.deepEqual(res.body.practitioners.map((m) => m.user_id).sort(), team.map((m) => m.user_id).sort());
    const hughesThere = res.body.practitioners.find((m) => m.display_name === 'Sam Hughes');
    assert.ok(hughesThere?.agency?.name, 'with their agency');
    assert.equal(res.body.lead_professional.user_id, team.find((m) => m.lead).user_id);
    for (const m of team) assert.ok(!res.text.includes(m.reason), 'no reason for joining is shown');
  });

  test('an unknown child is 404 for everyone who may ask', async () => {
    const teacher = await signedIn(server, 'teacher.ellis');
    assert.equal((await hughes.get('/api/v1/children/KNOSUCHCHILD')).status, 404);
    assert.equal((await teacher.post('/api/v1/children/KNOSUCHCHILD/signposting',
                                     { reason: 'Checking a new pupil' })).status, 404);
  });
});

describe('shielded children', () => {
  test('signposting withholds the location from everyone outside the team and names a contact', async () => {
    const created = await hughes.post('/api/v1/children', {
      given_names: 'Sky', family_name: 'Harbour', address: '1 Quiet Lane, Northbrook', postcode: 'SW1A 1AA',
      shielded: true, reason: 'Family moved here from a refuge',
    });
    assert.equal(created.status, 201);
    const id = created.body.child.id;

    const teacher = await signedIn(server, 'teacher.ellis');
    const outside = await teacher.post(`/api/v1/children/${id}/signposting`, { reason: 'New pupil starting Monday' });
    assert.equal(outside.status, 200);
    assert.equal(outside.body.shielded, true);
    assert.equal(outside.body.address, '');
    assert.equal(outside.body.postcode, '');
    assert.equal(outside.body.contact_broker?.kind, 'childrens_social_care');
    assert.equal(outside.body.contact_through, "Contact through Northbrook Children's Services");
    assert.equal(outside.body.withheld, true);
    assert.deepEqual(outside.body.practitioners, [], 'who works with the child is withheld too');
    assert.doesNotMatch(outside.text, /Quiet Lane/);

    const inside = await hughes.post(`/api/v1/children/${id}/signposting`, { reason: 'Checking the record' });
    assert.equal(inside.body.shielded, false, 'the team sees the location');
    assert.equal(inside.body.address, '1 Quiet Lane, Northbrook');
    assert.equal(inside.body.contact_broker, null);
    assert.equal(inside.body.contact_through, null);
    assert.equal(inside.body.withheld, false);
    assert.equal(inside.body.practitioners.length, 1);
  });
});

describe('the team around the child', () => {
  test('a manager sees the accounts their agency works on, and why', async () => {
    const manager = await signedIn(server, 'mgr.patel');
    const res = await manager.get(`/api/v1/children/${leo}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.access, 'manager of a team member');
    const police = await signedIn(server, 'ds.murphy'); // pc.davies's manager: police is on Leo's team too
    assert.equal((await police.get(`/api/v1/children/${leo}`)).status, 200);
  });

  test('joining needs a role and a reason, and shows on the account and in the caseload', async () => {
    const teacher = await signedIn(server, 'teacher.ellis');
    const noRole = await teacher.post(`/api/v1/children/${leo}/team`, { role: ' ', reason: 'Sibling is in my class' });
    assert.equal(noRole.status, 400);
    assert.equal(noRole.body.field, 'role');
    const asked = await teacher.post(`/api/v1/children/${leo}/team`,
                                     { role: 'Sibling\'s class teacher', reason: 'Sibling is in my class' });
    assert.equal(asked.status, 202, 'the school is not involved with Leo: the lead decides');
    const approved = await hughes.post(`/api/v1/children/${leo}/join-requests/${asked.body.id}/decision`,
                                       { approve: true, reason: 'Siblings: the school sees the family daily' });
    assert.equal(approved.status, 200, approved.text);
    const account = await teacher.get(`/api/v1/children/${leo}`);
    const me = account.body.team.find((m) => m.user_id === 'Uteacher_ellis');
    assert.equal(me.role, 'Sibling\'s class teacher');
    assert.equal(me.lead, false);
    const mine = await teacher.get('/api/v1/me/children');
    assert.ok(mine.body.children.some((k) => k.child_id === leo && k.my_role === 'Sibling\'s class teacher'));
    assert.equal((await teacher.post(`/api/v1/children/${leo}/team/leave`, { reason: 'Sibling changed school' }))
      .status, 204);
    assert.equal((await teacher.get(`/api/v1/children/${leo}`)).status, 403, 'leaving ends access');
  });

  test('the lead hands over before leaving; only the lead hands over', async () => {
    const refused = await hughes.post(`/api/v1/children/${leo}/team/leave`, { reason: 'Moving to another team' });
    assert.equal(refused.status, 409);
    const gp = await signedIn(server, 'gp.osei');
    const notLead = await gp.post(`/api/v1/children/${leo}/lead`, { user_id: 'Ugp_osei', reason: 'I will coordinate' });
    assert.equal(notLead.status, 403);
    const outsider = await hughes.post(`/api/v1/children/${leo}/lead`,
                                       { user_id: 'Uteacher_ellis', reason: 'Handing over the lead' });
    assert.equal(outsider.status, 404, 'the new lead must be on the team');

    const handed = await hughes.post(`/api/v1/children/${leo}/lead`, { user_id: 'Ugp_osei', reason: 'GP will coordinate' });
    assert.equal(handed.status, 200);
    assert.deepEqual(handed.body.team.filter((m) => m.lead).map((m) => m.user_id), ['Ugp_osei']);
    assert.equal((await hughes.post(`/api/v1/children/${leo}/team/leave`, { reason: 'Moving to another team' }))
      .status, 204);
    assert.equal((await gp.get(`/api/v1/children/${leo}/audit?limit=1`)).status, 200, 'the new lead reads the trail');
    assert.equal((await hughes.get(`/api/v1/children/${leo}/audit?limit=1`)).status, 403);
  });
});

test('the server stops cleanly on SIGTERM', async () => {
  await server.close();
});
