import type { NotifyKey, ResolvedConfig, ResolvedJob, SecretMask } from '../config/index.ts';
import type { Clock } from '../clock/index.ts';
import type { Logger } from '../logging/index.ts';
import type { Channel, DeliveryReport, Notification, NotifyMap } from '../notify/index.ts';
import { routeChannels, severityOrder } from '../notify/index.ts';
import type { EventRecord, Store } from '../store/index.ts';
import { logStoreError } from '../store/index.ts';
import type { AlertFacts } from './alert-notification.ts';
import { alertFactsOf, notificationOf } from './alert-notification.ts';
import type { FlapPolicy } from './flapping.ts';
import {
  countFlips,
  defaultFlapPolicy,
  describeFlips,
  flappingKey,
  flappingKind,
  hasSettled,
  isFlapping,
} from './flapping.ts';
import type { Incident, RaiseOptions, Recovery, IncidentSink } from '../incidents/index.ts';
import { eventOf } from '../incidents/index.ts';

/** What a notification says. */
interface NotificationText {
  readonly title: string;
  readonly summary: string;
  readonly runId?: number;
}

/** An incident a run's end raised, waiting to be told with the others of the same run. */
interface Gathered {
  readonly event: EventRecord;
  readonly facts: AlertFacts;
}

/** `guard agreement tripped` of `drift-review: guard agreement tripped`: the job is said once. */
function withoutSubject({ event, facts }: Gathered): string {
  const prefix = event.job === null ? undefined : `${event.job}: `;
  return prefix !== undefined && facts.title.startsWith(prefix)
    ? facts.title.slice(prefix.length)
    : facts.title;
}

/** A summary's lines, indented under its reason. */
function indented(summary: string): string[] {
  if (summary.trim() === '') return [];
  return summary
    .trimEnd()
    .split('\n')
    .map((line) => (line.trim() === '' ? '' : `  ${line}`));
}

/** Where the alerter drops notifications: the daemon's `Outbox`. */
export interface NotificationQueue {
  enqueue(notification: Notification, channelNames: readonly string[]): void;
}

export interface AlerterOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly outbox: NotificationQueue;
  readonly flapPolicy?: FlapPolicy;
  /**
   * The job file's secrets (the daemon's mask): masked in every event before it is recorded and
   * in every notification before it is queued (titles, summaries with run output or a ping's
   * body, details), so no channel, no event answer and no stored row shows one.
   */
  readonly mask?: () => SecretMask;
}

/** The kind of the event a failed delivery leaves, one open per channel. */
export const notifyFailedKind = 'notify:failed';

/**
 * Turns incidents into events and notifications. `raise` records the event (a repeat of an open
 * key counts on it) and notifies the channels the job's or monitor's `notify:` map routes, once
 * per opening; `resolve` closes it and, when people were told of it, tells them it is over.
 * `remind` re-notifies open incidents every `watch.remind_every`, and settles flapping ones.
 */
export class Alerter implements IncidentSink {
  readonly #options: AlerterOptions;
  readonly #flap: FlapPolicy;
  #channels: ReadonlyMap<string, Channel> = new Map();
  /** The jobs in force by name (held, not copied: 100,000 API jobs cost one map entry each). */
  #jobs = new Map<string, ResolvedJob>();
  #monitors = new Map<string, { notify: NotifyMap; remindEveryMs: number | undefined }>();
  #defaults: NotifyMap = {};
  #publicUrl: string | undefined;
  /** The reminder pass under way, if any. */
  #reminding: Promise<number> | undefined;
  /** Dedup keys open as of the last look (and since): a resolve of any other key costs no query. */
  #open: Set<string> | undefined;
  /** Runs whose end is being judged: the incidents they raise wait to be told as one (`tellRun`). */
  readonly #gathering = new Map<number, Gathered[]>();

  constructor(options: AlerterOptions) {
    this.#options = options;
    this.#flap = options.flapPolicy ?? defaultFlapPolicy;
  }

