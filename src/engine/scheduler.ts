import type { ResolvedJob } from '../config/index.ts';
import type { Logger } from '../logging/index.ts';
import type { NewRun, ScheduleState, StopListening, Store } from '../store/index.ts';
import { isStoreFault, logStoreError } from '../store/index.ts';
import type { IncidentSink } from '../alerts/incident-sink.ts';
import { recordingSink } from '../alerts/incident-sink.ts';
import { Backoff } from './backoff.ts';
import type { Clock, TimerHandle } from './clock.ts';
import type { CalendarCache, JobCalendar } from './next-fires.ts';
import { compileJobCalendar } from './next-fires.ts';
import { planCatchUp } from './plan-catch-up.ts';
import { planFire } from './plan-fire.ts';
import { planTakeOver } from './plan-take-over.ts';
import { defaultStartDeadlineMs } from './start-deadline.ts';
import type { MissedFires } from './report-missed-fires.ts';
import { reportMissedFires } from './report-missed-fires.ts';
import { TimerHeap } from './timer-heap.ts';

export { defaultStartDeadlineMs } from './start-deadline.ts';
/** At start-up, fires this recent are on time; older ones since the last recorded fire are catch-up. */
export const startupToleranceMs = 1_000;
/** The scheduler leader lease. */
export const leaderLeaseName = 'scheduler';
/** The store signal a leader sends when it gives the lease up, so a follower takes it at once. */
export const leaderLeaseSignal = 'scheduler_lease';
/**
 * The leader lease's length: a leader that dies (kill -9) is replaced when its lease runs out,
 * at most this long after its last renewal. The leader renews it every third of it.
 */
export const defaultLeaderLeaseMs = 1500;
/** How often a follower tries to take the lease (and at once when the leader says it gave it up). */
export const defaultLeaderPollMs = 250;
/**
 * How long before its scheduled time a fire is recorded, for jobs whose fire does not depend on
 * the state at that moment (see `firesAhead`). Not a whole second, so that the recording of the
 * next fires of per-second and per-minute schedules falls between their fire instants.
 */
export const defaultLookAheadMs = 1500;
/** Runs recorded per statement when a fire (or a tick's fires) makes many. */
const insertChunk = 1000;
/**
 * What recording one run may take on a busy store (PostgreSQL on two cores writes about 20,000
 * runs a second): a large fan-out starts being recorded earlier by this much per run, so that
 * all its runs are in the store at its instant.
 */
export const recordMsPerRun = 0.05;

/** How long before a fire a job that fires ahead records it: more for a large fan-out. */
export function leadOf(job: ResolvedJob, lookAheadMs: number): number {
  return lookAheadMs <= 0 ? 0 : lookAheadMs + Math.floor(job.fanOut.length * recordMsPerRun);
}

export interface SchedulerOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly node: string;
  readonly logger: Logger;
  /** Called after runs were queued, so local workers look at once. */
  readonly onRunsQueued?: () => void;
  /** Called with the ids of runs the `replace` policy cancelled, so their workers stop them. */
  readonly onRunsCancelled?: (runIds: readonly number[]) => void;
  /** Where missed fires go (`schedule:missed`, notify key `missed`); recorded only, by default. */
  readonly incidents?: IncidentSink;
  /** The leader lease (default 1,500 ms), renewed every third of it. */
  readonly leaseMs?: number;
  /** How often a follower tries to take the leader lease (default 250 ms). */
  readonly pollMs?: number;
  /**
   * Record fires of jobs with `concurrency: allow` this long ahead of their scheduled time
   * (default 1,500 ms; 0 records every fire at its instant). Their runs wait in the store until
   * due, so only a claim stands between the fire and the start.
   */
  readonly lookAheadMs?: number;
  /** For the jitter of the back-off while the store fails; Math.random by default. */
  readonly random?: () => number;
  /** Who holds the leader lease: this process's instance id (default `node`). */
  readonly leaseOwner?: string;
  /** Asked before taking or renewing the lease: false (a drain, a worker role) gives it up. */
  readonly mayLead?: () => boolean;
  /** Called once each time this node becomes the leader, before it fires. */
  readonly onLead?: () => Promise<void>;
}

