// Request hardening: CSRF, content types, strict JSON bodies (nothing written on refusal),
// anonymous access, body size limit and the security headers on every response.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { checkResponse, KithServer, leoCarterId, signedIn } from './harness.mjs';

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

const REASON = { reason: 'Checking services before a home visit' };

// What the server holds, to show that a refused request wrote nothing.
async function snapshot() {
  const health = await server.client().get('/healthz');
  const account = await hughes.get(`/api/v1/children/${leo}`);
  const mine = await hughes.get('/api/v1/me/children');
  return { children: health.body.children, version: account.body.child.version, child: account.body.child,
           caseload: mine.body.children.length };
}

describe('CSRF and origin', () => {
  test('a state change without the X-CSRF-Token header is refused', async () => {
    const res = await hughes.post(`/api/v1/children/${leo}/signposting`, REASON, { csrf: false });
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'forbidden');
    assert.match(res.body.detail, /CSRF/);
  });

  test('a wrong token is refused too, for every state-changing method', async () => {
    const wrong = { 'x-csrf-token': 'f'.repeat(64) };
    const before = await snapshot();
    const attempts = [
      hughes.request('POST', `/api/v1/children/${leo}/signposting`, { body: REASON, csrf: false, headers: wrong }),
      hughes.request('PUT', `/api/v1/children/${leo}`,
                     { body: { version: before.version, given_names: 'X', family_name: 'Y' }, csrf: false, headers: wrong }),
      hughes.request('POST', '/api/v1/children',
                     { body: { given_names: 'X', family_name: 'Y', ...REASON }, csrf: false, headers: wrong }),
      hughes.request('DELETE', '/api/v1/session', { csrf: false, headers: wrong }),
    ];
    for (const res of await Promise.all(attempts)) assert.equal(res.status, 403);
    assert.deepEqual(await snapshot(), before);
  });

  test('a state change from another origin is refused even with the token', async () => {
    const res = await hughes.post(`/api/v1/children/${leo}/signposting`, REASON,
                                  { headers: { origin: 'https://evil.example' } });
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'cross_origin');
  });
});

describe('request bodies', () => {
  test('a body that is not application/json gets 415', async () => {
    const text = await hughes.request('POST', `/api/v1/children/${leo}/signposting`,
                                      { raw: JSON.stringify(REASON), contentType: 'text/plain' });
    assert.equal(text.status, 415);
    assert.equal(text.body.code, 'unsupported_media_type');
    const form = await hughes.request('PUT', `/api/v1/children/${leo}`,
                                      { raw: 'given_names=X', contentType: 'application/x-www-form-urlencoded' });
    assert.equal(form.status, 415);
    const none = await hughes.request('POST', '/api/v1/session', { raw: '{}', contentType: '' });
    assert.equal(none.status, 415);
  });

  test('invalid JSON gets 400 and nothing is written', async () => {
    const before = await snapshot();
    const create = await hughes.request('POST', '/api/v1/children',
                                        { raw: '{"given_names": "Amy", "family_name": "Bell", "reason": ' });
    assert.equal(create.status, 400);
    assert.equal(create.body.code, 'invalid_input');
    assert.equal(create.body.field, 'body');
    const update = await hughes.request('PUT', `/api/v1/children/${leo}`, { raw: `{"version": ${before.version},}` });
    assert.equal(update.status, 400);
    const notObject = await hughes.request('POST', `/api/v1/children/${leo}/signposting`, { raw: '["reason"]' });
    assert.equal(notObject.status, 400);
    assert.deepEqual(await snapshot(), before);
  });

  test('an unknown field gets 400 naming the field, at any depth, and nothing is written', async () => {
    const before = await snapshot();
    const top = await hughes.post('/api/v1/children',
                                  { given_names: 'Amy', family_name: 'Bell', favourite_colour: 'blue', ...REASON });
    assert.equal(top.status, 400);
    assert.equal(top.body.field, 'favourite_colour');
    const nested = await hughes.put(`/api/v1/children/${leo}`, {
      version: before.version, given_names: 'Leo', family_name: 'Carter',
      carers: [{ name: 'Tracey Carter', relationship: 'Mother', eye_colour: 'green' }],
    });
    assert.equal(nested.status, 400);
    assert.equal(nested.body.field, 'carers[0].eye_colour');
    const flags = await hughes.put(`/api/v1/children/${leo}`, {
      version: before.version, given_names: 'Leo', family_name: 'Carter', flags: { at_risk: true },
    });
    assert.equal(flags.status, 400);
    assert.equal(flags.body.field, 'flags.at_risk');
    const join = await hughes.post(`/api/v1/children/${leo}/team`, { role: 'x', ...REASON, lead: true });
    assert.equal(join.status, 400);
    assert.equal(join.body.field, 'lead');
    assert.deepEqual(await snapshot(), before);
  });

  test('a field of the wrong type gets 400 naming the field', async () => {
    const before = await snapshot();
    const res = await hughes.post('/api/v1/children', { given_names: 'Amy', family_name: 42, ...REASON });
    assert.equal(res.status, 400);
    assert.equal(res.body.field, 'family_name');
    const date = await hughes.post('/api/v1/children',
                                   { given_names: 'Amy', family_name: 'Bell', date_of_birth: '31/01/2020', ...REASON });
    assert.equal(date.status, 400);
    assert.equal(date.body.field, 'date_of_birth');
    assert.deepEqual(await snapshot(), before);
  });

  test('a reason of the wrong type gets 400, not a server error', async () => {
    const res = await hughes.post('/api/v1/children', { given_names: 'Amy', family_name: 'Bell', reason: 5 });
    assert.equal(res.status, 400);
    assert.equal(res.body.field, 'reason');
  });

  test('a body over 1 MiB gets 413', async () => {
    const res = await hughes.post(`/api/v1/children/${leo}/signposting`, { reason: 'x'.repeat(1024 * 1024) });
    assert.equal(res.status, 413);
    assert.equal(res.body.code, 'payload_too_large');
    // Refused on the declared length alone, before the body is read.
    const declared = await oversized();
    assert.equal(declared.status, 413);
    checkResponse('POST', '/api/v1/children', declared.status, declared.headers, declared.text);
  });
});

