// The access policy as a table: every endpoint against every kind of caller, with the exact
// status each gets. The child is Leo Carter from the demo data; his team is sw.hughes (lead
// professional), hv.bennett, gp.osei, pc.davies and ey.wright.
//
// Callers:
//   member     hv.bennett      on Leo's team, not the lead
//   lead       sw.hughes       Leo's lead professional
//   sameLA     teacher.ellis   a practitioner in Leo's local authority, on no team
//   elsewhere  teacher.west    a practitioner of another local authority (made for this test)
//   manager    mgr.patel       manager of sw.hughes's agency (managers see accounts their agency works on, and
//                              decide the national index's clerical review of their authority)
//   steward    dq.shah         a practitioner of Leo's local authority on no team, an index steward (demo data):
//                              imports feeds, decides reviews, merges and un-merges (the decision row answers
//                              409 because the manager decided the review just before)
//   admin      admin.lee       administrator of Leo's local authority (second factor enrolled)
//   national   nat.admin       national administrator (made with the CLI; second factor enrolled)
//   auditor    auditor.clarke  information governance officer of Leo's local authority
//   family     tracey.carter   Leo's mother, a family portal account linked to Leo
//   anon       -               no session
//   involved   hv.mensah       a health visitor of the service recorded as involved with Leo, on no team
//                              (asking to join is approved at once)
//   pending    sn.price        a school nurse whose request to join Leo's team is waiting
//   glass      ho.green        a housing officer with break-glass on Leo in force (reads, never writes)
//   ended      fs.jones        a family support worker whose break-glass on Leo a manager ended early
//   ig         ig.officer      an information governance officer: an auditor with the information-governance
//                              permission (subject-access exports)
// Ruby Nowak is the demo's shielded child; none of these callers is on her team. Break-glass rows act
// on a child of the lead professional's made for the test ({glasschild}), so that the access they
// grant does not change the rows about Leo.
//
// Rows run top to bottom against one server. Rows that change something undo it after each
// cell (a join is followed by a leave or a withdrawal, a handover by a handover back), so every
// cell starts from the demo state; the enrolment/confirm rows rely on the row before them.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  BACKEND, DEMO_AUTHORITY_ID, DEMO_PASSWORD, KithServer, makeDataDir, normaliseRoute, registeredRoutes, runCli,
  signedIn, sqlValue,
} from './harness.mjs';

