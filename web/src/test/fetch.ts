// A fetch stand-in for component tests: routes "METHOD /path" to canned responses and records calls.
import { vi } from 'vitest';

export interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

type Reply = { status?: number; body?: unknown; type?: string };
type Handler = Reply | ((call: Call) => Reply);

export function mockFetch(routes: Record<string, Handler>) {
  const calls: Call[] = [];
  const fn = vi.fn(async (url: string, init: RequestInit = {}) => {
    const method = (init.method ?? 'GET').toUpperCase();
    const call: Call = {
      method,
      url,
      headers: (init.headers ?? {}) as Record<string, string>,
      body: typeof init.body === 'string' ? parse(init.body) : undefined,
    };
    calls.push(call);
    const path = url.split('?')[0];
    const h = routes[`${method} ${path}`] ?? routes[`${method} ${url}`];
    const reply: Reply = h === undefined
      ? { status: 404, body: { title: 'Not found', status: 404, detail: 'There is nothing at this address.', code: 'not_found' }, type: 'application/problem+json' }
      : typeof h === 'function' ? h(call) : h;
    const status = reply.status ?? 200;
    return new Response(status === 204 ? null : JSON.stringify(reply.body ?? {}), {
      status,
      headers: { 'content-type': reply.type ?? (status >= 400 ? 'application/problem+json' : 'application/json') },
    });
  });
  globalThis.fetch = fn as unknown as typeof fetch;
  return { calls, fn };
}

export function problem(status: number, code: string, detail: string, field?: string) {
  return { status, body: { type: `https://kith.example/problems/${code}`, title: 'Problem', status, detail, code, field, instance: 'urn:kith:request:r-1' } };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