describe('anonymous callers', () => {
  test('get 401 for child data, with WWW-Authenticate', async () => {
    const anon = server.client();
    const attempts = [
      anon.get(`/api/v1/children/${leo}`),
      anon.get('/api/v1/me/children'),
      anon.get(`/api/v1/children/${leo}/audit`),
      anon.post(`/api/v1/children/${leo}/signposting`, REASON),
      anon.put(`/api/v1/children/${leo}`, { version: 1, given_names: 'X', family_name: 'Y' }),
    ];
    for (const res of await Promise.all(attempts)) {
      assert.equal(res.status, 401);
      assert.equal(res.body.code, 'unauthenticated');
      assert.equal(res.headers.get('www-authenticate'), 'Cookie realm="kith"');
      assert.doesNotMatch(res.text, /Carter/);
    }
  });

  test('a made-up session cookie is no better', async () => {
    const anon = server.client();
    anon.cookie = `kith_session=${'a'.repeat(64)}`;
    assert.equal((await anon.get(`/api/v1/children/${leo}`)).status, 401);
  });
});

// ---------------------------------------------------------------------------------------------

function checkSecurityHeaders(label, headers, { api }) {
  const csp = headers.get('content-security-policy');
  assert.ok(csp, `${label}: Content-Security-Policy`);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `${label}: CSP ${csp}`);
  assert.match(csp, /(^|;)\s*frame-ancestors 'none'\s*(;|$)/, `${label}: CSP ${csp}`);
  assert.match(csp, /(^|;)\s*default-src 'self'/, `${label}: CSP ${csp}`);
  assert.equal(headers.get('x-content-type-options'), 'nosniff', label);
  assert.equal(headers.get('referrer-policy'), 'no-referrer', label);
  if (api) assert.equal(headers.get('cache-control'), 'no-store', label);
}

// A request declaring a body one byte over the 1 MiB limit (the body is never sent).
function oversized() {
  return server.raw(`POST /api/v1/children HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${hughes.cookie}\r\n` +
                    `X-CSRF-Token: ${hughes.csrf}\r\nContent-Type: application/json\r\n` +
                    `Content-Length: ${1024 * 1024 + 1}\r\n\r\n`);
}

describe('security headers', () => {
  test('are on every API, static and operations response', async () => {
    const anon = server.client();
    const cases = [
      ['GET /healthz', () => anon.get('/healthz'), { api: false }],
      ['GET /metrics', () => anon.get('/metrics'), { api: false }],
      ['GET / (static)', () => anon.request('GET', '/'), { api: false }],
      ['GET /assets/app.js', () => anon.request('GET', '/assets/app.js'), { api: false }],
      ['GET /children/x (app route)', () => anon.request('GET', '/children/x'), { api: false }],
      ['POST / (405)', () => anon.request('POST', '/', { body: {}}), { api: false }],
      ['GET session 401', () => anon.get('/api/v1/session'), { api: true }],
      ['GET account 200', () => hughes.get(`/api/v1/children/${leo}`), { api: true }],
      ['POST signposting 200', () => hughes.post(`/api/v1/children/${leo}/signposting`, REASON), { api: true }],
      ['GET unknown API 404', () => anon.get('/api/v1/nothing-here'), { api: true }],
      ['DELETE me/children 405', () => hughes.delete('/api/v1/me/children'), { api: true }],
      ['POST 415', () => hughes.request('POST', '/api/v1/children', { raw: 'x', contentType: 'text/plain' }),
       { api: true }],
      ['POST 400', () => hughes.request('POST', '/api/v1/children', { raw: '{' }), { api: true }],
    ];
    for (const [label, send, opts] of cases) {
      const res = await send();
      assert.ok(res.status > 0, label);
      checkSecurityHeaders(`${label} (${res.status})`, res.headers, opts);
    }
  });

  test('static pages are served with a type and are not sniffed', async () => {
    const page = await server.client().request('GET', '/');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type'), /^text\/html/);
    const asset = await server.client().request('GET', '/assets/app.js');
    assert.match(asset.headers.get('content-type'), /^text\/javascript/);
  });

  test('are on the answers the listener gives before routing (413, malformed address)', async () => {
    const big = await oversized();
    assert.equal(big.status, 413);
    checkSecurityHeaders('413', big.headers, { api: true });
    const bad = await server.raw('GET /api/v1/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    assert.equal(bad.status, 400);
    checkSecurityHeaders('400 bad target', bad.headers, { api: true });
  });
});

test('the server stops cleanly on SIGTERM', async () => {
  await server.close();
});