const POLICY = `
endpoint                                                                 member lead sameLA elsewhere manager steward admin national auditor family anon involved pending glass ended ig
GET    /api/v1/session                                                   200    200  200    200       200     200     200   200      200     200    401  200      200     200   200   200
DELETE /api/v1/session                                                   204    204  204    204       204     204     204   204      204     204    401  204      204     204   204   204
POST   /api/v1/session/second-factor                                     409    409  409    409       409     409     409   409      409     409    401  409      409     409   409   409
POST   /api/v1/me/second-factor/enrolment                                201    201  201    201       201     201     201   201      201     201    401  201      201     201   201   201
POST   /api/v1/me/second-factor/enrolment/confirm                        400    400  400    400       400     400     400   400      400     400    401  400      400     400   400   400
GET    /api/v1/me/children                                               200    200  200    200       200     200     200   200      200     200    401  200      200     200   200   200
GET    /api/v1/me/caseload                                               403    403  403    403       200     403     403   403      403     403    401  403      403     403   403   403
POST   /api/v1/children                                                  201    201  201    201       201     201     403   403      403     403    401  201      201     201   201   403
GET    /api/v1/children/{leo}                                            200    200  403    403       200     403     403   403      403     403    401  403      403     200   403   403
PUT    /api/v1/children/{leo}                                            200    200  403    403       403     403     403   403      403     403    401  403      403     403   403   403
POST   /api/v1/children/{leo}/signposting                                200    200  200    200       200     200     403   403      403     403    401  200      200     200   200   403
POST   /api/v1/search                                                    200    200  200    200       200     200     403   403      403     403    401  200      200     200   200   403
GET    /api/v1/index/reviews                                             403    403  403    403       200     200     403   403      403     403    401  403      403     403   403   403
GET    /api/v1/index/reviews/{review}                                    403    403  403    403       200     200     403   403      403     403    401  403      403     403   403   403
POST   /api/v1/index/reviews/{review}/decision                           403    403  403    403       200     409     403   403      403     403    401  403      403     403   403   403
POST   /api/v1/index/merges                                              403    403  403    403       403     201     403   403      403     403    401  403      403     403   403   403
GET    /api/v1/index/merges/{merge}                                      403    403  403    403       403     200     403   403      403     403    401  403      403     403   403   403
POST   /api/v1/index/merges/{merge}/undo                                 403    403  403    403       403     200     403   403      403     403    401  403      403     403   403   403
POST   /api/v1/index/imports                                             403    403  403    403       403     202     403   403      403     403    401  403      403     403   403   403
POST   /api/v1/index/imports/{import}/parts                              403    403  403    403       403     202     403   403      403     403    401  403      403     403   403   403
GET    /api/v1/index/imports                                             403    403  403    403       403     200     403   403      403     403    401  403      403     403   403   403
GET    /api/v1/index/imports/{import}                                    403    403  403    403       403     200     403   403      403     403    401  403      403     403   403   403
GET    /api/v1/index/imports/{import}/rows                               403    403  403    403       403     200     403   403      403     403    401  403      403     403   403   403
POST   /api/v1/children/{leo}/team                                       403    403  202    202       201     201     403   403      403     403    401  201      409     202   202   403
POST   /api/v1/children/{leo}/team/leave                                 204    409  404    404       404     404     404   404      404     404    401  404      404     404   404   404
POST   /api/v1/children/{leo}/lead                                       403    200  403    403       403     403     403   403      403     403    401  403      403     403   403   403
POST   /api/v1/children/{leo}/shield                                     200    200  403    403       403     403     403   403      403     403    401  403      403     403   403   403
GET    /api/v1/children/{leo}/join-requests                              200    200  403    403       200     403     403   403      403     403    401  403      403     200   403   403
POST   /api/v1/children/{leo}/join-requests/{new}/decision               403    200  403    403       200     403     403   403      403     403    401  403      403     403   403   403
POST   /api/v1/children/{leo}/join-requests/{new}/withdraw               404    404  200    404       404     404     403   403      403     403    401  404      404     404   404   403
GET    /api/v1/join-requests                                             200    200  200    200       200     200     403   403      403     403    401  200      200     200   200   403
POST   /api/v1/children/{glasschild}/break-glass                         201    403  201    201       201     201     403   403      403     403    401  201      201     201   201   403
GET    /api/v1/break-glass                                               403    403  403    403       200     403     403   403      403     403    401  403      403     403   403   403
POST   /api/v1/break-glass/{new}/review                                  403    403  403    403       200     403     403   403      403     403    401  403      403     403   403   403
GET    /api/v1/children/{leo}/audit                                      403    200  403    403       403     403     403   403      200     403    401  403      403     403   403   200
GET    /api/v1/audit/actions                                             200    200  200    200       200     200     200   200      200     200    401  200      200     200   200   200
GET    /api/v1/audit/records                                             403    403  403    403       403     403     403   403      200     403    401  403      403     403   403   200
GET    /api/v1/audit/export                                              403    403  403    403       403     403     403   403      200     403    401  403      403     403   403   200
POST   /api/v1/audit/children/find                                       403    403  403    403       403     403     403   403      200     403    401  403      403     403   403   200
POST   /api/v1/audit/users/find                                          403    403  403    403       403     403     403   403      200     403    401  403      403     403   403   200
GET    /api/v1/audit/misuse                                              403    403  403    403       403     403     403   403      200     403    401  403      403     403   403   200
POST   /api/v1/audit/misuse/runs                                         403    403  403    403       403     403     403   403      200     403    401  403      403     403   403   200
GET    /api/v1/audit/misuse/{flag}                                       403    403  403    403       403     403     403   403      404     403    401  403      403     403   403   404
POST   /api/v1/audit/misuse/{flag}/review                                403    403  403    403       403     403     403   403      404     403    401  403      403     403   403   404
PUT    /api/v1/users/{yw.ali}/home                                       403    403  403    403       403     403     200   200      403     403    401  403      403     403   403   403
GET    /api/v1/authorities                                               200    200  200    200       200     200     200   200      200     200    401  200      200     200   200   200
POST   /api/v1/authorities                                               403    403  403    403       403     403     403   201      403     403    401  403      403     403   403   403
GET    /api/v1/agencies                                                  200    200  200    200       200     200     200   200      200     200    401  200      200     200   200   200
POST   /api/v1/agencies                                                  403    403  403    403       403     403     201   201      403     403    401  403      403     403   403   403
PUT    /api/v1/agencies/{youth}                                          403    403  403    403       403     403     200   200      403     403    401  403      403     403   403   403
GET    /api/v1/users?authority_id={northbrook}                           403    403  403    403       403     403     200   200      403     403    401  403      403     403   403   403
GET    /api/v1/users/{yw.ali}                                            403    403  403    403       403     403     200   200      403     403    401  403      403     403   403   403
POST   /api/v1/users                                                     403    403  403    403       403     403     201   201      403     403    401  403      403     403   403   403
PATCH  /api/v1/users/{yw.ali}                                            403    403  403    403       403     403     200   200      403     403    401  403      403     403   403   403
GET    /api/v1/authorities/{northbrook}/retention-rules                  403    403  403    403       403     403     200   200      403     403    401  403      403     403   403   403
PUT    /api/v1/authorities/{northbrook}/retention-rules                  403    403  403    403       403     403     200   200      403     403    401  403      403     403   403   403
GET    /api/v1/authorities/{northbrook}/legal-holds                      403    403  403    403       403     403     200   200      403     403    401  403      403     403   403   403
GET    /api/v1/authorities/{northbrook}/retention-due                    403    403  403    403       403     403     200   200      403     403    401  403      403     403   403   403
POST   /api/v1/children/{leo}/legal-holds                                403    403  403    403       403     403     201   201      403     403    401  403      403     403   403   403
POST   /api/v1/legal-holds/{new}/release                                 403    403  403    403       403     403     200   200      403     403    401  403      403     403   403   403
GET    /api/v1/children/{leo}/chronology                                 200    200  403    403       200     403     403   403      403     403    401  403      403     200   403   403
POST   /api/v1/children/{leo}/chronology                                 201    201  403    403       403     403     403   403      403     403    401  403      403     403   403   403
POST   /api/v1/children/{leo}/chronology/{new}/corrections               201    201  403    403       403     403     403   403      403     403    401  403      403     403   403   403
GET    /api/v1/children/{leo}/chronology/{entry}/history                 200    200  403    403       200     403     403   403      403     403    401  403      403     200   403   403
POST   /api/v1/children/{leo}/chronology/import                          200    200  403    403       403     403     403   403      403     403    401  403      403     403   403   403
GET    /api/v1/children/{leo}/chronology/print                           200    200  403    403       200     403     403   403      403     403    401  403      403     200   403   403
GET    /api/v1/children/{leo}/contact-series                             200    200  403    403       200     403     403   403      403     403    401  403      403     200   403   403
GET    /api/v1/children/{leo}/forum                                      200    200  403    403       200     403     403   403      403     403    401  403      403     200   403   403
POST   /api/v1/children/{leo}/forum                                      201    201  403    403       403     403     403   403      403     403    401  403      403     403   403   403
GET    /api/v1/children/{leo}/forum/{thread}                             200    200  403    403       200     403     403   403      403     403    401  403      403     200   403   403
POST   /api/v1/children/{leo}/forum/{thread}/posts                       201    201  403    403       403     403     403   403      403     403    401  403      403     403   403   403
PUT    /api/v1/children/{leo}/forum/{thread}/posts/{post}                403    200  403    403       403     403     403   403      403     403    401  403      403     403   403   403
GET    /api/v1/children/{leo}/forum/{thread}/posts/{post}/history        200    200  403    403       200     403     403   403      403     403    401  403      403     200   403   403
POST   /api/v1/children/{leo}/forum/{new}/promote                        201    201  403    403       403     403     403   403      403     403    401  403      403     403   403   403
GET    /api/v1/children/{leo}/word-cloud                                 200    200  403    403       200     403     403   403      403     403    401  403      403     200   403   403
GET    /api/v1/children/{leo}/wheel                                      200    200  403    403       200     403     403   403      403     403    401  403      403     200   403   403
POST   /api/v1/children/{leo}/wheel/people                               201    201  403    403       403     403     403   403      403     403    401  403      403     403   403   403
PUT    /api/v1/children/{leo}/wheel/people/{person}                      200    200  403    403       403     403     403   403      403     403    401  403      403     403   403   403
GET    /api/v1/children/{leo}/summary                                    200    200  403    403       200     403     403   403      403     403    401  403      403     200   403   403
GET    /api/v1/relationship-types                                        200    200  200    200       200     200     200   200      200     200    401  200      200     200   200   200
GET    /api/v1/feed                                                      200    200  200    200       200     200     403   403      403     403    401  200      200     200   200   403
GET    /api/v1/alerts                                                    200    200  200    200       200     200     200   200      200     403    401  200      200     200   200   200
POST   /api/v1/alerts/{alert}/read                                       404    204  404    404       404     404     404   404      404     403    401  404      404     404   404   404
GET    /api/v1/children/{leo}/early-help                                 200    200  403    403       403     403     403   403      403     403    401  403      403     200   403   403
POST   /api/v1/children/{leo}/early-help                                 201    201  403    403       403     403     403   403      403     403    401  403      403     403   403   403
GET    /api/v1/children/{leo}/early-help/{assessment}                    200    200  403    403       403     403     403   403      403     403    401  403      403     200   403   403
PUT    /api/v1/children/{leo}/early-help/{draft}/draft                   200    200  403    403       403     403     403   403      403     403    401  403      403     403   403   403
POST   /api/v1/children/{leo}/early-help/{draft}/complete                200    200  403    403       403     403     403   403      403     403    401  403      403     403   403   403
POST   /api/v1/children/{leo}/early-help/{completed}/versions            201    201  403    403       403     403     403   403      403     403    401  403      403     403   403   403
POST   /api/v1/children/{leo}/early-help/{completed}/meetings            201    201  403    403       403     403     403   403      403     403    401  403      403     403   403   403
POST   /api/v1/children/{leo}/early-help/{plan}/actions                  201    201  403    403       403     403     403   403      403     403    401  403      403     403   403   403
PUT    /api/v1/children/{leo}/early-help/{plan}/actions/{action}/status  200    200  403    403       403     403     403   403      403     403    401  403      403     403   403   403
POST   /api/v1/children/{leo}/early-help/{plan}/reviews                  201    201  403    403       403     403     403   403      403     403    401  403      403     403   403   403
POST   /api/v1/children/{leo}/early-help/{plan}/close                    200    200  403    403       403     403     403   403      403     403    401  403      403     403   403   403
POST   /api/v1/children/{leo}/early-help/{assessment}/lead               403    200  403    403       403     403     403   403      403     403    401  403      403     403   403   403
GET    /api/v1/children/{leo}/family/invitations                         200    200  403    403       200     403     403   403      403     403    401  403      403     200   403   403
POST   /api/v1/children/{leo}/family/invitations                         201    201  403    403       403     403     403   403      403     403    401  403      403     403   403   403
POST   /api/v1/children/{leo}/family/invitations/{new}/cancel            200    200  403    403       403     403     403   403      403     403    401  403      403     403   403   403
GET    /api/v1/children/{leo}/family/members                             200    200  403    403       200     403     403   403      403     403    401  403      403     200   403   403
POST   /api/v1/children/{leo}/family/members/{parent}/suspend            200    200  403    403       403     403     200   200      403     403    401  403      403     403   403   403
POST   /api/v1/children/{leo}/family/members/{parent}/reinstate          200    200  403    403       403     403     403   403      403     403    401  403      403     403   403   403
GET    /api/v1/children/{leo}/family/entries                             200    200  403    403       200     403     403   403      403     403    401  403      403     200   403   403
PUT    /api/v1/children/{leo}/visibility/{new}                           200    200  403    403       403     403     403   403      403     403    401  403      403     403   403   403
POST   /api/v1/children/{leo}/visibility/{new}/release                   200    200  403    403       403     403     403   403      403     403    401  403      403     403   403   403
POST   /api/v1/children/{leo}/visibility/{asked}/release/decision        404    200  403    403       403     403     403   403      403     403    401  403      403     403   403   403
GET    /api/v1/children/{leo}/family/releases                            200    200  403    403       200     403     403   403      403     403    401  403      403     200   403   403
GET    /api/v1/children/{leo}/restrictions                               200    200  403    403       200     403     403   403      403     403    401  403      403     200   403   403
POST   /api/v1/children/{leo}/restrictions/{new}/review                  403    200  403    403       403     403     403   403      403     403    401  403      403     403   403   403
POST   /api/v1/children/{leo}/subject-access                             403    403  403    403       403     403     403   403      403     403    401  403      403     403   403   200
GET    /api/v1/authority/family-settings                                 403    403  403    403       403     403     200   403      403     403    401  403      403     403   403   403
PUT    /api/v1/authority/family-settings                                 403    403  403    403       403     403     200   403      403     403    401  403      403     403   403   403
POST   /api/v1/family/redeem                                             201    201  201    201       201     201     201   201      201     201    201  201      201     201   201   201
POST   /api/v1/family/links                                              403    403  403    403       403     403     403   403      403     201    401  403      403     403   403   403
GET    /api/v1/family/children                                           403    403  403    403       403     403     403   403      403     200    401  403      403     403   403   403
GET    /api/v1/family/children/{leo}                                     404    404  404    404       404     404     404   404      404     200    401  404      404     404   404   404
POST   /api/v1/family/children/{leo}/entries                             404    404  404    404       404     404     404   404      404     201    401  404      404     404   404   404
GET    /api/v1/family/export                                             403    403  403    403       403     403     403   403      403     200    401  403      403     403   403   403
GET    /healthz                                                          200    200  200    200       200     200     200   200      200     200    200  200      200     200   200   200
GET    /metrics                                                          200    200  200    200       200     200     200   200      200     200    200  200      200     200   200   200
`;

function parsePolicy(text) {
  const [header, ...lines] = text.trim().split('\n');
  const actors = header.trim().split(/\s+/).slice(1);
  return {
    actors,
    rows: lines.map((line) => {
      const [method, target, ...codes] = line.trim().split(/\s+/);
      assert.equal(codes.length, actors.length, `a status for every caller: ${line}`);
      return { method, target, expect: Object.fromEntries(actors.map((a, i) => [a, Number(codes[i])])) };
    }),
  };
}

const { actors: ACTORS, rows: ROWS } = parsePolicy(POLICY);

