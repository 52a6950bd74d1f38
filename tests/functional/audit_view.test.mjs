// The auditors' view (issue 14): who looked at or searched for a child, each user's activity, the
// whole authority, by date and as CSV; children and users found by name; every look audited.
// And the audit gaps of reproduction 6, each as a regression test.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { KithServer, DEMO_AUTHORITY_ID, catalogedActions, leoCarterId, signedIn } from './harness.mjs';

let server;
let leo;
let auditor;
let adminClient;

// The administrator must enrol a second factor at first sign-in: one enrolled session serves.
async function admin() {
  if (!adminClient) {
    adminClient = server.client();
    await adminClient.signIn('admin.lee');
    await adminClient.enrol();
  }
  return adminClient;
}

before(async () => {
  server = await KithServer.start();
  leo = await leoCarterId(server);
  auditor = await signedIn(server, 'auditor.clarke');
});
after(async () => {
  await server?.close();
});

const records = async (query) => {
  const res = await auditor.get(`/api/v1/audit/records?${new URLSearchParams(query)}`);
  assert.equal(res.status, 200, res.text);
  return res.body;
};

describe('the auditors\' view', () => {
  test('only the authority\'s auditors see it, and their looks are audited', async () => {
    const lead = await signedIn(server, 'sw.hughes');
    assert.equal((await lead.get('/api/v1/audit/records')).status, 403);
    assert.equal((await (await admin()).get(`/api/v1/audit/records?child_id=${leo}`)).status, 403);
    await records({ user_id: 'Uauditor_clarke', limit: '5' });
    const mine = await records({ user_id: 'Uauditor_clarke', limit: '5' });
    assert.ok(mine.records.some((r) => r.action === 'audit.records'), 'the auditor\'s look before is there');
    const refused = await records({ user_id: 'Usw_hughes', limit: '20' });
    const denied = refused.records.find((r) => r.action === 'audit.records' && r.outcome === 'denied');
    assert.ok(denied, 'the lead professional\'s refused look is audited');
  });

  test('who looked at or searched for a child: reads, signposting and searches that found them', async () => {
    const gp = await signedIn(server, 'gp.osei');
    assert.equal((await gp.get(`/api/v1/children/${leo}`)).status, 200);
    const teacher = await signedIn(server, 'teacher.ellis');
    const search = await teacher.post('/api/v1/search',
                                       { given_name: 'Leo', family_name: 'Carter', reason: 'A new pupil in my class' });
    assert.equal(search.status, 200, search.text);
    assert.ok(search.body.results.some((r) => r.child_id === leo));

    const page = await records({ child_id: leo });
    const searched = page.records.find((r) => r.action === 'child.search' && r.actor_id === 'Uteacher_ellis');
    assert.ok(searched, 'the search that found Leo is in his records');
    assert.ok(searched.found_children.includes(leo));
    assert.equal(searched.child_id, '');
    assert.equal(searched.reason, 'A new pupil in my class');
    assert.equal(searched.actor_name, 'Hannah Ellis');
    assert.equal(searched.action_label, 'Searched the child index');
    const read = page.records.find((r) => r.action === 'child.read' && r.actor_id === 'Ugp_osei');
    assert.equal(read?.child_name, 'Leo Carter');
    assert.equal(read?.action_label, 'Opened the child\'s account');
    // The lead professional's own trail shows the search too.
    const lead = await signedIn(server, 'sw.hughes');
    const trail = await lead.get(`/api/v1/children/${leo}/audit`);
    assert.ok(trail.body.records.some((r) => r.action === 'child.search' && r.found_children.includes(leo)));
  });

  test('a user\'s activity, the whole authority, pages and dates', async () => {
    const teacher = await records({ user_id: 'Uteacher_ellis' });
    assert.ok(teacher.records.length > 0);
    assert.ok(teacher.records.every((r) => r.actor_id === 'Uteacher_ellis'));
    const all = await records({ limit: '3' });
    assert.equal(all.records.length, 3);
    assert.ok(all.records.every((r) => r.authority_id === DEMO_AUTHORITY_ID));
    assert.ok(all.next, 'there are more pages');
    const second = await records({ limit: '3', before: all.next });
    assert.equal(second.records.length, 3);
    // A record is its chain and seq (PostgreSQL has a chain per connection).
    const key = (r) => `${r.chain}:${r.seq}`;
    assert.notEqual(key(second.records[0]), key(all.records[2]));
    assert.equal(new Set([...all.records, ...second.records].map(key)).size, 6, 'no record twice');
    // Newest first across the pages.
    assert.ok(second.records[0].at <= all.records[2].at);
    const none = await records({ from: '2000-01-01', to: '2000-01-31' });
    assert.deepEqual(none.records, []);
    assert.equal(none.next, null);
    const bad = await auditor.get('/api/v1/audit/records?from=yesterday');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'from');
    assert.equal((await auditor.get('/api/v1/audit/records?child_id=KNOSUCHCHILD')).status, 404);
  });

  test('CSV export: every record of the filter, spreadsheet formulas defused', async () => {
    const teacher = await signedIn(server, 'teacher.ellis');
    const res = await teacher.post(`/api/v1/children/${leo}/signposting`,
                                   { reason: '=HYPERLINK("http://example.org","checking his school")' });
    assert.equal(res.status, 200, res.text);
    const csv = await auditor.get(`/api/v1/audit/export?child_id=${leo}`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    assert.match(csv.headers.get('content-disposition'), /attachment; filename="kith-audit.csv"/);
    assert.equal(csv.headers.get('transfer-encoding'), 'chunked', 'streamed (audit_export.test.mjs)');
    const lines = csv.text.trimEnd().split('\r\n');
    assert.equal(lines[0], 'chain,seq,at,actor_id,actor_name,actor_role,authority_id,action,action_label,child_id,child_name,' +
                           'target_id,reason,outcome,why,detail,client,found_children,hash');
    assert.ok(lines.some((l) => l.includes('"\'=HYPERLINK(""http://example.org"",""checking his school"")"')),
              'the reason is one quoted cell starting with an apostrophe');
    const page = await records({ child_id: leo, limit: '500' });
    // The export's own record came after it: the page holds it and every record exported.
    assert.equal(lines.length - 1, page.records.length - 1, 'every record of the child');
  });

  test('children and users are found by name, and the finding is audited', async () => {
    const found = await auditor.post('/api/v1/audit/children/find', { name: 'leo car' });
    assert.equal(found.status, 200, found.text);
    assert.ok(found.body.children.some((c) => c.child_id === leo && c.family_name === 'Carter'));
    const users = await auditor.post('/api/v1/audit/users/find', { name: 'hughes' });
    assert.equal(users.status, 200);
    assert.deepEqual(users.body.users.map((u) => u.username), ['sw.hughes']);
    assert.equal((await auditor.post('/api/v1/audit/users/find', { name: 'x' })).status, 400);
    const lead = await signedIn(server, 'sw.hughes');
    assert.equal((await lead.post('/api/v1/audit/children/find', { name: 'leo' })).status, 403);
    const look = (await records({ user_id: 'Uauditor_clarke', limit: '20' })).records
      .find((r) => r.action === 'audit.find_child');
    assert.ok(look?.found_children.includes(leo));
  });

  test('the catalogue names every action the server writes, in words', async () => {
    const res = await auditor.get('/api/v1/audit/actions');
    assert.equal(res.status, 200);
    const served = new Map(res.body.actions.map((a) => [a.action, a.label]));
    assert.deepEqual([...served.keys()].sort(), [...catalogedActions()].sort());
    for (const r of (await records({ limit: '500' })).records) {
      assert.ok(served.get(r.action), `no label for ${r.action}`);
    }
  });
});