  /**
   * Takes routes, reminders and links from the job file (at start and on each reload); `jobs` are
   * the jobs in force (the file's and those defined through the API), the file's by default.
   */
  setConfig(
    config: ResolvedConfig,
    channels: ReadonlyMap<string, Channel>,
    jobs: readonly ResolvedJob[] = config.jobs,
  ): void {
    this.#channels = channels;
    this.#publicUrl = config.publicUrl;
    this.#jobs = new Map();
    this.applyJobChanges(jobs, []);
    this.#monitors = new Map(
      config.monitors.map((monitor) => [
        monitor.name,
        { notify: monitor.notify, remindEveryMs: monitor.remindEveryMs },
      ]),
    );
    this.#defaults = config.notify;
  }

  /**
   * Takes jobs added, changed or removed without a reload (jobs defined through the API): their
   * `notify:` routes and reminders apply from the next incident on.
   */
  applyJobChanges(changed: readonly ResolvedJob[], removed: readonly string[]): void {
    for (const name of removed) this.#jobs.delete(name);
    for (const job of changed) this.#jobs.set(job.name, job);
  }

  /** Whether an incident with this key may be open (true when unsure: nothing was listed yet). */
  mayBeOpen(dedupKey: string): boolean {
    return this.#open === undefined || this.#open.has(dedupKey);
  }

  /** Open keys starting with `prefix`, as last listed; undefined when nothing was listed yet. */
  openKeysStartingWith(prefix: string): string[] | undefined {
    if (this.#open === undefined) return undefined;
    return [...this.#open].filter((key) => key.startsWith(prefix));
  }

  async raise(incident: Incident, options: RaiseOptions = {}): Promise<void> {
    await this.raiseEvent(incident, options);
  }

  /** `raise`, answering the event as recorded. */
  async raiseEvent(incident: Incident, options: RaiseOptions = {}): Promise<EventRecord> {
    const { store, clock } = this.#options;
    const now = clock.now();
    const event = await store.recordEvent(eventOf(this.#masked(incident), now));
    this.#open?.add(event.dedupKey);
    if (event.count > 1 || event.notifiedAt !== null || options.notify === false) return event;
    if (event.kind !== flappingKind && (await this.#summariseFlapping(event, now))) return event;
    const gathered = event.runId === null ? undefined : this.#gathering.get(event.runId);
    if (gathered !== undefined) gathered.push({ event, facts: alertFactsOf(event) });
    else await this.#trigger(event, alertFactsOf(event), now);
    return event;
  }

  /**
   * Starts gathering what the end of run `runId` raises (its exit code's incident, its guards'
   * breaches): each is recorded as its own event at once, and told when `tellRun` is called.
   */
  gatherRun(runId: number): void {
    if (!this.#gathering.has(runId)) this.#gathering.set(runId, []);
  }

  /**
   * Tells what the end of run `runId` raised as one incident: one notification per channel with
   * every reason in it, sent to every channel any reason routes to. Its dedup key (PagerDuty's
   * incident) is the most severe reason's; each reason's event is marked told, so its recovery
   * is told as before.
   */
  async tellRun(runId: number): Promise<void> {
    const gathered = this.#gathering.get(runId);
    this.#gathering.delete(runId);
    if (gathered === undefined || gathered.length === 0) return;
    const now = this.#options.clock.now();
    const [lead] = gathered;
    if (gathered.length === 1 && lead !== undefined) {
      await this.#trigger(lead.event, lead.facts, now);
      return;
    }
    const reasons = [...gathered].sort(
      (a, b) => severityOrder.indexOf(b.event.severity) - severityOrder.indexOf(a.event.severity),
    );
    const first = reasons[0] as Gathered;
    const names = [
      ...new Set(reasons.flatMap((reason) => this.#routeOf('trigger', reason.event, reason.facts))),
    ];
    if (names.length === 0) return;
    const details: Record<string, string | number> = {};
    for (const reason of reasons) Object.assign(details, reason.facts.details);
    const notification = notificationOf({
      kind: 'trigger',
      event: first.event,
      facts: { ...first.facts, details },
      title: [first.facts.title, ...reasons.slice(1).map((reason) => withoutSubject(reason))].join('; '),
      // The lead's evidence first (its first line is what short forms show), then each other reason's.
      summary: [
        first.facts.summary.trimEnd(),
        ...reasons
          .slice(1)
          .map((reason) => [`${withoutSubject(reason)}:`, ...indented(reason.facts.summary)].join('\n')),
      ]
        .filter((part) => part !== '')
        .join('\n\n'),
      publicUrl: this.#publicUrl,
    });
    // Told before it is sent, as `#tell` does (and sent even when a mark fails).
    try {
      for (const reason of reasons) await this.#options.store.markEventNotified(reason.event.id, now);
    } finally {
      this.#options.outbox.enqueue(this.#masked(notification), names);
    }
  }

  async resolve(recovery: Recovery): Promise<void> {
    await this.resolveEvent(recovery);
  }

  /** `resolve`, answering the event it closed (undefined when none was open). */
  async resolveEvent(recovery: Recovery): Promise<EventRecord | undefined> {
    if (!this.mayBeOpen(recovery.dedupKey)) return undefined;
    const { store, clock } = this.#options;
    const event = await store.getOpenEvent(recovery.dedupKey);
    this.#open?.delete(recovery.dedupKey);
    if (event === undefined) return undefined;
    const now = clock.now();
    if ((await store.resolveEvent(recovery.dedupKey, now)) === 0) return undefined;
    if (event.notifiedAt !== null) {
      const facts = alertFactsOf(event);
      this.#sendResolve(event, facts, {
        title: recovery.title,
        summary: recovery.summary ?? `${facts.title}: resolved`,
        ...(recovery.runId === undefined ? {} : { runId: recovery.runId }),
      });
    }
    return event;
  }

  /**
   * Closes an open event by hand (the API's resolve, `cronplane events resolve`): the channels
   * told of it hear it was resolved, PagerDuty incidents included. False when it is no longer
   * the open event of its key.
   */
  async resolveByHand(event: EventRecord, by: string): Promise<boolean> {
    const { store, clock } = this.#options;
    if (!(await store.resolveEventById(event.id, clock.now()))) return false;
    this.#open?.delete(event.dedupKey);
    const closed = (await store.getEvent(event.id)) ?? event;
    if (closed.notifiedAt !== null) {
      const facts = alertFactsOf(closed);
      this.#sendResolve(closed, facts, {
        title: `${facts.title}: resolved by hand`,
        summary: `resolved by ${by}`,
      });
    }
    return true;
  }

  /**
   * The periodic pass: re-lists the open events, re-notifies those due a reminder
   * (`watch.remind_every` after they were last told), and ends the summaries of flapping keys that
   * settled. Returns how many reminders went out.
   */
  remind(): Promise<number> {
    // One pass at a time: two at once would both find a reminder due and both send it.
    const pass = (this.#reminding ?? Promise.resolve(0)).then(() => this.#remindPass());
    this.#reminding = pass.catch(() => 0);
    return pass;
  }

  async #remindPass(): Promise<number> {
    const now = this.#options.clock.now();
    const open = await this.#listOpen();
    this.#open = new Set(open.map((event) => event.dedupKey));
    // A paused monitor raises no alert, reminders included: its name is read once per pass.
    const paused = open.some((event) => alertFactsOf(event).monitor)
      ? new Set((await this.#options.store.listMonitors()).filter((m) => m.paused).map((m) => m.name))
      : new Set<string>();
    let reminders = 0;
    for (const event of open) {
      try {
        if (event.kind === flappingKind) await this.#settle(event, now, paused);
        else if (await this.#remindOf(event, now, paused)) reminders++;
      } catch (thrown) {
        logStoreError(this.#options.logger, thrown, { event: event.id }, 'reminding of an open event failed');
      }
    }
    return reminders;
  }

  /**
   * The outbox's report handler: a failed delivery opens `notify:failed` for its channel (told on
   * the other channels the job routes warnings to, never on the failing one); a delivery that got
   * through closes it.
   */
  async onDeliveryReport(report: DeliveryReport): Promise<void> {
    const dedupKey = `${notifyFailedKind}:${report.channel}`;
    if (report.outcome === 'delivered') {
      await this.resolveEvent({
        dedupKey,
        notifyKey: 'warning',
        title: `notifications reach "${report.channel}" again`,
      });
      return;
    }
    if (report.outcome !== 'failed') return;
    this.#options.logger.warn(
      { channel: report.channel, dedupKey: report.notification.dedupKey },
      `a notification could not be delivered to "${report.channel}": ${report.error}`,
    );
    await this.raise({
      kind: notifyFailedKind,
      notifyKey: 'warning',
      severity: 'warning',
      dedupKey,
      ...(report.notification.job === undefined ? {} : { job: report.notification.job }),
      title: `notifications to "${report.channel}" (${report.channelKind}) fail`,
      summary: `"${report.notification.title}" was not delivered after ${report.attempts.length} attempt(s): ${report.error}`,
      details: {
        channel: report.channel,
        channel_kind: report.channelKind,
        attempts: report.attempts.length,
        notification: report.notification.dedupKey,
      },
    });
  }

  async #listOpen(): Promise<EventRecord[]> {
    const events: EventRecord[] = [];
    let cursor: number | null = null;
    do {
      const page = await this.#options.store.listEvents({ open: true, limit: 1000, cursor });
      events.push(...page.events);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return events;
  }

  async #remindOf(event: EventRecord, now: number, pausedMonitors: ReadonlySet<string>): Promise<boolean> {
    if (event.notifiedAt === null) return false;
    const facts = alertFactsOf(event);
    const every =
      event.job === null
        ? undefined
        : facts.monitor
          ? this.#monitors.get(event.job)?.remindEveryMs
          : this.#jobs.get(event.job)?.watch.remindEveryMs;
    if (every === undefined || now - event.notifiedAt < every) return false;
    if (facts.monitor && pausedMonitors.has(event.job as string)) return false;
    const since = new Date(event.firstSeen).toISOString();
    return this.#tell(event, facts, now, {
      title: `reminder: ${facts.title}`,
      summary: `${facts.summary}\nopen since ${since}, seen ${event.count} time${event.count === 1 ? '' : 's'}`,
    });
  }

  /** On a new opening: when the key flaps, counts it on one summary instead of telling this flip. */
  async #summariseFlapping(event: EventRecord, now: number): Promise<boolean> {
    const { store } = this.#options;
    const key = flappingKey(event.dedupKey);
    const facts = alertFactsOf(event);
    const summaryOpen = this.mayBeOpen(key) && (await store.getOpenEvent(key)) !== undefined;
    const history = await store.listEvents({ dedupKey: event.dedupKey, limit: 100 });
    const count = countFlips(history.events, now, this.#flap);
    if (!summaryOpen && !isFlapping(count, this.#flap)) return false;
    const flips = describeFlips(count, this.#flap);
    await this.raise({
      kind: flappingKind,
      notifyKey: facts.notifyKey,
      severity: event.severity,
      dedupKey: key,
      ...(event.job === null ? {} : { job: event.job }),
      ...(facts.monitor ? { monitor: true } : {}),
      title: `${event.job ?? event.kind} is flapping: ${flips}`,
      summary: `${facts.title}. Each flip is counted but not sent until it has been steady for ${Math.round(this.#flap.windowMs / 60_000)} minutes.`,
      details: { flapping: event.dedupKey, openings: count.openings, recoveries: count.recoveries },
    });
    return true;
  }

  /**
   * A flapping summary whose key has not opened for the window ends; a still-open incident is told
   * now, unless it is about a monitor that is paused (a paused monitor raises no alert).
   */
  async #settle(summary: EventRecord, now: number, pausedMonitors: ReadonlySet<string>): Promise<void> {
    const { store } = this.#options;
    const facts = alertFactsOf(summary);
    const of = facts.details['flapping'];
    if (typeof of !== 'string') return;
    const history = await store.listEvents({ dedupKey: of, limit: 100 });
    const count = countFlips(history.events, now, this.#flap);
    if (!hasSettled(count, now, this.#flap)) return;
    await this.resolveEvent({
      dedupKey: summary.dedupKey,
      notifyKey: facts.notifyKey,
      ...(summary.job === null ? {} : { job: summary.job }),
      title: `${summary.job ?? of} stopped flapping`,
      summary: `no new incident in the last ${Math.round(this.#flap.windowMs / 60_000)} minutes`,
    });
    const open = await store.getOpenEvent(of);
    if (open === undefined || open.notifiedAt !== null) return;
    const openFacts = alertFactsOf(open);
    if (openFacts.monitor && open.job !== null && pausedMonitors.has(open.job)) return;
    await this.#trigger(open, openFacts, now);
  }

  async #trigger(event: EventRecord, facts: AlertFacts, now: number): Promise<void> {
    await this.#tell(event, facts, now, { title: facts.title, summary: facts.summary });
  }

  /**
   * Tells the channels of an open event (its trigger or a reminder): marks it told first, then
   * enqueues, so that whatever sees the message delivered (a ping that resolves the event, the
   * next reminder pass) finds it told. False when no channel is routed. A mark that fails still
   * sends the message, then throws.
   */
  async #tell(event: EventRecord, facts: AlertFacts, now: number, text: NotificationText): Promise<boolean> {
    const names = this.#routeOf('trigger', event, facts);
    if (names.length === 0) return false;
    try {
      await this.#options.store.markEventNotified(event.id, now);
    } finally {
      // Sent even when the mark fails: the channels hear of it, as they did before the mark.
      this.#enqueue('trigger', event, facts, text, names);
    }
    return true;
  }

  /** Routes and enqueues a resolve; nothing when no channel is routed. Never waits for a delivery. */
  #sendResolve(event: EventRecord, facts: AlertFacts, text: NotificationText): void {
    const names = this.#routeOf('resolve', event, facts);
    if (names.length > 0) this.#enqueue('resolve', event, facts, text, names);
  }

  #enqueue(
    kind: 'trigger' | 'resolve',
    event: EventRecord,
    facts: AlertFacts,
    text: NotificationText,
    names: readonly string[],
  ): void {
    const notification = notificationOf({
      kind,
      event,
      facts,
      title: text.title,
      summary: text.summary,
      publicUrl: this.#publicUrl,
      ...(text.runId === undefined ? {} : { runId: text.runId }),
    });
    this.#options.outbox.enqueue(this.#masked(notification), names);
  }

  /** The channels the event's `notify:` map routes it to (never a failing channel its own failure). */
  #routeOf(kind: 'trigger' | 'resolve', event: EventRecord, facts: AlertFacts): string[] {
    const notify = this.#notifyMapOf(event.job, facts.monitor);
    const names = routeChannels(
      notify,
      { kind, event: facts.notifyKey as NotifyKey, severity: event.severity },
      this.#channels,
    );
    if (event.kind !== notifyFailedKind) return names;
    const failing = facts.details['channel'];
    return names.filter((name) => name !== failing);
  }

  #masked<T>(value: T): T {
    return this.#options.mask?.().redactJson(value) ?? value;
  }

  #notifyMapOf(name: string | null, monitor: boolean): NotifyMap {
    if (name === null) return this.#defaults;
    return (monitor ? this.#monitors.get(name)?.notify : this.#jobs.get(name)?.notify) ?? this.#defaults;
  }
}