const NATIONAL_PASSWORD = 'Lantern-harbour-kestrel-91';
const WEST_PASSWORD = 'Saltmarsh-orchard-beacon-42';
const REASON = 'Checking who is involved before a strategy meeting';
const MATRIX_ENTRY = { occurred_on: '2026-01-05', type: 'note', significance: 'routine', summary: 'Access matrix entry' };

const WHO = {
  member: { username: 'hv.bennett' },
  lead: { username: 'sw.hughes' },
  sameLA: { username: 'teacher.ellis' },
  elsewhere: { username: 'teacher.west', password: WEST_PASSWORD },
  manager: { username: 'mgr.patel' },
  steward: { username: 'dq.shah' },
  admin: { username: 'admin.lee' },
  national: { username: 'nat.admin', password: NATIONAL_PASSWORD },
  auditor: { username: 'auditor.clarke' },
  family: { username: 'tracey.carter' },
  involved: { username: 'hv.mensah' },
  pending: { username: 'sn.price' },
  glass: { username: 'ho.green' },
  ended: { username: 'fs.jones' },
  ig: { username: 'ig.officer', password: 'Heather-quarry-lantern-63' },
};

const EH_CONTENT = {
  consent: { given_by: 'Sarah Carter, mother', given_on: '2026-01-05' },
  elements: [{ code: 'health', needs: 'Missed health reviews' }],
  conclusion: 'Support with health appointments.',
  agreed_needs: [{ text: 'Health reviews attended' }],
};
const EH_MEETING = { held_on: '2026-01-05', attendees: ['Sam Hughes', 'Sarah Carter'], decisions: 'Book the review',
                     actions: [{ description: 'Book the review', owner_id: 'Uhv_bennett', due_on: '2026-02-01' }] };
const EH_ACTION = { description: 'Call the nursery', owner_id: 'Usw_hughes', due_on: '2026-02-01' };

// Closes Leo's open assessments as the lead professional (completing a draft first).
async function closeOpenAssessments() {
  const list = await clients.lead.get(`/api/v1/children/${ctx.leo}/early-help`);
  assert.equal(list.status, 200, list.text);
  for (const a of list.body.assessments.filter((x) => x.stage !== 'closed')) {
    const at = `/api/v1/children/${ctx.leo}/early-help/${a.id}`;
    if (!a.versions.at(-1).locked) {
      await clients.lead.put(`${at}/draft`, { content: EH_CONTENT });
      const done = await clients.lead.post(`${at}/complete`, {});
      assert.equal(done.status, 200, done.text);
    }
    const closed = await clients.lead.post(`${at}/close`, { outcome: 'moved_away', summary: 'Reset for the next cell' });
    assert.equal(closed.status, 200, closed.text);
  }
}

// A fresh assessment of Leo's in `stage` (draft, completed or plan), made by the lead
// professional; returns its path. ctx.action is an action of the plan.
async function earlyHelp(stage) {
  await closeOpenAssessments();
  const started = await clients.lead.post(`/api/v1/children/${ctx.leo}/early-help`, { content: EH_CONTENT });
  assert.equal(started.status, 201, started.text);
  const at = `/api/v1/children/${ctx.leo}/early-help/${started.body.id}`;
  if (stage !== 'draft') assert.equal((await clients.lead.post(`${at}/complete`, {})).status, 200);
  if (stage === 'plan') {
    const held = await clients.lead.post(`${at}/meetings`, EH_MEETING);
    assert.equal(held.status, 201, held.text);
    ctx.action = held.body.actions[0].id;
  }
  return at;
}

let server;
const clients = {};
const ctx = {};
let unique = 0;

async function signIn(actor) {
  if (actor === 'anon') return server.client();
  const who = WHO[actor];
  return signedIn(server, who.username, who.password ?? DEMO_PASSWORD, { totpSecret: who.totp });
}

// The editable fields of Leo's record as the lead professional sees them now.
async function leoRecord() {
  const res = await clients.lead.get(`/api/v1/children/${ctx.leo}`);
  assert.equal(res.status, 200);
  const { id, authority_id: _a, created_at: _c, updated_at: _u, ...fields } = res.body.child;
  assert.equal(id, ctx.leo);
  return fields;
}

async function ywAliVersion() {
  const res = await clients.admin.get('/api/v1/users/Uyw_ali');
  assert.equal(res.status, 200);
  return res.body.version;
}

