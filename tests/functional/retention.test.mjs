// Retention for an administrator (issue 18; docs/retention.md): reading and changing the
// authority's rules, placing and releasing legal holds, and seeing what falls due in the next 90
// days, as admin.lee of Northbrook would through the API; and the team recording what decides
// how long a record is kept (care leaver and SEN flags, a death). Bad input is refused naming the
// field and changes nothing; rules that would purge a child under a hold are refused.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { DEMO_AUTHORITY_ID, KithServer, leoCarterId, makeDataDir, runCli, signedIn, sqlValue } from './harness.mjs';

const RULES = `/api/v1/authorities/${DEMO_AUTHORITY_ID}/retention-rules`;
const HOLDS = `/api/v1/authorities/${DEMO_AUTHORITY_ID}/legal-holds`;
const DUE = `/api/v1/authorities/${DEMO_AUTHORITY_ID}/retention-due`;
const DEFAULTS = { archive_age_years: 18, extended_archive_age_years: 25, purge_after_archive_years: 6,
                   purge_after_death_years: 6, remove_unused_after_months: 24 };

let server;
let admin;
let today;        // the server's day, YYYY-MM-DD
let unused;       // a child from a source feed: no team, no service (removal from the index in 24 months)
let nearly18;     // a child from a source feed who turns 18 in 30 days

const day = (ms) => new Date(ms).toISOString().slice(0, 10);
const addDays = (date, n) => day(Date.parse(date) + n * 86_400_000);

before(async () => {
  const dataDir = makeDataDir();
  assert.equal(runCli(dataDir, ['demo']).code, 0);
  const now = Date.now();
  const born = new Date(now + 30 * 86_400_000);
  born.setUTCFullYear(born.getUTCFullYear() - 18);
  const feed = path.join(dataDir, 'feed.csv');
  writeFileSync(feed, 'record_id,source,given_name,family_name,date_of_birth,sex,postcode,address\n' +
                      'R1,Retention Feed,Holly,Heldfast,2019-04-05,F,NB4 1AA,1 Quay Street\n' +
                      `R2,Retention Feed,Nina,Nearly,${day(born)},F,NB4 1AB,2 Quay Street\n`);
  const imported = runCli(dataDir, ['import', feed]);
  assert.equal(imported.code, 0, imported.stderr);
  unused = sqlValue(dataDir, "SELECT id FROM children WHERE family_name = 'Heldfast';");
  nearly18 = sqlValue(dataDir, "SELECT id FROM children WHERE family_name = 'Nearly';");
  assert.match(unused, /^K/);
  assert.match(nearly18, /^K/);
  server = await KithServer.start({ dataDir });
  today = day(await server.now());
  admin = server.client();
  await admin.signIn('admin.lee');
  await admin.enrol();
});
after(async () => {
  await server?.dispose();
});

async function rules() {
  const res = await admin.get(RULES);
  assert.equal(res.status, 200, res.text);
  return res.body;
}

