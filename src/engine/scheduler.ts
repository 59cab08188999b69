import type { ResolvedJob } from '../config/index.ts';
import { coerceError } from '../errors/index.ts';
import type { Logger } from '../logging/index.ts';
import type { NewRun, ScheduleState, Store } from '../store/index.ts';
import type { Clock, TimerHandle } from './clock.ts';
import type { CalendarCache, JobCalendar } from './next-fires.ts';
import { compileJobCalendar } from './next-fires.ts';
import { planCatchUp } from './plan-catch-up.ts';
import { planFire } from './plan-fire.ts';
import { TimerHeap } from './timer-heap.ts';

/** A fire older than this when the scheduler gets to it is missed, unless the job says otherwise. */
export const defaultStartDeadlineMs = 60_000;
/** At start-up, fires this recent are on time; older ones since the last recorded fire are catch-up. */
export const startupToleranceMs = 1_000;
/** The scheduler leader lease. */
export const leaderLeaseName = 'scheduler';

export interface SchedulerOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly node: string;
  readonly logger: Logger;
  /** Called after runs were queued, so local workers look at once. */
  readonly onRunsQueued?: () => void;
  /** Called with the ids of runs the `replace` policy cancelled, so their workers stop them. */
  readonly onRunsCancelled?: (runIds: readonly number[]) => void;
  readonly leaseMs?: number;
}

interface ScheduledJob {
  readonly job: ResolvedJob;
  readonly calendar: JobCalendar;
  nextAt: number | null;
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
  #leaderUntil = 0;
  #lastTickAt = 0;

  constructor(options: SchedulerOptions) {
    this.#options = options;
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
    await this.#load(jobs, true);
    this.#arm();
  }

  /** Replaces the job set (job file reloaded); jobs keep their schedule state. */
  async reload(jobs: readonly ResolvedJob[]): Promise<void> {
    await this.#tick;
    await this.#load(jobs, false);
    this.#arm();
  }

  setPaused(job: string, paused: boolean): void {
    if (paused) this.#paused.add(job);
    else this.#paused.delete(job);
  }

  /** The next fire time the scheduler holds for a job, or null. */
  nextFireOf(job: string): number | null {
    return this.#jobs.get(job)?.nextAt ?? null;
  }

