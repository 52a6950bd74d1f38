// The one way the web app talks to the Kith API: JSON in and out, the session's CSRF token on
// every state-changing request, RFC 9457 problem+json turned into ApiError, and a lost session
// (401 unauthenticated) reported once to whoever listens (the app shows sign-in). State changes
// are typed by the contract (docs/openapi.yaml, via api.gen.ts): see `Body` below.
import type { paths } from './api.gen';

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  field?: string;
  instance?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly field?: string;
  readonly instance?: string;

  constructor(p: Problem) {
    super(p.detail || p.title);
    this.status = p.status;
    this.code = p.code;
    this.title = p.title;
    this.detail = p.detail;
    this.field = p.field;
    this.instance = p.instance;
  }

  /** The endpoint does not exist on this server yet (the backend is still being built). */
  get notAvailable(): boolean {
    return this.status === 404 && this.code === 'not_found' && this.detail === 'There is nothing at this address.';
  }

  /** The request id the user can quote when reporting a problem. */
  get requestId(): string | undefined {
    return this.instance?.startsWith('urn:kith:request:') ? this.instance.slice('urn:kith:request:'.length) : undefined;
  }
}

type Listener = (e: ApiError) => void;

let csrfToken = '';
const authListeners = new Set<Listener>();

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export function csrf(): string {
  return csrfToken;
}

/** Called when the server says the session is gone or needs its second factor. */
export function onAuthLost(listener: Listener): () => void {
  authListeners.add(listener);
  return () => authListeners.delete(listener);
}

async function toError(res: Response): Promise<ApiError> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await res.json()) as Partial<Problem>;
      return new ApiError({
        status: res.status,
        title: body.title ?? res.statusText ?? 'Error',
        detail: body.detail ?? '',
        code: body.code ?? 'error',
        field: body.field,
        instance: body.instance,
        type: body.type,
      });
    } catch {
      // Fall through to the generic problem below.
    }
  }
  return new ApiError({
    status: res.status,
    title: res.status >= 500 ? 'Something went wrong' : 'The request failed',
    detail: `The server answered ${res.status}${res.statusText ? ' ' + res.statusText : ''}.`,
    code: res.status >= 500 ? 'internal' : 'error',
  });
}

export interface RequestOptions {
  /** Do not report 401 to the auth listeners (the sign-in page handles its own). */
  quiet401?: boolean;
  signal?: AbortSignal;
  /** Send `body` as it is (a string or a Blob, e.g. part of a file) with this content type instead of JSON. */
  contentType?: string;
  /**
   * The Idempotency-Key of a state-changing request; a fresh one by default. Pass the same key
   * again only to retry the very same request (docs/idempotency.md).
   */
  idempotencyKey?: string;
  /** Query parameters (the non-empty ones are sent), for the typed state changes of `api`. */
  query?: Record<string, string | number | undefined | null>;
}

/** A fresh random Idempotency-Key (a UUID), also where crypto.randomUUID is missing (plain HTTP). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Tries of one state-changing request: its own retries reuse its key, so none can apply twice. */
const MAX_TRIES = 3;

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new DOMException('Aborted', 'AbortError'));
    }, { once: true });
  });
}

export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const changing = method !== 'GET' && method !== 'HEAD';
  if (changing) {
    headers['X-CSRF-Token'] = csrfToken;
    headers['Content-Type'] = opts.contentType ?? 'application/json';
    headers['Idempotency-Key'] = opts.idempotencyKey ?? newIdempotencyKey();
  }
  let res: Response | undefined;
  for (let tries = 1; ; ++tries) {
    try {
      res = await fetch(path, {
        method,
        headers,
        body: changing ? (opts.contentType ? (body instanceof Blob ? body : String(body)) : JSON.stringify(body ?? {})) : undefined,
        credentials: 'same-origin',
        cache: 'no-store',
        signal: opts.signal,
      });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      res = undefined;
    }
    // A state change is retried with its key when the network failed (it may or may not have
    // reached the server) or the server is still running the first try.
    const again = changing && tries < MAX_TRIES &&
      (res === undefined || (res.status === 409 && res.headers.has('retry-after')));
    if (!again) break;
    const seconds = Number(res?.headers.get('retry-after') ?? '');
    await pause(Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 5) * 1000 : 500 * tries, opts.signal);
  }
  if (res === undefined) {
    throw new ApiError({
      status: 0,
      title: 'Cannot reach Kith',
      detail: 'Check your connection and try again.',
      code: 'network',
    });
  }
  if (!res.ok) {
    const err = await toError(res);
    if (err.status === 401 && !opts.quiet401) authListeners.forEach((l) => l(err));
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) return (await res.json()) as T;
  return (await res.text()) as unknown as T;
}

