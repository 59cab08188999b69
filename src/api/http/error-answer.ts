import { ConfigError } from '../../config/index.ts';
import { ControlError } from '../../control/index.ts';
import type { ControlErrorKind } from '../../control/index.ts';
import { CronplaneError, coerceError } from '../../errors/index.ts';
import { ApiError } from './api-error.ts';
import type { ApiIssue } from './api-error.ts';

/** The one shape every error answer has. */
export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly path?: string;
    readonly issues?: readonly ApiIssue[];
  };
}

export interface ErrorAnswer {
  readonly status: number;
  readonly body: ErrorBody;
  readonly headers: Readonly<Record<string, string>>;
  /** True for the server's own faults (logged as errors); false for the client's. */
  readonly internal: boolean;
}

/** The status of each kind of refusal of a control operation. */
const statusOfKind: { readonly [Kind in ControlErrorKind]: number } = {
  bad_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  too_many: 429,
  unavailable: 500,
};

/** Status of errors raised below the API (engine, queue, store) that the client caused. */
const statusOfCode: Readonly<Record<string, number>> = {
  'engine.unknown-job': 404,
  'engine.param': 400,
  'param.invalid': 400,
  'engine.fan-key': 400,
  'engine.template': 409,
  'queue.not-a-queue': 409,
  'queue.fan-out': 409,
  'queue.key': 400,
  'store.not_found': 404,
  'store.conflict': 409,
  'store.input': 400,
};

/** The longest path segment the router reads (a job name, an id); longer ones are a 414. */
export const maxParamLength = 200;

/** Fastify's own errors for requests it could not take, as our codes. */
const fastifyCodes: Readonly<Record<string, { readonly code: string; readonly message?: string }>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'api.unsupported-media-type',
    message: 'the body must be JSON: send Content-Type: application/json',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'api.body-too-large',
    message: 'the body is larger than the API accepts (1 MiB); send a smaller payload',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'api.bad-request' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'api.invalid-json' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'api.invalid-json' },
  FST_ERR_BAD_URL: { code: 'api.bad-url' },
  FST_ERR_MAX_PARAM_LENGTH: {
    code: 'api.uri-too-long',
    message: `a path segment is longer than the API reads (${maxParamLength} characters)`,
  },
  FST_ERR_CTP_INVALID_TYPE: { code: 'api.unsupported-media-type' },
};

/**
 * Turns anything thrown while answering into a status and the error body. Whatever the client
 * did wrong is a 4xx naming the problem; only faults of the server are a 5xx, and their details
 * stay in the log.
 */
export function errorAnswer(thrown: unknown): ErrorAnswer {
  if (thrown instanceof ApiError) {
    return answer(
      thrown.statusCode,
      thrown.code,
      thrown.message,
      thrown.location?.path,
      thrown.issues,
      thrown.headers,
    );
  }
  if (thrown instanceof ControlError) {
    return answer(statusOfKind[thrown.kind], thrown.code, thrown.message, thrown.location?.path);
  }
  if (thrown instanceof ConfigError) {
    return answer(500, 'api.internal', 'the job file could not be read', undefined, undefined, {}, true);
  }
  if (thrown instanceof CronplaneError) {
    const status = statusOfCode[thrown.code];
    if (status !== undefined) return answer(status, thrown.code, thrown.message, thrown.location?.path);
  }
  const error = coerceError(thrown) as Error & { statusCode?: unknown; code?: unknown };
  const statusCode = typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (statusCode >= 400 && statusCode < 500) {
    const known = typeof error.code === 'string' ? fastifyCodes[error.code] : undefined;
    const message = known?.message ?? lowerFirst(error.message);
    return answer(statusCode, known?.code ?? 'api.bad-request', message);
  }
  return answer(
    500,
    'api.internal',
    'the server failed to answer; the details are in its log',
    undefined,
    undefined,
    {},
    true,
  );
}

function answer(
  status: number,
  code: string,
  message: string,
  path?: string,
  issues?: readonly ApiIssue[],
  headers: Readonly<Record<string, string>> = {},
  internal = false,
): ErrorAnswer {
  return {
    status,
    headers,
    internal: internal || status >= 500,
    body: {
      error: {
        code,
        message,
        ...(path === undefined ? {} : { path }),
        ...(issues === undefined || issues.length < 2 ? {} : { issues }),
      },
    },
  };
}

function lowerFirst(text: string): string {
  return text.length === 0 ? text : text[0]!.toLowerCase() + text.slice(1);
}