describe('the retention rules', () => {
  test('start as the defaults, version 0, and are refused to practitioners', async () => {
    const read = await rules();
    assert.deepEqual(read, { authority_id: DEMO_AUTHORITY_ID, version: 0, updated_by: null, updated_at: null,
                             ...DEFAULTS });
    const practitioner = await signedIn(server, 'sw.hughes');
    assert.equal((await practitioner.get(RULES)).status, 403);
    assert.equal((await practitioner.put(RULES, { version: 0, ...DEFAULTS })).status, 403);
  });

  test('bad input and contradictory rules are refused naming the field, and nothing changes', async () => {
    const cases = [
      [{ ...DEFAULTS }, 'version'],
      [{ version: 0, ...DEFAULTS, purge_after_archive_years: undefined }, 'purge_after_archive_years'],
      [{ version: 0, ...DEFAULTS, archive_age_years: 'eighteen' }, 'archive_age_years'],
      [{ version: 0, ...DEFAULTS, archive_age_years: 17.5 }, 'archive_age_years'],
      [{ version: 0, ...DEFAULTS, keep_for_ever: true }, 'keep_for_ever'],
      [{ version: 0, ...DEFAULTS, purge_after_archive_years: 0 }, 'purge_after_archive_years'],
      [{ version: 0, ...DEFAULTS, purge_after_death_years: -1 }, 'purge_after_death_years'],
      [{ version: 0, ...DEFAULTS, extended_archive_age_years: 16 }, 'extended_archive_age_years'],
      [{ version: 0, ...DEFAULTS, archive_age_years: 0 }, 'archive_age_years'],
      [{ version: 0, ...DEFAULTS, remove_unused_after_months: 1201 }, 'remove_unused_after_months'],
      [{ version: 0, ...DEFAULTS, remove_unused_after_months: 2 ** 40 }, 'remove_unused_after_months'],
    ];
    for (const [body, field] of cases) {
      const res = await admin.put(RULES, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.field, field, JSON.stringify(body));
      assert.ok(res.body.detail.length > 10, res.text);
    }
    const contradiction = await admin.put(RULES, { version: 0, ...DEFAULTS, extended_archive_age_years: 16 });
    assert.match(contradiction.body.detail, /below archive_age_years/);
    assert.equal((await rules()).version, 0, 'nothing was stored');
  });

  test('a change is stored with its version; a change made on a stale version is refused', async () => {
    const changed = await admin.put(RULES, { version: 0, ...DEFAULTS, purge_after_archive_years: 7 });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.version, 1);
    assert.equal(changed.body.purge_after_archive_years, 7);
    assert.equal(changed.body.updated_by, 'Uadmin_lee');
    const stale = await admin.put(RULES, { version: 0, ...DEFAULTS, purge_after_archive_years: 8 });
    assert.equal(stale.status, 409);
    assert.match(stale.body.detail, /changed by someone else/);
    const read = await rules();
    assert.equal(read.version, 1);
    assert.equal(read.purge_after_archive_years, 7);
  });
});

