// Issue 14's reproductions, each as a regression test named after it: what an attacker or an
// auditor found against the demo authority, and must never work again. The access matrix
// (access_matrix.test.mjs) holds the rules in general; these are the exact holes.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { KithServer, signedIn } from './harness.mjs';

const REASON = 'Checking the record before a strategy meeting';

let server;
let leo;
let ruby;
let admin;

before(async () => {
  server = await KithServer.start();
  const hughes = await signedIn(server, 'sw.hughes');
  leo = (await hughes.get('/api/v1/me/children')).body.children.find((k) => k.given_names === 'Leo').child_id;
  const taylor = await signedIn(server, 'sw.taylor');
  ruby = (await taylor.get('/api/v1/me/children')).body.children.find((k) => k.given_names === 'Ruby').child_id;
  admin = server.client();
  assert.equal((await admin.signIn('admin.lee')).body.state, 'enrolment_required');
  await admin.enrol();
});
after(async () => {
  await server?.dispose();
});

// Changes fields of a child's record as `who`, and answers the record as stored.
async function putChild(who, child, fields) {
  const { version } = (await who.get(`/api/v1/children/${child}`)).body.child;
  const res = await who.put(`/api/v1/children/${child}`, { version, ...fields });
  assert.equal(res.status, 200, res.text);
  return res.body.child;
}

async function alertsOf(username, kind, password = undefined) {
  const c = await signedIn(server, username, password);
  const res = await c.get('/api/v1/alerts');
  assert.equal(res.status, 200, res.text);
  return res.body.alerts.filter((a) => a.kind === kind);
}

describe('1. self-service access', () => {
  test('Issue14_1_AnyPractitionerCouldJoinAnyChildsTeamAndReadTheCaseFile', async () => {
    // teacher.ellis's school has nothing to do with Leo (a toddler): the request waits.
    const teacher = await signedIn(server, 'teacher.ellis');
    const asked = await teacher.post(`/api/v1/children/${leo}/team`, { role: 'Class teacher', reason: REASON });
    assert.equal(asked.status, 202, asked.text);
    assert.equal(asked.body.status, 'pending');
    for (const path of ['', '/chronology', '/forum', '/wheel', '/early-help', '/summary']) {
      assert.equal((await teacher.get(`/api/v1/children/${leo}${path}`)).status, 403, path);
    }
    // The lead professional is asked, with the reason; declining leaves the teacher outside.
    const lead = await alertsOf('sw.hughes', 'join_request');
    assert.ok(lead.some((a) => a.summary.includes(REASON)), JSON.stringify(lead));
    const hughes = await signedIn(server, 'sw.hughes');
    const declined = await hughes.post(`/api/v1/children/${leo}/join-requests/${asked.body.id}/decision`,
                                       { approve: false, reason: 'Leo is not at this school' });
    assert.equal(declined.status, 200, declined.text);
    assert.equal((await teacher.get(`/api/v1/children/${leo}`)).status, 403);
    assert.equal((await alertsOf('teacher.ellis', 'join_declined')).length, 1);
  });
});

describe('2. administrators read case content', () => {
  test('Issue14_2_AnAdministratorGotTheFullCaseFileThroughSubjectAccess', async () => {
    const res = await admin.post(`/api/v1/children/${leo}/subject-access`, { reason: 'Subject access request SAR-1' });
    assert.equal(res.status, 403, res.text);
    assert.doesNotMatch(res.text, /chronology|entries/);
  });

  test('Issue14_2_AnAdministratorChangedTheirOwnRoleToManager', async () => {
    const me = (await admin.get('/api/v1/session')).body.user;
    const res = await admin.patch(`/api/v1/users/${me.id}`, { version: me.version, role: 'manager' });
    assert.equal(res.status, 403, res.text);
    assert.equal((await admin.get(`/api/v1/users/${me.id}`)).body.role, 'authority_admin');
    const grant = await admin.patch(`/api/v1/users/${me.id}`, { version: me.version, information_governance: true });
    assert.equal(grant.status, 403, grant.text);
  });

  test('Issue14_2_AnAdministratorSetAPractitionersPasswordAndResetTheirSecondFactorUnseen', async () => {
    const target = (await admin.get('/api/v1/users/Uyw_ali')).body;
    const res = await admin.patch('/api/v1/users/Uyw_ali',
                                  { version: target.version, password: 'Quarry-lantern-thistle-77' });
    assert.equal(res.status, 200, res.text);
    // The practitioner and the authority's auditor are told who did it.
    for (const [who, password] of [['yw.ali', 'Quarry-lantern-thistle-77'], ['auditor.clarke', undefined]]) {
      const alerts = await alertsOf(who, 'account_change', password);
      assert.ok(alerts.some((a) => /password set/.test(a.summary) && /Ali/.test(a.summary)), `${who}: ${JSON.stringify(alerts)}`);
      assert.equal(alerts[0].child_id, '');
    }
  });

  test('Issue14_2_AnAdministratorCouldMakeAnAccountInAnInvolvedAgencyUnseen', async () => {
    // Children's social care is involved with Leo, so a new social worker joins his team at once:
    // the new account is alerted to the authority's auditors (and other administrators).
    const made = await admin.post('/api/v1/users', {
      username: 'sw.new', display_name: 'Sol New', job_title: 'Social worker', role: 'practitioner',
      agency_id: 'ACSC', password: 'Bramble-harbour-copper-58',
    });
    assert.equal(made.status, 201, made.text);
    const alerts = await alertsOf('auditor.clarke', 'account_change');
    assert.ok(alerts.some((a) => /new practitioner account/.test(a.summary) && /sw\.new/.test(a.summary)),
              JSON.stringify(alerts));
  });
});

