import { coerceError } from '../errors/index.ts';
import { ControlError, controlErrorKindOfStatus } from './control-error.ts';
import type { ControlIssue } from './control-error.ts';

export interface ApiRequest {
  /** The API's base URL, without a trailing slash: `http://127.0.0.1:7070`. */
  readonly base: string;
  readonly token: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query: `/api/runs?job=x`. */
  readonly path: string;
  readonly body?: unknown;
  /** More request headers (`if-match`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Default 10 s. */
  readonly timeoutMs?: number;
}

export interface ApiAnswer<T> {
  readonly status: number;
  readonly body: T;
}

/** Refusal codes of the request itself, not of the API: the daemon could not be asked or did not answer JSON. */
export const noDaemonCode = 'control.no-daemon';
export const notJsonCode = 'control.not-json';

/**
 * Calls a cronplane API with a bearer token. An error answer becomes a `ControlError` with the
 * API's code, message and field path (its kind from the status); no daemon answering becomes one
 * of kind `unavailable` whose message says what to do. The token is never in a message.
 */
export async function requestApi<T>(request: ApiRequest): Promise<ApiAnswer<T>> {
  const { base } = request;
  const timeoutMs = request.timeoutMs ?? 10_000;
  let response: Response;
  try {
    response = await fetch(`${base}${request.path}`, {
      method: request.method,
      headers: {
        authorization: `Bearer ${request.token}`,
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...request.headers,
      },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (thrown) {
    throw noDaemon(base, thrown, timeoutMs);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new ControlError(
      'unavailable',
      notJsonCode,
      `${base} answered ${response.status} with something that is not JSON; is it cronplane?`,
      { status: response.status },
    );
  }
  if (!response.ok) throw refusalOf(response.status, body, text);
  return { status: response.status, body: body as T };
}

/** The ControlError an API error answer stands for. */
export function refusalOf(status: number, body: unknown, text: string): ControlError {
  const error = (
    body as { error?: { code?: unknown; message?: unknown; path?: unknown; issues?: unknown } } | undefined
  )?.error;
  const code = typeof error?.code === 'string' ? error.code : 'api.error';
  const message = typeof error?.message === 'string' ? error.message : text.slice(0, 500);
  const issues = Array.isArray(error?.issues) ? error.issues.filter(isIssue) : [];
  return new ControlError(controlErrorKindOfStatus(status), code, message, {
    status,
    ...(typeof error?.path === 'string' ? { path: error.path } : {}),
    ...(issues.length === 0 ? {} : { issues }),
  });
}

function isIssue(value: unknown): value is ControlIssue {
  const issue = value as { path?: unknown; message?: unknown } | null;
  return typeof issue?.path === 'string' && typeof issue.message === 'string';
}

/** The refusal for a daemon that could not be asked: what went wrong, and what to do. */
export function noDaemon(base: string, thrown: unknown, timeoutMs: number): ControlError {
  const error = coerceError(thrown) as Error & { cause?: { code?: string; message?: string } };
  const code = error.cause?.code ?? (error.name === 'TimeoutError' ? 'timeout' : undefined);
  const why =
    code === 'ECONNREFUSED'
      ? 'connection refused'
      : code === 'ENOTFOUND'
        ? 'no such host'
        : code === 'timeout'
          ? `no answer within ${timeoutMs / 1000} s`
          : (code ?? error.cause?.message ?? error.message);
  return new ControlError(
    'unavailable',
    noDaemonCode,
    `no cronplane daemon answers at ${base} (${why}): start one with "cronplane start", or point --server or CRONPLANE_SERVER at a running one`,
    { cause: thrown },
  );
}