describe('legal holds', () => {
  let hold;

  test('bad input is refused naming the field, and no hold is placed', async () => {
    const good = { kind: 'inquiry', reason: 'Independent inquiry into the placement', ends_on: addDays(today, 365) };
    const cases = [
      [{ ...good, kind: 'lawsuit' }, 'kind'],
      [{ ...good, kind: undefined }, 'kind'],
      [{ ...good, reason: 'short' }, 'reason'],
      [{ ...good, ends_on: 'next year' }, 'ends_on'],
      [{ ...good, ends_on: addDays(today, -1) }, 'ends_on'],
      [{ ...good, ends_on: addDays(today, 11 * 366) }, 'ends_on'],
      [{ ...good, until: good.ends_on }, 'until'],
    ];
    for (const [body, field] of cases) {
      const res = await admin.post(`/api/v1/children/${unused}/legal-holds`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.field, field, JSON.stringify(body));
    }
    assert.equal((await admin.post('/api/v1/children/KNOSUCHCHILD00000/legal-holds', good)).status, 404);
    const holds = await admin.get(HOLDS);
    assert.equal(holds.status, 200, holds.text);
    assert.deepEqual(holds.body.holds, []);
  });

  test('a hold placed is in force from today and listed', async () => {
    const placed = await admin.post(`/api/v1/children/${unused}/legal-holds`,
                                    { kind: 'inquiry', reason: 'Independent inquiry into the placement',
                                      ends_on: addDays(today, 365) });
    assert.equal(placed.status, 201, placed.text);
    hold = placed.body;
    assert.equal(hold.child_id, unused);
    assert.equal(hold.authority_id, DEMO_AUTHORITY_ID);
    assert.equal(hold.kind, 'inquiry');
    assert.equal(hold.starts_on, today);
    assert.equal(hold.released_on, null);
    const holds = await admin.get(HOLDS);
    assert.deepEqual(holds.body.holds.map((h) => h.id), [hold.id]);
  });

  test('rules that would purge the held child inside its hold are refused, naming the child and the hold', async () => {
    const before = await rules();
    const { authority_id: _a, updated_by: _b, updated_at: _c, ...current } = before;
    const refused = await admin.put(RULES, { ...current, remove_unused_after_months: 1 });
    assert.equal(refused.status, 409, refused.text);
    assert.match(refused.body.detail, new RegExp(`child ${unused}`));
    assert.match(refused.body.detail, new RegExp(`hold ${hold.id}`));
    assert.deepEqual(await rules(), before, 'nothing changed');
    assert.equal(Number(sqlValue(server.dataDir, "SELECT COUNT(*) FROM audit_log WHERE action = 'retention.rules.update' " +
                                                 "AND outcome = 'denied' AND why LIKE 'would purge%';")), 1, 'the attempt is on the record');
  });

  test('a hold is released once, with a reason; then the rules may change', async () => {
    const short = await admin.post(`/api/v1/legal-holds/${hold.id}/release`, { reason: 'done' });
    assert.equal(short.status, 400);
    assert.equal(short.body.field, 'reason');
    assert.equal((await admin.get(HOLDS)).body.holds.length, 1, 'still in force');
    const released = await admin.post(`/api/v1/legal-holds/${hold.id}/release`,
                                      { reason: 'The inquiry reported; nothing more is needed' });
    assert.equal(released.status, 200, released.text);
    assert.equal(released.body.released_on, today);
    assert.equal(released.body.released_by, 'Uadmin_lee');
    assert.equal(released.body.release_reason, 'The inquiry reported; nothing more is needed');
    const again = await admin.post(`/api/v1/legal-holds/${hold.id}/release`,
                                   { reason: 'The inquiry reported; nothing more is needed' });
    assert.equal(again.status, 409);
    assert.deepEqual((await admin.get(HOLDS)).body.holds, []);
    assert.equal((await admin.post('/api/v1/legal-holds/HNOSUCHHOLD000000/release',
                                   { reason: 'No such hold at all, surely' })).status, 404);
    const { authority_id: _a, updated_by: _b, updated_at: _c, ...current } = await rules();
    const changed = await admin.put(RULES, { ...current, remove_unused_after_months: 36 });
    assert.equal(changed.status, 200, changed.text);
  });
});

describe('what falls due in the next 90 days', () => {
  test('lists the child who turns 18 within 90 days, by id, with the rule', async () => {
    const res = await admin.get(DUE);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.from, today);
    assert.equal(res.body.until, addDays(today, 90));
    assert.ok(res.body.checked >= 2, res.text);
    const nina = res.body.steps.find((s) => s.child_id === nearly18);
    assert.ok(nina, res.text);
    assert.equal(nina.step, 'archive');
    assert.equal(nina.rule, 'archive_age');
    assert.equal(nina.due_now, false);
    assert.ok(nina.due_on > today && nina.due_on <= addDays(today, 31), nina.due_on);
    assert.equal(res.body.steps.some((s) => s.child_id === unused), false, 'a removal two years on is not listed');
    for (let i = 1; i < res.body.steps.length; ++i) {
      assert.ok(res.body.steps[i - 1].due_on <= res.body.steps[i].due_on, 'by the day each falls due');
    }
    assert.doesNotMatch(res.text, /Nina|Nearly|Quay/, 'ids only: no names or addresses');
  });

  test('how far ahead is checked', async () => {
    for (const days of ['0', '367', 'ninety', '-5']) {
      const res = await admin.get(`${DUE}?days=${days}`);
      assert.equal(res.status, 400, days);
      assert.equal(res.body.field, 'days', days);
    }
    const week = await admin.get(`${DUE}?days=7`);
    assert.equal(week.status, 200);
    assert.equal(week.body.steps.some((s) => s.child_id === nearly18), false, 'thirty days is not within seven');
  });
});

