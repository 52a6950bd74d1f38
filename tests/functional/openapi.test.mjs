// docs/openapi.yaml itself: well formed, tidy, and in step with the routes the server registers
// (read from the C++ sources), so a new endpoint cannot ship undescribed.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import {
  checkResponse, normaliseRoute, openapi, pointerEscape, registeredRoutes, resolveLocal, SOURCE_DIR, validatorFor,
} from './harness.mjs';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

function operations() {
  const out = [];
  for (const [p, item] of Object.entries(openapi.paths)) {
    for (const m of METHODS) if (item[m]) out.push({ path: p, method: m, op: item[m] });
  }
  return out;
}

test('is OpenAPI 3.1 with the Kith security schemes', () => {
  assert.match(openapi.openapi, /^3\.1\.\d+$/);
  const schemes = openapi.components.securitySchemes;
  assert.deepEqual(schemes.sessionCookie, { ...schemes.sessionCookie, type: 'apiKey', in: 'cookie', name: 'kith_session' });
  assert.deepEqual(schemes.csrfToken, { ...schemes.csrfToken, type: 'apiKey', in: 'header', name: 'X-CSRF-Token' });
});

test('describes every route the server registers, and nothing else', () => {
  const documented = new Set(operations().map((o) => normaliseRoute(o.method, o.path)));
  const registered = registeredRoutes();
  assert.ok(registered.size >= 20, `found ${registered.size} routes in src/`);
  assert.deepEqual([...documented].filter((r) => !registered.has(r)).sort(), [], 'described but not registered');
  const undescribed = [...registered].filter(([r]) => !documented.has(r)).map(([r, file]) => `${r}  (${file})`);
  assert.deepEqual(undescribed.sort(), [], 'registered but not described');
});

test('every operation has one declared tag, a unique operationId and documented responses', () => {
  const tags = new Set(openapi.tags.map((t) => t.name));
  const ids = new Set();
  for (const { path: p, method, op } of operations()) {
    const where = `${method.toUpperCase()} ${p}`;
    assert.equal(op.tags?.length, 1, `${where}: one tag`);
    assert.ok(tags.has(op.tags[0]), `${where}: tag ${op.tags[0]} is declared`);
    assert.ok(op.operationId && !ids.has(op.operationId), `${where}: unique operationId`);
    ids.add(op.operationId);
    assert.ok(op.summary, `${where}: summary`);
    assert.ok(Object.keys(op.responses).some((s) => s.startsWith('2')), `${where}: a success response`);
  }
});

test('paths are grouped by tag: the paths of each tag sit together', () => {
  const tagOfPath = Object.entries(openapi.paths).map(([p, item]) => {
    const tags = new Set(METHODS.filter((m) => item[m]).map((m) => item[m].tags[0]));
    assert.equal(tags.size, 1, `${p}: all its operations share one tag`);
    return [...tags][0];
  });
  const finished = new Set();
  tagOfPath.forEach((tag, i) => {
    assert.ok(!finished.has(tag), `${Object.keys(openapi.paths)[i]}: move it up beside the other ${tag} paths`);
    if (i + 1 < tagOfPath.length && tagOfPath[i + 1] !== tag) finished.add(tag);
  });
});

test('state changes under /api require the session and the CSRF token', () => {
  for (const { path: p, method, op } of operations()) {
    if (method === 'get' || !p.startsWith('/api/')) continue;
    const where = `${method.toUpperCase()} ${p}`;
    if (op.security?.length === 0) {
      assert.ok(p === '/api/v1/session' || p === '/api/v1/family/redeem' || op.tags[0] === 'Testing',
                `${where} is open to anonymous callers`);
      continue;
    }
    assert.deepEqual(op.security, [{ sessionCookie: [], csrfToken: [] }], where);
    for (const status of ['401', '403']) assert.ok(op.responses[status], `${where}: documents ${status}`);
    if (op.requestBody) {
      for (const status of ['400', '413', '415']) assert.ok(op.responses[status], `${where}: documents ${status}`);
    }
  }
});

// The routes that ignore Idempotency-Key, read from IsIdempotencyExempt in the C++ source.
function idempotencyExempt() {
  const source = readFileSync(path.join(SOURCE_DIR, 'src/http/idempotency.cpp'), 'utf8');
  const body = /bool IsIdempotencyExempt\([^)]*\) \{([\s\S]*?)\n\}/.exec(source)[1];
  const exact = [...body.matchAll(/path == "([^"]+)"/g)].map((m) => m[1]);
  const prefixes = [...body.matchAll(/StartsWith\(path, "([^"]+)"\)/g)].map((m) => m[1]);
  const suffixes = [...body.matchAll(/EndsWith\(path, "([^"]+)"\)/g)].map((m) => m[1]);
  assert.ok(exact.length > 0 && prefixes.length > 0, 'IsIdempotencyExempt was not understood');
  // A documented path stands for its concrete paths: "{user_id}" is some id.
  return (p) => {
    const concrete = p.replace(/\{[^}]+\}/g, 'ID');
    return exact.includes(concrete) || prefixes.some((x) => concrete.startsWith(x)) ||
      suffixes.some((x) => concrete.endsWith(x));
  };
}

