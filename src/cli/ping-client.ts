import type { CliIo } from './cli-io.ts';
import { coerceError } from '../errors/index.ts';

/** How long one ping may take before `cronplane exec` gives up on it and goes on. */
export const defaultPingTimeoutMs = 5000;

/** A ping URL fit to print: the unguessable id shortened (`…/ping/3f9a…`). */
export function redactPingUrl(url: string): string {
  return url.replace(/\/ping\/([A-Za-z0-9_-]{4})[A-Za-z0-9_-]*/, '/ping/$1…');
}

/**
 * Sends one ping; never throws and never waits longer than the timeout. A ping that fails (no
 * answer, an error status) is a warning on standard error: the job it reports on goes on.
 */
export async function sendPing(
  io: CliIo,
  url: string,
  body: string | undefined,
  timeoutMs = defaultPingTimeoutMs,
): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8', 'user-agent': 'cronplane-exec' },
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    if (response.ok) return true;
    let message = text.slice(0, 200);
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      // Not JSON: the text itself says what went wrong.
    }
    io.err(`cronplane exec: warning: ping ${redactPingUrl(url)} answered ${response.status}: ${message}`);
  } catch (thrown) {
    const error = coerceError(thrown) as Error & { cause?: { code?: string } };
    const why =
      error.name === 'TimeoutError'
        ? `no answer within ${timeoutMs / 1000} s`
        : (error.cause?.code ?? error.message);
    io.err(`cronplane exec: warning: ping ${redactPingUrl(url)} failed (${why})`);
  }
  return false;
}