// How each row's request is made, and what undoes it where it succeeded.
const REQUESTS = {
  'GET /api/v1/session': { send: (c) => c.get('/api/v1/session') },
  'DELETE /api/v1/session': {
    fresh: true, // sign in again so the shared session survives
    send: (c) => c.delete('/api/v1/session'),
  },
  'POST /api/v1/session/second-factor': {
    send: (c) => c.post('/api/v1/session/second-factor', { code: '123456' }),
  },
  'POST /api/v1/me/second-factor/enrolment': {
    send: (c, actor) => c.post('/api/v1/me/second-factor/enrolment',
                               { password: WHO[actor]?.password ?? DEMO_PASSWORD }),
  },
  'POST /api/v1/me/second-factor/enrolment/confirm': {
    send: (c) => c.post('/api/v1/me/second-factor/enrolment/confirm', { code: 'nope' }),
  },
  'GET /api/v1/me/children': { send: (c) => c.get('/api/v1/me/children') },
  'POST /api/v1/children': {
    send: (c) => c.post('/api/v1/children',
                        { given_names: 'Matrix', family_name: `Child${++unique}`, date_of_birth: '2019-05-04',
                          reason: REASON }),
  },
  'GET /api/v1/children/{leo}': { send: (c) => c.get(`/api/v1/children/${ctx.leo}`) },
  'PUT /api/v1/children/{leo}': {
    send: async (c) => c.put(`/api/v1/children/${ctx.leo}`, await leoRecord()),
  },
  'POST /api/v1/children/{leo}/signposting': {
    send: (c) => c.post(`/api/v1/children/${ctx.leo}/signposting`, { reason: REASON }),
  },
  'POST /api/v1/search': {
    send: (c) => c.post('/api/v1/search', { given_name: 'Leo', family_name: 'Carter', reason: REASON }),
  },
  'GET /api/v1/index/reviews': { send: (c) => c.get('/api/v1/index/reviews') },
  'GET /api/v1/index/reviews/{review}': { send: (c) => c.get(`/api/v1/index/reviews/${ctx.review}`) },
  'POST /api/v1/index/reviews/{review}/decision': {
    send: (c) => c.post(`/api/v1/index/reviews/${ctx.review}/decision`,
                        { decision: 'not_a_match', reason: 'Different child: checked with the GP practice' }),
  },
  // The record the decision above made is merged into the one it was reviewed against.
  'POST /api/v1/index/merges': {
    send: async (c) => {
      const decided = await clients.manager.get(`/api/v1/index/reviews/${ctx.review}`);
      const res = await c.post('/api/v1/index/merges', { survivor_id: ctx.reviewCandidate,
                                                        merged_id: decided.body.decided_child_id, reason: REASON });
      if (res.status === 201) ctx.merge = res.body.id;
      return res;
    },
  },
  'GET /api/v1/index/merges/{merge}': { send: (c) => c.get(`/api/v1/index/merges/${ctx.merge}`) },
  'POST /api/v1/index/merges/{merge}/undo': {
    send: (c) => c.post(`/api/v1/index/merges/${ctx.merge}/undo`, { reason: 'Merged only for the access test' }),
  },
  'POST /api/v1/index/imports': {
    send: (c) => c.request('POST', '/api/v1/index/imports?source=Matrix%20Feed&filename=matrix.csv', {
      raw: 'record_id,given_name,family_name,date_of_birth\nM1,Matrix,Imported,2018-02-03\n', contentType: 'text/csv',
    }),
  },
  // The steward's upload started in before() gets its last part.
  'POST /api/v1/index/imports/{import}/parts': {
    send: (c) => c.request('POST', `/api/v1/index/imports/${ctx.import.id}/parts?offset=${ctx.import.sent}&last=true`,
                           { raw: ctx.import.rest, contentType: 'text/csv' }),
  },
  'GET /api/v1/index/imports': { send: (c) => c.get('/api/v1/index/imports') },
  'GET /api/v1/index/imports/{import}': { send: (c) => c.get(`/api/v1/index/imports/${ctx.import.id}`) },
  'GET /api/v1/index/imports/{import}/rows': { send: (c) => c.get(`/api/v1/index/imports/${ctx.import.id}/rows`) },
  // Approved at once (201: undone by leaving) or waiting (202: undone by withdrawing).
  'POST /api/v1/children/{leo}/team': {
    send: (c) => c.post(`/api/v1/children/${ctx.leo}/team`, { role: 'Supporting practitioner', reason: REASON }),
    undo: (c, res) => (res.status === 201
      ? c.post(`/api/v1/children/${ctx.leo}/team/leave`, { reason: 'Joined only for the access test' })
      : c.post(`/api/v1/children/${ctx.leo}/join-requests/${res.body.id}/withdraw`, {})),
  },
  // The health visitor's service is involved with Leo: asking again rejoins at once.
  'POST /api/v1/children/{leo}/team/leave': {
    send: (c) => c.post(`/api/v1/children/${ctx.leo}/team/leave`, { reason: 'Case closed for my service' }),
    undo: (c) => c.post(`/api/v1/children/${ctx.leo}/team`, { role: 'Health visitor', reason: REASON }),
  },
  'POST /api/v1/children/{leo}/lead': {
    send: (c) => c.post(`/api/v1/children/${ctx.leo}/lead`, { user_id: 'Uhv_bennett', reason: REASON }),
    undo: () => clients.member.post(`/api/v1/children/${ctx.leo}/lead`,
                                    { user_id: 'Usw_hughes', reason: 'Handing the role back' }),
  },
  'POST /api/v1/children/{leo}/shield': {
    send: (c) => c.post(`/api/v1/children/${ctx.leo}/shield`, { shielded: true, reason: REASON }),
    undo: (c) => c.post(`/api/v1/children/${ctx.leo}/shield`, { shielded: false, reason: 'Shielded only for the access test' }),
  },
  'GET /api/v1/children/{leo}/join-requests': { send: (c) => c.get(`/api/v1/children/${ctx.leo}/join-requests`) },
  // Each cell decides (or withdraws) a fresh request by teacher.ellis; what is left is withdrawn,
  // and an approved request is undone by her leaving.
  'POST /api/v1/children/{leo}/join-requests/{new}/decision': {
    send: async (c) => {
      ctx.request = await ellisAsks();
      return c.post(`/api/v1/children/${ctx.leo}/join-requests/${ctx.request}/decision`,
                    { approve: true, reason: 'Approved for the access test' });
    },
    undo: () => clients.sameLA.post(`/api/v1/children/${ctx.leo}/team/leave`, { reason: 'Joined only for the access test' }),
    cleanup: () => ellisWithdraws(),
  },
  'POST /api/v1/children/{leo}/join-requests/{new}/withdraw': {
    send: async (c) => {
      ctx.request = await ellisAsks();
      return c.post(`/api/v1/children/${ctx.leo}/join-requests/${ctx.request}/withdraw`, {});
    },
    cleanup: () => ellisWithdraws(),
  },
  'GET /api/v1/join-requests': { send: (c) => c.get('/api/v1/join-requests') },
  'POST /api/v1/children/{glasschild}/break-glass': {
    send: (c, actor) => c.post(`/api/v1/children/${ctx.glassChild}/break-glass`, {
      reason_code: 'immediate_risk', reason: REASON, duration_hours: 1, password: WHO[actor]?.password ?? DEMO_PASSWORD,
    }),
  },
  'GET /api/v1/break-glass': { send: (c) => c.get('/api/v1/break-glass') },
  // Each cell reviews a fresh break-glass teacher.ellis made (nobody reviews their own).
  'POST /api/v1/break-glass/{new}/review': {
    send: async (c) => {
      const made = await clients.sameLA.post(`/api/v1/children/${ctx.glassChild}/break-glass`,
                                             { reason_code: 'missing_child', reason: REASON, password: DEMO_PASSWORD });
      assert.equal(made.status, 201, made.text);
      return c.post(`/api/v1/break-glass/${made.body.id}/review`, { justified: true, note: 'Reviewed for the access test' });
    },
  },
  'GET /api/v1/children/{leo}/audit': { send: (c) => c.get(`/api/v1/children/${ctx.leo}/audit?limit=20`) },
  'GET /api/v1/audit/actions': { send: (c) => c.get('/api/v1/audit/actions') },
  'GET /api/v1/audit/records': { send: (c) => c.get(`/api/v1/audit/records?child_id=${ctx.leo}&limit=5`) },
  'GET /api/v1/audit/export': { send: (c) => c.get(`/api/v1/audit/export?child_id=${ctx.leo}`) },
  'POST /api/v1/audit/children/find': { send: (c) => c.post('/api/v1/audit/children/find', { name: 'leo carter' }) },
  'POST /api/v1/audit/users/find': { send: (c) => c.post('/api/v1/audit/users/find', { name: 'hughes' }) },
  'GET /api/v1/audit/misuse': { send: (c) => c.get('/api/v1/audit/misuse') },
  'POST /api/v1/audit/misuse/runs': {
    send: (c) => c.post('/api/v1/audit/misuse/runs', { from: '2026-01-01', to: '2026-01-02' }),
  },
  // No flag exists: the auditor passes the access decision and finds none; everyone else is refused.
  'GET /api/v1/audit/misuse/{flag}': { send: (c) => c.get('/api/v1/audit/misuse/FNOSUCHFLAG') },
  'POST /api/v1/audit/misuse/{flag}/review': {
    send: (c) => c.post('/api/v1/audit/misuse/FNOSUCHFLAG/review', { note: 'Checked by the access test' }),
  },
  'PUT /api/v1/users/{yw.ali}/home': {
    send: (c) => c.put('/api/v1/users/Uyw_ali/home', { address: '1 Matrix Road, Northbrook', postcode: 'NB1 1AA' }),
  },
  'GET /api/v1/authorities': { send: (c) => c.get('/api/v1/authorities') },
  'POST /api/v1/authorities': {
    send: (c) => c.post('/api/v1/authorities', { code: `E0700${String(++unique).padStart(4, '0')}`,
                                                  name: `Matrix authority ${unique}` }),
  },
  'GET /api/v1/agencies': { send: (c) => c.get('/api/v1/agencies') },
  'POST /api/v1/agencies': {
    send: (c) => c.post('/api/v1/agencies', { authority_id: DEMO_AUTHORITY_ID, name: `Matrix agency ${++unique}`,
                                              kind: 'voluntary_sector' }),
  },
  'PUT /api/v1/agencies/{youth}': {
    send: (c) => c.put('/api/v1/agencies/AYOUTH', { name: 'Northbrook Youth Service', kind: 'youth_service',
                                                    phone: '01632 960702',
                                                    email: 'safeguarding@AYOUTH.northbrook.example',
                                                    address: 'Northbrook' }),
  },
  'GET /api/v1/users?authority_id={northbrook}': {
    send: (c) => c.get(`/api/v1/users?authority_id=${DEMO_AUTHORITY_ID}`),
  },
  'GET /api/v1/users/{yw.ali}': { send: (c) => c.get('/api/v1/users/Uyw_ali') },
  'POST /api/v1/users': {
    send: (c) => c.post('/api/v1/users', { username: `matrix.user${++unique}`, display_name: 'Matrix User',
                                           role: 'practitioner', authority_id: DEMO_AUTHORITY_ID,
                                           agency_id: 'AYOUTH', password: 'Copper-willow-meadow-55' }),
  },
  'PATCH /api/v1/users/{yw.ali}': {
    send: async (c) => c.patch('/api/v1/users/Uyw_ali', { version: await ywAliVersion(), job_title: 'Youth worker' }),
  },
  // Retention (issue 18): the rules are sent back unchanged with the version read just before; a
  // hold placed is released again, and each release is of a fresh hold the administrator placed.
  'GET /api/v1/authorities/{northbrook}/retention-rules': {
    send: (c) => c.get(`/api/v1/authorities/${DEMO_AUTHORITY_ID}/retention-rules`),
  },
  'PUT /api/v1/authorities/{northbrook}/retention-rules': {
    send: async (c) => {
      const read = await clients.admin.get(`/api/v1/authorities/${DEMO_AUTHORITY_ID}/retention-rules`);
      assert.equal(read.status, 200, read.text);
      const { authority_id: _a, updated_by: _b, updated_at: _c, ...rules } = read.body;
      return c.put(`/api/v1/authorities/${DEMO_AUTHORITY_ID}/retention-rules`, rules);
    },
  },
  'GET /api/v1/authorities/{northbrook}/legal-holds': {
    send: (c) => c.get(`/api/v1/authorities/${DEMO_AUTHORITY_ID}/legal-holds`),
  },
  'GET /api/v1/authorities/{northbrook}/retention-due': {
    send: (c) => c.get(`/api/v1/authorities/${DEMO_AUTHORITY_ID}/retention-due?days=90`),
  },
  'POST /api/v1/children/{leo}/legal-holds': {
    send: (c) => c.post(`/api/v1/children/${ctx.leo}/legal-holds`,
                        { kind: 'safeguarding_review', reason: 'Held for the access test', ends_on: ctx.holdEnds }),
    undo: (c, res) => c.post(`/api/v1/legal-holds/${res.body.id}/release`, { reason: 'Placed only for the access test' }),
  },
  'POST /api/v1/legal-holds/{new}/release': {
    send: async (c) => {
      const placed = await clients.admin.post(`/api/v1/children/${ctx.leo}/legal-holds`,
                                              { kind: 'litigation', reason: 'Held for the access test', ends_on: ctx.holdEnds });
      assert.equal(placed.status, 201, placed.text);
      ctx.hold = placed.body.id;
      return c.post(`/api/v1/legal-holds/${ctx.hold}/release`, { reason: 'Released by the access test' });
    },
    cleanup: async () => {
      const res = await clients.admin.post(`/api/v1/legal-holds/${ctx.hold}/release`, { reason: 'Released after the access test' });
      assert.ok(res.status === 200 || res.status === 409, res.text);
    },
  },
  // The child's account (issue 3). Rows that need a fresh target make it as the lead first.
  'GET /api/v1/children/{leo}/chronology': { send: (c) => c.get(`/api/v1/children/${ctx.leo}/chronology`) },
  'POST /api/v1/children/{leo}/chronology': {
    send: (c) => c.post(`/api/v1/children/${ctx.leo}/chronology`, MATRIX_ENTRY),
  },
  'POST /api/v1/children/{leo}/chronology/{new}/corrections': {
    send: async (c) => {
      const made = await clients.lead.post(`/api/v1/children/${ctx.leo}/chronology`, MATRIX_ENTRY);
      assert.equal(made.status, 201, made.text);
      return c.post(`/api/v1/children/${ctx.leo}/chronology/${made.body.id}/corrections`,
                    { summary: 'Access matrix entry (corrected)', reason: 'Correcting for the access test' });
    },
  },
  'GET /api/v1/children/{leo}/chronology/{entry}/history': {
    send: (c) => c.get(`/api/v1/children/${ctx.leo}/chronology/${ctx.entry}/history`),
  },
  'POST /api/v1/children/{leo}/chronology/import': {
    send: (c) => c.post(`/api/v1/children/${ctx.leo}/chronology/import`, undefined, {
      raw: 'date,agency,type,significance,summary\n2026-01-05,ACSC,note,routine,Imported by the access test\n',
      contentType: 'text/csv',
    }),
  },
  'GET /api/v1/children/{leo}/chronology/print': { send: (c) => c.get(`/api/v1/children/${ctx.leo}/chronology/print`) },
  'GET /api/v1/children/{leo}/contact-series': { send: (c) => c.get(`/api/v1/children/${ctx.leo}/contact-series`) },
  'GET /api/v1/children/{leo}/forum': { send: (c) => c.get(`/api/v1/children/${ctx.leo}/forum`) },
  'POST /api/v1/children/{leo}/forum': {
    send: (c) => c.post(`/api/v1/children/${ctx.leo}/forum`,
                        { category: 'question', title: 'Access matrix', body: 'A question for the team.' }),
  },
  'GET /api/v1/children/{leo}/forum/{thread}': {
    send: (c) => c.get(`/api/v1/children/${ctx.leo}/forum/${ctx.thread}`),
  },
  'POST /api/v1/children/{leo}/forum/{thread}/posts': {
    send: (c) => c.post(`/api/v1/children/${ctx.leo}/forum/${ctx.thread}/posts`, { body: 'A reply.' }),
  },
  'PUT /api/v1/children/{leo}/forum/{thread}/posts/{post}': {
    send: (c) => c.put(`/api/v1/children/${ctx.leo}/forum/${ctx.thread}/posts/${ctx.post}`,
                       { body: 'The opening post, edited by its author.' }),
  },
  'GET /api/v1/children/{leo}/forum/{thread}/posts/{post}/history': {
    send: (c) => c.get(`/api/v1/children/${ctx.leo}/forum/${ctx.thread}/posts/${ctx.post}/history`),
  },
  'POST /api/v1/children/{leo}/forum/{new}/promote': {
    send: async (c) => {
      const made = await clients.lead.post(`/api/v1/children/${ctx.leo}/forum`,
                                           { category: 'concern', title: 'To promote', body: 'A concern.' });
      assert.equal(made.status, 201, made.text);
      return c.post(`/api/v1/children/${ctx.leo}/forum/${made.body.thread.id}/promote`,
                    { occurred_on: '2026-01-05', type: 'incident', significance: 'notable' });
    },
  },
  'GET /api/v1/children/{leo}/word-cloud': { send: (c) => c.get(`/api/v1/children/${ctx.leo}/word-cloud?n=10`) },
  'GET /api/v1/children/{leo}/wheel': { send: (c) => c.get(`/api/v1/children/${ctx.leo}/wheel`) },
  'POST /api/v1/children/{leo}/wheel/people': {
    send: (c) => c.post(`/api/v1/children/${ctx.leo}/wheel/people`,
                        { name: 'Matrix Neighbour', relationship: 'neighbour', lives_with_child: false }),
  },
  'PUT /api/v1/children/{leo}/wheel/people/{person}': {
    send: (c) => c.put(`/api/v1/children/${ctx.leo}/wheel/people/${ctx.person}`,
                       { name: 'Matrix Aunt', relationship: 'aunt_uncle', lives_with_child: false, since: null,
                         date_of_birth: null, adult: true, notes: '' }),
  },
  'GET /api/v1/children/{leo}/summary': { send: (c) => c.get(`/api/v1/children/${ctx.leo}/summary`) },
  'GET /api/v1/relationship-types': { send: (c) => c.get('/api/v1/relationship-types') },
  'GET /api/v1/feed': { send: (c) => c.get('/api/v1/feed?limit=20') },
  'GET /api/v1/alerts': { send: (c) => c.get('/api/v1/alerts') },
  'POST /api/v1/alerts/{alert}/read': { send: (c) => c.post(`/api/v1/alerts/${ctx.alert}/read`, {}) },
  // The early help assessment (issue 7). Leo's open assessment is brought to the stage a row
  // needs, fresh for every cell (one open assessment per child; see earlyHelp below).
  'GET /api/v1/children/{leo}/early-help': { send: (c) => c.get(`/api/v1/children/${ctx.leo}/early-help`) },
  'POST /api/v1/children/{leo}/early-help': {
    send: async (c) => {
      await closeOpenAssessments();
      return c.post(`/api/v1/children/${ctx.leo}/early-help`, { content: EH_CONTENT });
    },
  },
  'GET /api/v1/children/{leo}/early-help/{assessment}': {
    send: (c) => c.get(`/api/v1/children/${ctx.leo}/early-help/${ctx.assessment}`),
  },
  'PUT /api/v1/children/{leo}/early-help/{draft}/draft': {
    send: async (c) => c.put(`${await earlyHelp('draft')}/draft`, { content: EH_CONTENT }),
  },
  'POST /api/v1/children/{leo}/early-help/{draft}/complete': {
    send: async (c) => c.post(`${await earlyHelp('draft')}/complete`, {}),
  },
  'POST /api/v1/children/{leo}/early-help/{completed}/versions': {
    send: async (c) => c.post(`${await earlyHelp('completed')}/versions`, {}),
  },
  'POST /api/v1/children/{leo}/early-help/{completed}/meetings': {
    send: async (c) => c.post(`${await earlyHelp('completed')}/meetings`, EH_MEETING),
  },
  'POST /api/v1/children/{leo}/early-help/{plan}/actions': {
    send: async (c) => c.post(`${await earlyHelp('plan')}/actions`, EH_ACTION),
  },
  'PUT /api/v1/children/{leo}/early-help/{plan}/actions/{action}/status': {
    send: async (c) => {
      const at = await earlyHelp('plan');
      return c.put(`${at}/actions/${ctx.action}/status`, { status: 'in_progress' });
    },
  },
  'POST /api/v1/children/{leo}/early-help/{plan}/reviews': {
    send: async (c) => c.post(`${await earlyHelp('plan')}/reviews`,
                              { held_on: '2026-01-06', progress: [{ need_id: 'N1', progress: 'met' }] }),
  },
  'POST /api/v1/children/{leo}/early-help/{plan}/close': {
    send: async (c) => c.post(`${await earlyHelp('plan')}/close`, { outcome: 'needs_met', summary: 'Needs met' }),
  },
  'POST /api/v1/children/{leo}/early-help/{assessment}/lead': {
    send: async (c) => c.post(`${await earlyHelp('draft')}/lead`, { user_id: 'Uhv_bennett', reason: REASON }),
    undo: () => clients.member.post(`/api/v1/children/${ctx.leo}/lead`,
                                    { user_id: 'Usw_hughes', reason: 'Handing the role back' }),
  },
  // The family portal (issue 5).
  'GET /api/v1/children/{leo}/family/invitations': {
    send: (c) => c.get(`/api/v1/children/${ctx.leo}/family/invitations`),
  },
  'POST /api/v1/children/{leo}/family/invitations': {
    send: (c) => c.post(`/api/v1/children/${ctx.leo}/family/invitations`,
                        { relation: 'parent_carer', name: 'Matrix Carer' }),
  },
  'POST /api/v1/children/{leo}/family/invitations/{new}/cancel': {
    send: async (c) => {
      const made = await invite(ctx.leo);
      return c.post(`/api/v1/children/${ctx.leo}/family/invitations/${made.id}/cancel`, {});
    },
  },
  'GET /api/v1/children/{leo}/family/members': { send: (c) => c.get(`/api/v1/children/${ctx.leo}/family/members`) },
  'POST /api/v1/children/{leo}/family/members/{parent}/suspend': {
    send: (c) => c.post(`/api/v1/children/${ctx.leo}/family/members/${ctx.parent}/suspend`,
                        { reason: 'Suspended for the access test' }),
    undo: () => clients.lead.post(`/api/v1/children/${ctx.leo}/family/members/${ctx.parent}/reinstate`,
                                  { reason: 'Reinstated after the access test' }),
  },
  'POST /api/v1/children/{leo}/family/members/{parent}/reinstate': {
    send: (c) => c.post(`/api/v1/children/${ctx.leo}/family/members/${ctx.parent}/reinstate`,
                        { reason: 'Reinstated for the access test' }),
  },
  'GET /api/v1/children/{leo}/family/entries': { send: (c) => c.get(`/api/v1/children/${ctx.leo}/family/entries`) },
  'PUT /api/v1/children/{leo}/visibility/{new}': {
    send: async (c) => {
      const made = await clients.lead.post(`/api/v1/children/${ctx.leo}/chronology`, MATRIX_ENTRY);
      assert.equal(made.status, 201, made.text);
      return c.put(`/api/v1/children/${ctx.leo}/visibility/${made.body.lineage_id}`,
                   { visibility: 'team', restriction_reason: 'risk_of_harm' });
    },
  },
  // The lead's own agency recorded it: the lead shares it at once, a member of another agency
  // asks the lead's agency to agree; both answer 200.
  'POST /api/v1/children/{leo}/visibility/{new}/release': {
    send: async (c) => {
      const made = await clients.lead.post(`/api/v1/children/${ctx.leo}/chronology`, MATRIX_ENTRY);
      assert.equal(made.status, 201, made.text);
      return c.post(`/api/v1/children/${ctx.leo}/visibility/${made.body.lineage_id}/release`,
                    { reason: 'The family asked to see it' });
    },
  },
  // A member of another agency asked the lead's agency: the lead answers; the member's own
  // agency has nothing waiting (404).
  'POST /api/v1/children/{leo}/visibility/{asked}/release/decision': {
    send: async (c) => {
      const made = await clients.lead.post(`/api/v1/children/${ctx.leo}/chronology`, MATRIX_ENTRY);
      assert.equal(made.status, 201, made.text);
      const asked = await clients.member.post(`/api/v1/children/${ctx.leo}/visibility/${made.body.lineage_id}/release`,
                                              { reason: 'The family asked to see it' });
      assert.equal(asked.status, 200, asked.text);
      return c.post(`/api/v1/children/${ctx.leo}/visibility/${made.body.lineage_id}/release/decision`,
                    { decision: 'agree', reason: 'Nothing in it puts anyone at risk' });
    },
  },
  'GET /api/v1/children/{leo}/family/releases': { send: (c) => c.get(`/api/v1/children/${ctx.leo}/family/releases`) },
  'GET /api/v1/me/caseload': { send: (c) => c.get('/api/v1/me/caseload') },
  'GET /api/v1/children/{leo}/restrictions': { send: (c) => c.get(`/api/v1/children/${ctx.leo}/restrictions`) },
  'POST /api/v1/children/{leo}/restrictions/{new}/review': {
    send: async (c) => {
      const made = await clients.lead.post(`/api/v1/children/${ctx.leo}/chronology`,
                                           { ...MATRIX_ENTRY, visibility: 'team', restriction_reason: 'third_party' });
      assert.equal(made.status, 201, made.text);
      return c.post(`/api/v1/children/${ctx.leo}/restrictions/${made.body.lineage_id}/review`, { decision: 'confirm' });
    },
  },
  'POST /api/v1/children/{leo}/subject-access': {
    send: (c) => c.post(`/api/v1/children/${ctx.leo}/subject-access`, { reason: 'Subject access request SAR-1' }),
  },
  'GET /api/v1/authority/family-settings': { send: (c) => c.get('/api/v1/authority/family-settings') },
  'PUT /api/v1/authority/family-settings': {
    send: (c) => c.put('/api/v1/authority/family-settings', { defaults: { note: 'team_and_family' } }),
  },
  'POST /api/v1/family/redeem': {
    send: async (c) => {
      const made = await invite(ctx.leo);
      return c.post('/api/v1/family/redeem', {
        code: made.code, child_date_of_birth: ctx.leoDob, postcode: ctx.leoPostcode,
        username: `matrix.family${++unique}`, password: 'Copper-willow-meadow-55', display_name: 'Matrix Family',
      });
    },
  },
  'POST /api/v1/family/links': {
    send: async (c) => {
      const made = await invite(ctx.sibling.id);
      return c.post('/api/v1/family/links', { code: made.code, child_date_of_birth: ctx.sibling.dob,
                                              postcode: ctx.sibling.postcode });
    },
  },
  'GET /api/v1/family/children': { send: (c) => c.get('/api/v1/family/children') },
  'GET /api/v1/family/children/{leo}': { send: (c) => c.get(`/api/v1/family/children/${ctx.leo}`) },
  'POST /api/v1/family/children/{leo}/entries': {
    send: (c) => c.post(`/api/v1/family/children/${ctx.leo}/entries`,
                        { kind: 'thoughts', text: 'Written for the access test.' }),
  },
  'GET /api/v1/family/export': { send: (c) => c.get('/api/v1/family/export') },
  'GET /healthz': { send: (c) => c.get('/healthz') },
  'GET /metrics': { send: (c) => c.get('/metrics') },
};

