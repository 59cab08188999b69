import { randomUUID } from 'node:crypto';
import { setTimeout as wait } from 'node:timers/promises';
import { coerceError } from '../errors/index.ts';
import type { Channel } from './channel.ts';
import { channelRedactor } from './channel-secrets.ts';
import { DeliveryError } from './delivery-error.ts';
import type { DeliveryPolicy } from './delivery-policy.ts';
import { defaultDeliveryPolicy, retryDelay } from './delivery-policy.ts';
import type { DeliveryAttempt, DeliveryReport } from './delivery-report.ts';
import type { Notification } from './notification.ts';
import { isQuiet } from './quiet-hours.ts';
import { sendToChannel } from './send-to-channel.ts';

/** Waits `ms`, or less when `signal` aborts; never rejects. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export interface DeliverOptions {
  /** Overrides of the default policy (8 attempts, 2 s doubling to at most 5 min, 10 s per attempt). */
  readonly policy?: Partial<DeliveryPolicy>;
  /** Node's global fetch by default. */
  readonly fetch?: typeof fetch;
  /** Wall clock for timestamps, quiet hours and the webhook signature; Date.now by default. */
  readonly now?: () => number;
  /** The wait between attempts; a real timer by default. Tests pass one that records and returns. */
  readonly sleep?: Sleep;
  /** For the jitter; Math.random by default. */
  readonly random?: () => number;
  /** Abandons the delivery: no further attempt starts, the one under way is aborted. */
  readonly signal?: AbortSignal;
  /** A random UUID by default. */
  readonly deliveryId?: string;
}

export const realSleep: Sleep = async (ms, signal) => {
  try {
    await wait(ms, undefined, { signal });
  } catch {
    // Aborted: the caller looks at the signal.
  }
};

/**
 * Hands one notification to one channel: retried with exponential back-off while failures are
 * retryable, each attempt time-limited and recorded. Never throws; resolves with a report
 * whose every message has the channel's secrets masked.
 */
export async function deliver(
  notification: Notification,
  channel: Channel,
  options: DeliverOptions = {},
): Promise<DeliveryReport> {
  const policy: DeliveryPolicy = { ...defaultDeliveryPolicy, ...options.policy };
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const outer = options.signal ?? new AbortController().signal;
  const deliveryId = options.deliveryId ?? randomUUID();
  const startedAt = now();
  const attempts: DeliveryAttempt[] = [];
  let redact: (text: string) => string = () => '(a message that could not be checked for secrets)';
  const base = () => ({
    channel: channel.name,
    channelKind: channel.kind,
    notification: {
      kind: notification.kind,
      dedupKey: notification.dedupKey,
      severity: notification.severity,
      title: notification.title,
      ...(notification.job === undefined ? {} : { job: notification.job }),
      ...(notification.runId === undefined ? {} : { runId: notification.runId }),
    },
    deliveryId,
    startedAt,
    finishedAt: now(),
    attempts,
  });
  const failed = (error: string): DeliveryReport => ({ ...base(), outcome: 'failed', error });

  try {
    redact = channelRedactor(channel);
    if (isQuiet(channel.quietHours, notification, startedAt)) {
      const quiet = channel.quietHours;
      return {
        ...base(),
        outcome: 'suppressed',
        reason: `quiet hours (${quiet?.timezone}); only ${quiet?.minSeverity} and above go out now`,
      };
    }
    for (let attempt = 1; attempt <= policy.attempts; attempt++) {
      if (outer.aborted) {
        return failed(
          `abandoned after ${attempt - 1} attempt${attempt === 2 ? '' : 's'}${lastError(attempts)}`,
        );
      }
      const at = now();
      const started = performance.now();
      const signal = AbortSignal.any([outer, AbortSignal.timeout(policy.attemptTimeoutMs)]);
      try {
        const result = await sendToChannel(channel, notification, {
          signal,
          timeoutMs: policy.attemptTimeoutMs,
          fetch: options.fetch ?? fetch,
          now,
          deliveryId,
        });
        attempts.push({
          attempt,
          at,
          durationMs: Math.round(performance.now() - started),
          outcome: 'delivered',
          status: result.status,
          ...(result.detail === undefined ? {} : { detail: redact(result.detail) }),
        });
        return { ...base(), outcome: 'delivered' };
      } catch (thrown) {
        const error = coerceError(thrown);
        const known = error instanceof DeliveryError ? error : undefined;
        // Anything but a DeliveryError is a fault of ours (a bad setting, a bug): trying again cannot help.
        const retryable = known?.retryable ?? false;
        const last = attempt === policy.attempts || !retryable;
        const nextDelayMs = last ? undefined : retryDelay(policy, attempt, random, known?.retryAfterMs);
        attempts.push({
          attempt,
          at,
          durationMs: Math.round(performance.now() - started),
          outcome: 'failed',
          ...(known?.status === undefined ? {} : { status: known.status }),
          error: redact(known === undefined ? `cannot send: ${error.message}` : error.message),
          retryable,
          ...(nextDelayMs === undefined ? {} : { nextDelayMs }),
        });
        if (nextDelayMs === undefined) {
          const count = `${attempt} attempt${attempt === 1 ? '' : 's'}`;
          return failed(
            retryable
              ? `gave up after ${count}${lastError(attempts)}`
              : `failed after ${count}, not retryable${lastError(attempts)}`,
          );
        }
        await sleep(nextDelayMs, outer);
      }
    }
    return failed(`no attempt was made (attempts: ${policy.attempts})`);
  } catch (thrown) {
    return failed(redact(`cannot deliver: ${coerceError(thrown).message}`));
  }
}

function lastError(attempts: readonly DeliveryAttempt[]): string {
  const error = attempts[attempts.length - 1]?.error;
  return error === undefined ? '' : `: ${error}`;
}
