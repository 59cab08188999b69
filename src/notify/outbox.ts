import { coerceError } from '../errors/index.ts';
import type { Channel } from './channel.ts';
import type { DeliverOptions } from './deliver.ts';
import { deliver } from './deliver.ts';
import type { DeliveryReport } from './delivery-report.ts';
import type { Notification } from './notification.ts';

/** The part of a pino logger the outbox writes to. */
export interface OutboxLogger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface OutboxOptions extends Omit<DeliverOptions, 'signal' | 'deliveryId'> {
  /** The channels names refer to (see `channelsOf`). */
  readonly channels: ReadonlyMap<string, Channel>;
  /** Gets every report (delivered, failed, suppressed): store it as an event. Its errors are logged. */
  readonly onReport?: (report: DeliveryReport) => void | Promise<void>;
  /** Deliveries under way at once; 4 by default. */
  readonly concurrency?: number;
  readonly logger?: OutboxLogger;
}

export interface ReleaseOptions {
  /** How long deliveries under way (and their retries) may go on before they are abandoned; 10 s by default. */
  readonly graceMs?: number;
}

/**
 * Where code that raises alerts drops them: `enqueue()` returns at once and never throws;
 * deliveries run in the background with retries, a few at a time. Deliveries to one channel
 * for one dedup key keep their order (a resolve never overtakes its trigger). `drain()` waits
 * for everything queued; `release()` stops taking work and abandons what outlives its grace.
 */
export class Outbox {
  readonly #options: OutboxOptions;
  #channels: ReadonlyMap<string, Channel>;
  readonly #abort = new AbortController();
  readonly #tails = new Map<string, Promise<void>>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #waiting: (() => void)[] = [];
  #active = 0;
  #closed = false;

  constructor(options: OutboxOptions) {
    this.#options = options;
    this.#channels = options.channels;
  }

  /** The channels names refer to from now on (a reloaded job file); deliveries under way keep theirs. */
  setChannels(channels: ReadonlyMap<string, Channel>): void {
    this.#channels = channels;
  }

  /** Deliveries queued or under way. */
  get pending(): number {
    return this.#inFlight.size;
  }

  /** Queues the notification for each named channel (a name given twice is sent once). */
  enqueue(notification: Notification, channelNames: readonly string[]): void {
    for (const name of new Set(channelNames)) {
      const channel = this.#channels.get(name);
      if (channel === undefined) {
        this.#log(
          'error',
          { channel: name, dedupKey: notification.dedupKey },
          `no channel named "${name}"; not sent`,
        );
        continue;
      }
      if (this.#closed) {
        this.#log(
          'warn',
          { channel: name, dedupKey: notification.dedupKey },
          'the outbox is released; not sent',
        );
        continue;
      }
      const key = `${name}\u0000${notification.dedupKey}`;
      const previous = this.#tails.get(key) ?? Promise.resolve();
      const task = previous
        .then(() => this.#run(notification, channel))
        .catch((thrown: unknown) => {
          this.#log(
            'error',
            { channel: name },
            `delivery failed unexpectedly: ${coerceError(thrown).message}`,
          );
        });
      this.#tails.set(key, task);
      this.#inFlight.add(task);
      void task.then(() => {
        this.#inFlight.delete(task);
        if (this.#tails.get(key) === task) this.#tails.delete(key);
      });
    }
  }

  /** Resolves when every delivery queued so far, and any queued meanwhile, has its report. */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  /** Takes no more work; waits up to the grace for what is under way, then abandons the rest (reported failed). */
  async release(options: ReleaseOptions = {}): Promise<void> {
    this.#closed = true;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, options.graceMs ?? 10_000);
    });
    await Promise.race([this.drain(), grace]);
    clearTimeout(timer);
    this.#abort.abort();
    await this.drain();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.release();
  }

  async #run(notification: Notification, channel: Channel): Promise<void> {
    await this.#acquire();
    let report: DeliveryReport;
    try {
      report = await deliver(notification, channel, { ...this.#options, signal: this.#abort.signal });
    } finally {
      this.#releaseSlot();
    }
    if (report.outcome === 'failed') {
      this.#log(
        'warn',
        { channel: report.channel, dedupKey: report.notification.dedupKey, attempts: report.attempts.length },
        `notification not delivered: ${report.error}`,
      );
    }
    try {
      await this.#options.onReport?.(report);
    } catch (thrown) {
      this.#log(
        'error',
        { channel: report.channel },
        `storing a delivery report failed: ${coerceError(thrown).message}`,
      );
    }
  }

  async #acquire(): Promise<void> {
    if (this.#active < (this.#options.concurrency ?? 4)) {
      this.#active++;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  #releaseSlot(): void {
    const next = this.#waiting.shift();
    if (next === undefined) this.#active--;
    else next();
  }

  #log(level: 'warn' | 'error', details: object, message: string): void {
    try {
      this.#options.logger?.[level](details, message);
    } catch {
      // A broken logger must not stop deliveries.
    }
  }
}

export function createOutbox(options: OutboxOptions): Outbox {
  return new Outbox(options);
}