// --- The contract's request bodies ---------------------------------------------------------
// A state change names its route by the path template of docs/openapi.yaml
// ("/api/v1/children/{child_id}/team") with the values of its parameters, and its body and answer
// take their types from the contract (api.gen.ts): a body the contract does not accept, a route
// or method it does not have, or a missing parameter fails the type check, so the build.

type Changing = 'post' | 'put' | 'patch';
/** The contract's path templates that have `method`. */
export type PathOf<M extends Changing> = { [P in keyof paths]: paths[P][M] extends undefined ? never : P }[keyof paths];
type Op<P extends keyof paths, M extends Changing> = NonNullable<paths[P][M]>;
type Json<C> = C extends { content: { 'application/json': infer B } } ? B
  : C extends { content: Record<string, unknown> } ? string | Blob : never;
/** The body the contract takes at `path` with `method` (undefined when it takes none). */
export type Body<P extends keyof paths, M extends Changing> = Op<P, M> extends { requestBody: infer R } ? Json<R>
  : Op<P, M> extends { requestBody?: infer R } ? Json<NonNullable<R>> | undefined : undefined;
/** What a successful answer holds: the JSON of a 200, 201 or 202, or nothing for a 204. */
export type Answer<P extends keyof paths, M extends Changing> = Op<P, M> extends { responses: infer R }
  ? { [S in keyof R]: S extends 200 | 201 | 202 ? (R[S] extends { content: { 'application/json': infer B } } ? B : unknown) : S extends 204 ? undefined : never }[keyof R]
  : never;
/** The path parameters a template names: "{child_id}" → { child_id: string }. */
export type Params<P extends string> = P extends `${string}{${infer N}}${infer R}` ? { [K in N]: string } & Params<R> : unknown;
type Args<P extends keyof paths & string, M extends Changing> = [
  ...(P extends `${string}{${string}` ? [params: Params<P>] : []),
  ...(undefined extends Body<P, M> ? [body?: Body<P, M>] : [body: Body<P, M>]),
  opts?: RequestOptions,
];

/** The address of a route: its template with each "{name}" replaced by its value as one path segment. */
export function fill(template: string, params: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`No value for {${name}} in ${template}`);
    return seg(params[name]);
  });
}

function send<P extends keyof paths & string, M extends Changing>(method: M, path: P, args: unknown[]): Promise<Answer<P, M>> {
  const named = path.includes('{');
  const [body, opts] = (named ? args.slice(1) : args) as [unknown, RequestOptions | undefined];
  const url = (named ? fill(path, args[0] as Record<string, string>) : path) + query(opts?.query ?? {});
  return request<Answer<P, M>>(method.toUpperCase(), url, body, opts);
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts),
  post: <P extends PathOf<'post'>>(path: P, ...args: Args<P, 'post'>) => send('post', path, args),
  put: <P extends PathOf<'put'>>(path: P, ...args: Args<P, 'put'>) => send('put', path, args),
  patch: <P extends PathOf<'patch'>>(path: P, ...args: Args<P, 'patch'>) => send('patch', path, args),
  del: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, undefined, opts),
};

/** Builds a query string from the non-empty values only. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Path segment for a Kith id; ids are opaque, but never let one change the path. */
export function seg(id: string): string {
  return encodeURIComponent(id);
}
