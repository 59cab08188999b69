/**
 * The dashboard's one way to the daemon: same-origin calls to `/api`, the session cookie sent by
 * the browser, the CSRF token on every mutating call, and a 401 turned into "sign in again".
 */

/** The API's error shape: `{ error: { code, message } }`. */
export class ApiFailure extends Error {
  readonly status: number;
  readonly code: string;
  /** Where in the request the problem is (`body.params.who`, `query.limit`), when the API says. */
  readonly path: string | undefined;

  constructor(status: number, code: string, message: string, path?: string) {
    super(message);
    this.name = 'ApiFailure';
    this.status = status;
    this.code = code;
    this.path = path;
  }
}

type Listener = () => void;
const signedOutListeners = new Set<Listener>();
let csrfToken: string | undefined;

/** Called when the API answers 401: the session ended or expired. */
export function onSignedOut(listener: Listener): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

/** The CSRF token of the session, read from `GET /api/session`, sent on every mutating call. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

async function call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== undefined) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (response.status === 204) return undefined as T;
  const answer: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = (answer as { error?: { code?: string; message?: string; path?: string } } | undefined)
      ?.error;
    if (response.status === 401 && path !== '/api/session')
      for (const listener of signedOutListeners) listener();
    throw new ApiFailure(
      response.status,
      error?.code ?? 'api.failed',
      error?.message ?? response.statusText,
      error?.path,
    );
  }
  return answer as T;
}

export const api = {
  get: <T>(path: string) => call<T>('GET', path),
  post: <T>(path: string, body?: unknown) => call<T>('POST', path, body ?? {}),
  delete: <T>(path: string) => call<T>('DELETE', path),
};