describe('3. shields that leak', () => {
  test('Issue14_3_APutWithoutTheShieldedFieldRemovedTheShield', async () => {
    const taylor = await signedIn(server, 'sw.taylor');
    const before = (await taylor.get(`/api/v1/children/${ruby}`)).body.child;
    assert.equal(before.shielded, true);
    const put = await taylor.put(`/api/v1/children/${ruby}`, { version: before.version, given_names: before.given_names });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.child.shielded, true);
    assert.equal(put.body.child.address, before.address);  // an omitted field keeps its value
    // Sending shielded: false in an update is refused: removing a shield is its own act.
    const sneaky = await taylor.put(`/api/v1/children/${ruby}`, { version: put.body.child.version, shielded: false });
    assert.equal(sneaky.status, 400);
    assert.equal(sneaky.body.field, 'shielded');
    assert.equal((await taylor.get(`/api/v1/children/${ruby}`)).body.child.shielded, true);
  });

  test('Issue14_3_AManagerSupervisingATeamMemberReadAShieldedChildsAddress', async () => {
    const manager = await signedIn(server, 'mgr.patel');
    const account = await manager.get(`/api/v1/children/${ruby}`);
    assert.equal(account.status, 403, account.text);
    assert.doesNotMatch(account.text, /Nowak.*Road|07700/);
    // Supervision of an unshielded child still works.
    assert.equal((await manager.get(`/api/v1/children/${leo}`)).status, 200);
  });

  test('Issue14_3_RemovingAShieldIsAnExplicitActWithAReasonAuditedAndAlerted', async () => {
    const hughes = await signedIn(server, 'sw.hughes');
    const set = await hughes.post(`/api/v1/children/${leo}/shield`,
                                  { shielded: true, reason: 'Mother and Leo moved to a refuge today' });
    assert.equal(set.status, 200, set.text);
    assert.equal(set.body.child.shielded, true);
    // The family portal of a child shielded after the family was linked names no agency.
    const mother = await signedIn(server, 'tracey.carter');
    const portal = await mother.get(`/api/v1/family/children/${leo}`);
    assert.equal(portal.status, 200, portal.text);
    assert.deepEqual(portal.body.team, []);
    assert.match(portal.body.contact_through, /Contact through/);
    assert.ok(portal.body.entries.every((e) => e.agency_name === ''), 'no agency named on entries');
    const removed = await hughes.post(`/api/v1/children/${leo}/shield`,
                                      { shielded: false, reason: 'Risk assessed at the strategy meeting' });
    assert.equal(removed.status, 200, removed.text);
    assert.equal((await hughes.post(`/api/v1/children/${leo}/shield`, { shielded: false, reason: REASON })).status,
                 409);
    const managerAlerts = await alertsOf('mgr.patel', 'shield_removed');
    assert.ok(managerAlerts.some((a) => /Risk assessed at the strategy meeting/.test(a.summary)));
    const trail = await hughes.get(`/api/v1/children/${leo}/audit?limit=50`);
    const actions = trail.body.records.map((r) => `${r.action}:${r.reason}`);
    assert.ok(actions.includes('child.shield:Mother and Leo moved to a refuge today'), actions.join('\n'));
    assert.ok(actions.includes('child.unshield:Risk assessed at the strategy meeting'), actions.join('\n'));
  });
});