describe('reproduction 6: audit gaps', () => {
  test('successful reads of users are audited', async () => {
    assert.equal((await (await admin()).get('/api/v1/users/Ugp_osei')).status, 200);
    const reads = await records({ user_id: 'Uadmin_lee', limit: '20' });
    const read = reads.records.find((r) => r.action === 'user.read' && r.target_id === 'Ugp_osei');
    assert.equal(read?.outcome, 'allowed');
  });

  test('a non-member probing a promoted forum thread is refused and audited, not told it was promoted', async () => {
    const lead = await signedIn(server, 'sw.hughes');
    const thread = await lead.post(`/api/v1/children/${leo}/forum`,
                                   { category: 'observation', title: 'Seen at the park', body: 'Leo looked well.' });
    assert.equal(thread.status, 201, thread.text);
    const promotion = { occurred_on: '2026-01-05', type: 'note', significance: 'routine' };
    const promoted = await lead.post(`/api/v1/children/${leo}/forum/${thread.body.thread.id}/promote`, promotion);
    assert.equal(promoted.status, 201, promoted.text);
    const stranger = await signedIn(server, 'teacher.ellis');
    const probe = await stranger.post(`/api/v1/children/${leo}/forum/${thread.body.thread.id}/promote`, promotion);
    assert.equal(probe.status, 403, probe.text);
    const member = await lead.post(`/api/v1/children/${leo}/forum/${thread.body.thread.id}/promote`, promotion);
    assert.equal(member.status, 409, 'the team still learns it was promoted');
    const mine = (await records({ user_id: 'Uteacher_ellis', limit: '10' })).records;
    assert.ok(mine.some((r) => r.action === 'forum.promote' && r.outcome === 'denied' && r.child_id === leo));
  });

  test('an import whose file name is not UTF-8 is refused before it runs', async () => {
    const steward = await signedIn(server, 'dq.shah');
    const res = await steward.request('POST', '/api/v1/index/imports?source=Hillside&filename=roll%FF.csv',
                                      { raw: 'record_id,given_name,family_name\nZ1,Zed,Zebra\n', contentType: 'text/csv' });
    assert.equal(res.status, 400, res.text);
    // Refused with the whole address, before any route runs (paths and query parameters are
    // checked as UTF-8; the import service refuses such a name too: import_jobs_test).
    assert.equal(res.body.code, 'bad_target');
    const list = await steward.get('/api/v1/index/imports');
    assert.ok(!list.body.imports.some((i) => i.source === 'Hillside'), 'nothing was started');
  });
});