  /** Stops the timer, waits for a tick under way, gives up the leader lease. */
  async release(): Promise<void> {
    this.#running = false;
    if (this.#timer !== undefined) this.#options.clock.clearTimer(this.#timer);
    this.#timer = undefined;
    await this.#tick;
    if (this.#leaderUntil > 0) {
      this.#leaderUntil = 0;
      await this.#options.store.releaseLease(leaderLeaseName, this.#options.node);
    }
  }

  async #load(jobs: readonly ResolvedJob[], startup: boolean): Promise<void> {
    const { store, clock } = this.#options;
    const now = clock.now();
    const states = new Map((await store.listScheduleStates()).map((state) => [state.job, state]));
    for (const record of await store.listJobs()) this.setPaused(record.name, record.paused);
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
      // restart, a fire of the last moment (the time it took to start) is on time, not missed.
      const from = startup && lastFireAt !== null ? now - startupToleranceMs : now;
      const plan = planCatchUp({
        calendar,
        lastFireAt,
        before: from,
        now,
        policy: job.catchUp,
        windowMs: job.catchUpWindowMs,
      });
      let lastFire = lastFireAt;
      if (!this.#paused.has(job.name)) {
        for (const scheduledAt of plan.run)
          runs.push(...planFire(job, scheduledAt, { now, trigger: 'catch-up' }));
      }
      if (plan.missed !== null) {
        await this.#recordMissed(job.name, plan.missed, now, 'the scheduler was not running');
      }
      if (plan.run.length > 0 || plan.missed !== null)
        lastFire = Math.max(plan.missed?.last ?? 0, ...plan.run);
      const nextAt = calendar.next(Math.max(from - 1, lastFire ?? -Infinity));
      this.#jobs.set(job.name, { job, calendar, nextAt });
      if (nextAt !== null) this.#heap.push(job.name, nextAt);
      updates.push({ job: job.name, lastFireAt: lastFire, nextFireAt: nextAt });
    }
    if (runs.length > 0) await this.#insert(runs);
    await store.setScheduleStates(updates);
  }

  #arm(): void {
    if (!this.#running) return;
    const { clock } = this.#options;
    if (this.#timer !== undefined) clock.clearTimer(this.#timer);
    this.#timer = undefined;
    const next = this.#heap.peekTime();
    if (next === undefined) return;
    // A follower looks again when the leader's lease may have lapsed.
    const wait =
      this.isLeader || this.#leaderUntil === 0
        ? next - clock.now()
        : Math.min(next - clock.now(), this.#leaseMs() / 3);
    this.#timer = clock.setTimer(
      () => {
        this.#timer = undefined;
        this.#tick = this.#fireDue().finally(() => {
          this.#tick = undefined;
          this.#arm();
        });
      },
      Math.max(0, wait),
    );
  }

  #leaseMs(): number {
    return this.#options.leaseMs ?? 15_000;
  }

  async #ensureLeader(now: number): Promise<boolean> {
    if (this.#leaderUntil - now > this.#leaseMs() / 2) return true;
    const until = now + this.#leaseMs();
    const held = await this.#options.store.acquireLease({
      name: leaderLeaseName,
      owner: this.#options.node,
      now,
      until,
    });
    this.#leaderUntil = held ? until : -1;
    return held;
  }

  async #fireDue(): Promise<void> {
    const { clock, logger } = this.#options;
    const now = clock.now();
    this.#lastTickAt = now;
    try {
      if (!(await this.#ensureLeader(now))) return;
      const runs: NewRun[] = [];
      const updates: ScheduleState[] = [];
      const forbidden = new Set<string>();
      const replacing: string[] = [];
      const due: { entry: ScheduledJob; fires: number[] }[] = [];
      while ((this.#heap.peekTime() ?? Infinity) <= now) {
        const name = this.#heap.pop() as string;
        const entry = this.#jobs.get(name);
        if (entry === undefined) continue;
        const fires: number[] = [];
        let at = entry.nextAt;
        while (at !== null && at <= now && fires.length < 1000) {
          fires.push(at);
          at = entry.calendar.next(at);
        }
        entry.nextAt = at;
        if (at !== null) this.#heap.push(name, at);
        due.push({ entry, fires });
        if (entry.job.concurrency === 'forbid') forbidden.add(name);
        if (entry.job.concurrency === 'replace') replacing.push(name);
      }
      if (due.length === 0) return;
      const active =
        forbidden.size === 0
          ? new Set<string>()
          : new Set((await this.#options.store.countActiveRuns([...forbidden])).map((count) => count.job));
      for (const { entry, fires } of due) {
        const { job } = entry;
        const last = fires[fires.length - 1] as number;
        updates.push({ job: job.name, lastFireAt: last, nextFireAt: entry.nextAt });
        if (this.#paused.has(job.name)) continue;
        // After a stall, earlier due fires of the same job are missed: the latest stands for them.
        const onTime = job.catchUp === 'all' ? fires : [last];
        const deadline = job.startDeadlineMs ?? defaultStartDeadlineMs;
        const late = onTime.filter((at) => now - at > deadline);
        const firing = onTime.filter((at) => now - at <= deadline);
        const missedCount = fires.length - firing.length;
        if (missedCount > 0) {
          const first = fires[0] as number;
          const lastMissed = late[late.length - 1] ?? fires[fires.length - 2] ?? first;
          await this.#recordMissed(
            job.name,
            { count: missedCount, first, last: lastMissed },
            now,
            'the scheduler was late',
          );
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
    } catch (thrown) {
      logger.error({ err: coerceError(thrown) }, 'scheduler tick failed; it will try again at the next fire');
    }
  }

  async #insert(runs: readonly NewRun[]): Promise<void> {
    const result = await this.#options.store.insertRuns(runs);
    if (result.duplicates > 0) {
      this.#options.logger.warn(
        { duplicates: result.duplicates },
        'fires already recorded (another node fired them)',
      );
    }
    if (result.inserted.some((run) => run.status === 'pending')) this.#options.onRunsQueued?.();
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

  async #recordMissed(
    job: string,
    missed: { readonly count: number; readonly first: number; readonly last: number },
    now: number,
    why: string,
  ): Promise<void> {
    this.#options.logger.warn({ job, ...missed }, `missed ${missed.count} fire(s): ${why}`);
    await this.#options.store.recordEvent({
      kind: 'schedule:missed',
      dedupKey: `schedule:missed:${job}`,
      severity: 'warning',
      at: now,
      job,
      details: {
        count: missed.count,
        first: new Date(missed.first).toISOString(),
        last: new Date(missed.last).toISOString(),
        reason: why,
      },
    });
  }
}