/** A job's place in the heap before a tick took its fires, to put back if the tick fails. */
interface TakenFire {
  readonly name: string;
  readonly entry: ScheduledJob;
  readonly nextAt: number | null;
  readonly lastAt: number | null;
}

interface JobMissedFires {
  readonly job: string;
  readonly fires: MissedFires;
}

interface ScheduledJob {
  readonly job: ResolvedJob;
  readonly calendar: JobCalendar;
  /** The next fire not yet recorded. */
  nextAt: number | null;
  /** The latest fire recorded, which may still lie ahead. */
  lastAt: number | null;
  /** How long before a fire it is recorded. */
  readonly leadMs: number;
  /** Rebuilt from the stored cursor by a new leader: its overdue fires each run, late, at the next tick. */
  takenOver?: boolean;
}

/**
 * Whether a job's fires are recorded ahead of time (its runs then wait in the store until due):
 * those of `concurrency: allow` jobs, whose runs do not depend on anything at the fire instant.
 * `forbid` (skip while a run is active) and `replace` (cancel the active run) decide on the state
 * of the fire instant, so their fires are recorded then; `queue` jobs are too, so that a run
 * waiting behind another appears when its fire falls due.
 */
export function firesAhead(job: ResolvedJob): boolean {
  switch (job.concurrency) {
    case 'allow':
      return true;
    case 'queue':
    case 'forbid':
    case 'replace':
      return false;
  }
}

/**
 * Turns schedules into runs. One timer for the earliest fire of all jobs (a heap, not a scan),
 * so 100,000 schedules cost nothing while nothing is due. Only the holder of the leader lease
 * fires; the fire key keeps a fire single even if two nodes both believe they lead.
 */