// What decides how long a record is kept is on the record: the team sets the care leaver and SEN
// flags and the date of death through PUT /api/v1/children/{id}; administrators see the result.
describe('the care leaver and SEN flags and the date of death', () => {
  let lead;
  let leo;

  before(async () => {
    lead = await signedIn(server, 'sw.hughes');
    leo = await leoCarterId(server);
  });

  async function record(id) {
    const res = await lead.get(`/api/v1/children/${id}`);
    assert.equal(res.status, 200, res.text);
    return res.body.child;
  }

  test('the team sets the flags; only the flags sent change, and the change is audited', async () => {
    const before = await record(leo);
    assert.equal(before.flags.care_leaver, false);
    assert.equal(before.flags.special_educational_needs, false);
    assert.equal(before.date_of_death, null);
    const res = await lead.put(`/api/v1/children/${leo}`,
                               { version: before.version, flags: { care_leaver: true, special_educational_needs: true } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.child.flags, { ...before.flags, care_leaver: true, special_educational_needs: true });
    assert.equal(res.body.child.given_names, before.given_names);
    const audited = sqlValue(server.dataDir, `SELECT COUNT(*) FROM audit_log WHERE action = 'child.update' AND child_id = '${leo}' ` +
                                             "AND outcome = 'allowed' AND detail LIKE '%flags.care_leaver%' " +
                                             "AND detail LIKE '%flags.special_educational_needs%';");
    assert.equal(Number(audited), 1);
  });

  test('a date of death in the future, before the birth or not a date is refused naming the field; nothing changes',
       async () => {
    const before = await record(leo);
    for (const date of [addDays(today, 1), addDays(before.date_of_birth, -1), '31/01/2026', '2026-02-30']) {
      const res = await lead.put(`/api/v1/children/${leo}`, { version: before.version, date_of_death: date });
      assert.equal(res.status, 400, date);
      assert.equal(res.body.field, 'date_of_death', date);
    }
    const after = await record(leo);
    assert.equal(after.version, before.version, 'nothing was stored');
    assert.equal(after.date_of_death, null);
  });

  test('only the team may set them: administrators and others are refused', async () => {
    const before = await record(leo);
    const body = { version: before.version, flags: { care_leaver: false }, date_of_death: today };
    assert.equal((await admin.put(`/api/v1/children/${leo}`, body)).status, 403);
    const teacher = await signedIn(server, 'teacher.ellis');
    assert.equal((await teacher.put(`/api/v1/children/${leo}`, body)).status, 403);
    const after = await record(leo);
    assert.equal(after.version, before.version);
    assert.equal(after.flags.care_leaver, true);
  });

  test('a death recorded archives the account that day: administrators see it due', async () => {
    const made = await lead.post('/api/v1/children', { given_names: 'Robin', family_name: 'Ashdown',
                                                       date_of_birth: '2015-06-01', reason: 'Referral from the hospital' });
    assert.equal(made.status, 201, made.text);
    const robin = made.body.child;
    const died = await lead.put(`/api/v1/children/${robin.id}`, { version: robin.version, date_of_death: today });
    assert.equal(died.status, 200, died.text);
    assert.equal(died.body.child.date_of_death, today);
    const due = await admin.get(DUE);
    assert.equal(due.status, 200, due.text);
    assert.deepEqual(due.body.steps.find((s) => s.child_id === robin.id),
                     { child_id: robin.id, step: 'archive', due_on: today, rule: 'death', due_now: true, held_by: [] });
    // Recorded in error: null clears it.
    const cleared = await lead.put(`/api/v1/children/${robin.id}`, { version: died.body.child.version, date_of_death: null });
    assert.equal(cleared.status, 200, cleared.text);
    assert.equal(cleared.body.child.date_of_death, null);
  });
});

test('the server stops cleanly on SIGTERM', async () => {
  await server.close();
});
