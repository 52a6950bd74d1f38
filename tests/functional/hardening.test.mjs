// Request hardening: CSRF, content types, strict JSON bodies (nothing written on refusal),
// anonymous access, body size limit, the security headers on every response, text that is not
// UTF-8, what /healthz and /metrics tell, and that the product binary has no test hooks.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { checkResponse, KithServer, leoCarterId, PRODUCT_BIN, registeredRoutes, signedIn } from './harness.mjs';

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

// What the server holds, to show that a refused request wrote nothing (a child created by
// sw.hughes would join her caseload).
async function snapshot() {
  const account = await hughes.get(`/api/v1/children/${leo}`);
  const mine = await hughes.get('/api/v1/me/children');
  return { version: account.body.child.version, child: account.body.child,
           caseload: mine.body.children.map((c) => c.child_id).sort() };
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

describe('text that is not UTF-8', () => {
  const status = async (target, headers = '') =>
    (await server.raw(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${hughes.cookie}\r\n${headers}` +
                      'Connection: close\r\n\r\n')).status;

  test('issue 17: invalid UTF-8 in a query parameter produced a 500', async () => {
    assert.equal(await status(`/api/v1/children/${leo}/audit?limit=%FF`), 400);
    assert.equal(await status('/api/v1/agencies?authority_id=%C3%28'), 400);
    assert.equal(await status(`/api/v1/children/${leo}/chronology?agency_id=%ED%A0%80`), 400); // a surrogate
    const res = await server.raw(`GET /api/v1/agencies?authority_id=%FF HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
                                 `Cookie: ${hughes.cookie}\r\nConnection: close\r\n\r\n`);
    assert.equal(JSON.parse(res.text).code, 'bad_target');
  });

  test('on every route, in the path or the query, is 400 and never a server error', async () => {
    for (const [route] of registeredRoutes()) {
      const [method, template] = route.split(' ');
      if (method !== 'GET') continue;
      const inPath = template.replaceAll('{}', 'K%C3%28');
      if (inPath !== template) assert.equal(await status(inPath), 400, `${route} with a bad path parameter`);
      assert.equal(await status(`${template.replaceAll('{}', leo)}?q=%FF&limit=%FE`), 400,
                   `${route} with a bad query`);
    }
  });

  test('raw bytes in the request target are 400 too', async () => {
    const res = await server.raw(Buffer.concat([Buffer.from('GET /api/v1/agencies?authority_id='),
                                                Buffer.from([0xff, 0xfe]),
                                                Buffer.from(` HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${hughes.cookie}\r\n` +
                                                            'Connection: close\r\n\r\n')]));
    assert.equal(res.status, 400);
  });

  test('in a JSON body, a CSV body or a header value, it is refused or ignored, never a server error', async () => {
    const bad = Buffer.from([0x22, 0xc3, 0x28, 0x22]).toString('latin1'); // "\xc3(" as a JSON string
    const send = (method, target, contentType, body, extra = '') => server.raw(Buffer.concat([
      Buffer.from(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${hughes.cookie}\r\n` +
                  `X-CSRF-Token: ${hughes.csrf}\r\nContent-Type: ${contentType}\r\n${extra}` +
                  `Content-Length: ${Buffer.byteLength(body, 'latin1')}\r\nConnection: close\r\n\r\n`, 'latin1'),
      Buffer.from(body, 'latin1')]));
    const json = await send('POST', `/api/v1/children/${leo}/signposting`, 'application/json', `{"reason": ${bad}}`);
    assert.equal(json.status, 400);
    const csv = await send('POST', `/api/v1/children/${leo}/chronology/import`, 'text/csv',
                           'date,type,agency,summary,significance\n2026-01-02,note,Police,\xc3\x28 bad,low\n');
    assert.ok(csv.status < 500, `chronology import: ${csv.status} ${csv.text}`);
    const headers = await send('POST', `/api/v1/children/${leo}/signposting`, 'application/json',
                               JSON.stringify(REASON), 'X-Forwarded-For: \xff\xfe\r\nIdempotency-Key: \xc3\x28\r\n' +
                               'User-Agent: \xff\r\n');
    assert.equal(headers.status, 400, headers.text); // the idempotency key is refused by name
    assert.match(headers.text, /Idempotency-Key/);
    const origin = await send('POST', `/api/v1/children/${leo}/signposting`, 'application/json',
                              JSON.stringify(REASON), 'Origin: http://\xff\r\n');
    assert.equal(origin.status, 403);
  });
});

describe('what anyone may ask the server', () => {
  test('issue 14: /healthz told anyone how many children there are', async () => {
    const res = await server.client().get('/healthz');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ok' });
  });

  test('issue 14: 3,000 distinct HTTP methods grew /metrics to 196 MB', async () => {
    const before = (await server.client().get('/metrics')).text.length;
    // Pipelined on a few connections: each request gets its 404 or 405 and is counted.
    for (let batch = 0; batch < 30; ++batch) {
      let requests = '';
      for (let i = 0; i < 100; ++i) requests += `M${batch}X${i} /api/v1/me/children HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
      const res = await server.raw(`${requests}GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      assert.equal(res.status, 405);
    }
    const after = (await server.client().get('/metrics')).text;
    assert.ok(after.length - before < 4096, `/metrics grew by ${after.length - before} bytes`);
    assert.doesNotMatch(after, /method="M\d/);
    const other = /kith_http_requests_total\{method="other",route="\(method not allowed\)",status="405"\} (\d+)/.exec(after);
    assert.ok(other && Number(other[1]) >= 3000, 'the invented methods are counted under one label');
  });
});

test('issue 14: the test clock and fault injection were in the product binary, gated only on the bind address',
     async () => {
  // The product binary with the old switch on: no clock to move, and the fault header is inert.
  const product = await KithServer.start({ bin: PRODUCT_BIN, env: { KITH_TEST_CLOCK: '1' } });
  try {
    const body = JSON.stringify({ advance_seconds: 60 });
    const clock = await product.raw(`POST /api/v1/test/clock HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
                                    `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n` +
                                    `Connection: close\r\n\r\n${body}`);
    assert.equal(clock.status, 404);
    const sw = await signedIn(product, 'sw.hughes');
    const made = await sw.post('/api/v1/children', { given_names: 'Faulty', family_name: 'Header', ...REASON },
                               { headers: { 'idempotency-key': 'fault-1', 'x-kith-test-fault': 'crash-after-write' } });
    assert.equal(made.status, 201, 'the product ignores the fault header');
    assert.equal((await product.client().get('/healthz')).status, 200);
  } finally {
    await product.close();
  }
});

test('the server stops cleanly on SIGTERM', async () => {
  await server.close();
});