describe('the misuse report over HTTP', () => {
  // The UK day (YYYY-MM-DD) of a time in ms since the epoch.
  const ukDay = (ms) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(ms));
  const refKey = (r) => `${r.chain}/${r.seq}`;

  test('a flag names the audit records behind it (record_refs); its detail holds those records in full', async () => {
    // A teacher looks up a dozen children, most of them nothing to do with her school, in one day.
    const teacher = await signedIn(server, 'teacher.ellis');
    const found = await auditor.post('/api/v1/audit/children/find', { name: 'smith' });
    assert.equal(found.status, 200, found.text);
    const strangers = found.body.children.slice(0, 12).map((c) => c.child_id);
    assert.ok(strangers.length >= 5, 'the demo has Smiths');
    for (const child of strangers) {
      const res = await teacher.post(`/api/v1/children/${child}/signposting`,
                                     { reason: 'Checking who is involved with this child' });
      assert.equal(res.status, 200, res.text);
    }
    const planted = (await records({ user_id: 'Uteacher_ellis', limit: '100' })).records
      .filter((r) => r.action === 'child.signposting' && strangers.includes(r.child_id));
    assert.equal(planted.length, strangers.length, 'one signposting record per child');

    const now = await server.now();
    const days = { from: ukDay(now - 86_400_000), to: ukDay(now) };
    const run = await auditor.post('/api/v1/audit/misuse/runs', days);
    assert.equal(run.status, 200, run.text);
    assert.ok(run.body.flags >= 1, run.text);

    const list = await auditor.get(`/api/v1/audit/misuse?${new URLSearchParams(days)}`);
    assert.equal(list.status, 200, list.text);
    const flag = list.body.flags.find((f) => f.kind === 'no_involvement' && f.user_id === 'Uteacher_ellis');
    assert.ok(flag, `no no_involvement flag for the teacher: ${list.text}`);
    assert.equal(flag.records, undefined, 'a flag in the list names its records; only its detail holds them');
    assert.ok(Array.isArray(flag.record_refs));
    const refs = new Set(flag.record_refs.map(refKey));
    // Children her school is involved with are not uninvolved: at least the policy's five others.
    const named = planted.filter((r) => refs.has(refKey(r)));
    assert.ok(named.length >= 5, `the flag names ${named.length} of the ${planted.length} lookups`);

    const detail = await auditor.get(`/api/v1/audit/misuse/${flag.id}`);
    assert.equal(detail.status, 200, detail.text);
    assert.deepEqual(detail.body.record_refs, flag.record_refs);
    assert.deepEqual(detail.body.records.map(refKey).sort(), [...refs].sort(), 'every record named, in full');
    for (const r of detail.body.records) {
      assert.equal(r.action, 'child.signposting');
      assert.equal(r.actor_id, 'Uteacher_ellis');
      assert.ok(r.hash, 'a full record carries its hash');
    }

    // Rules meeting: the teacher made an auditor since (a role change) may not close the flag
    // about herself; the refusal is audited, and another auditor reviews it.
    const admin_ = await admin();
    const ellis = (await admin_.get('/api/v1/users/Uteacher_ellis')).body;
    const promoted = await admin_.patch('/api/v1/users/Uteacher_ellis', { version: ellis.version, role: 'auditor' });
    assert.equal(promoted.status, 200, promoted.text);
    const subject = await signedIn(server, 'teacher.ellis');
    assert.equal((await subject.get(`/api/v1/audit/misuse?${new URLSearchParams(days)}`)).status, 200, 'she audits now');
    const own = await subject.post(`/api/v1/audit/misuse/${flag.id}/review`, { note: 'Nothing to see here, closing.' });
    assert.equal(own.status, 403, own.text);
    assert.match(own.body.detail, /your own use of Kith/);
    const refusal = (await records({ user_id: 'Uteacher_ellis', limit: '20' })).records
      .find((r) => r.action === 'misuse.flag.review');
    assert.equal(refusal?.outcome, 'denied');
    assert.equal(refusal?.target_id, flag.id);
    assert.ok((await auditor.get(`/api/v1/audit/misuse?${new URLSearchParams(days)}`)).body.flags.some((f) => f.id === flag.id),
              'the flag is still open');

    const reviewed = await auditor.post(`/api/v1/audit/misuse/${flag.id}/review`,
                                        { note: 'Ms Ellis was checking the new class list; spoken to.' });
    assert.equal(reviewed.status, 200, reviewed.text);
    assert.deepEqual(reviewed.body.record_refs, flag.record_refs);
    assert.equal(reviewed.body.reviewed_by, 'Uauditor_clarke');
    const open = await auditor.get(`/api/v1/audit/misuse?${new URLSearchParams(days)}`);
    assert.ok(!open.body.flags.some((f) => f.id === flag.id), 'a reviewed flag leaves the open list');
  });
});
