import { bodyContentType } from './body-content-type.ts';
import { Secret, SecretMask } from '../config/index.ts';
import { coerceError } from '../errors/index.ts';
import {
  bodyKind,
  contentTypeIn,
  substituteBody,
  substituteHeader,
  substituteUrl,
} from '../placeholders/index.ts';
import type { ExecutionRequest, HttpSpec } from './execution-request.ts';
import type { ExecutionResult } from './execution-result.ts';
import type { Executor } from './executor.ts';
import { failedBodyAssertion } from './body-assertion.ts';
import { extractMetrics, isPlainObject } from './extract-metrics.ts';
import { formatBytes, formatDuration } from './format-amount.ts';
import { OutputCapture } from './output-capture.ts';
import type { OutputSink } from './output-sink.ts';
import { abortReason, watchStop } from './watch-stop.ts';

export interface HttpExecutorOptions {
  /** The fetch to use; Node's global one by default. */
  readonly fetch?: typeof fetch;
  /**
   * Bytes of a response body held to read metrics from and to check `expectBody` against (the
   * capture limit does not apply); 1 MiB by default.
   */
  readonly metricsBodyLimitBytes?: number;
}

const defaultMetricsBodyLimit = 1024 * 1024;

/**
 * Sends a job's HTTP request with `fetch`: placeholder values percent-encoded in the URL,
 * JSON-escaped in a JSON body, form-encoded in a form body, refused in a header when they hold a
 * line break; secret headers and the bearer token revealed only into the request and
 * masked everywhere they could come back (the captured response, error text). The status must be
 * one of `expectStatus`, or any 2xx, and the body must pass every check of `expectBody`. A dry run
 * does not send.
 */
export function createHttpExecutor(options: HttpExecutorOptions = {}): Executor<HttpSpec> {
  return new HttpExecutor(options);
}

type Ending = Omit<ExecutionResult, 'durationMs' | 'outputBytes' | 'truncated'>;

class HttpExecutor implements Executor<HttpSpec> {
  readonly #options: HttpExecutorOptions;

  constructor(options: HttpExecutorOptions) {
    this.#options = options;
  }

  async execute(
    request: ExecutionRequest<HttpSpec>,
    sink: OutputSink,
    signal?: AbortSignal,
  ): Promise<ExecutionResult> {
    const started = performance.now();
    const spec = request.target;
    const { params } = request;
    const secrets: string[] = [...(request.secretValues ?? [])];
    const headers = new Headers({
      'user-agent': 'cronplane',
      'x-cronplane-run-id': request.runId,
      'x-cronplane-job': request.job,
      'x-cronplane-attempt': String(request.attempt),
    });
    let ending: Ending | undefined;
    let url = '';
    let body: string | undefined;
    try {
      for (const [name, value] of Object.entries(spec.headers)) {
        if (value instanceof Secret) secrets.push(value.reveal());
        headers.set(name, value instanceof Secret ? value.reveal() : substituteHeader(name, value, params));
      }
      if (spec.bearer !== undefined) {
        secrets.push(spec.bearer.reveal());
        headers.set('authorization', `Bearer ${spec.bearer.reveal()}`);
      }
      url = substituteUrl(spec.url, params);
      body = requestBody(spec, request.payload, params, contentTypeIn(spec.headers));
      if (body !== undefined && !headers.has('content-type')) {
        headers.set('content-type', bodyContentType(body));
      }
    } catch (thrown) {
      ending = { outcome: 'failure', error: `cannot build the request: ${coerceError(thrown).message}` };
    }
    const mask = SecretMask.of(secrets);
    const capture = new OutputCapture(sink, request.captureLimitBytes, mask);
    ending ??= await this.#send(request, url, headers, body, capture, signal);
    capture.finish();
    const error = ending.error === undefined ? undefined : mask.redact(ending.error);
    return {
      ...ending,
      ...(error === undefined ? {} : { error }),
      durationMs: performance.now() - started,
      outputBytes: capture.bytes,
      truncated: capture.truncated,
    };
  }

