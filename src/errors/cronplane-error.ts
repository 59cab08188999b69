/**
 * The one error type of cronplane. Every error a user can cause carries a stable `code`, a
 * message that says what was expected, and where possible a location: a file with line and
 * column, a field path inside a document, or a character position inside an expression.
 */
export interface ErrorLocation {
  /** File the problem is in, as the user named it. */
  readonly file?: string;
  /** 1-based line and column inside `file`. */
  readonly line?: number;
  readonly column?: number;
  /** Dotted field path inside a document, for example `jobs.eval.retry.attempts`. */
  readonly path?: string;
  /** 0-based character offset inside an expression (a calendar string, a duration). */
  readonly position?: number;
}

export interface CronplaneErrorOptions {
  readonly location?: ErrorLocation;
  /** True when trying the same thing again may succeed (a network blip, a busy database). */
  readonly retryable?: boolean;
  readonly cause?: unknown;
}

export class CronplaneError extends Error {
  override readonly name = 'CronplaneError';
  readonly code: string;
  readonly location: ErrorLocation | undefined;
  readonly retryable: boolean;

  constructor(code: string, message: string, options: CronplaneErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.location = options.location;
    this.retryable = options.retryable ?? false;
  }
}

/** Turns anything thrown into an Error, so every `catch` can rely on `.message`. */
export function coerceError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  try {
    return new Error(JSON.stringify(thrown));
  } catch {
    return new Error(String(thrown));
  }
}

/** `file:line:column` (or as much of it as is known), for messages and logs. */
export function formatLocation(location: ErrorLocation | undefined): string {
  if (location === undefined) return '';
  let text = location.file ?? '';
  if (location.line !== undefined) {
    text += `${text === '' ? '' : ':'}${location.line}`;
    if (location.column !== undefined) text += `:${location.column}`;
  }
  if (location.path !== undefined) text += `${text === '' ? '' : ' '}(${location.path})`;
  if (location.position !== undefined && location.line === undefined) {
    text += `${text === '' ? '' : ' '}at position ${location.position}`;
  }
  return text;
}
