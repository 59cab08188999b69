import { CronplaneError } from '../errors/index.ts';

/**
 * What kind of refusal a control operation answers, whoever carries it out: the API turns each
 * kind into one HTTP status, and `HttpControl` turns the status back into the kind.
 */
export const ControlErrorKind = {
  /** The request is wrong (a parameter that breaks its rule, a window that ends before it starts). */
  bad_input: 'bad_input',
  /** No token, or one that is not valid. */
  unauthorized: 'unauthorized',
  /** The actor may not touch it (a token limited to other jobs, a scope too small). */
  forbidden: 'forbidden',
  /** No such job, run, event, monitor or node. */
  not_found: 'not_found',
  /** It exists but is not in a state that allows it (a run that succeeded cannot be retried). */
  conflict: 'conflict',
  /** The request named a version (If-Match) that is no longer the one in force. */
  precondition_failed: 'precondition_failed',
  /** Too many requests or live streams: try again later. */
  too_many: 'too_many',
  /** The control plane could not be reached, or failed itself. */
  unavailable: 'unavailable',
} as const;
export type ControlErrorKind = keyof typeof ControlErrorKind;

/** One problem of a refused request: where it is (`body.params.who`) and what is wrong. */
export interface ControlIssue {
  readonly path: string;
  readonly message: string;
}

export interface ControlErrorOptions {
  /** Where in the request the problem is, as the API names it: `path.id`, `body.params.whom`. */
  readonly path?: string;
  /** The HTTP status of an API answer this error came from (HttpControl only). */
  readonly status?: number;
  /** Every problem found when there were several (the API's `issues`), each with its path. */
  readonly issues?: readonly ControlIssue[];
  readonly cause?: unknown;
}

/**
 * A refusal of a control operation: its kind, the API's stable code (`api.unknown-run`,
 * `api.conflict`, `engine.param`...) and a message saying what was found and what was expected.
 * The same refusal has the same kind, code and message locally and over HTTP.
 */
export class ControlError extends CronplaneError {
  readonly kind: ControlErrorKind;
  readonly status: number | undefined;
  /** Every problem when the API found several; empty otherwise (the message names the first). */
  readonly issues: readonly ControlIssue[];

  constructor(kind: ControlErrorKind, code: string, message: string, options: ControlErrorOptions = {}) {
    super(code, message, {
      ...(options.path === undefined ? {} : { location: { path: options.path } }),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
      retryable: kind === 'too_many' || kind === 'unavailable',
    });
    this.kind = kind;
    this.status = options.status;
    this.issues = options.issues ?? [];
  }
}

/** The kind of an HTTP error status (the API's answers). */
export function controlErrorKindOfStatus(status: number): ControlErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 412) return 'precondition_failed';
  if (status === 429) return 'too_many';
  if (status >= 500) return 'unavailable';
  return 'bad_input';
}
