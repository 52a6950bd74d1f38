// What `make sqlmap` (tests/sqlmap/run-sqlmap.mjs) sends to sqlmap: one request for every
// operation of docs/openapi.yaml that takes a path, query or body parameter, as a caller the
// operation serves, with ids from a world made on the demo data (prepareWorld). The check in
// tests/functional/sqlmap_endpoints.test.mjs fails when an operation with parameters has no
// entry here, so a new route cannot escape the scan.
//
// Each entry: `route` ("METHOD /template", as in docs/openapi.yaml), `as` (a caller of
// CALLERS), `target(ctx)` (the path and query, ids filled in) and `body(ctx)` (an object sent
// as JSON) or `csv(ctx)` (text sent as text/csv). The runner marks every path id, query value,
// JSON value (but those under the keys in `unmarked`) and CSV cell for sqlmap; `anonymous: true` routes are rate-limited per client
// address, so sqlmap's requests to them carry random X-Forwarded-For addresses (the server
// trusts the loopback proxy in this run).

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { DEMO_AUTHORITY_ID, DEMO_PASSWORD, runCli, signedIn } from '../functional/harness.mjs';

export const NATIONAL_PASSWORD = 'Lantern-harbour-kestrel-91';
export const IG_PASSWORD = 'Heather-quarry-lantern-63';
const REASON = 'Checking who is involved before a strategy meeting';
const ENTRY = { occurred_on: '2026-01-05', type: 'note', significance: 'routine', summary: 'Scanned entry' };
const EH_CONTENT = {
  consent: { given_by: 'Sarah Carter, mother', given_on: '2026-01-05' },
  elements: [{ code: 'health', needs: 'Missed health reviews' }],
  conclusion: 'Support with health appointments.',
  agreed_needs: [{ text: 'Health reviews attended' }],
};
const HOLD = { kind: 'inquiry', reason: 'Independent inquiry into the placement', ends_on: '2027-12-01' };
const EH_MEETING = { held_on: '2026-01-05', attendees: ['Sam Hughes'], decisions: 'Book the review',
                     actions: [{ description: 'Book the review', owner_id: 'Usw_hughes', due_on: '2026-02-01' }] };

// Run before the server starts on `dataDir`: the demo data, a national administrator (made with
// the CLI, as an operator would) and a feed imported twice, so that a clerical review waits.
export function prepareData(dataDir) {
  const demo = runCli(dataDir, ['demo']);
  assert.equal(demo.code, 0, demo.stderr);
  const add = runCli(dataDir, ['user', 'add', '--role', 'national_admin', '--username', 'nat.admin',
                               '--name', 'Nadia National', '--password-stdin'], { input: `${NATIONAL_PASSWORD}\n` });
  assert.equal(add.code, 0, add.stderr);
  const feed = (name, text) => {
    const file = path.join(dataDir, name);
    writeFileSync(file, text);
    const imported = runCli(dataDir, ['import', file]);
    assert.equal(imported.code, 0, imported.stderr);
  };
  feed('school.csv', 'record_id,source,given_name,family_name,date_of_birth,sex,postcode,address\n' +
                     'S3,Hillside Primary,Priya,Sharma,2015-03-07,F,NB4 7QT,12 Elm Road\n');
  feed('gp.csv', 'record_id,source,given_name,family_name,sex,postcode\nG3,Brook Surgery,Priya,Sharma,F,NB9 1ZZ\n' +
                 'G4,Brook Surgery,Omar,Haddad,M,NB9 1ZZ\n');
  // A second pair: one review is decided and its record merged while the world is made.
  feed('school2.csv', 'record_id,source,given_name,family_name,date_of_birth,sex,postcode,address\n' +
                      'S4,Hillside Primary,Omar,Haddad,2014-08-09,M,NB4 7QT,14 Elm Road\n');
}

async function ok(res, status = [200, 201, 202]) {
  assert.ok([].concat(status).includes(res.status), `${res.status} ${res.text}`);
  return res.body;
}

