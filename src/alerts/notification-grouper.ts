import type { Clock, TimerHandle } from '../clock/index.ts';
import type { Notification } from '../notify/index.ts';
import type { NotificationQueue } from './alerter.ts';
import { groupedNotification } from './grouped-notification.ts';

export interface NotificationGrouperOptions {
  /** Where notifications go once grouped: the daemon's `Outbox`. */
  readonly outbox: NotificationQueue;
  readonly clock: Clock;
  /** `alerts.group_window`; 0 sends every notification at once. */
  readonly windowMs: number;
  /** `alerts.group_wait`: how long the first notification after a quiet window waits; 0 sends it at once. */
  readonly waitMs?: number;
  /**
   * Whether the channel takes grouped messages. An incident tool (PagerDuty) does not: there each
   * failure opens its own incident under its own dedup key, which its own resolve closes, and the
   * tool groups alerts itself; so triggers and resolves pass to it one by one.
   */
  readonly groups?: (channel: string) => boolean;
}

/** An open window of one channel and one kind (trigger or resolve). */
interface Window {
  readonly held: Notification[];
  readonly timer: TimerHandle;
}

/**
 * Groups what is told to one channel in a short window (docs/alerts.md#grouping): the first
 * trigger after a quiet window goes out at once, so a lone failure is never delayed; triggers
 * that follow it within `windowMs` are held and go out as one message when the window ends
 * (which opens the next window). With `waitMs` the first one waits that long instead, so what
 * comes with it in that time is one message with it. Resolves are grouped the same way, apart from triggers; an
 * incident tool gets every trigger and resolve on its own (`groups`). A
 * resolve whose trigger is still held sends the held triggers first, so it never overtakes
 * them (and a trigger whose resolve is held sends it first). The window runs on the injected clock.
 */
export class NotificationGrouper implements NotificationQueue {
  readonly #options: NotificationGrouperOptions;
  #windowMs: number;
  #waitMs: number;
  readonly #windows = new Map<string, Window>();

  constructor(options: NotificationGrouperOptions) {
    this.#options = options;
    this.#windowMs = options.windowMs;
    this.#waitMs = options.waitMs ?? 0;
  }

  /** Takes `alerts.group_window` and `group_wait` from a reloaded job file; open windows keep their end. */
  setWindow(windowMs: number, waitMs = 0): void {
    this.#windowMs = windowMs;
    this.#waitMs = waitMs;
  }

  enqueue(notification: Notification, channelNames: readonly string[]): void {
    const { outbox, groups } = this.#options;
    if ((this.#windowMs <= 0 && this.#waitMs <= 0) || notification.kind === 'test') {
      outbox.enqueue(notification, channelNames);
      return;
    }
    for (const channel of channelNames) {
      // What is held of the same incident of the other kind goes first: order is kept per incident.
      const other = windowKey(channel, notification.kind === 'resolve' ? 'trigger' : 'resolve');
      if (this.#windows.get(other)?.held.some((held) => held.dedupKey === notification.dedupKey) === true) {
        this.#flush(other, channel);
      }
      if (groups?.(channel) === false) {
        outbox.enqueue(notification, [channel]);
        continue;
      }
      const key = windowKey(channel, notification.kind);
      const open = this.#windows.get(key);
      if (open !== undefined) {
        open.held.push(notification);
        continue;
      }
      if (this.#waitMs > 0) {
        // The first one waits for company: the window it opens holds it.
        this.#open(key, channel, [notification], this.#waitMs);
        continue;
      }
      outbox.enqueue(notification, [channel]);
      this.#open(key, channel);
    }
  }

  /** Sends everything held now (shutdown): nothing waits for a window that will not end. */
  release(): void {
    for (const key of [...this.#windows.keys()]) {
      const window = this.#windows.get(key);
      if (window === undefined) continue;
      this.#options.clock.clearTimer(window.timer);
      this.#windows.delete(key);
      this.#send(window.held, channelOf(key));
    }
  }

  #open(key: string, channel: string, held: Notification[] = [], ms = this.#windowMs): void {
    const timer = this.#options.clock.setTimer(() => this.#flush(key, channel), ms);
    this.#windows.set(key, { held, timer });
  }

  /** Ends a window: what it held goes out as one message, and a new window opens behind it. */
  #flush(key: string, channel: string): void {
    const window = this.#windows.get(key);
    if (window === undefined) return;
    this.#options.clock.clearTimer(window.timer);
    this.#windows.delete(key);
    if (window.held.length === 0) return;
    this.#send(window.held, channel);
    this.#open(key, channel);
  }

  #send(held: readonly Notification[], channel: string): void {
    if (held.length === 0) return;
    const [only] = held;
    this.#options.outbox.enqueue(held.length === 1 && only !== undefined ? only : groupedNotification(held), [
      channel,
    ]);
  }
}

function windowKey(channel: string, kind: Notification['kind']): string {
  return `${kind}\u0000${channel}`;
}

function channelOf(key: string): string {
  return key.slice(key.indexOf('\u0000') + 1);
}
