import { coerceError } from '../errors/index.ts';
import { DeliveryError, isRetryableStatus } from './delivery-error.ts';
import type { SendContext } from './sender.ts';

/** Bytes of a receiver's answer kept for the delivery report (after redaction). */
const answerLimit = 2048;

export interface HttpAnswer {
  readonly status: number;
  readonly text: string;
}

/**
 * POSTs a body and reads the answer. A 2xx answer is returned; anything else, and every network
 * error or timeout, is thrown as a `DeliveryError`. Messages name the endpoint by origin only:
 * the path of a webhook URL is its secret.
 */
export async function postBody(
  url: string,
  body: string,
  headers: Readonly<Record<string, string>>,
  context: SendContext,
): Promise<HttpAnswer> {
  const origin = endpointOrigin(url);
  if (origin === undefined) {
    throw new DeliveryError('the endpoint is not a valid http:// or https:// URL', { retryable: false });
  }
  let response: Response;
  try {
    response = await context.fetch(url, {
      method: 'POST',
      headers: { 'user-agent': 'cronplane', ...headers },
      body,
      signal: context.signal,
      redirect: 'error',
    });
  } catch (thrown) {
    throw new DeliveryError(`POST ${origin}: ${networkReason(thrown, context)}`, {
      retryable: true,
      cause: thrown,
    });
  }
  const text = await readAnswer(response);
  if (response.status >= 200 && response.status < 300) return { status: response.status, text };
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), context.now());
  throw new DeliveryError(
    `POST ${origin} answered HTTP ${response.status}${text.trim() === '' ? '' : `: ${oneLine(text)}`}`,
    {
      retryable: isRetryableStatus(response.status),
      status: response.status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    },
  );
}

/** `https://host:port` of a URL, or undefined when it is not an http(s) URL. */
export function endpointOrigin(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    return parsed.origin;
  } catch {
    return undefined;
  }
}

/** Why a request got no answer, in words: a refused connection, a timeout, a DNS failure. */
export function networkReason(thrown: unknown, context: Pick<SendContext, 'signal' | 'timeoutMs'>): string {
  if (context.signal.aborted) {
    const reason: unknown = context.signal.reason;
    if (reason instanceof DOMException && reason.name === 'TimeoutError') {
      return `no answer within ${context.timeoutMs} ms`;
    }
    return 'abandoned before an answer came';
  }
  const error = coerceError(thrown);
  const cause = error.cause === undefined ? undefined : coerceError(error.cause);
  return cause === undefined ? error.message : `${error.message} (${cause.message})`;
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

async function readAnswer(response: Response): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < answerLimit) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // An answer cut short says no less than what was read of it.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text.slice(0, answerLimit);
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= 300 ? flat : `${flat.slice(0, 299)}…`;
}