// Makes, through the API, everything the entries refer to; returns the ids (ctx).
export async function prepareWorld(server) {
  const ctx = { totp: {} };
  const national = server.client();
  assert.equal((await national.signIn('nat.admin', NATIONAL_PASSWORD)).body.state, 'enrolment_required');
  ctx.totp['nat.admin'] = await national.enrol(NATIONAL_PASSWORD);
  const admin = server.client();
  assert.equal((await admin.signIn('admin.lee')).body.state, 'enrolment_required');
  ctx.totp['admin.lee'] = await admin.enrol();
  // The second-factor step is scanned as a user of its own: sqlmap's wrong codes lock it.
  const osei = await signedIn(server, 'gp.osei');
  ctx.totp['gp.osei'] = await osei.enrol();
  const ig = await ok(await admin.post('/api/v1/users', {
    username: 'ig.officer', display_name: 'Isla Gray', job_title: 'Information governance officer', role: 'auditor',
    authority_id: DEMO_AUTHORITY_ID, agency_id: 'ACSC', password: IG_PASSWORD,
  }));
  await ok(await admin.patch(`/api/v1/users/${ig.id}`, { version: ig.version, information_governance: true }));

  const lead = await signedIn(server, 'sw.hughes');
  const mine = await ok(await lead.get('/api/v1/me/children'));
  ctx.leo = mine.children.find((k) => k.given_names === 'Leo' && k.family_name === 'Carter').child_id;
  const leo = (await ok(await lead.get(`/api/v1/children/${ctx.leo}`))).child;
  ctx.leoDob = leo.date_of_birth;
  ctx.leoPostcode = leo.postcode;
  const { id: _id, authority_id: _a, created_at: _c, updated_at: _u, ...editable } = leo;
  ctx.leoRecord = editable;
  // Children of the lead professional's own for the acts that would change Leo for the rest of
  // the run (a handover, shielding) and for assessments at each stage (one open per child).
  const child = async (family) => (await ok(await lead.post('/api/v1/children', {
    given_names: 'Scan', family_name: family, date_of_birth: '2020-06-07', postcode: 'NB1 4QT', reason: REASON,
  }))).child.id;
  for (const name of ['handover', 'shield', 'glass', 'draft', 'completed', 'plan', 'sibling']) ctx[name] = await child(name);

  const manager = await signedIn(server, 'mgr.patel');
  const reviews = (await ok(await manager.get('/api/v1/index/reviews'))).reviews;
  assert.equal(reviews.length, 2, 'two clerical reviews wait');
  ctx.review = reviews[0].id;
  ctx.reviewCandidate = (await ok(await manager.get(`/api/v1/index/reviews/${ctx.review}`))).candidates[0].child.id;
  // The other review: decided not a match, then its record merged into the candidate after all.
  const decided = await ok(await manager.post(`/api/v1/index/reviews/${reviews[1].id}/decision`,
                                              { decision: 'not_a_match', reason: 'Different child: checked with the GP' }));
  const other = await ok(await manager.get(`/api/v1/index/reviews/${reviews[1].id}`));

  const steward = await signedIn(server, 'dq.shah');
  const upload = await ok(await steward.request('POST', '/api/v1/index/imports?last=false',
                                                { raw: 'record_id,source,given_name,family_name\n', contentType: 'text/csv' }));
  ctx.import = upload.id;
  ctx.importSent = 'record_id,source,given_name,family_name\n'.length;
  ctx.merge = (await ok(await steward.post('/api/v1/index/merges', {
    survivor_id: other.candidates[0].child.id, merged_id: other.decided_child_id ?? decided.decided_child_id,
    reason: REASON }))).id;

  const member = await signedIn(server, 'hv.bennett');
  const entry = await ok(await lead.post(`/api/v1/children/${ctx.leo}/chronology`, ENTRY));
  ctx.entry = entry.id;
  ctx.lineage = entry.lineage_id;
  const restricted = await ok(await lead.post(`/api/v1/children/${ctx.leo}/chronology`,
                                              { ...ENTRY, visibility: 'team', restriction_reason: 'third_party' }));
  ctx.restricted = restricted.lineage_id;
  const asked = await ok(await lead.post(`/api/v1/children/${ctx.leo}/chronology`, ENTRY));
  await ok(await member.post(`/api/v1/children/${ctx.leo}/visibility/${asked.lineage_id}/release`,
                             { reason: 'The family asked to see it' }));
  ctx.asked = asked.lineage_id;
  const thread = await ok(await lead.post(`/api/v1/children/${ctx.leo}/forum`,
                                          { category: 'observation', title: 'Scanned thread', body: 'Opening post.' }));
  ctx.thread = thread.thread.id;
  ctx.post = thread.posts[0].id;
  ctx.person = (await ok(await lead.post(`/api/v1/children/${ctx.leo}/wheel/people`,
                                         { name: 'Scan Aunt', relationship: 'aunt_uncle', lives_with_child: false }))).id;
  const assessment = async (childId, stage) => {
    const at = `/api/v1/children/${childId}/early-help`;
    const made = await ok(await lead.post(at, { content: EH_CONTENT }));
    if (stage !== 'draft') await ok(await lead.post(`${at}/${made.id}/complete`, {}));
    let action;
    if (stage === 'plan') action = (await ok(await lead.post(`${at}/${made.id}/meetings`, EH_MEETING))).actions[0].id;
    return { id: made.id, action };
  };
  ctx.draftAssessment = (await assessment(ctx.draft, 'draft')).id;
  ctx.completedAssessment = (await assessment(ctx.completed, 'completed')).id;
  const plan = await assessment(ctx.plan, 'plan');
  ctx.planAssessment = plan.id;
  ctx.action = plan.action;

  const ellis = await signedIn(server, 'teacher.ellis');
  ctx.joinRequest = (await ok(await ellis.post(`/api/v1/children/${ctx.leo}/team`,
                                               { role: 'Class teacher', reason: REASON }))).id;
  const glass = await ok(await ellis.post(`/api/v1/children/${ctx.glass}/break-glass`,
                                          { reason_code: 'missing_child', reason: REASON, password: DEMO_PASSWORD }));
  ctx.breakGlass = glass.id;
  ctx.invitation = (await ok(await lead.post(`/api/v1/children/${ctx.leo}/family/invitations`,
                                             { relation: 'parent_carer', name: 'Scan Carer' }))).id;
  const parentInvite = await ok(await lead.post(`/api/v1/children/${ctx.leo}/family/invitations`,
                                                { relation: 'parent_carer', name: 'Scan Parent' }));
  ctx.parent = (await ok(await server.client().post('/api/v1/family/redeem', {
    code: parentInvite.code, child_date_of_birth: ctx.leoDob, postcode: ctx.leoPostcode,
    username: 'scan.parent', password: 'Copper-willow-meadow-55', display_name: 'Scan Parent',
  }))).user_id;
  ctx.redeemCode = (await ok(await lead.post(`/api/v1/children/${ctx.leo}/family/invitations`,
                                             { relation: 'parent_carer', name: 'Scan Redeemer' }))).code;
  ctx.linkCode = (await ok(await lead.post(`/api/v1/children/${ctx.sibling}/family/invitations`,
                                           { relation: 'parent_carer', name: 'Scan Linker' }))).code;
  ctx.alert = (await ok(await lead.get('/api/v1/alerts'))).alerts[0].id;
  ctx.ywAliVersion = (await ok(await admin.get('/api/v1/users/Uyw_ali'))).version;
  const rules = await ok(await admin.get(`/api/v1/authorities/${DEMO_AUTHORITY_ID}/retention-rules`));
  ctx.retentionRules = rules;
  ctx.hold = (await ok(await admin.post(`/api/v1/children/${ctx.sibling}/legal-holds`, HOLD))).id;
  return ctx;
}