// teacher.ellis (Leo's authority, not involved) asks to join Leo's team; returns the request's id.
async function ellisAsks() {
  const asked = await clients.sameLA.post(`/api/v1/children/${ctx.leo}/team`, { role: 'Class teacher', reason: REASON });
  assert.equal(asked.status, 202, asked.text);
  return asked.body.id;
}

// Withdraws ctx.request if it is still pending.
async function ellisWithdraws() {
  const res = await clients.sameLA.post(`/api/v1/children/${ctx.leo}/join-requests/${ctx.request}/withdraw`, {});
  assert.ok(res.status === 200 || res.status === 409, res.text);
}

// A fresh invitation to the family portal for a child of the lead professional's.
async function invite(childId) {
  const made = await clients.lead.post(`/api/v1/children/${childId}/family/invitations`,
                                       { relation: 'parent_carer', name: 'Matrix Parent' });
  assert.equal(made.status, 201, made.text);
  return made.body;
}

before(async () => {
  // The national administrator is made with the CLI before the server starts, as an operator would.
  const dataDir = makeDataDir();
  const demo = runCli(dataDir, ['demo']);
  assert.equal(demo.code, 0, demo.stderr);
  const add = runCli(dataDir, ['user', 'add', '--role', 'national_admin', '--username', 'nat.admin',
                               '--name', 'Nadia National', '--password-stdin'], { input: `${NATIONAL_PASSWORD}\n` });
  assert.equal(add.code, 0, add.stderr);
  // A feed imported twice over: the second source's record waits for clerical review.
  const feed = (name, text) => {
    const file = path.join(dataDir, name);
    writeFileSync(file, text);
    const imported = runCli(dataDir, ['import', file]);
    assert.equal(imported.code, 0, imported.stderr);
  };
  feed('school.csv', 'record_id,source,given_name,family_name,date_of_birth,sex,postcode,address\n' +
                     'S3,Hillside Primary,Priya,Sharma,2015-03-07,F,NB4 7QT,12 Elm Road\n');
  feed('gp.csv', 'record_id,source,given_name,family_name,sex,postcode\n' +
                 'G3,Brook Surgery,Priya,Sharma,F,NB9 1ZZ\n');
  server = await KithServer.start({ dataDir });

  const national = server.client();
  assert.equal((await national.signIn('nat.admin', NATIONAL_PASSWORD)).body.state, 'enrolment_required');
  WHO.national.totp = await national.enrol(NATIONAL_PASSWORD);
  clients.national = national;

  // Another local authority with an agency and a practitioner.
  const la = await national.post('/api/v1/authorities', { code: 'E06000099', name: 'Westmarsh' });
  assert.equal(la.status, 201, la.text);
  const agency = await national.post('/api/v1/agencies', { authority_id: la.body.id, name: 'Westmarsh Primary',
                                                           kind: 'school' });
  assert.equal(agency.status, 201, agency.text);
  const west = await national.post('/api/v1/users', {
    username: 'teacher.west', display_name: 'Wendy West', job_title: 'Class teacher', role: 'practitioner',
    authority_id: la.body.id, agency_id: agency.body.id, password: WEST_PASSWORD,
  });
  assert.equal(west.status, 201, west.text);

  const admin = server.client();
  assert.equal((await admin.signIn('admin.lee')).body.state, 'enrolment_required');
  WHO.admin.totp = await admin.enrol();
  clients.admin = admin;
  // An information governance officer: an auditor the administrator gives the permission.
  const ig = await admin.post('/api/v1/users', {
    username: 'ig.officer', display_name: 'Isla Gray', job_title: 'Information governance officer', role: 'auditor',
    authority_id: DEMO_AUTHORITY_ID, agency_id: 'ACSC', password: WHO.ig.password,
  });
  assert.equal(ig.status, 201, ig.text);
  const granted = await admin.patch(`/api/v1/users/${ig.body.id}`, { version: ig.body.version, information_governance: true });
  assert.equal(granted.status, 200, granted.text);

  for (const actor of ACTORS) clients[actor] ??= await signIn(actor);
  const mine = await clients.lead.get('/api/v1/me/children');
  ctx.leo = mine.body.children.find((k) => k.given_names === 'Leo' && k.family_name === 'Carter').child_id;
  // A request to join that waits, and break-glass in force and ended early, on Leo.
  const pending = await clients.pending.post(`/api/v1/children/${ctx.leo}/team`, { role: 'School nurse', reason: REASON });
  assert.equal(pending.status, 202, pending.text);
  const glass = await clients.glass.post(`/api/v1/children/${ctx.leo}/break-glass`,
                                         { reason_code: 'immediate_risk', reason: REASON, password: DEMO_PASSWORD });
  assert.equal(glass.status, 201, glass.text);
  const ended = await clients.ended.post(`/api/v1/children/${ctx.leo}/break-glass`,
                                         { reason_code: 'missing_child', reason: REASON, password: DEMO_PASSWORD });
  assert.equal(ended.status, 201, ended.text);
  const ending = await clients.manager.post(`/api/v1/break-glass/${ended.body.id}/review`,
                                            { justified: false, note: 'Not an emergency: ended at once', end: true });
  assert.equal(ending.status, 200, ending.text);
  const glassChild = await clients.lead.post('/api/v1/children', {
    given_names: 'Matrix', family_name: 'Glass', date_of_birth: '2020-06-07', reason: REASON,
  });
  assert.equal(glassChild.status, 201, glassChild.text);
  ctx.glassChild = glassChild.body.child.id;
  const rubys = await (await signedIn(server, 'sw.taylor')).get('/api/v1/me/children');
  ctx.ruby = rubys.body.children.find((k) => k.given_names === 'Ruby' && k.family_name === 'Nowak').child_id;
  const reviews = await clients.manager.get('/api/v1/index/reviews');
  assert.equal(reviews.body.reviews.length, 1, reviews.text);
  ctx.review = reviews.body.reviews[0].id;
  ctx.reviewCandidate = (await clients.manager.get(`/api/v1/index/reviews/${ctx.review}`)).body.candidates[0].child.id;
  // An upload by the index steward, its first part sent.
  const matrixFeed = 'record_id,source,given_name,family_name\nP1,Matrix Parts,Parted,Upload\n';
  const first = await clients.steward.request('POST', '/api/v1/index/imports?last=false',
                                              { raw: matrixFeed.slice(0, 30), contentType: 'text/csv' });
  assert.equal(first.status, 202, first.text);
  ctx.import = { id: first.body.id, sent: 30, rest: matrixFeed.slice(30) };

  // Targets in Leo's account, made by the lead professional.
  const entry = await clients.lead.post(`/api/v1/children/${ctx.leo}/chronology`, MATRIX_ENTRY);
  assert.equal(entry.status, 201, entry.text);
  ctx.entry = entry.body.id;
  const thread = await clients.lead.post(`/api/v1/children/${ctx.leo}/forum`,
                                         { category: 'observation', title: 'Matrix thread', body: 'Opening post.' });
  assert.equal(thread.status, 201, thread.text);
  ctx.thread = thread.body.thread.id;
  ctx.post = thread.body.posts[0].id;
  const person = await clients.lead.post(`/api/v1/children/${ctx.leo}/wheel/people`,
                                         { name: 'Matrix Aunt', relationship: 'aunt_uncle', lives_with_child: false });
  assert.equal(person.status, 201, person.text);
  ctx.person = person.body.id;
  ctx.assessment = (await earlyHelp('draft')).split('/').at(-1);
  // The family portal: Leo's identity check, a child the lead professional registers, for linking, and a
  // second parent to suspend (so that tracey.carter's own session survives the matrix).
  const leo = await clients.lead.get(`/api/v1/children/${ctx.leo}`);
  ctx.leoDob = leo.body.child.date_of_birth;
  ctx.leoPostcode = leo.body.child.postcode;
  const sibling = await clients.lead.post('/api/v1/children', {
    given_names: 'Matrix', family_name: 'Sibling', date_of_birth: '2021-02-03', postcode: 'NB1 4QT', reason: REASON,
  });
  assert.equal(sibling.status, 201, sibling.text);
  ctx.sibling = { id: sibling.body.child.id, dob: '2021-02-03', postcode: 'NB1 4QT' };
  const parentInvite = await invite(ctx.leo);
  const parent = await clients.anon.post('/api/v1/family/redeem', {
    code: parentInvite.code, child_date_of_birth: ctx.leoDob, postcode: ctx.leoPostcode,
    username: 'matrix.parent', password: 'Copper-willow-meadow-55', display_name: 'Matrix Parent',
  });
  assert.equal(parent.status, 201, parent.text);
  ctx.parent = parent.body.user_id;
  // Legal holds end a year after the server's today.
  ctx.holdEnds = new Date(await server.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  const alerts = await clients.lead.get('/api/v1/alerts');
  assert.ok(alerts.body.alerts.length > 0, 'the demo gives the lead professional alerts');
  ctx.alert = alerts.body.alerts[0].id;
});

after(async () => {
  await server?.dispose();
});

describe('access policy: every endpoint for every caller', () => {
  for (const row of ROWS) {
    const key = `${row.method} ${row.target}`;
    test(key, async () => {
      const how = REQUESTS[key];
      assert.ok(how, `no request defined for ${key}`);
      const got = {};
      const head = auditHead();
      for (const actor of ACTORS) {
        const c = how.fresh ? await signIn(actor) : clients[actor];
        const res = await how.send(c, actor);
        got[actor] = res.status;
        if (how.undo && res.status === row.expect[actor] && res.status < 300) {
          const undone = await how.undo(c, res);
          assert.ok(undone.status < 300, `undoing ${key} for ${actor}: ${undone.status} ${undone.text}`);
        }
        if (how.cleanup) await how.cleanup();
      }
      written.set(key, { got, records: auditSince(head) });
      assert.deepEqual(got, row.expect);
    });
  }
});

// The live-updates WebSocket: the upgrade is authenticated (session cookie, same origin) and
// only practitioners, managers and family members may open it. What each message may carry is checked per
// message against the subscriber's access to the child (src/http/account_api_test.cpp).
function upgrade(cookie, origin) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1', () => socket.write(
      `GET /api/v1/live HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n` + 'Upgrade: websocket\r\nConnection: Upgrade\r\n'
      + 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n'
      + `Origin: ${origin}\r\n${cookie ? `Cookie: ${cookie}\r\n` : ''}\r\n`));
    socket.setTimeout(5_000, () => socket.destroy(new Error('no answer within 5 s')));
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      if (data.includes('\r\n\r\n')) {
        socket.destroy();
        resolve(Number(data.split(' ')[1]));
      }
    });
    socket.on('error', reject);
  });
}

