import { ControlError, noDaemonCode, notJsonCode, requestApi } from '../control/index.ts';
import type { ApiAnswer } from '../control/index.ts';
import { CronplaneError } from '../errors/index.ts';
import type { CliIo } from './cli-io.ts';
import { reportError } from './report-error.ts';

/** The daemon the CLI talks to when neither --server nor CRONPLANE_SERVER names one. */
export const defaultServerUrl = 'http://127.0.0.1:7070';

export interface ApiCallOptions {
  /** --server; else CRONPLANE_SERVER; else the default. */
  readonly server?: string | undefined;
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
  readonly timeoutMs?: number;
}

export type { ApiAnswer } from '../control/index.ts';

/** `host:port` or a URL, as a base URL without a trailing slash. */
export function serverUrlOf(flag: string | undefined, env: CliIo['env']): string {
  const given = flag ?? env['CRONPLANE_SERVER'];
  const url = given === undefined || given === '' ? defaultServerUrl : given;
  return (/^https?:\/\//.test(url) ? url : `http://${url}`).replace(/\/+$/, '');
}

/**
 * Calls a running daemon's API with CRONPLANE_TOKEN. No daemon answering, no token, and every
 * refusal become a CronplaneError whose message says what to do; the token is never printed.
 */
export async function callApi<T>(io: CliIo, options: ApiCallOptions): Promise<ApiAnswer<T>> {
  const base = serverUrlOf(options.server, io.env);
  const token = io.env['CRONPLANE_TOKEN'];
  if (token === undefined || token === '') {
    throw new CronplaneError(
      'cli.token',
      'set CRONPLANE_TOKEN to an API token (create one with: cronplane token create NAME --scope trigger)',
    );
  }
  try {
    return await requestApi<T>({
      base,
      token,
      method: options.method,
      path: options.path,
      ...(options.body === undefined ? {} : { body: options.body }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
  } catch (thrown) {
    if (!(thrown instanceof ControlError)) throw thrown;
    if (thrown.code === noDaemonCode)
      throw new CronplaneError('cli.no-daemon', thrown.message, { cause: thrown.cause });
    if (thrown.code === notJsonCode) throw new CronplaneError('cli.api', thrown.message);
    const status = thrown.status ?? 500;
    throw new ApiRefusal(
      status,
      thrown.code,
      `the daemon at ${base} refused (${status} ${thrown.code}): ${thrown.message}`,
    );
  }
}

/** A 4xx/5xx answer of the API. */
export class ApiRefusal extends CronplaneError {
  readonly status: number;

  constructor(status: number, code: string, message: string) {
    super(code, message);
    this.status = status;
  }
}

/**
 * Exit code and message for a failed API call: a daemon that does not answer or fails itself
 * is a failure (1); a refused request changed nothing (2).
 */
export function apiFailureCode(thrown: unknown): 1 | 2 | undefined {
  if (thrown instanceof ApiRefusal) return thrown.status >= 500 ? 1 : 2;
  if (thrown instanceof CronplaneError && thrown.code === 'cli.no-daemon') return 1;
  return undefined;
}

/**
 * How a command that may talk to a daemon ends on an error: a refusal of the API or an absent
 * daemon with its message and exit code (1 for the server's fault, 2 for the request's), anything
 * else as `reportError` prints it.
 */
export function reportFailure(thrown: unknown, io: CliIo): number {
  const code = apiFailureCode(thrown);
  if (code === undefined) return reportError(thrown, io);
  io.err(`error: ${(thrown as Error).message}`);
  return code;
}
