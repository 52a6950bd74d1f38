// Administration beyond the access table: making users, their validation, optimistic
// concurrency on changes, unlocking.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { DEMO_PASSWORD, KithServer, signedIn } from './harness.mjs';

let server;
let admin;
const PASSWORD = 'Copper-willow-meadow-55';

before(async () => {
  server = await KithServer.start();
  admin = server.client();
  await admin.signIn('admin.lee');
  await admin.enrol();
});
after(async () => {
  await server?.dispose();
});

const newUser = (fields) => ({ username: 'amy.jones', display_name: 'Amy Jones', job_title: 'School nurse',
                               role: 'practitioner', agency_id: 'ASN', password: PASSWORD, ...fields });

describe('users', () => {
  test('an administrator adds a practitioner who can then sign in', async () => {
    const created = await admin.post('/api/v1/users', newUser());
    assert.equal(created.status, 201);
    assert.equal(created.body.authority_id, 'LNORTHBROOK000000', 'the administrator\'s authority by default');
    assert.equal(created.body.second_factor_enrolled, false);
    assert.doesNotMatch(created.text, /password|Copper/i, 'no credentials in the answer');
    const amy = await signedIn(server, 'amy.jones', PASSWORD);
    assert.equal((await amy.get('/api/v1/session')).body.user.job_title, 'School nurse');
    const dup = await admin.post('/api/v1/users', newUser());
    assert.equal(dup.status, 409);
  });

  test('new users are validated with the field named', async () => {
    const cases = [
      [{ username: 'Amy Jones' }, 'username'],
      [{ username: 'amy.two', password: 'password1234' }, 'password'],
      [{ username: 'amy.two', password: 'amy.two-is-my-name' }, 'password'],
      [{ username: 'amy.two', role: 'superuser' }, 'role'],
      [{ username: 'amy.two', agency_id: 'ANOSUCH' }, 'agency_id'],
      [{ username: 'amy.two', display_name: 'Amy\nJones' }, 'display_name'],
    ];
    for (const [fields, field] of cases) {
      const res = await admin.post('/api/v1/users', newUser(fields));
      assert.equal(res.status, 400, JSON.stringify(fields));
      assert.equal(res.body.field, field, JSON.stringify(fields));
    }
    const national = await admin.post('/api/v1/users', newUser({ username: 'amy.two', role: 'national_admin' }));
    assert.equal(national.status, 403, 'only national administrators make national administrators');
  });

  test('a change with a stale version gets 409; the administrator cannot disable themself', async () => {
    const user = (await admin.get('/api/v1/users/Ufs_jones')).body;
    const changed = await admin.patch('/api/v1/users/Ufs_jones', { version: user.version, job_title: 'Family worker' });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.version, user.version + 1);
    const stale = await admin.patch('/api/v1/users/Ufs_jones', { version: user.version, job_title: 'Other' });
    assert.equal(stale.status, 409);
    const me = (await admin.get('/api/v1/users/Uadmin_lee')).body;
    assert.equal((await admin.patch('/api/v1/users/Uadmin_lee', { version: me.version, active: false })).status, 409);
  });

  test('an administrator unlocks a user who is locked out after failed sign-ins', async () => {
    for (let i = 0; i < 5; ++i) {
      await server.client().post('/api/v1/session', { username: 'camhs.ng', password: `wrong-password-${i}x` });
    }
    const user = (await admin.get('/api/v1/users/Ucamhs_ng')).body;
    assert.equal(user.locked_until, null, 'failures lock an address out, not the account');
    assert.equal((await server.client().post('/api/v1/session', { username: 'camhs.ng', password: DEMO_PASSWORD }))
      .status, 423);
    const unlocked = await admin.patch('/api/v1/users/Ucamhs_ng', { version: user.version, unlock: true });
    assert.equal(unlocked.status, 200);
    assert.equal(unlocked.body.locked_until, null);
    assert.equal((await server.client().post('/api/v1/session', { username: 'camhs.ng', password: DEMO_PASSWORD }))
      .status, 201, 'the failures counted from every address are forgotten');
  });

  test('a user signing in does not make an administrator\'s change stale',
       async () => {
    const user = (await admin.get('/api/v1/users/Uyw_ali')).body;
    await server.client().post('/api/v1/session', { username: 'yw.ali', password: 'a-wrong-password-1' });
    const res = await admin.patch('/api/v1/users/Uyw_ali', { version: user.version, active: false });
    assert.equal(res.status, 200);
  });
});

test('the server stops cleanly on SIGTERM', async () => {
  await server.close();
});