describe('access policy: the live-updates WebSocket', () => {
  const expected = { member: 101, lead: 101, sameLA: 101, elsewhere: 101, manager: 101, steward: 101, admin: 403,
                     national: 403, auditor: 403, family: 101, anon: 401, involved: 101, pending: 101, glass: 101,
                     ended: 101, ig: 403 };
  test('GET /api/v1/live upgrade for every caller', async () => {
    const got = {};
    for (const actor of ACTORS) got[actor] = await upgrade(clients[actor].cookie, `http://127.0.0.1:${server.port}`);
    assert.deepEqual(got, expected);
  });
  test('an upgrade from another origin is refused', async () => {
    assert.equal(await upgrade(clients.lead.cookie, 'https://evil.example'), 403);
  });
});

// --- Every route writes its audit record (issue 14) ------------------------------------------
// Each cell of the table above, allowed or refused, must leave a record of the caller with the
// route's action: "allowed" for a 2xx answer, "denied" or "failed" otherwise. Records are read
// from the server's database row by row (every record a row's cells wrote, with what set them up
// and undid them, all by their callers). Anonymous callers are refused (401) before any route runs
// and are not recorded as anyone; the family portal's redeem makes its caller a new user, so its
// records are counted instead.

// The action each route writes (any of them, where a route writes one of several).
const AUDITED = {
  'DELETE /api/v1/session': 'session.delete',
  'POST /api/v1/session/second-factor': 'session.second_factor',
  'POST /api/v1/me/second-factor/enrolment': ['totp.enrol.start', 'totp.enrol'],
  'POST /api/v1/me/second-factor/enrolment/confirm': 'totp.enrol',
  'GET /api/v1/me/children': 'children.mine',
  'GET /api/v1/me/caseload': 'caseload.read',
  'POST /api/v1/children': 'child.create',
  'GET /api/v1/children/{leo}': 'child.read',
  'PUT /api/v1/children/{leo}': 'child.update',
  'POST /api/v1/children/{leo}/signposting': 'child.signposting',
  'POST /api/v1/search': 'child.search',
  'GET /api/v1/index/reviews': 'index.review.list',
  'GET /api/v1/index/reviews/{review}': 'index.review.read',
  'POST /api/v1/index/reviews/{review}/decision': 'index.review.decide',
  'POST /api/v1/index/merges': 'index.merge',
  'GET /api/v1/index/merges/{merge}': 'index.merge.read',
  'POST /api/v1/index/merges/{merge}/undo': 'index.unmerge',
  'POST /api/v1/index/imports': 'index.import.start',
  'POST /api/v1/index/imports/{import}/parts': ['index.import.part', 'index.import.received'],
  'GET /api/v1/index/imports': 'index.import.list',
  'GET /api/v1/index/imports/{import}': 'index.import.read',
  'GET /api/v1/index/imports/{import}/rows': 'index.import.rows',
  'POST /api/v1/children/{leo}/team': ['team.join', 'team.join_request'],
  'POST /api/v1/children/{leo}/team/leave': 'team.leave',
  'POST /api/v1/children/{leo}/lead': 'team.lead_change',
  'POST /api/v1/children/{leo}/shield': 'child.shield',
  'GET /api/v1/children/{leo}/join-requests': 'team.join_requests',
  'POST /api/v1/children/{leo}/join-requests/{new}/decision': 'team.join_approve',
  'POST /api/v1/children/{leo}/join-requests/{new}/withdraw': 'team.join_withdraw',
  'GET /api/v1/join-requests': 'team.join_inbox',
  'POST /api/v1/children/{glasschild}/break-glass': 'break_glass.start',
  'GET /api/v1/break-glass': 'break_glass.list',
  'POST /api/v1/break-glass/{new}/review': 'break_glass.review',
  'GET /api/v1/children/{leo}/audit': 'child.audit_trail',
  'GET /api/v1/audit/records': 'audit.records',
  'GET /api/v1/audit/export': 'audit.records.export',
  'POST /api/v1/audit/children/find': 'audit.find_child',
  'POST /api/v1/audit/users/find': 'audit.find_user',
  'GET /api/v1/audit/misuse': 'misuse.report',
  'POST /api/v1/audit/misuse/runs': 'misuse.run',
  'GET /api/v1/audit/misuse/{flag}': 'misuse.flag.read',
  'POST /api/v1/audit/misuse/{flag}/review': 'misuse.flag.review',
  'PUT /api/v1/users/{yw.ali}/home': 'user.home',
  'POST /api/v1/authorities': 'authority.create',
  'POST /api/v1/agencies': 'agency.create',
  'PUT /api/v1/agencies/{youth}': 'agency.update',
  'GET /api/v1/users?authority_id={northbrook}': 'user.list',
  'GET /api/v1/users/{yw.ali}': 'user.read',
  'POST /api/v1/users': 'user.create',
  'PATCH /api/v1/users/{yw.ali}': 'user.update',
  'GET /api/v1/authorities/{northbrook}/retention-rules': 'retention.rules.read',
  'PUT /api/v1/authorities/{northbrook}/retention-rules': 'retention.rules.update',
  'GET /api/v1/authorities/{northbrook}/legal-holds': 'retention.hold.list',
  'GET /api/v1/authorities/{northbrook}/retention-due': 'retention.due.read',
  'POST /api/v1/children/{leo}/legal-holds': 'retention.hold.place',
  'POST /api/v1/legal-holds/{new}/release': 'retention.hold.release',
  'GET /api/v1/children/{leo}/chronology': 'chronology.read',
  'POST /api/v1/children/{leo}/chronology': 'chronology.add',
  'POST /api/v1/children/{leo}/chronology/{new}/corrections': 'chronology.correct',
  'GET /api/v1/children/{leo}/chronology/{entry}/history': 'chronology.history',
  'POST /api/v1/children/{leo}/chronology/import': 'chronology.import',
  'GET /api/v1/children/{leo}/chronology/print': 'chronology.print',
  'GET /api/v1/children/{leo}/contact-series': 'contact_series.read',
  'GET /api/v1/children/{leo}/forum': 'forum.read',
  'POST /api/v1/children/{leo}/forum': 'forum.thread_create',
  'GET /api/v1/children/{leo}/forum/{thread}': 'forum.read',
  'POST /api/v1/children/{leo}/forum/{thread}/posts': 'forum.post',
  'PUT /api/v1/children/{leo}/forum/{thread}/posts/{post}': 'forum.edit',
  'GET /api/v1/children/{leo}/forum/{thread}/posts/{post}/history': 'forum.history',
  'POST /api/v1/children/{leo}/forum/{new}/promote': 'forum.promote',
  'GET /api/v1/children/{leo}/word-cloud': 'word_cloud.read',
  'GET /api/v1/children/{leo}/wheel': 'wheel.read',
  'POST /api/v1/children/{leo}/wheel/people': 'wheel.person_add',
  'PUT /api/v1/children/{leo}/wheel/people/{person}': 'wheel.person_update',
  'GET /api/v1/children/{leo}/summary': 'account.summary',
  'GET /api/v1/feed': 'feed.read',
  'GET /api/v1/alerts': 'alerts.read',
  'POST /api/v1/alerts/{alert}/read': 'alert.read',
  'GET /api/v1/children/{leo}/early-help': 'early_help.list',
  'POST /api/v1/children/{leo}/early-help': 'early_help.start',
  'GET /api/v1/children/{leo}/early-help/{assessment}': 'early_help.read',
  'PUT /api/v1/children/{leo}/early-help/{draft}/draft': 'early_help.edit',
  'POST /api/v1/children/{leo}/early-help/{draft}/complete': 'early_help.complete',
  'POST /api/v1/children/{leo}/early-help/{completed}/versions': 'early_help.new_version',
  'POST /api/v1/children/{leo}/early-help/{completed}/meetings': 'early_help.meeting',
  'POST /api/v1/children/{leo}/early-help/{plan}/actions': 'early_help.action_add',
  'PUT /api/v1/children/{leo}/early-help/{plan}/actions/{action}/status': 'early_help.action_status',
  'POST /api/v1/children/{leo}/early-help/{plan}/reviews': 'early_help.review',
  'POST /api/v1/children/{leo}/early-help/{plan}/close': 'early_help.close',
  'POST /api/v1/children/{leo}/early-help/{assessment}/lead': 'early_help.handover',
  'GET /api/v1/children/{leo}/family/invitations': 'family.invitations',
  'POST /api/v1/children/{leo}/family/invitations': 'family.invite',
  'POST /api/v1/children/{leo}/family/invitations/{new}/cancel': 'family.invitation_cancel',
  'GET /api/v1/children/{leo}/family/members': 'family.members',
  'POST /api/v1/children/{leo}/family/members/{parent}/suspend': 'family.suspend',
  'POST /api/v1/children/{leo}/family/members/{parent}/reinstate': 'family.reinstate',
  'GET /api/v1/children/{leo}/family/entries': 'family.entries_read',
  'PUT /api/v1/children/{leo}/visibility/{new}': 'family.visibility_set',
  'POST /api/v1/children/{leo}/visibility/{new}/release': 'family.release',
  'POST /api/v1/children/{leo}/visibility/{asked}/release/decision': ['family.release_agree', 'family.release_decline'],
  'GET /api/v1/children/{leo}/family/releases': 'family.releases',
  'GET /api/v1/children/{leo}/restrictions': 'family.restrictions',
  'POST /api/v1/children/{leo}/restrictions/{new}/review': 'family.restriction_confirm',
  'POST /api/v1/children/{leo}/subject-access': 'family.subject_access',
  'GET /api/v1/authority/family-settings': 'family.settings_read',
  'PUT /api/v1/authority/family-settings': 'family.settings_update',
  'POST /api/v1/family/redeem': 'family.redeem',
  'POST /api/v1/family/links': 'family.link',
  'GET /api/v1/family/children': 'family.children',
  'GET /api/v1/family/children/{leo}': 'family.child_read',
  'POST /api/v1/family/children/{leo}/entries': 'family.entry_add',
  'GET /api/v1/family/export': 'family.export',
};

