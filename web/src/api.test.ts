import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, fill, newIdempotencyKey, onAuthLost, query, request, setCsrfToken, type Body } from './api';
import { mockFetch, problem } from './test/fetch';

describe('api client', () => {
  afterEach(() => setCsrfToken(''));

  it('sends the CSRF token and JSON content type on state-changing requests only', async () => {
    const { calls } = mockFetch({ 'POST /api/v1/x': { status: 201, body: { ok: 1 } }, 'GET /api/v1/x': { body: { ok: 2 } } });
    setCsrfToken('tok-123');
    expect(await request('POST', '/api/v1/x', { a: 1 })).toEqual({ ok: 1 });
    expect(await api.get('/api/v1/x')).toEqual({ ok: 2 });
    expect(calls[0].headers['X-CSRF-Token']).toBe('tok-123');
    expect(calls[0].headers['Content-Type']).toBe('application/json');
    expect(calls[0].body).toEqual({ a: 1 });
    expect(calls[1].headers['X-CSRF-Token']).toBeUndefined();
  });

  it('sends a CSV file as text/csv with the CSRF token', async () => {
    const { calls } = mockFetch({ 'POST /api/v1/children/K1/chronology/import': { body: { imported: 1, rows_read: 1, errors: [] } } });
    setCsrfToken('tok-9');
    const csv = 'date,time,agency,type,significance,summary,detail\n2026-11-01,,AHV,contact,routine,Seen at clinic,\n';
    await request('POST', '/api/v1/children/K1/chronology/import', csv, { contentType: 'text/csv' });
    expect(calls[0].headers['Content-Type']).toBe('text/csv');
    expect(calls[0].headers['X-CSRF-Token']).toBe('tok-9');
    expect(calls[0].body).toBe(csv);
  });

  it('turns problem+json into an ApiError with the field and request id', async () => {
    mockFetch({ 'POST /api/v1/y': problem(400, 'invalid_input', 'This field is required.', 'reason') });
    const err = await request('POST', '/api/v1/y', {}).catch((e: ApiError) => e) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(400);
    expect(err.field).toBe('reason');
    expect(err.detail).toBe('This field is required.');
    expect(err.requestId).toBe('r-1');
    expect(err.notAvailable).toBe(false);
  });

  it('recognises an endpoint the server does not have yet', async () => {
    mockFetch({});
    const err = await api.get('/api/v1/children/K1/wheel').catch((e: ApiError) => e) as ApiError;
    expect(err.notAvailable).toBe(true);
  });

  it('reports a lost session to listeners unless told to stay quiet', async () => {
    mockFetch({ 'GET /api/v1/me/children': problem(401, 'unauthenticated', 'Sign in to continue.') });
    const lost = vi.fn();
    const off = onAuthLost(lost);
    await api.get('/api/v1/me/children').catch(() => undefined);
    expect(lost).toHaveBeenCalledTimes(1);
    await api.get('/api/v1/me/children', { quiet401: true }).catch(() => undefined);
    expect(lost).toHaveBeenCalledTimes(1);
    off();
  });

  it('sends a fresh Idempotency-Key with every state change and none with reads', async () => {
    const { calls } = mockFetch({ 'POST /api/v1/x': { status: 201, body: {} }, 'GET /api/v1/x': { body: {} },
      'DELETE /api/v1/x': { status: 204 } });
    await request('POST', '/api/v1/x', {});
    await request('POST', '/api/v1/x', {});
    await api.get('/api/v1/x');
    await api.del('/api/v1/x');
    const keys = calls.map((c) => c.headers['Idempotency-Key']);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(keys[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).not.toBe(keys[0]);
    expect(keys[2]).toBeUndefined();
    expect(keys[3]).toMatch(/^[0-9a-f-]{36}$/);
    expect(await request('POST', '/api/v1/x', {}, { idempotencyKey: 'mine' })).toEqual({});
    expect(calls[4].headers['Idempotency-Key']).toBe('mine');
  });

  it('makes a UUID without crypto.randomUUID (plain HTTP)', () => {
    const original = crypto.randomUUID;
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      expect(newIdempotencyKey()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      Object.defineProperty(crypto, 'randomUUID', { value: original, configurable: true });
    }
  });

  it('retries a state change with the same key after a network failure or while the first try runs', async () => {
    vi.useFakeTimers();
    try {
      const seen: string[] = [];
      let n = 0;
      globalThis.fetch = vi.fn(async (_url: string, init: RequestInit = {}) => {
        seen.push((init.headers as Record<string, string>)['Idempotency-Key']);
        n += 1;
        if (n === 1) throw new TypeError('Failed to fetch');
        if (n === 2) {
          return new Response(JSON.stringify({ title: 'Busy', status: 409, detail: '', code: 'idempotency_key_in_use' }),
            { status: 409, headers: { 'content-type': 'application/problem+json', 'retry-after': '1' } });
        }
        return new Response(JSON.stringify({ id: 'K1' }), { status: 201, headers: { 'content-type': 'application/json' } });
      }) as unknown as typeof fetch;
      const done = request('POST', '/api/v1/children', { a: 1 });
      await vi.runAllTimersAsync();
      expect(await done).toEqual({ id: 'K1' });
      expect(seen).toHaveLength(3);
      expect(new Set(seen).size).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('gives up after three tries and never retries a read or a plain conflict', async () => {
    vi.useFakeTimers();
    try {
      const fetchFn = vi.fn(async () => { throw new TypeError('Failed to fetch'); });
      globalThis.fetch = fetchFn as unknown as typeof fetch;
      const failed = request('POST', '/api/v1/x', {}).catch((e: ApiError) => e);
      await vi.runAllTimersAsync();
      expect(((await failed) as ApiError).code).toBe('network');
      expect(fetchFn).toHaveBeenCalledTimes(3);
      fetchFn.mockClear();
      await api.get('/api/v1/x').catch(() => undefined);
      expect(fetchFn).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
    const { calls } = mockFetch({ 'PUT /api/v1/x': problem(409, 'conflict', 'Someone else changed it.') });
    await request('PUT', '/api/v1/x', {}).catch(() => undefined);
    expect(calls).toHaveLength(1);
  });

  it('builds query strings from non-empty values only', () => {
    expect(query({ a: 'x y', b: '', c: undefined, d: 3 })).toBe('?a=x+y&d=3');
    expect(query({ a: '' })).toBe('');
  });
});

// The state changes of `api` take their routes, parameters and bodies from docs/openapi.yaml
// (api.gen.ts). The lines marked @ts-expect-error are what the contract does not accept: if one
// of them ever type-checks, `tsc` (so `npm run build`) fails with "Unused '@ts-expect-error'".
describe('typed state changes', () => {
  it('fills the path template and sends the body the contract describes', async () => {
    const { calls } = mockFetch({
      'POST /api/v1/children/K%201/team': { status: 202, body: { id: 'J1' } },
      'POST /api/v1/index/imports?source=Hillside&last=true': { status: 202, body: { id: 'I1' } },
    });
    const r = await api.post('/api/v1/children/{child_id}/team', { child_id: 'K 1' }, { role: 'Class teacher', reason: 'New to my class this term' });
    expect(r.id).toBe('J1');
    expect(calls[0].body).toEqual({ role: 'Class teacher', reason: 'New to my class this term' });
    await api.post('/api/v1/index/imports', 'a,b\n', { contentType: 'text/csv', query: { source: 'Hillside', filename: '', last: 'true' } });
    expect(calls[1].body).toBe('a,b\n');
    expect(fill('/api/v1/children/{child_id}/lead', { child_id: 'a/b' })).toBe('/api/v1/children/a%2Fb/lead');
  });

  it('refuses at type-check time what the contract does not accept', () => {
    const typeOnly = (f: () => unknown) => expect(typeof f).toBe('function'); // never called: no request is made
    // @ts-expect-error a field the contract does not have
    typeOnly(() => api.post('/api/v1/children/{child_id}/team', { child_id: 'K1' }, { role: 'Teacher', reason: 'because of x', urgent: true }));
    // @ts-expect-error a required field left out (the reason)
    typeOnly(() => api.post('/api/v1/children/{child_id}/team', { child_id: 'K1' }, { role: 'Teacher' }));
    // @ts-expect-error a value outside the contract's enum
    typeOnly(() => api.post('/api/v1/children/{child_id}/break-glass', { child_id: 'K1' }, { reason_code: 'curious', reason: 'x'.repeat(10), duration_hours: 4, password: 'p' }));
    // @ts-expect-error a path parameter left out
    typeOnly(() => api.post('/api/v1/children/{child_id}/team', { role: 'Teacher', reason: 'because of x' }));
    // @ts-expect-error a route the contract does not have
    typeOnly(() => api.post('/api/v1/children/{child_id}/teams', { child_id: 'K1' }, { role: 'Teacher', reason: 'because of x' }));
    // @ts-expect-error a method the route does not take
    typeOnly(() => api.put('/api/v1/index/merges', { survivor_id: 'K1', merged_id: 'K2', reason: 'same child, same NHS number' }));
    // @ts-expect-error a JSON body where the contract takes a CSV file
    typeOnly(() => api.post('/api/v1/children/{child_id}/chronology/import', { child_id: 'K1' }, { rows: [] }));
    const search: Body<'/api/v1/search', 'post'> = { reason: 'Looking for a new pupil', family_name: 'Carter' };
    // @ts-expect-error a number where the contract takes text
    search.postcode = 12345;
    expect(search.family_name).toBe('Carter');
  });
});