export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #heap = new TimerHeap<string>();
  readonly #jobs = new Map<string, ScheduledJob>();
  readonly #paused = new Set<string>();
  #timer: TimerHandle | undefined;
  #tick: Promise<void> | undefined;
  #running = false;
  #reloading = false;
  #reloads: Promise<void> = Promise.resolve();
  #leaderUntil = 0;
  #lastTickAt = 0;
  /** Waits between ticks while the store fails. */
  readonly #backoff: Backoff;
  /** No tick before this (a tick failed); undefined while the store works. */
  #retryAt: number | undefined;
  /** Fires due from this time on were held up by a store fault (they run late, not missed). */
  #heldFrom: number | undefined;
  #stopListening: StopListening | undefined;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#backoff = new Backoff(options.random === undefined ? {} : { random: options.random });
  }

  /** When the scheduler last ran its loop (for readiness). */
  get lastTickAt(): number {
    return this.#lastTickAt;
  }

  get isLeader(): boolean {
    return this.#leaderUntil > this.#options.clock.now();
  }

  /** Loads the jobs, handles fires missed while no scheduler ran, and starts the timer. */
  async start(jobs: readonly ResolvedJob[]): Promise<void> {
    this.#running = true;
    // A leader that gives the lease up says so: a follower takes it at once instead of at its
    // next poll. Signals are hints; the poll stays.
    this.#stopListening = await this.#options.store.onSignal(leaderLeaseSignal, () => this.#lookNow());
    await this.#load(jobs, true);
    this.#arm();
  }

  /** A follower looks for the lease at once (the leader gave it up). */
  #lookNow(): void {
    if (!this.#running || this.#reloading || this.isLeader || this.#tick !== undefined) return;
    this.#disarm();
    this.#timer = this.#options.clock.setTimer(() => {
      this.#timer = undefined;
      this.#runTick();
    }, 0);
  }

  /** Replaces the job set (job file reloaded); jobs keep their schedule state. */
  reload(jobs: readonly ResolvedJob[]): Promise<void> {
    // Reloads (SIGHUP and --watch may come together) run one after another.
    const done = this.#reloads.then(() => this.#reload(jobs));
    this.#reloads = done.catch(() => undefined);
    return done;
  }

  async #reload(jobs: readonly ResolvedJob[]): Promise<void> {
    // No tick may run while the job set is replaced: one that fired a job between the reload
    // reading the schedule states and taking the pending fires would have its fire counted
    // missed. The timer stays disarmed (a tick under way is awaited) until the load is done.
    this.#reloading = true;
    try {
      this.#disarm();
      await this.#tick;
      this.#disarm();
      await this.#load(jobs, false);
    } finally {
      this.#reloading = false;
    }
    this.#arm();
  }

  setPaused(job: string, paused: boolean): void {
    if (paused) this.#paused.add(job);
    else this.#paused.delete(job);
  }

  /** The next fire time of a job (recorded ahead or not yet), or null. */
  nextFireOf(job: string): number | null {
    const entry = this.#jobs.get(job);
    if (entry === undefined) return null;
    const now = this.#options.clock.now();
    // Fires recorded ahead and still to come: the first of them.
    if (entry.lastAt !== null && entry.lastAt > now) return entry.calendar.next(now) ?? entry.lastAt;
    return entry.nextAt;
  }

  /** Stops the timer, waits for a tick under way, gives up the leader lease. */
  async release(): Promise<void> {
    this.#running = false;
    this.#stopListening?.();
    this.#stopListening = undefined;
    if (this.#timer !== undefined) this.#options.clock.clearTimer(this.#timer);
    this.#timer = undefined;
    await this.#tick;
    await this.stepDown(0);
  }

  /**
   * Gives up the leader lease now, if held (a stop or a drain), and signals it, so a follower
   * takes it at once.
   */
  async stepDown(leaderUntil = -1): Promise<void> {
    if (this.#leaderUntil <= 0) return;
    this.#leaderUntil = leaderUntil;
    const { store, logger } = this.#options;
    // A store that is away cannot be told; the lease then lapses by itself.
    try {
      if (await store.releaseLease(leaderLeaseName, this.#leaseOwner()))
        await store.signal(leaderLeaseSignal, 'released');
    } catch (thrown) {
      logStoreError(logger, thrown, {}, 'giving up the scheduler lease failed');
    }
  }

  #leaseOwner(): string {
    return this.#options.leaseOwner ?? this.#options.node;
  }

  async #load(jobs: readonly ResolvedJob[], startup: boolean): Promise<void> {
    const { store, clock } = this.#options;
    const now = clock.now();
    // Only the leader catches up and writes the schedule state; a follower keeps its own view of
    // the next fires (for display) and rebuilds from the store when it takes the lease.
    if (startup ? !(await this.#ensureLeader(now)) : !this.isLeader) {
      this.#loadFollower(jobs, now);
      return;
    }
    const states = new Map((await store.listScheduleStates()).map((state) => [state.job, state]));
    await this.#refreshPaused();
    // On a reload, the fires a job had still to make are due, not missed: the timer may simply
    // not have run yet (or the event loop was busy reading the new job file).
    const pending = new Map([...this.#jobs].map(([name, entry]) => [name, entry.nextAt]));
    this.#heap.clear();
    this.#jobs.clear();
    const calendars: CalendarCache = new Map();
    const runs: NewRun[] = [];
    const updates: ScheduleState[] = [];
    for (const job of jobs) {
      if (!job.enabled || job.schedules.length === 0) continue;
      const calendar = compileJobCalendar(job.schedules, job.timezone, calendars);
      const lastFireAt = states.get(job.name)?.lastFireAt ?? null;
      // Fires between the last recorded one and now fell due while no scheduler ran. On a
      // restart, a fire of the last moment (the time it took to start) is on time, not missed;
      // on a reload, every fire from the job's pending one on is on time (the tick handles it).
      const from = startup
        ? lastFireAt !== null
          ? now - startupToleranceMs
          : now
        : Math.min(now, pending.get(job.name) ?? now);
      const plan = planCatchUp({
        calendar,
        lastFireAt,
        before: from,
        now,
        policy: job.catchUp,
        windowMs: job.catchUpWindowMs,
      });
      let lastFire = lastFireAt;
      if (!this.#paused.has(job.name) && job.queue === undefined) {
        for (const scheduledAt of plan.run)
          runs.push(...planFire(job, scheduledAt, { now, trigger: 'catch-up' }));
      }
      if (plan.missed !== null) {
        await this.#recordMissed(job.name, plan.missed, 'the scheduler was not running');
      }
      if (plan.run.length > 0 || plan.missed !== null)
        lastFire = Math.max(plan.missed?.last ?? 0, ...plan.run);
      const nextAt = calendar.next(Math.max(from - 1, lastFire ?? -Infinity));
      const leadMs = firesAhead(job) ? leadOf(job, this.#lookAheadMs()) : 0;
      this.#jobs.set(job.name, { job, calendar, nextAt, lastAt: lastFire, leadMs });
      if (nextAt !== null) this.#heap.push(job.name, nextAt - leadMs);
      // Unchanged state need not be written again (100,000 jobs restart with nothing to write).
      const known = states.get(job.name);
      if (known?.lastFireAt !== lastFire || known.nextFireAt !== nextAt)
        updates.push({ job: job.name, lastFireAt: lastFire, nextFireAt: nextAt });
    }
    if (runs.length > 0) await this.#insert(runs);
    await store.setScheduleStates(updates);
  }

  #loadFollower(jobs: readonly ResolvedJob[], now: number): void {
    this.#heap.clear();
    this.#jobs.clear();
    const calendars: CalendarCache = new Map();
    for (const job of jobs) {
      if (!job.enabled || job.schedules.length === 0) continue;
      const calendar = compileJobCalendar(job.schedules, job.timezone, calendars);
      const nextAt = calendar.next(now - 1);
      const leadMs = firesAhead(job) ? leadOf(job, this.#lookAheadMs()) : 0;
      this.#jobs.set(job.name, { job, calendar, nextAt, lastAt: null, leadMs });
      if (nextAt !== null) this.#heap.push(job.name, nextAt - leadMs);
    }
  }

  /** A follower's view moves on with time, firing nothing (the leader fires). */
  #followTime(now: number): void {
    while ((this.#heap.peekTime() ?? Infinity) <= now) {
      const name = this.#heap.pop() as string;
      const entry = this.#jobs.get(name);
      if (entry === undefined) continue;
      entry.nextAt = entry.calendar.next(now);
      if (entry.nextAt !== null) this.#heap.push(name, entry.nextAt - entry.leadMs);
    }
  }

  /**
   * This node has just become the leader (it did not hold the lease): another node may have
   * fired meanwhile. Each job continues after the last fire stored in schedule_state (or after
   * the latest fire whose runs exist, should a leader have died between recording runs and
   * storing its cursor). Fires older than the job's start deadline since then are reported
   * missed, once; the newer ones fire at this tick, late (each one: distinct fire keys).
   */
  async #takeOver(now: number): Promise<void> {
    const { store } = this.#options;
    const states = new Map((await store.listScheduleStates()).map((state) => [state.job, state]));
    const updates: ScheduleState[] = [];
    const missed: JobMissedFires[] = [];
    this.#heap.clear();
    for (const [name, entry] of this.#jobs) {
      const state = states.get(name);
      const stored = state?.lastFireAt ?? null;
      // This node fired it last (it held the lease until it lapsed): its own view is the cursor.
      if (entry.lastAt !== null && stored === entry.lastAt) {
        if (entry.nextAt !== null) this.#heap.push(name, entry.nextAt - entry.leadMs);
        continue;
      }
      const pending = stored === null ? null : entry.calendar.next(stored);
      // Only a job with fires due since its cursor can have runs recorded past it.
      const recordedAt =
        pending !== null && pending <= now + entry.leadMs
          ? await this.#latestRecordedFire(name, stored)
          : null;
      const plan = planTakeOver({
        calendar: entry.calendar,
        lastFireAt: stored,
        recordedAt,
        now,
        startDeadlineMs: entry.job.startDeadlineMs ?? defaultStartDeadlineMs,
      });
      entry.lastAt = plan.lastFireAt;
      entry.takenOver = true;
      entry.nextAt = entry.calendar.next(plan.lastFireAt ?? now - 1);
      if (entry.nextAt !== null) this.#heap.push(name, entry.nextAt - entry.leadMs);
      if (plan.missed !== null && !this.#paused.has(name)) missed.push({ job: name, fires: plan.missed });
      if (plan.lastFireAt !== stored || state?.nextFireAt !== entry.nextAt)
        updates.push({ job: name, lastFireAt: plan.lastFireAt, nextFireAt: entry.nextAt });
    }
    // Reported before the cursor moves past them: a leader that dies in between has them
    // reported again by the next one, counted on the same open event (its dedup key), never lost.
    for (const { job, fires } of missed)
      await this.#recordMissed(job, fires, 'no scheduler leader fired them in time');
    await store.setScheduleStates(updates);
  }

  /** The latest scheduled time after `after` of a fire whose runs exist, or null. */
  async #latestRecordedFire(job: string, after: number | null): Promise<number | null> {
    const page = await this.#options.store.listRuns({
      job,
      ...(after === null ? {} : { from: after + 1 }),
      limit: 100,
    });
    const fires = page.runs
      .filter((run) => run.fireKey !== null && (run.trigger === 'schedule' || run.trigger === 'catch-up'))
      .map((run) => run.scheduledAt);
    return fires.length === 0 ? null : Math.max(...fires);
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#options.clock.clearTimer(this.#timer);
    this.#timer = undefined;
  }

  #arm(): void {
    if (!this.#running || this.#reloading) return;
    const { clock } = this.#options;
    this.#disarm();
    const next = this.#heap.peekTime();
    // The leader wakes to renew its lease every third of it; a follower looks for the lease
    // every poll (a fire already due that it may not make must not wake it again at once).
    const untilNext = next === undefined ? Infinity : next - clock.now();
    // (One whose lease lapsed while it was busy or the clock jumped takes it back at once.)
    const untilLook =
      this.#leaderUntil === -1
        ? this.#pollMs()
        : this.#leaderUntil === 0
          ? untilNext
          : Math.min(untilNext, this.#leaseMs() / 3);
    if (untilLook === Infinity) return;
    // After a failed tick, not before the back-off is over (due fires stay due meanwhile).
    const wait = Math.max(untilLook, (this.#retryAt ?? 0) - clock.now());
    this.#timer = clock.setTimer(
      () => {
        this.#timer = undefined;
        this.#runTick();
      },
      Math.max(0, wait),
    );
  }

  #runTick(): void {
    this.#tick = this.#fireDue().finally(() => {
      this.#tick = undefined;
      this.#arm();
    });
  }

  #leaseMs(): number {
    return this.#options.leaseMs ?? defaultLeaderLeaseMs;
  }

  #pollMs(): number {
    return this.#options.pollMs ?? defaultLeaderPollMs;
  }

  #lookAheadMs(): number {
    return this.#options.lookAheadMs ?? defaultLookAheadMs;
  }

  async #ensureLeader(now: number): Promise<boolean> {
    if (this.#options.mayLead?.() === false) {
      await this.stepDown();
      return false;
    }
    // Renewed less than a third of the lease ago: still held.
    if (this.#leaderUntil - now > (this.#leaseMs() * 2) / 3) return true;
    const until = now + this.#leaseMs();
    const held = await this.#options.store.acquireLease({
      name: leaderLeaseName,
      owner: this.#leaseOwner(),
      now,
      until,
    });
    const became = held && this.#leaderUntil <= now;
    this.#leaderUntil = held ? until : -1;
    if (became) await this.#options.onLead?.();
    // Another node may have paused or resumed a job (the API of any node writes the store):
    // the leader reads the paused names each time it renews its lease, every half lease.
    if (held) await this.#refreshPaused();
    return held;
  }

  async #refreshPaused(): Promise<void> {
    const names = await this.#options.store.listPausedJobs();
    this.#paused.clear();
    for (const name of names) this.#paused.add(name);
  }

  /**
   * One tick. When the store fails (it is down, or another process holds SQLite's write lock),
   * the fires this tick took are put back, the next tick comes after a back-off (100 ms doubling
   * to 5 s), and fires that fell due meanwhile are recorded once the store is back: late, not
   * missed, if within their start deadline.
   */
  async #fireDue(): Promise<void> {
    const { clock, logger } = this.#options;
    const now = clock.now();
    this.#lastTickAt = now;
    const taken: TakenFire[] = [];
    let missed: readonly JobMissedFires[];
    try {
      missed = await this.#recordDue(now, taken);
    } catch (thrown) {
      this.#putBack(taken);
      if (isStoreFault(thrown)) this.#heldFrom ??= Math.min(now, this.#heap.peekTime() ?? now);
      this.#retryAt = now + this.#backoff.next();
      logStoreError(logger, thrown, {}, 'scheduler tick failed; trying again after a back-off');
      return;
    }
    this.#heldFrom = undefined;
    this.#retryAt = undefined;
    this.#backoff.reset();
    for (const { job, fires } of missed) {
      try {
        await this.#recordMissed(job, fires, 'the scheduler was late');
      } catch (thrown) {
        logStoreError(logger, thrown, { job }, 'recording missed fires failed');
      }
    }
  }

  /** Fires taken from the heap by a tick that failed: due again at the next one. */
  #putBack(taken: readonly TakenFire[]): void {
    for (const { name, entry, nextAt, lastAt } of taken) {
      entry.nextAt = nextAt;
      entry.lastAt = lastAt;
      if (this.#jobs.get(name) === entry && nextAt !== null) this.#heap.push(name, nextAt - entry.leadMs);
    }
  }

  /** Records the due fires; answers the fires missed (reported once the writes are done). */
  async #recordDue(now: number, taken: TakenFire[]): Promise<readonly JobMissedFires[]> {
    const wasLeader = this.isLeader;
    if (!(await this.#ensureLeader(now))) {
      this.#followTime(now);
      return [];
    }
    if (!wasLeader) {
      try {
        await this.#takeOver(now);
      } catch (thrown) {
        // Not led from the stored cursor yet: the next tick takes over again.
        this.#leaderUntil = -1;
        throw thrown;
      }
    }
    const runs: NewRun[] = [];
    const updates: ScheduleState[] = [];
    const missed: JobMissedFires[] = [];
    const forbidden = new Set<string>();
    const replacing: string[] = [];
    const due: { entry: ScheduledJob; fires: number[] }[] = [];
    while ((this.#heap.peekTime() ?? Infinity) <= now) {
      const name = this.#heap.pop() as string;
      const entry = this.#jobs.get(name);
      if (entry === undefined) continue;
      taken.push({ name, entry, nextAt: entry.nextAt, lastAt: entry.lastAt });
      const fires: number[] = [];
      let at = entry.nextAt;
      // Fires up to now, and those the job records ahead.
      while (at !== null && at <= now + entry.leadMs && fires.length < 1000) {
        fires.push(at);
        at = entry.calendar.next(at);
      }
      entry.nextAt = at;
      if (at !== null) this.#heap.push(name, at - entry.leadMs);
      if (fires.length === 0) continue;
      entry.lastAt = fires[fires.length - 1] as number;
      due.push({ entry, fires });
      if (entry.job.concurrency === 'forbid') forbidden.add(name);
      if (entry.job.concurrency === 'replace') replacing.push(name);
    }
    if (due.length === 0) return [];
    const active =
      forbidden.size === 0
        ? new Set<string>()
        : new Set((await this.#options.store.countActiveRuns([...forbidden])).map((count) => count.job));
    const heldFrom = this.#heldFrom;
    for (const { entry, fires } of due) {
      const { job } = entry;
      const last = fires[fires.length - 1] as number;
      updates.push({ job: job.name, lastFireAt: last, nextFireAt: entry.nextAt });
      // A queue job's fire releases waiting items (the queue drainer); it records no run of its own.
      if (this.#paused.has(job.name) || job.queue !== undefined) continue;
      const ahead = fires.filter((at) => at > now);
      const overdue = fires.filter((at) => at <= now);
      // Fires that fell due while the store failed were held up by it, not by a stall: each
      // runs (late). Other overdue fires were held up by a stall (the process was stopped, the
      // machine slept): the latest stands for them.
      // A job a new leader took over had its fires held up by the change of leader alike.
      const heldSince = entry.takenOver === true ? -Infinity : heldFrom;
      entry.takenOver = false;
      const held = heldSince === undefined ? [] : overdue.filter((at) => at >= heldSince);
      const onTime = job.catchUp === 'all' ? overdue : held.length > 0 ? held : overdue.slice(-1);
      const deadline = job.startDeadlineMs ?? defaultStartDeadlineMs;
      const late = onTime.filter((at) => now - at > deadline);
      const firing = [...onTime.filter((at) => now - at <= deadline), ...ahead];
      const missedCount = fires.length - firing.length;
      if (missedCount > 0) {
        const notFiring = overdue.filter((at) => !firing.includes(at));
        const first = notFiring[0] as number;
        const lastMissed = late[late.length - 1] ?? notFiring[notFiring.length - 1] ?? first;
        missed.push({ job: job.name, fires: { count: missedCount, first, last: lastMissed } });
      }
      for (const scheduledAt of firing) {
        if (active.has(job.name)) {
          runs.push(
            ...planFire(job, scheduledAt, {
              now,
              trigger: 'schedule',
              status: 'skipped',
              reason: 'concurrency forbid: the previous run is still active',
            }),
          );
        } else {
          runs.push(...planFire(job, scheduledAt, { now, trigger: 'schedule' }));
          if (job.concurrency === 'forbid') active.add(job.name);
        }
      }
    }
    if (replacing.length > 0) await this.#cancelActive(replacing, now);
    if (runs.length > 0) await this.#insert(runs);
    await this.#options.store.setScheduleStates(updates);
    return missed;
  }

  /**
   * Records runs in chunks, telling the workers after each: the runs of a 100,000-tenant fan-out
   * start being claimed while the rest are still being written.
   */
  async #insert(runs: readonly NewRun[]): Promise<void> {
    let duplicates = 0;
    for (let start = 0; start < runs.length; start += insertChunk) {
      const result = await this.#options.store.insertRuns(runs.slice(start, start + insertChunk));
      duplicates += result.duplicates;
      if (result.inserted.some((run) => run.status === 'pending')) this.#options.onRunsQueued?.();
    }
    if (duplicates > 0) {
      this.#options.logger.warn({ duplicates }, 'fires already recorded (another node fired them)');
    }
  }

  async #cancelActive(jobs: readonly string[], now: number): Promise<void> {
    const { store } = this.#options;
    const cancelled: number[] = [];
    for (const job of jobs) {
      const page = await store.listRuns({ job, status: ['pending', 'running'], limit: 1000 });
      for (const run of page.runs) {
        const done = await store.cancelRun(run.id, {
          at: now,
          node: this.#options.node,
          reason: 'concurrency replace: a newer fire replaces it',
        });
        if (done) cancelled.push(run.id);
      }
    }
    if (cancelled.length > 0) this.#options.onRunsCancelled?.(cancelled);
  }

  async #recordMissed(job: string, missed: MissedFires, why: string): Promise<void> {
    const { store, clock, logger } = this.#options;
    const incidents = this.#options.incidents ?? recordingSink(store, clock);
    await reportMissedFires({ incidents, logger }, job, missed, why);
  }
}
