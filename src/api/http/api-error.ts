import { CronplaneError } from '../../errors/index.ts';

export interface ApiIssue {
  readonly path: string;
  readonly message: string;
}

export interface ApiErrorOptions {
  /** Where in the request the problem is: `body.params.tenant`, `query.limit`, `path.id`. */
  readonly path?: string;
  /** Every problem found, when there are several. */
  readonly issues?: readonly ApiIssue[];
  readonly headers?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

/**
 * An error the API answers with: an HTTP status, a stable code and a message saying what was
 * found, where, and what was expected. The error handler turns it into
 * `{ "error": { "code", "message", "path"?, "issues"? } }`.
 */
export class ApiError extends CronplaneError {
  readonly statusCode: number;
  readonly issues: readonly ApiIssue[] | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(statusCode: number, code: string, message: string, options: ApiErrorOptions = {}) {
    super(code, message, {
      ...(options.path === undefined ? {} : { location: { path: options.path } }),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.statusCode = statusCode;
    this.issues = options.issues;
    this.headers = options.headers ?? {};
  }
}