// The security review of the first landing (docs/access.md, "Review findings"): holes where two
// rules met.
describe('review of the access core', () => {
  test('Review_AnAdministratorMovedATeacherIntoTheChildsGpPracticeAndTheyJoinedUnseen', async () => {
    const made = await admin.post('/api/v1/users', {
      username: 'teacher.moved', display_name: 'Mo Ved', job_title: 'Teacher', role: 'practitioner',
      agency_id: 'ASN', password: 'Lantern-thistle-quarry-61',
    });
    assert.equal(made.status, 201, made.text);
    const moved = await admin.patch(`/api/v1/users/${made.body.id}`, { version: made.body.version, agency_id: 'AGPBROOK' });
    assert.equal(moved.status, 200, moved.text);
    const told = await alertsOf('auditor.clarke', 'account_change');
    assert.ok(told.some((a) => /agency changed from .* to Brook Lane Surgery/.test(a.summary)), JSON.stringify(told));
    // The GP practice is involved with Leo: joining is at once, and the lead professional is told.
    const mover = await signedIn(server, 'teacher.moved', 'Lantern-thistle-quarry-61');
    const joined = await mover.post(`/api/v1/children/${leo}/team`, { role: 'Practice nurse', reason: REASON });
    assert.equal(joined.status, 201, joined.text);
    const lead = await alertsOf('sw.hughes', 'team_joined');
    assert.ok(lead.some((a) => /Mo Ved/.test(a.summary) && a.summary.includes(REASON)), JSON.stringify(lead));
  });

  test('Review_ALeadWhoBecameAnAdministratorStayedOnTheTeam', async () => {
    const made = await admin.post('/api/v1/users', {
      username: 'sw.later.admin', display_name: 'Lee Later', job_title: 'Social worker', role: 'practitioner',
      agency_id: 'ACSC', password: 'Harbour-bramble-copper-63',
    });
    assert.equal(made.status, 201, made.text);
    const sw = await signedIn(server, 'sw.later.admin', 'Harbour-bramble-copper-63');
    assert.equal((await sw.post(`/api/v1/children/${leo}/team`, { role: 'Social worker', reason: REASON })).status, 201);
    const hughes = await signedIn(server, 'sw.hughes');
    const onTeam = async () => (await hughes.get(`/api/v1/children/${leo}`)).body.team
      .some((m) => m.user_id === made.body.id);
    assert.ok(await onTeam());
    const changed = await admin.patch(`/api/v1/users/${made.body.id}`,
                                      { version: made.body.version, role: 'authority_admin' });
    assert.equal(changed.status, 200, changed.text);
    assert.ok(!(await onTeam()), 'an administrator is on no child\'s team');
  });

  test('Review_AnAdministratorReinstatedAParentTheTeamHadSuspended', async () => {
    const hughes = await signedIn(server, 'sw.hughes');
    const members = (await hughes.get(`/api/v1/children/${leo}/family/members`)).body.members;
    const tracey = members.find((m) => m.username === 'tracey.carter');
    assert.ok(tracey, JSON.stringify(members));
    const suspended = await hughes.post(`/api/v1/children/${leo}/family/members/${tracey.user_id}/suspend`,
                                        { reason: 'Threats made to the health visitor' });
    assert.equal(suspended.status, 200, suspended.text);
    const user = (await admin.get(`/api/v1/users/${tracey.user_id}`)).body;
    for (const change of [{ active: true }, { password: 'Meadow-copper-willow-59' }]) {
      const res = await admin.patch(`/api/v1/users/${tracey.user_id}`, { version: user.version, ...change });
      assert.equal(res.status, 403, `${JSON.stringify(change)}: ${res.text}`);
    }
    const viaChild = await admin.post(`/api/v1/children/${leo}/family/members/${tracey.user_id}/reinstate`,
                                      { reason: 'Asked to by the mother' });
    assert.equal(viaChild.status, 403, viaChild.text);
    // The team lets her back in.
    const back = await hughes.post(`/api/v1/children/${leo}/family/members/${tracey.user_id}/reinstate`,
                                   { reason: 'Reviewed at the strategy meeting' });
    assert.equal(back.status, 200, back.text);
  });
  test('Review_AnAdministratorMadeAnAgencyTheDutyTeamUnseenAndWipedItsContacts', async () => {
    const youth = { name: 'Northbrook Youth Service', kind: 'youth_service', phone: '01632 960702',
                    email: 'safeguarding@AYOUTH.northbrook.example', address: 'Northbrook' };
    const { phone: _phone, ...withoutPhone } = youth;
    const partial = await admin.put('/api/v1/agencies/AYOUTH', withoutPhone);
    assert.equal(partial.status, 400, partial.text);
    assert.equal(partial.body.field, 'phone');
    const duty = await admin.put('/api/v1/agencies/AYOUTH', { ...youth, kind: 'childrens_social_care' });
    assert.equal(duty.status, 200, duty.text);
    assert.equal(duty.body.phone, '01632 960702');
    for (const who of ['auditor.clarke', 'mgr.patel']) {
      const told = await alertsOf(who, 'agency_change');
      assert.ok(told.some((a) => /Northbrook Youth Service changed from youth_service to childrens_social_care/.test(a.summary)),
                `${who}: ${JSON.stringify(told)}`);
    }
    assert.equal((await admin.put('/api/v1/agencies/AYOUTH', youth)).status, 200);
  });

  // Editing the record is every team member's; joining at once is an involved agency's. A team
  // member who names another agency as involved must not open the team to its staff unseen.
  test('Review_ATeamMemberNamedASchoolAndItsTeacherJoinedAtOnce', async () => {
    const bennett = await signedIn(server, 'hv.bennett');
    const hughes = await signedIn(server, 'sw.hughes');
    const teacher = await signedIn(server, 'teacher.ellis');
    const put = (who, fields) => putChild(who, leo, fields);
    assert.deepEqual((await put(bennett, { school_agency_id: 'ASCHHILL' })).unconfirmed_agencies, ['ASCHHILL']);
    const asked = await teacher.post(`/api/v1/children/${leo}/team`, { role: 'Class teacher', reason: REASON });
    assert.equal(asked.status, 202, asked.text);
    assert.equal((await teacher.get(`/api/v1/children/${leo}`)).status, 403);
    assert.equal((await teacher.post(`/api/v1/children/${leo}/join-requests/${asked.body.id}/withdraw`, {})).status, 200);
    // The lead professional sends the involvement back: confirmed, and the school's staff join at once.
    assert.deepEqual((await put(hughes, { school_agency_id: 'ASCHHILL' })).unconfirmed_agencies, []);
    const joined = await teacher.post(`/api/v1/children/${leo}/team`, { role: 'Class teacher', reason: REASON });
    assert.equal(joined.status, 201, joined.text);
    assert.equal((await teacher.post(`/api/v1/children/${leo}/team/leave`, { reason: 'Leo is not at this school after all' })).status, 204);
    await put(hughes, { school_agency_id: '' });
  });

  // The same rule against the others it meets: an administrator's move of a practitioner, the
  // duty team deciding for a child without a lead, a lead confirming only what they send, a shield.
  test('Combination_AnAdministratorMovedAPractitionerIntoAnAgencyATeamMemberNamed', async () => {
    const bennett = await signedIn(server, 'hv.bennett');
    const hughes = await signedIn(server, 'sw.hughes');
    assert.deepEqual((await putChild(bennett, leo, { school_agency_id: 'ASCHHILL' })).unconfirmed_agencies, ['ASCHHILL']);
    const password = 'Copper-meadow-lantern-27';
    const made = await admin.post('/api/v1/users', {
      username: 'teacher.transfer', display_name: 'Tam Transfer', job_title: 'Teacher', role: 'practitioner',
      agency_id: 'ASN', password,
    });
    assert.equal(made.status, 201, made.text);
    const moved = await admin.patch(`/api/v1/users/${made.body.id}`, { version: made.body.version, agency_id: 'ASCHHILL' });
    assert.equal(moved.status, 200, moved.text);
    const mover = await signedIn(server, 'teacher.transfer', password);
    const asked = await mover.post(`/api/v1/children/${leo}/team`, { role: 'Class teacher', reason: REASON });
    assert.equal(asked.status, 202, asked.text);
    assert.equal((await mover.get(`/api/v1/children/${leo}`)).status, 403);
    assert.equal((await mover.post(`/api/v1/children/${leo}/join-requests/${asked.body.id}/withdraw`, {})).status, 200);
    await putChild(hughes, leo, { school_agency_id: '' });
  });

  test('Combination_TheDutyTeamConfirmsAgenciesOnATeamWithoutALead', async () => {
    const bennett = await signedIn(server, 'hv.bennett');
    const created = await bennett.post('/api/v1/children', {
      given_names: 'Duty', family_name: 'Confirmed', date_of_birth: '2020-04-05', school_agency_id: 'ASCHHILL',
      reason: 'Met at the clinic; no social worker yet',
    });
    assert.equal(created.status, 201, created.text);
    const child = created.body.child.id;
    assert.deepEqual(created.body.child.unconfirmed_agencies, ['ASCHHILL']);
    assert.ok(!created.body.team.some((m) => m.lead), 'no lead professional yet');
    // The health visitor who named the school may not confirm it by sending it again.
    assert.deepEqual((await putChild(bennett, child, { school_agency_id: 'ASCHHILL' })).unconfirmed_agencies, ['ASCHHILL']);
    const teacher = await signedIn(server, 'teacher.ellis');
    const waiting = await teacher.post(`/api/v1/children/${child}/team`, { role: 'Class teacher', reason: REASON });
    assert.equal(waiting.status, 202, waiting.text);
    assert.equal((await teacher.post(`/api/v1/children/${child}/join-requests/${waiting.body.id}/withdraw`, {})).status, 200);
    // A social worker of the duty team joins (a colleague of the duty team approves: no lead)
    // and, deciding joins for a child without a lead, confirms the school.
    const taylor = await signedIn(server, 'sw.taylor');
    const asked = await taylor.post(`/api/v1/children/${child}/team`, { role: 'Duty social worker', reason: REASON });
    assert.equal(asked.status, 202, asked.text);
    const okafor = await signedIn(server, 'sw.okafor');
    const approved = await okafor.post(`/api/v1/children/${child}/join-requests/${asked.body.id}/decision`,
                                       { approve: true, reason: 'Duty allocation' });
    assert.equal(approved.status, 200, approved.text);
    assert.deepEqual((await putChild(taylor, child, { school_agency_id: 'ASCHHILL' })).unconfirmed_agencies, []);
    const joined = await teacher.post(`/api/v1/children/${child}/team`, { role: 'Class teacher', reason: REASON });
    assert.equal(joined.status, 201, joined.text);
  });

  test('Combination_ALeadChangingTheSchoolDoesNotConfirmAGpPracticeATeamMemberNamed', async () => {
    const bennett = await signedIn(server, 'hv.bennett');
    const hughes = await signedIn(server, 'sw.hughes');
    const before = (await hughes.get(`/api/v1/children/${leo}`)).body.child;
    assert.equal(before.gp_agency_id, 'AGPBROOK');
    const named = await putChild(bennett, leo, { gp_agency_id: 'AGPMARKT', school_agency_id: 'ASCHHILL' });
    assert.deepEqual(named.unconfirmed_agencies, ['AGPMARKT', 'ASCHHILL']);
    // The lead sends only the school: the school is confirmed, the GP practice still waits.
    assert.deepEqual((await putChild(hughes, leo, { school_agency_id: 'ASCHHILL' })).unconfirmed_agencies, ['AGPMARKT']);
    await putChild(hughes, leo, { school_agency_id: '', gp_agency_id: before.gp_agency_id });
  });

  test('Combination_ALeadConfirmedASchoolForAShieldedChild_ItsStaffStillAsk', async () => {
    const taylor = await signedIn(server, 'sw.taylor');
    const before = (await taylor.get(`/api/v1/children/${ruby}`)).body.child;
    assert.ok(before.shielded);
    assert.deepEqual((await putChild(taylor, ruby, { school_agency_id: 'ASCHHILL' })).unconfirmed_agencies, []);
    const teacher = await signedIn(server, 'teacher.ellis');
    const asked = await teacher.post(`/api/v1/children/${ruby}/team`, { role: 'Class teacher', reason: REASON });
    assert.equal(asked.status, 202, asked.text);
    assert.equal((await teacher.get(`/api/v1/children/${ruby}`)).status, 403);
    assert.equal((await teacher.post(`/api/v1/children/${ruby}/join-requests/${asked.body.id}/withdraw`, {})).status, 200);
    await putChild(taylor, ruby, { school_agency_id: before.school_agency_id });
  });
});