test('state changes under /api take Idempotency-Key and document its answers', () => {
  const exempt = idempotencyExempt();
  const key = '#/components/parameters/IdempotencyKey';
  for (const { path: p, method, op } of operations()) {
    if (method === 'get' || !p.startsWith('/api/') || op.tags[0] === 'Testing') continue;
    const where = `${method.toUpperCase()} ${p}`;
    assert.ok((op.parameters ?? []).some((x) => x.$ref === key), `${where}: takes the Idempotency-Key parameter`);
    assert.ok(op.responses['400'], `${where}: documents 400 (a malformed key)`);
    assert.equal(op['x-idempotency-key'] === 'ignored', exempt(p),
                 `${where}: x-idempotency-key: ignored must match IsIdempotencyExempt in src/http/idempotency.cpp`);
    if (exempt(p)) continue;
    assert.equal(op.responses['409']?.$ref, '#/components/responses/Conflict', `${where}: documents 409 (key in use)`);
    assert.equal(op.responses['422']?.$ref, '#/components/responses/IdempotencyKeyReused', `${where}: documents 422`);
  }
});

test('every schema compiles (all $refs resolve)', () => {
  let compiled = 0;
  for (const { path: p, method, op } of operations()) {
    for (const [status, raw] of Object.entries(op.responses)) {
      let pointer = `/paths/${pointerEscape(p)}/${method}/responses/${status}`;
      let response = raw;
      if (raw.$ref) ({ node: response, pointer } = resolveLocal(raw.$ref));
      for (const mediaType of Object.keys(response.content ?? {})) {
        validatorFor(`${pointer}/content/${pointerEscape(mediaType)}/schema`);
        compiled += 1;
      }
    }
    for (const mediaType of Object.keys(op.requestBody?.content ?? {})) {
      validatorFor(`/paths/${pointerEscape(p)}/${method}/requestBody/content/${pointerEscape(mediaType)}/schema`);
      compiled += 1;
    }
  }
  for (const name of Object.keys(openapi.components.schemas)) validatorFor(`/components/schemas/${name}`);
  assert.ok(compiled > 100, `compiled ${compiled} schemas`);
});

test('request bodies the server accepts match the request schemas', () => {
  const newChild = validatorFor('/components/schemas/NewChild');
  const good = { given_names: 'Amy', family_name: 'Bell', date_of_birth: '2018-02-03', sex: 'female',
                 carers: [{ name: 'Jo Bell', relationship: 'Mother', parental_responsibility: true }],
                 services: [{ agency_id: 'AGPBROOK', start: '2018-02-03', end: null }],
                 flags: { looked_after: false }, reason: 'New to the area, registering' };
  assert.ok(newChild(good), JSON.stringify(newChild.errors));
  assert.equal(newChild({ ...good, favourite_colour: 'blue' }), false, 'unknown fields are refused');
  assert.equal(newChild({ ...good, reason: 'short' }), false, 'reasons are at least 10 characters');
  const update = validatorFor('/components/schemas/ChildUpdate');
  assert.equal(update(good), false, 'an update needs the version');
  assert.ok(update({ ...good, version: 3 }), JSON.stringify(update.errors));
});

test('the response check used by every functional test refuses what the description does not allow', () => {
  const json = new Headers({ 'content-type': 'application/json' });
  const problem = new Headers({ 'content-type': 'application/problem+json' });
  const authority = { id: 'L1', code: 'E0', name: 'Somewhere', require_second_factor: false };
  const list = (items) => JSON.stringify({ authorities: items });
  const retry = new Headers({ 'content-type': 'application/problem+json', 'retry-after': '2' });
  const outage = (code) => JSON.stringify({ type: 'https://kith.example/problems/unavailable', title: 'Service unavailable',
                                            status: 503, detail: 'x', code, instance: 'urn:kith:request:1' });
  checkResponse('GET', '/api/v1/authorities', 200, json, list([authority]));
  const refused = [
    ['an undocumented field', () => checkResponse('GET', '/api/v1/authorities', 200, json,
                                                 list([{ ...authority, secret: 1 }]))],
    ['a missing field', () => checkResponse('GET', '/api/v1/authorities', 200, json, list([{ id: 'L1' }]))],
    ['an undocumented status', () => checkResponse('GET', '/api/v1/authorities', 418, json, '{}')],
    ['an undocumented media type', () => checkResponse('GET', '/api/v1/authorities', 200, problem, list([]))],
    ['a 423 without Retry-After', () => checkResponse('POST', '/api/v1/session', 423, problem, JSON.stringify({
      type: 'https://kith.example/problems/locked', title: 'Account locked', status: 423, detail: 'x',
      code: 'locked', instance: 'urn:kith:request:1' }))],
    ['an undocumented operation', () => checkResponse('DELETE', '/api/v1/authorities', 200, json, '{}')],
    ['a 503 without Retry-After', () => checkResponse('POST', '/api/v1/children', 503, problem, outage('unavailable'))],
    ['a 503 with an unknown code', () => checkResponse('POST', '/api/v1/children', 503, retry, outage('down'))],
  ];
  for (const [what, check] of refused) assert.throws(check, assert.AssertionError, what);
  // Any /api/ operation may answer 503 during an outage (the description's "Outages").
  for (const code of ['unavailable', 'outcome_unknown']) {
    checkResponse('POST', '/api/v1/children', 503, retry, outage(code));
    checkResponse('GET', '/api/v1/authorities', 503, retry, outage(code));
  }
});

test('schemas are in alphabetical order', () => {
  const names = Object.keys(openapi.components.schemas);
  assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, 'en')));
});