// Routes that write nothing, and why.
const UNAUDITED = {
  'GET /api/v1/session': 'the caller\'s own session',
  'GET /api/v1/audit/actions': 'the catalogue of action names',
  'GET /api/v1/authorities': 'reference data: the names of local authorities',
  'GET /api/v1/agencies': 'reference data: agencies and their public contacts',
  'GET /api/v1/relationship-types': 'reference data',
  'GET /healthz': 'says only healthy or not',
  'GET /metrics': 'counts, nothing personal',
};

// The audit records each row of the table wrote: key -> { got: statuses by caller, records }.
const written = new Map();

// Where the log stood: on SQLite the newest seq of its one chain; on PostgreSQL (a chain per
// connection) the newest record's place in append order (audit_log.id). The cells run one after
// another, so what was appended after the mark is what the cell wrote.
const ORDER = BACKEND === 'postgres' ? 'id' : 'seq';

function auditHead() {
  return Number(sqlValue(server.dataDir, `SELECT COALESCE(MAX(${ORDER}), 0) FROM audit_log;`));
}

function auditSince(mark) {
  const query = BACKEND === 'postgres'
    ? `SELECT COALESCE(jsonb_agg(jsonb_build_object('actor_id', actor_id, 'action', action, 'outcome', outcome)
         ORDER BY id), '[]') FROM audit_log WHERE id > ${Number(mark)};`
    : `SELECT json_group_array(json_object('actor_id', actor_id, 'action', action, 'outcome', outcome))
         FROM (SELECT * FROM audit_log WHERE seq > ${Number(mark)} ORDER BY seq);`;
  return JSON.parse(sqlValue(server.dataDir, query));
}

