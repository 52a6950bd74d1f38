// The short checks of `make sqlmap` (issue 17; the scan itself is long and not in `make test`):
// its list of requests covers every parameterised operation of docs/openapi.yaml, its positive
// control is injectable in the test build on this back end, and the product binary has no such
// route.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { KithServer, normaliseRoute, openapi, PRODUCT_BIN, signedIn } from './harness.mjs';
import { ENDPOINTS, parameterisedOperations } from '../sqlmap/endpoints.mjs';

const CONTROL = '/api/v1/test/injectable';
// The test clock takes one integer and touches no SQL; moving it at random would derail the scan.
const NOT_SCANNED = new Set(['POST /api/v1/test/clock']);

test('sqlmap is sent every operation of docs/openapi.yaml that takes a path, query or body parameter', () => {
  const scanned = ENDPOINTS.map((e) => normaliseRoute(...e.route.split(' ')));
  assert.equal(new Set(scanned).size, scanned.length, 'each operation once');
  const wanted = parameterisedOperations(openapi).filter((r) => !NOT_SCANNED.has(r));
  assert.ok(wanted.length >= 90, `found ${wanted.length} parameterised operations`);
  const missing = wanted.filter((r) => !scanned.includes(normaliseRoute(...r.split(' '))));
  assert.deepEqual(missing, [], 'operations with parameters that tests/sqlmap/endpoints.mjs does not send');
  const documented = new Set(wanted.map((r) => normaliseRoute(...r.split(' '))));
  assert.deepEqual(scanned.filter((r) => !documented.has(r)), [], 'entries that are not parameterised operations');
  assert.deepEqual(ENDPOINTS.filter((e) => e.control).map((e) => e.route), [`POST ${CONTROL}`], 'one positive control');
});

let server;
before(async () => {
  server = await KithServer.start();
});
after(async () => {
  await server?.dispose();
});

test('the positive control is injectable in the test build', async () => {
  const c = await signedIn(server, 'sw.hughes');
  const matches = async (word) => {
    const res = await c.post(CONTROL, { word });
    assert.equal(res.status, 200, res.text);
    return res.body.matches;
  };
  assert.equal(await matches('kith'), 1);
  assert.equal(await matches('other'), 0);
  assert.equal(await matches("kith' AND '1'='2"), 0, 'the text is pasted into the query');
  assert.equal(await matches("nothing' OR '1'='1"), 1, 'the text is pasted into the query');
  assert.equal((await c.post(CONTROL, { word: "'" })).status, 500);
  // Signed in and with the CSRF token only, like every state change: sqlmap must send both.
  assert.equal((await c.post(CONTROL, { word: 'kith' }, { csrf: false })).status, 403);
  assert.equal((await server.client().post(CONTROL, { word: 'kith' })).status, 401);
});

test('the product binary has no injectable route', async () => {
  const product = await KithServer.start({ bin: PRODUCT_BIN });
  try {
    const c = await signedIn(product, 'sw.hughes');
    // Sent raw: docs/openapi.yaml describes the test build's route, which has no 404.
    const body = JSON.stringify({ word: "kith' OR '1'='1" });
    const res = await product.raw(`POST ${CONTROL} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${c.cookie}\r\n` +
                                  `X-CSRF-Token: ${c.csrf}\r\nContent-Type: application/json\r\n` +
                                  `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    assert.equal(res.status, 404, res.text);
    assert.equal(JSON.parse(res.text).code, 'not_found');
  } finally {
    await product.close();
  }
});

test('the server stops cleanly on SIGTERM', async () => {
  await server.close();
});
