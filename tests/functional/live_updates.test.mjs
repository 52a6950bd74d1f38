// Issue 14, reproduction 4 ("live updates after sign-out"): a live-updates WebSocket opened
// before sign-out kept receiving entry summaries. Now the connection is closed (1008, "signed
// out") once its session ends — sign-out, expiry, the user disabled — at the next message that
// would go to it or at the server's periodic revalidation, and gets no entry summary after it.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { KithServer, signedIn } from './harness.mjs';
import { closeCode, closeReason, frame, frames, messages, openLive, serverClose, until } from './websocket.mjs';

let server;
let leo;

before(async () => {
  server = await KithServer.start();
  const hughes = await signedIn(server, 'sw.hughes');
  leo = (await hughes.get('/api/v1/me/children')).body.children.find((k) => k.given_names === 'Leo').child_id;
});
after(async () => {
  await server?.dispose();
});

let entries = 0;
// Adds a chronology entry to Leo's account (which the live hub pushes to his team); returns the
// summary of its feed item.
async function addEntry(by) {
  const summary = `Home visit number ${++entries}`;
  const res = await by.post(`/api/v1/children/${leo}/chronology`,
                            { occurred_on: '2026-01-07', type: 'home_visit', significance: 'routine', summary });
  assert.equal(res.status, 201, res.text);
  return `New entry: ${summary}`; // as the feed item says it
}

// The entry summaries a connection has received.
const summaries = (c) => messages(frames(c.data)).filter((m) => m.type === 'feed').map((m) => m.item.summary);

// Opens a live connection for `watcher` and proves it works: an entry added by `writer` arrives.
async function liveAndWorking(watcher, writer) {
  const c = await openLive(server.port, watcher.cookie);
  const first = await addEntry(writer);
  await until(c, () => summaries(c).includes(first));
  return { c, first };
}

// The server closed the connection as one whose session fell, and ends the TCP connection
// once the client answers the close, as a browser does.
async function closedAsSignedOut(c, ms) {
  const got = await serverClose(c, ms);
  const last = got.at(-1);
  assert.equal(closeCode(last), 1008, `closed with ${closeCode(last)}`);
  assert.equal(closeReason(last), 'signed out');
  c.socket.write(frame(Buffer.from([0x03, 0xe8]), 8)); // 1000, normal closure
  const closed = await Promise.race([c.closed, new Promise((r) => setTimeout(r, 5_000, null))]);
  assert.ok(closed, 'the TCP connection was still open 5 s after the closing handshake');
}

describe('4. live updates after sign-out', () => {
  test('Issue14_4_AWebSocketOpenedBeforeSignOutKeptReceivingEntrySummaries', async () => {
    const watcher = await signedIn(server, 'sw.hughes');
    const writer = await signedIn(server, 'sw.hughes'); // another session of the same user
    const { c, first } = await liveAndWorking(watcher, writer);
    assert.equal((await watcher.delete('/api/v1/session')).status, 204);
    // An entry added after the sign-out is not pushed to the signed-out connection, which is
    // closed instead.
    await addEntry(writer);
    await closedAsSignedOut(c);
    assert.deepEqual(summaries(c), [first]);
  });

  test('Issue14_4_AfterSignOutTheSocketClosesEvenWhenNothingIsPublished', async () => {
    const watcher = await signedIn(server, 'sw.hughes');
    const writer = await signedIn(server, 'sw.hughes');
    const { c, first } = await liveAndWorking(watcher, writer);
    assert.equal((await watcher.delete('/api/v1/session')).status, 204);
    await closedAsSignedOut(c, 10_000); // the server revalidates every 2 s
    assert.deepEqual(summaries(c), [first]);
  });

  test('Issue14_4_DisablingAUserClosesTheirLiveConnections', async () => {
    const admin = server.client();
    assert.equal((await admin.signIn('admin.lee')).body.state, 'enrolment_required');
    await admin.enrol();
    // ey.wright is on Leo's team.
    const wright = await signedIn(server, 'ey.wright');
    const hughes = await signedIn(server, 'sw.hughes');
    const { c, first } = await liveAndWorking(wright, hughes);
    const user = await admin.get('/api/v1/users/Uey_wright');
    assert.equal(user.status, 200, user.text);
    const off = await admin.patch('/api/v1/users/Uey_wright', { version: user.body.version, active: false });
    assert.equal(off.status, 200, off.text);
    await addEntry(hughes);
    await closedAsSignedOut(c, 10_000);
    assert.deepEqual(summaries(c), [first]);
  });

  // Last: moving the clock on expires every session this file holds.
  test('Issue14_4_AnExpiredSessionsSocketIsClosed', async () => {
    const watcher = await signedIn(server, 'sw.hughes');
    const writer = await signedIn(server, 'sw.hughes');
    const { c, first } = await liveAndWorking(watcher, writer);
    await server.advance(31 * 60); // past the 30-minute idle expiry
    await closedAsSignedOut(c, 10_000);
    assert.deepEqual(summaries(c), [first]);
  });
});

test('the server stops cleanly on SIGTERM', async () => {
  await server.close();
});
