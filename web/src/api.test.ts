import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, onAuthLost, query, setCsrfToken } from './api';
import { mockFetch, problem } from './test/fetch';

describe('api client', () => {
  afterEach(() => setCsrfToken(''));

  it('sends the CSRF token and JSON content type on state-changing requests only', async () => {
    const { calls } = mockFetch({ 'POST /api/v1/x': { status: 201, body: { ok: 1 } }, 'GET /api/v1/x': { body: { ok: 2 } } });
    setCsrfToken('tok-123');
    expect(await api.post('/api/v1/x', { a: 1 })).toEqual({ ok: 1 });
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
    await api.post('/api/v1/children/K1/chronology/import', csv, { contentType: 'text/csv' });
    expect(calls[0].headers['Content-Type']).toBe('text/csv');
    expect(calls[0].headers['X-CSRF-Token']).toBe('tok-9');
    expect(calls[0].body).toBe(csv);
  });

  it('turns problem+json into an ApiError with the field and request id', async () => {
    mockFetch({ 'POST /api/v1/y': problem(400, 'invalid_input', 'This field is required.', 'reason') });
    const err = await api.post('/api/v1/y', {}).catch((e: ApiError) => e) as ApiError;
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

  it('builds query strings from non-empty values only', () => {
    expect(query({ a: 'x y', b: '', c: undefined, d: 3 })).toBe('?a=x+y&d=3');
    expect(query({ a: '' })).toBe('');
  });
});