// The callers, each signed in afresh for its entry: a client whose cookie and CSRF token the
// runner copies into sqlmap's request (null: no session).
export const CALLERS = {
  anon: async () => null,
  lead: (server) => signedIn(server, 'sw.hughes'),
  member: (server) => signedIn(server, 'hv.bennett'),
  manager: (server) => signedIn(server, 'mgr.patel'),
  steward: (server) => signedIn(server, 'dq.shah'),
  sameLA: (server) => signedIn(server, 'teacher.ellis'),
  family: (server) => signedIn(server, 'tracey.carter'),
  auditor: (server) => signedIn(server, 'ig.officer', IG_PASSWORD),
  // A code is accepted once: the test clock moves on a step before each sign-in.
  admin: async (server, ctx) => {
    await server.advance(30);
    return signedIn(server, 'admin.lee', DEMO_PASSWORD, { totpSecret: ctx.totp['admin.lee'] });
  },
  national: async (server, ctx) => {
    await server.advance(30);
    return signedIn(server, 'nat.admin', NATIONAL_PASSWORD, { totpSecret: ctx.totp['nat.admin'] });
  },
  // Callers of their own for the routes where sqlmap's wrong passwords and codes lock the
  // account out: password accepted, second factor still to come; enrolling a second factor
  // (the enrolment asks for the password again); breaking the glass (likewise).
  halfSignedIn: async (server) => {
    const c = server.client();
    const res = await c.signIn('gp.osei');
    assert.equal(res.body.state, 'second_factor_required', res.text);
    return c;
  },
  glass: (server) => signedIn(server, 'ho.green'),
  enrol: (server) => signedIn(server, 'ey.wright'),
  enrolling: async (server) => {
    const c = await signedIn(server, 'pc.davies');
    await ok(await c.post('/api/v1/me/second-factor/enrolment', { password: DEMO_PASSWORD }));
    return c;
  },
};

const child = (ctx) => `/api/v1/children/${ctx.leo}`;