  async #send(
    request: ExecutionRequest<HttpSpec>,
    url: string,
    headers: Headers,
    body: string | undefined,
    capture: OutputCapture,
    signal: AbortSignal | undefined,
  ): Promise<Ending> {
    const spec = request.target;
    const shown = `${spec.method} ${withoutQuery(url)}`;
    if (request.dryRun) {
      const bodyText = body === undefined ? 'no body' : `a body of ${formatBytes(Buffer.byteLength(body))}`;
      capture.system(`dry run: ${shown} with ${bodyText} was not sent`);
      return { outcome: 'skip', error: 'dry run: the request was not sent' };
    }
    if (signal?.aborted === true) return { outcome: 'cancelled', error: abortReason(signal) };
    const controller = new AbortController();
    const watch = watchStop(request.timeoutMs, signal, () => controller.abort());
    const fetchImpl = this.#options.fetch ?? fetch;
    const metricsLimit = this.#options.metricsBodyLimitBytes ?? defaultMetricsBodyLimit;
    let status: number | undefined;
    const held: Uint8Array[] = [];
    let heldBytes = 0;
    const holdBody = spec.metricsField !== undefined || spec.expectBody.length > 0;
    try {
      capture.system(shown);
      const response = await fetchImpl(url, {
        method: spec.method,
        headers,
        body: body ?? null,
        signal: controller.signal,
      });
      status = response.status;
      capture.system(`HTTP ${response.status} ${response.statusText}`.trimEnd());
      if (response.body !== null) {
        for await (const chunk of response.body) {
          capture.write('stdout', chunk);
          if (holdBody && heldBytes <= metricsLimit) {
            held.push(chunk);
            heldBytes += chunk.length;
          }
        }
      }
    } catch (thrown) {
      const httpStatus = status === undefined ? {} : { httpStatus: status };
      switch (watch.reason) {
        case 'timeout':
          return {
            outcome: 'timed_out',
            ...httpStatus,
            error: `timed out after ${formatDuration(request.timeoutMs ?? 0)}`,
          };
        case 'abort':
          return { outcome: 'cancelled', ...httpStatus, error: abortReason(signal) };
        case undefined:
          return { outcome: 'failure', ...httpStatus, error: describeFetchError(thrown) };
      }
    } finally {
      watch.dispose();
    }
    const expected = spec.expectStatus;
    const statusOk = expected === undefined ? status >= 200 && status < 300 : expected.includes(status);
    const metrics =
      spec.metricsField === undefined
        ? undefined
        : readMetrics(held, heldBytes, metricsLimit, spec.metricsField, capture);
    const error = !statusOk
      ? `status ${status}, expected ${expected === undefined ? '2xx' : expected.join(' or ')}`
      : checkBody(spec, held, heldBytes, metricsLimit);
    if (error !== undefined && statusOk) capture.system(error);
    return {
      outcome: error === undefined ? 'success' : 'failure',
      httpStatus: status,
      ...(error === undefined ? {} : { error }),
      ...(metrics === undefined ? {} : { metrics }),
    };
  }
}

/** The body as configured (values JSON-escaped, form-encoded or as text), else the queued payload as JSON. */
function requestBody(
  spec: HttpSpec,
  payload: unknown,
  params: Readonly<Record<string, string>>,
  contentType: string | undefined,
): string | undefined {
  if (spec.body !== undefined) return substituteBody(spec.body, bodyKind(spec.body, contentType), params);
  if (payload === undefined || spec.method === 'GET' || spec.method === 'HEAD') return undefined;
  return JSON.stringify(payload);
}

/** Why the body fails `expectBody` (`expect_body: expected $.status to equal ...`), or undefined when it passes. */
function checkBody(
  spec: HttpSpec,
  held: readonly Uint8Array[],
  heldBytes: number,
  limit: number,
): string | undefined {
  if (spec.expectBody.length === 0) return undefined;
  if (heldBytes > limit) {
    return `expect_body: the response is larger than ${formatBytes(limit)}, so it was not checked`;
  }
  const failed = failedBodyAssertion(spec.expectBody, Buffer.concat(held).toString('utf8'));
  return failed === undefined ? undefined : `expect_body: ${failed}`;
}

function readMetrics(
  held: readonly Uint8Array[],
  heldBytes: number,
  limit: number,
  field: string,
  capture: OutputCapture,
): Record<string, number> | undefined {
  if (heldBytes > limit) {
    capture.system(`metrics: the response is larger than ${formatBytes(limit)}, so "${field}" was not read`);
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(held).toString('utf8'));
  } catch {
    capture.system(`metrics: the response is not JSON, so "${field}" was not read`);
    return undefined;
  }
  for (const key of field.split('.')) value = isPlainObject(value) ? value[key] : undefined;
  const last = field.split('.').at(-1) ?? field;
  const metrics =
    typeof value === 'number' && Number.isFinite(value) ? { [last]: value } : extractMetrics(value);
  if (metrics === undefined) capture.system(`metrics: the response has no numbers at "${field}"`);
  return metrics;
}

/** What went wrong below HTTP, in the words of the system call (`connect ECONNREFUSED 127.0.0.1:1`). */
function describeFetchError(thrown: unknown): string {
  const error = coerceError(thrown);
  const cause: unknown = error.cause;
  if (cause instanceof AggregateError && cause.errors.length > 0) {
    return cause.errors.map((inner: unknown) => coerceError(inner).message).join('; ');
  }
  const message = cause instanceof Error && cause.message !== '' ? cause.message : error.message;
  // fetch refuses ports the Fetch standard lists as unsafe (1, 25, 6000, ...) before connecting.
  return message === 'bad port'
    ? 'the port is blocked by fetch (a "bad port" of the Fetch standard)'
    : message;
}

function withoutQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : `${url.slice(0, cut)}?…`;
}