describe('every route writes its audit record', () => {
  test('every route is listed as audited or not, once', () => {
    for (const row of ROWS) {
      const key = `${row.method} ${row.target}`;
      assert.ok((key in AUDITED) !== (key in UNAUDITED), `${key}: in AUDITED or UNAUDITED, not both`);
    }
  });

  test('every cell of the table left its caller\'s record', async () => {
    const ids = {};
    for (const actor of ACTORS) {
      if (actor !== 'anon') ids[actor] = (await clients[actor].get('/api/v1/session')).body.user.id;
    }
    const problems = [];
    for (const row of ROWS) {
      const key = `${row.method} ${row.target}`;
      const cells = written.get(key);
      assert.ok(cells, `${key} ran`);
      if (key in UNAUDITED) continue;
      const actions = [AUDITED[key]].flat();
      if (key === 'POST /api/v1/family/redeem') {
        const redeemed = cells.records.filter((r) => r.action === 'family.redeem' && r.outcome === 'allowed').length;
        const made = Object.values(cells.got).filter((status) => status === 201).length;
        if (redeemed !== made) problems.push(`${key}: ${made} accounts made, ${redeemed} family.redeem records`);
        continue;
      }
      for (const actor of ACTORS) {
        if (actor === 'anon') continue;
        const status = cells.got[actor];
        const mine = cells.records.filter((r) => r.actor_id === ids[actor] && actions.includes(r.action));
        const recorded = mine.some((r) => (status < 300 ? r.outcome === 'allowed' : r.outcome !== 'allowed'));
        if (!recorded) problems.push(`${key} as ${actor} (${status}): no ${actions.join(' or ')} record`);
      }
    }
    assert.deepEqual(problems, []);
  });
});

describe('the table covers the API', () => {
  test('every route the server registers has a row', () => {
    const rows = new Set(ROWS.map((r) => normaliseRoute(r.method, r.target.split('?')[0])));
    // Signing in is the same for every caller (session.test.mjs, rate_limit.test.mjs), and
    // the test clock and sqlmap's injectable control exist only in the test build.
    const exempt = new Set(['POST /api/v1/session', 'POST /api/v1/test/clock', 'POST /api/v1/test/injectable']);
    const missing = [...registeredRoutes()]
      .filter(([route]) => !exempt.has(route) && !rows.has(route))
      .map(([route]) => route);
    assert.deepEqual(missing, []);
  });
});

test('the server stops cleanly on SIGTERM', async () => {
  await server.close();
});