export const ENDPOINTS = [
  // The positive control: only in the test build (server/test_hooks.h). sqlmap must find it.
  { route: 'POST /api/v1/test/injectable', as: 'lead', control: true, target: () => '/api/v1/test/injectable',
    body: () => ({ word: 'kith' }) },

  { route: 'POST /api/v1/session', as: 'anon', anonymous: true, target: () => '/api/v1/session',
    body: () => ({ username: 'sw.taylor', password: DEMO_PASSWORD }) },
  { route: 'POST /api/v1/session/second-factor', as: 'halfSignedIn', 
    target: () => '/api/v1/session/second-factor', body: () => ({ code: '123456' }) },
  { route: 'POST /api/v1/me/second-factor/enrolment', as: 'enrol', target: () => '/api/v1/me/second-factor/enrolment',
    body: () => ({ password: DEMO_PASSWORD }) },
  { route: 'POST /api/v1/me/second-factor/enrolment/confirm', as: 'enrolling',
    target: () => '/api/v1/me/second-factor/enrolment/confirm', body: () => ({ code: '123456' }) },

  { route: 'POST /api/v1/children', as: 'lead', target: () => '/api/v1/children',
    body: () => ({ given_names: 'Scan', family_name: 'Made', date_of_birth: '2019-05-04', postcode: 'NB1 4QT',
                   nhs_number: '9434765919', reason: REASON }) },
  { route: 'GET /api/v1/children/{child_id}', as: 'lead', target: child },
  { route: 'PUT /api/v1/children/{child_id}', as: 'lead', target: child,
    body: (ctx) => ctx.leoRecord },
  { route: 'POST /api/v1/children/{child_id}/signposting', as: 'sameLA', target: (ctx) => `${child(ctx)}/signposting`,
    body: () => ({ reason: REASON }) },
  { route: 'POST /api/v1/children/{child_id}/shield', as: 'lead',
    target: (ctx) => `/api/v1/children/${ctx.shield}/shield`, body: () => ({ shielded: true, reason: REASON }) },
  // Wrong passwords here end the caller's sessions (re-authentication failed; SECURITY.md 3.7.1),
  // so the password, which is only checked against its argon2id hash, is left unmarked.
  { route: 'POST /api/v1/children/{child_id}/break-glass', as: 'glass', unmarked: ['password'],
    target: (ctx) => `/api/v1/children/${ctx.glass}/break-glass`,
    body: () => ({ reason_code: 'immediate_risk', reason: REASON, duration_hours: 1, password: DEMO_PASSWORD }) },
  { route: 'POST /api/v1/break-glass/{break_glass_id}/review', as: 'manager',
    target: (ctx) => `/api/v1/break-glass/${ctx.breakGlass}/review`,
    body: () => ({ justified: true, note: 'Reviewed for the scan' }) },
  { route: 'POST /api/v1/search', as: 'lead', target: () => '/api/v1/search',
    body: () => ({ given_name: 'Leo', family_name: 'Carter', date_of_birth: '2019-03-14', age_from: 1, age_to: 12,
                   postcode: 'NB1', nhs_number: '9434765919', upn: 'A123456789012', reason: REASON }) },

  { route: 'GET /api/v1/index/reviews/{review_id}', as: 'manager', target: (ctx) => `/api/v1/index/reviews/${ctx.review}` },
  { route: 'POST /api/v1/index/reviews/{review_id}/decision', as: 'manager',
    target: (ctx) => `/api/v1/index/reviews/${ctx.review}/decision`,
    body: () => ({ decision: 'not_a_match', reason: 'Different child: checked with the GP practice' }) },
  { route: 'POST /api/v1/index/merges', as: 'steward', target: () => '/api/v1/index/merges',
    body: (ctx) => ({ survivor_id: ctx.reviewCandidate, merged_id: ctx.sibling, reason: REASON }) },
  { route: 'GET /api/v1/index/merges/{merge_id}', as: 'steward', target: (ctx) => `/api/v1/index/merges/${ctx.merge}` },
  { route: 'POST /api/v1/index/merges/{merge_id}/undo', as: 'steward',
    target: (ctx) => `/api/v1/index/merges/${ctx.merge}/undo`, body: () => ({ reason: 'Merged only for the scan' }) },
  { route: 'POST /api/v1/index/imports', as: 'steward',
    target: () => '/api/v1/index/imports?source=Scan%20Feed&filename=scan.csv&last=true',
    csv: () => 'record_id,given_name,family_name,date_of_birth\nM1,Scan,Imported,2018-02-03\n' },
  { route: 'GET /api/v1/index/imports/{import_id}', as: 'steward',
    target: (ctx) => `/api/v1/index/imports/${ctx.import}?wait_seconds=0` },
  { route: 'GET /api/v1/index/imports/{import_id}/rows', as: 'steward',
    target: (ctx) => `/api/v1/index/imports/${ctx.import}/rows?after=0&limit=10&outcome=created` },
  { route: 'POST /api/v1/index/imports/{import_id}/parts', as: 'steward',
    target: (ctx) => `/api/v1/index/imports/${ctx.import}/parts?offset=${ctx.importSent}&last=false`,
    csv: () => 'P1,Scan Parts,Parted,Upload\n' },

  { route: 'POST /api/v1/children/{child_id}/team', as: 'sameLA', target: (ctx) => `${child(ctx)}/team`,
    body: () => ({ role: 'Supporting practitioner', reason: REASON }) },
  { route: 'GET /api/v1/children/{child_id}/join-requests', as: 'lead', target: (ctx) => `${child(ctx)}/join-requests` },
  { route: 'POST /api/v1/children/{child_id}/join-requests/{request_id}/decision', as: 'lead',
    target: (ctx) => `${child(ctx)}/join-requests/${ctx.joinRequest}/decision`,
    body: () => ({ approve: false, reason: 'Declined for the scan' }) },
  { route: 'POST /api/v1/children/{child_id}/join-requests/{request_id}/withdraw', as: 'sameLA',
    target: (ctx) => `${child(ctx)}/join-requests/${ctx.joinRequest}/withdraw`, body: () => ({}) },
  { route: 'POST /api/v1/children/{child_id}/team/leave', as: 'member', target: (ctx) => `${child(ctx)}/team/leave`,
    body: () => ({ reason: 'Case closed for my service' }) },
  { route: 'POST /api/v1/children/{child_id}/lead', as: 'lead',
    target: (ctx) => `/api/v1/children/${ctx.handover}/lead`, body: () => ({ user_id: 'Usw_taylor', reason: REASON }) },

  { route: 'GET /api/v1/children/{child_id}/audit', as: 'auditor', target: (ctx) => `${child(ctx)}/audit?limit=20` },
  { route: 'GET /api/v1/audit/records', as: 'auditor',
    target: (ctx) => `/api/v1/audit/records?child_id=${ctx.leo}&user_id=Usw_hughes&from=2026-01-01&to=2027-12-31` +
                     '&before=999999999&limit=5' },
  { route: 'GET /api/v1/audit/export', as: 'auditor',
    target: (ctx) => `/api/v1/audit/export?child_id=${ctx.leo}&user_id=Usw_hughes&from=2026-01-01&to=2027-12-31` },
  { route: 'POST /api/v1/audit/children/find', as: 'auditor', target: () => '/api/v1/audit/children/find',
    body: () => ({ name: 'leo carter' }) },
  { route: 'POST /api/v1/audit/users/find', as: 'auditor', target: () => '/api/v1/audit/users/find',
    body: () => ({ name: 'hughes' }) },
  { route: 'GET /api/v1/audit/misuse', as: 'auditor',
    target: () => '/api/v1/audit/misuse?from=2026-01-01&to=2027-12-31&include_reviewed=true' },
  { route: 'POST /api/v1/audit/misuse/runs', as: 'auditor', target: () => '/api/v1/audit/misuse/runs',
    body: () => ({ from: '2026-01-01', to: '2026-01-02' }) },
  { route: 'GET /api/v1/audit/misuse/{flag_id}', as: 'auditor', target: () => '/api/v1/audit/misuse/FNOSUCHFLAG' },
  { route: 'POST /api/v1/audit/misuse/{flag_id}/review', as: 'auditor',
    target: () => '/api/v1/audit/misuse/FNOSUCHFLAG/review', body: () => ({ note: 'Checked by the scan' }) },

  { route: 'GET /api/v1/children/{child_id}/chronology', as: 'lead',
    target: (ctx) => `${child(ctx)}/chronology?agency_id=ACSC&type=note&significance=routine&min_significance=routine` +
                     '&from=2020-01-01&to=2027-12-31' },
  { route: 'POST /api/v1/children/{child_id}/chronology', as: 'lead', target: (ctx) => `${child(ctx)}/chronology`,
    body: () => ENTRY },
  { route: 'POST /api/v1/children/{child_id}/chronology/{entry_id}/corrections', as: 'lead',
    target: (ctx) => `${child(ctx)}/chronology/${ctx.entry}/corrections`,
    body: () => ({ summary: 'Scanned entry (corrected)', reason: 'Correcting for the scan' }) },
  { route: 'GET /api/v1/children/{child_id}/chronology/{entry_id}/history', as: 'lead',
    target: (ctx) => `${child(ctx)}/chronology/${ctx.entry}/history` },
  { route: 'POST /api/v1/children/{child_id}/chronology/import', as: 'lead',
    target: (ctx) => `${child(ctx)}/chronology/import`,
    csv: () => 'date,agency,type,significance,summary\n2026-01-05,ACSC,note,routine,Imported by the scan\n' },
  { route: 'GET /api/v1/children/{child_id}/chronology/print', as: 'lead', target: (ctx) => `${child(ctx)}/chronology/print` },
  { route: 'GET /api/v1/children/{child_id}/contact-series', as: 'lead',
    target: (ctx) => `${child(ctx)}/contact-series?granularity=month&from=2020-01-01&to=2027-12-31` },
  { route: 'GET /api/v1/children/{child_id}/forum', as: 'lead', target: (ctx) => `${child(ctx)}/forum` },
  { route: 'POST /api/v1/children/{child_id}/forum', as: 'lead', target: (ctx) => `${child(ctx)}/forum`,
    body: () => ({ category: 'question', title: 'Scanned', body: 'A question for the team.' }) },
  { route: 'GET /api/v1/children/{child_id}/forum/{thread_id}', as: 'lead', target: (ctx) => `${child(ctx)}/forum/${ctx.thread}` },
  { route: 'POST /api/v1/children/{child_id}/forum/{thread_id}/posts', as: 'lead',
    target: (ctx) => `${child(ctx)}/forum/${ctx.thread}/posts`, body: () => ({ body: 'A reply.' }) },
  { route: 'PUT /api/v1/children/{child_id}/forum/{thread_id}/posts/{post_id}', as: 'lead',
    target: (ctx) => `${child(ctx)}/forum/${ctx.thread}/posts/${ctx.post}`, body: () => ({ body: 'Edited by its author.' }) },
  { route: 'GET /api/v1/children/{child_id}/forum/{thread_id}/posts/{post_id}/history', as: 'lead',
    target: (ctx) => `${child(ctx)}/forum/${ctx.thread}/posts/${ctx.post}/history` },
  { route: 'POST /api/v1/children/{child_id}/forum/{thread_id}/promote', as: 'lead',
    target: (ctx) => `${child(ctx)}/forum/${ctx.thread}/promote`,
    body: () => ({ occurred_on: '2026-01-05', type: 'incident', significance: 'notable' }) },
  { route: 'GET /api/v1/children/{child_id}/word-cloud', as: 'lead', target: (ctx) => `${child(ctx)}/word-cloud?n=10` },
  { route: 'GET /api/v1/children/{child_id}/wheel', as: 'lead', target: (ctx) => `${child(ctx)}/wheel` },
  { route: 'POST /api/v1/children/{child_id}/wheel/people', as: 'lead', target: (ctx) => `${child(ctx)}/wheel/people`,
    body: () => ({ name: 'Scan Neighbour', relationship: 'neighbour', lives_with_child: false }) },
  { route: 'PUT /api/v1/children/{child_id}/wheel/people/{person_id}', as: 'lead',
    target: (ctx) => `${child(ctx)}/wheel/people/${ctx.person}`,
    body: () => ({ name: 'Scan Aunt', relationship: 'aunt_uncle', lives_with_child: false, since: '2020-01-01',
                   date_of_birth: '1980-01-01', adult: true, notes: 'Scanned' }) },
  { route: 'GET /api/v1/children/{child_id}/summary', as: 'lead', target: (ctx) => `${child(ctx)}/summary` },

  { route: 'GET /api/v1/children/{child_id}/early-help', as: 'lead', target: (ctx) => `${child(ctx)}/early-help` },
  { route: 'POST /api/v1/children/{child_id}/early-help', as: 'lead', target: (ctx) => `${child(ctx)}/early-help`,
    body: () => ({ content: EH_CONTENT }) },
  { route: 'GET /api/v1/children/{child_id}/early-help/{assessment_id}', as: 'lead',
    target: (ctx) => `/api/v1/children/${ctx.draft}/early-help/${ctx.draftAssessment}` },
  { route: 'PUT /api/v1/children/{child_id}/early-help/{assessment_id}/draft', as: 'lead',
    target: (ctx) => `/api/v1/children/${ctx.draft}/early-help/${ctx.draftAssessment}/draft`,
    body: () => ({ content: EH_CONTENT }) },
  { route: 'POST /api/v1/children/{child_id}/early-help/{assessment_id}/complete', as: 'lead',
    target: (ctx) => `/api/v1/children/${ctx.draft}/early-help/${ctx.draftAssessment}/complete`, body: () => ({}) },
  { route: 'POST /api/v1/children/{child_id}/early-help/{assessment_id}/versions', as: 'lead',
    target: (ctx) => `/api/v1/children/${ctx.completed}/early-help/${ctx.completedAssessment}/versions`, body: () => ({}) },
  { route: 'POST /api/v1/children/{child_id}/early-help/{assessment_id}/meetings', as: 'lead',
    target: (ctx) => `/api/v1/children/${ctx.completed}/early-help/${ctx.completedAssessment}/meetings`,
    body: () => EH_MEETING },
  { route: 'POST /api/v1/children/{child_id}/early-help/{assessment_id}/actions', as: 'lead',
    target: (ctx) => `/api/v1/children/${ctx.plan}/early-help/${ctx.planAssessment}/actions`,
    body: () => ({ description: 'Call the nursery', owner_id: 'Usw_hughes', due_on: '2026-02-01' }) },
  { route: 'PUT /api/v1/children/{child_id}/early-help/{assessment_id}/actions/{action_id}/status', as: 'lead',
    target: (ctx) => `/api/v1/children/${ctx.plan}/early-help/${ctx.planAssessment}/actions/${ctx.action}/status`,
    body: () => ({ status: 'in_progress' }) },
  { route: 'POST /api/v1/children/{child_id}/early-help/{assessment_id}/reviews', as: 'lead',
    target: (ctx) => `/api/v1/children/${ctx.plan}/early-help/${ctx.planAssessment}/reviews`,
    body: () => ({ held_on: '2026-01-06', progress: [{ need_id: 'N1', progress: 'met' }] }) },
  { route: 'POST /api/v1/children/{child_id}/early-help/{assessment_id}/close', as: 'lead',
    target: (ctx) => `/api/v1/children/${ctx.plan}/early-help/${ctx.planAssessment}/close`,
    body: () => ({ outcome: 'needs_met', summary: 'Needs met' }) },
  { route: 'POST /api/v1/children/{child_id}/early-help/{assessment_id}/lead', as: 'lead',
    target: (ctx) => `/api/v1/children/${ctx.completed}/early-help/${ctx.completedAssessment}/lead`,
    body: () => ({ user_id: 'Uhv_bennett', reason: REASON }) },

  { route: 'GET /api/v1/feed', as: 'lead', target: () => '/api/v1/feed?limit=20' },
  { route: 'POST /api/v1/alerts/{alert_id}/read', as: 'lead', target: (ctx) => `/api/v1/alerts/${ctx.alert}/read`,
    body: () => ({}) },

  { route: 'GET /api/v1/children/{child_id}/family/invitations', as: 'lead', target: (ctx) => `${child(ctx)}/family/invitations` },
  { route: 'POST /api/v1/children/{child_id}/family/invitations', as: 'lead',
    target: (ctx) => `${child(ctx)}/family/invitations`, body: () => ({ relation: 'parent_carer', name: 'Scan Carer' }) },
  { route: 'POST /api/v1/children/{child_id}/family/invitations/{invitation_id}/cancel', as: 'lead',
    target: (ctx) => `${child(ctx)}/family/invitations/${ctx.invitation}/cancel`, body: () => ({}) },
  { route: 'GET /api/v1/children/{child_id}/family/members', as: 'lead', target: (ctx) => `${child(ctx)}/family/members` },
  { route: 'POST /api/v1/children/{child_id}/family/members/{user_id}/suspend', as: 'lead',
    target: (ctx) => `${child(ctx)}/family/members/${ctx.parent}/suspend`, body: () => ({ reason: 'Suspended for the scan' }) },
  { route: 'POST /api/v1/children/{child_id}/family/members/{user_id}/reinstate', as: 'lead',
    target: (ctx) => `${child(ctx)}/family/members/${ctx.parent}/reinstate`, body: () => ({ reason: 'Reinstated after the scan' }) },
  { route: 'GET /api/v1/children/{child_id}/family/entries', as: 'lead', target: (ctx) => `${child(ctx)}/family/entries` },
  { route: 'PUT /api/v1/children/{child_id}/visibility/{subject_id}', as: 'lead',
    target: (ctx) => `${child(ctx)}/visibility/${ctx.lineage}`,
    body: () => ({ visibility: 'team', restriction_reason: 'risk_of_harm' }) },
  { route: 'GET /api/v1/children/{child_id}/restrictions', as: 'lead', target: (ctx) => `${child(ctx)}/restrictions` },
  { route: 'POST /api/v1/children/{child_id}/restrictions/{subject_id}/review', as: 'lead',
    target: (ctx) => `${child(ctx)}/restrictions/${ctx.restricted}/review`, body: () => ({ decision: 'confirm' }) },
  { route: 'POST /api/v1/children/{child_id}/visibility/{subject_id}/release', as: 'lead',
    target: (ctx) => `${child(ctx)}/visibility/${ctx.lineage}/release`, body: () => ({ reason: 'The family asked to see it' }) },
  { route: 'POST /api/v1/children/{child_id}/visibility/{subject_id}/release/decision', as: 'lead',
    target: (ctx) => `${child(ctx)}/visibility/${ctx.asked}/release/decision`,
    body: () => ({ decision: 'agree', reason: 'Nothing in it puts anyone at risk' }) },
  { route: 'GET /api/v1/children/{child_id}/family/releases', as: 'lead', target: (ctx) => `${child(ctx)}/family/releases` },
  { route: 'POST /api/v1/children/{child_id}/subject-access', as: 'auditor', target: (ctx) => `${child(ctx)}/subject-access`,
    body: () => ({ reason: 'Subject access request SAR-1' }) },
  { route: 'PUT /api/v1/authority/family-settings', as: 'admin', target: () => '/api/v1/authority/family-settings',
    body: () => ({ defaults: { note: 'team_and_family' } }) },
  { route: 'POST /api/v1/family/redeem', as: 'anon', anonymous: true, target: () => '/api/v1/family/redeem',
    body: (ctx) => ({ code: ctx.redeemCode, child_date_of_birth: ctx.leoDob, postcode: ctx.leoPostcode,
                      username: 'scan.family', password: 'Copper-willow-meadow-55', display_name: 'Scan Family' }) },
  { route: 'POST /api/v1/family/links', as: 'family', target: () => '/api/v1/family/links',
    body: (ctx) => ({ code: ctx.linkCode, child_date_of_birth: '2020-06-07', postcode: 'NB1 4QT' }) },
  { route: 'GET /api/v1/family/children/{child_id}', as: 'family', target: (ctx) => `/api/v1/family/children/${ctx.leo}` },
  { route: 'POST /api/v1/family/children/{child_id}/entries', as: 'family',
    target: (ctx) => `/api/v1/family/children/${ctx.leo}/entries`, body: () => ({ kind: 'thoughts', text: 'Written for the scan.' }) },
  { route: 'GET /api/v1/family/export', as: 'family', target: () => '/api/v1/family/export?format=json' },

  { route: 'POST /api/v1/authorities', as: 'national', target: () => '/api/v1/authorities',
    body: () => ({ code: 'E06000098', name: 'Scan authority' }) },
  { route: 'GET /api/v1/agencies', as: 'admin', target: () => `/api/v1/agencies?authority_id=${DEMO_AUTHORITY_ID}` },
  { route: 'POST /api/v1/agencies', as: 'admin', target: () => '/api/v1/agencies',
    body: () => ({ authority_id: DEMO_AUTHORITY_ID, name: 'Scan agency', kind: 'voluntary_sector' }) },
  { route: 'PUT /api/v1/agencies/{agency_id}', as: 'admin', target: () => '/api/v1/agencies/AYOUTH',
    body: () => ({ name: 'Northbrook Youth Service', kind: 'youth_service', phone: '01632 960702',
                   email: 'safeguarding@AYOUTH.northbrook.example', address: 'Northbrook' }) },
  { route: 'GET /api/v1/users', as: 'admin', target: () => `/api/v1/users?authority_id=${DEMO_AUTHORITY_ID}` },
  { route: 'POST /api/v1/users', as: 'admin', target: () => '/api/v1/users',
    body: () => ({ username: 'scan.user', display_name: 'Scan User', job_title: 'Scanner', role: 'practitioner',
                   authority_id: DEMO_AUTHORITY_ID, agency_id: 'AYOUTH', password: 'Copper-willow-meadow-55' }) },
  { route: 'GET /api/v1/users/{user_id}', as: 'admin', target: () => '/api/v1/users/Uyw_ali' },
  { route: 'PATCH /api/v1/users/{user_id}', as: 'admin', target: () => '/api/v1/users/Uyw_ali',
    body: (ctx) => ({ version: ctx.ywAliVersion, job_title: 'Youth worker' }) },
  { route: 'PUT /api/v1/users/{user_id}/home', as: 'admin', target: () => '/api/v1/users/Uyw_ali/home',
    body: () => ({ address: '1 Scan Road, Northbrook', postcode: 'NB1 1AA' }) },

  { route: 'GET /api/v1/authorities/{authority_id}/retention-rules', as: 'admin',
    target: () => `/api/v1/authorities/${DEMO_AUTHORITY_ID}/retention-rules` },
  { route: 'PUT /api/v1/authorities/{authority_id}/retention-rules', as: 'admin',
    target: () => `/api/v1/authorities/${DEMO_AUTHORITY_ID}/retention-rules`,
    body: (ctx) => {
      const { authority_id: _a, updated_by: _b, updated_at: _c, ...change } = ctx.retentionRules;
      return change;
    } },
  { route: 'GET /api/v1/authorities/{authority_id}/legal-holds', as: 'admin',
    target: () => `/api/v1/authorities/${DEMO_AUTHORITY_ID}/legal-holds` },
  { route: 'GET /api/v1/authorities/{authority_id}/retention-due', as: 'admin',
    target: () => `/api/v1/authorities/${DEMO_AUTHORITY_ID}/retention-due?days=90` },
  { route: 'POST /api/v1/children/{child_id}/legal-holds', as: 'admin', target: (ctx) => `${child(ctx)}/legal-holds`,
    body: () => HOLD },
  { route: 'POST /api/v1/legal-holds/{hold_id}/release', as: 'admin', target: (ctx) => `/api/v1/legal-holds/${ctx.hold}/release`,
    body: () => ({ reason: 'The inquiry reported; nothing more is needed' }) },
];

// The operations of docs/openapi.yaml sqlmap must cover: those with a path or query parameter or
// a request body. Headers (Idempotency-Key) are not scanned.
export function parameterisedOperations(openapi) {
  const out = [];
  for (const [p, item] of Object.entries(openapi.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = item[method];
      if (!op) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((x) => {
        if (!x.$ref) return x;
        let node = openapi;
        for (const seg of x.$ref.slice(2).split('/')) node = node[seg];
        return node;
      });
      if (op.requestBody || params.some((x) => x.in === 'path' || x.in === 'query')) {
        out.push(`${method.toUpperCase()} ${p}`);
      }
    }
  }
  return out;
}
