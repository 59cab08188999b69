import { listNodeListings } from '../cluster/index.ts';
import { compileJobCalendar } from '../config/index.ts';
import type { ResolvedJob, ResolvedMonitor } from '../config/index.ts';
import {
  insertTriggeredRuns,
  cooldownUntil,
  fanKeyOf,
  readLastStarts,
  planManualRuns,
  planRetry,
  runsQueuedChannel,
  splitSecretParams,
} from '../engine/index.ts';
import { planQueueItem } from '../queue/index.ts';
import type { JsonValue, ListRunsQuery, MonitorRecord, RunRecord, RunStatus } from '../store/index.ts';
import { isTerminalRunStatus } from '../store/index.ts';
import {
  checkJobFilter,
  checkMonitorName,
  checkUnlimited,
  eventForActor,
  jobForActor,
  runForActor,
} from './actor-access.ts';
import { ApiJobWrites } from './api-job-writes.ts';
import type {
  Actor,
  AuditPage,
  AuditQuery,
  Control,
  EnqueueInput,
  EventPage,
  EventQuery,
  FiresQuery,
  FollowOptions,
  FollowRunsOptions,
  JobPage,
  JobPut,
  JobQuery,
  LogEvent,
  LogPage,
  LogQuery,
  MetricQuery,
  MonitorChange,
  NodeChange,
  PageQuery,
  PingPage,
  RecentRunsQuery,
  RunPage,
  RunQuery,
  RunStatsQuery,
  TriggerOptions,
  WriteOptions,
} from './control.ts';
import type {
  ApiJobEntryView,
  JobBatchView,
  JobDeleteView,
  JobVersionView,
  JobWriteView,
} from './views/job-write-view.ts';
import { apiJobEntryView, jobVersionView } from './views/job-write-view.ts';
import type { InstanceListView } from './views/instance-view.ts';
import { ControlError } from './control-error.ts';
import type { ControlParts } from './control-parts.ts';
import { followStoredLogs } from './follow-stored-logs.ts';
import { listJobFires } from './job-fires.ts';
import { listJobMetrics, readMetricHistory } from './metric-history.ts';
import { readRunStats } from './run-stats.ts';
import { readQueue, readQueueSummaries } from './queue-state.ts';

import { followRunChanges, readRecentRuns } from './recent-runs.ts';
import { RunChangeFeed } from './run-change-feed.ts';
import type { RecentRunsView, RunChangeView } from './views/recent-runs-view.ts';
import { conflict, refusedInBody, unknownMonitor, unknownNode } from './local-refusals.ts';
import { auditEntryView } from './views/audit-entry-view.ts';
import { eventView } from './views/event-view.ts';
import type { EventView } from './views/event-view.ts';
import type { JobFiresView } from './views/job-fires-view.ts';
import { jobView } from './views/job-view.ts';
import type { JobView } from './views/job-view.ts';
import { logChunkView } from './views/log-chunk-view.ts';
import type { JobMetricsView, MetricHistoryView } from './views/metric-history-view.ts';
import { monitorView, pingView } from './views/monitor-view.ts';
import type { MonitorView, PingBase } from './views/monitor-view.ts';
import { nodeView } from './views/node-view.ts';
import type { NodeView } from './views/node-view.ts';
import type { QueueSummaryView, QueueView } from './views/queue-view.ts';
import { listedRunView, runView, transitionView } from './views/run-view.ts';
import type { RunDetail, RunView } from './views/run-view.ts';
import type { RunStatsView } from './views/run-stats-view.ts';

/** Statuses a run can be retried from by hand. */
export const manualRetryStatuses: readonly RunStatus[] = [
  'failed',
  'critical',
  'timed_out',
  'lost',
  'cancelled',
];

/**
 * The operations carried out in this process, on the store and (inside a daemon) the engine,
 * queue drainer, monitor watch and alerter, on behalf of one actor. The API builds one per
 * request for its token; the CLI one over a store for `cli`.
 */
export class LocalControl implements Control {
  readonly #parts: ControlParts;
  readonly #actor: Actor;

  constructor(parts: ControlParts, actor: Actor) {
    this.#parts = parts;
    this.#actor = actor;
  }

  async listJobs(query: JobQuery = {}): Promise<JobPage> {
    const limit = query.limit ?? 100;
    const visible = this.#parts
      .jobs()
      .filter(
        (job) => this.#actor.mayAccess(job.name) && (query.cursor === undefined || job.name > query.cursor),
      )
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const page = visible.slice(0, limit);
    return {
      jobs: await this.#viewJobs(page),
      nextCursor: visible.length > limit ? (page.at(-1)?.name ?? null) : null,
    };
  }

  async getJob(name: string): Promise<JobView> {
    const [view] = await this.#viewJobs([this.#job(name)]);
    return view as JobView;
  }

  async putJob(name: string, entry: unknown, options: WriteOptions = {}): Promise<JobWriteView> {
    const { write, job } = await this.#writes().put(name, entry, options);
    return { change: write.kind, job: await this.#viewApiJob(job, write.record.version) };
  }

  async patchJob(name: string, patch: unknown, options: WriteOptions = {}): Promise<JobWriteView> {
    const { write, job } = await this.#writes().patch(name, patch, options);
    return { change: write.kind, job: await this.#viewApiJob(job, write.record.version) };
  }

  async deleteJob(name: string, options: WriteOptions = {}): Promise<JobDeleteView> {
    const deleted = await this.#writes().delete(name, options);
    return { name: deleted.name, change: 'deleted', version: deleted.version };
  }

  async putJobs(jobs: readonly JobPut[]): Promise<JobBatchView> {
    const written = await this.#writes().putMany(jobs);
    return {
      jobs: written.map(({ write }) => ({
        name: write.record.name,
        change: write.kind,
        version: write.record.version,
      })),
    };
  }

  async putInstance(
    template: string,
    key: string,
    body: unknown,
    options: WriteOptions = {},
  ): Promise<JobWriteView> {
    this.#template(template);
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      throw new ControlError('bad_input', 'api.invalid', 'body: expected an object { params, ...settings }', {
        path: 'body',
      });
    const named = (body as { template?: unknown }).template;
    if (named !== undefined && named !== template) {
      throw new ControlError(
        'bad_input',
        'api.invalid',
        `body.template: the instance's template is the one of its route ("${template}"); leave it out`,
        { path: 'body.template' },
      );
    }
    return this.putJob(`${template}.${key}`, { ...body, template }, options);
  }

  async listInstances(template: string): Promise<InstanceListView> {
    const schedules = this.#template(template).template?.schedules ?? [];
    const instances = this.#parts
      .jobs()
      .filter((job) => job.instance?.template === template && this.#actor.mayAccess(job.name))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const views = await this.#viewJobs(instances);
    return {
      template,
      schedules: [...schedules],
      instances: instances.map((job, index) => ({
        key: job.instance?.key ?? '',
        params: { ...job.instance?.params },
        job: views[index] as JobView,
      })),
    };
  }

  async deleteInstance(template: string, key: string, options: WriteOptions = {}): Promise<JobDeleteView> {
    this.#template(template);
    try {
      return await this.deleteJob(`${template}.${key}`, options);
    } catch (thrown) {
      if (!(thrown instanceof ControlError) || thrown.kind !== 'not_found') throw thrown;
      throw new ControlError('not_found', thrown.code, `template "${template}" has no instance "${key}"`, {
        path: 'path.key',
      });
    }
  }

  /** A template of the job file the actor may see; a job that is none is a conflict. */
  #template(name: string): ResolvedJob {
    const job = this.#job(name);
    if (job.template === undefined) {
      throw new ControlError(
        'conflict',
        'api.not-a-template',
        `job "${name}" is not a template (its entry in the job file does not say template: true); it has no instances`,
        { path: 'path.job' },
      );
    }
    return job;
  }

  async listJobVersions(name: string): Promise<readonly JobVersionView[]> {
    if (!this.#actor.mayAccess(name)) this.#job(name);
    const versions = await this.#parts.store.listApiJobVersions(name);
    if (versions.length === 0) this.#job(name);
    return versions.map(jobVersionView);
  }

  async listApiJobEntries(): Promise<readonly ApiJobEntryView[]> {
    const records = await this.#parts.store.listApiJobs();
    return records.filter((record) => this.#actor.mayAccess(record.name)).map(apiJobEntryView);
  }

  #writes(): ApiJobWrites {
    return new ApiJobWrites(this.#parts, this.#actor, (action, target, details) =>
      this.#audit(action, target, details),
    );
  }

  async #viewApiJob(job: ResolvedJob, version: number): Promise<JobView> {
    const [view] = await this.#viewJobs([job]);
    return { ...(view as JobView), source: 'api', version };
  }

  pauseJob(name: string): Promise<JobView> {
    return this.#setJobPaused(name, true);
  }

  resumeJob(name: string): Promise<JobView> {
    return this.#setJobPaused(name, false);
  }

  async listNextFires(name: string, query: FiresQuery = {}): Promise<JobFiresView> {
    const job = this.#job(name);
    const record = await this.#parts.store.getJob(job.name);
    return listJobFires(job, record?.paused ?? false, query, this.#parts.clock.now());
  }

  async triggerJob(name: string, options: TriggerOptions = {}): Promise<readonly RunView[]> {
    const job = this.#job(name);
    const { store, engine, clock } = this.#parts;
    const input = {
      job: job.name,
      trigger: 'api' as const,
      requestedBy: this.#actor.name,
      ...(options.params === undefined ? {} : { params: options.params }),
      ...(options.dryRun === undefined ? {} : { dryRun: options.dryRun }),
      ...(options.force === true ? { force: true } : {}),
    };
    const runs = await refusedInBody(async () => {
      if (engine !== undefined) return engine.trigger(input);
      const now = clock.now();
      const planned = planManualRuns(job, now, input);
      const { inserted } = await insertTriggeredRuns(store, job, planned, now, options.force === true);
      await store.signal(runsQueuedChannel);
      return inserted;
    });
    await this.#audit('job.trigger', job.name, {
      runs: runs.map((run) => run.id),
      params: splitSecretParams(job, options.params ?? {}).params,
      dryRun: options.dryRun ?? false,
      ...(options.force === true ? { force: true } : {}),
    });
    return runs.map(runView);
  }

  async enqueue(name: string, input: EnqueueInput): Promise<RunView> {
    const job = this.#job(name);
    const { store, clock, drainer } = this.#parts;
    const planned = await refusedInBody(() =>
      planQueueItem(job, clock.now(), {
        payload: input.payload as JsonValue,
        requestedBy: this.#actor.name,
        ...(input.priority === undefined ? {} : { priority: input.priority }),
      }),
    );
    const { inserted } = await store.insertRuns([planned]);
    const run = inserted[0];
    if (run === undefined) throw new ControlError('unavailable', 'api.internal', 'the item was not recorded');
    await this.#audit('queue.enqueue', job.name, { run: run.id, rateKey: run.rateKey });
    drainer?.notify(job.name);
    return runView(run);
  }

  async listQueues(): Promise<readonly QueueSummaryView[]> {
    const visible = this.#parts.jobs().filter((job) => this.#actor.mayAccess(job.name));
    return readQueueSummaries(this.#parts.store, visible, this.#parts.clock.now());
  }

  async getQueue(name: string): Promise<QueueView> {
    return readQueue(this.#parts.store, this.#job(name), this.#parts.clock.now());
  }

  async listJobMetrics(name: string): Promise<JobMetricsView> {
    return listJobMetrics(this.#parts.store, this.#job(name));
  }

  async getMetricHistory(name: string, metric: string, query: MetricQuery = {}): Promise<MetricHistoryView> {
    const job = this.#job(name);
    return readMetricHistory(this.#parts.store, job, metric, query, this.#parts.clock.now());
  }

  async listRecentRuns(query: RecentRunsQuery = {}): Promise<RecentRunsView> {
    return readRecentRuns(this.#parts.store, this.#parts.jobs(), this.#actor, query);
  }

  async *followRuns(options: FollowRunsOptions = {}): AsyncGenerator<RunChangeView> {
    // Inside a daemon every follower shares its one reader; elsewhere this follower reads alone.
    const source =
      this.#parts.runChanges ??
      new RunChangeFeed({ store: this.#parts.store, pollMs: this.#parts.logPollMs ?? 200 });
    yield* followRunChanges(source, this.#actor, options.signal);
  }

  async getRunStats(query: RunStatsQuery = {}): Promise<RunStatsView> {
    checkJobFilter(this.#actor, query.job);
    return readRunStats(this.#parts.store, query, this.#parts.clock.now());
  }

  async listRuns(query: RunQuery = {}): Promise<RunPage> {
    checkJobFilter(this.#actor, query.job);
    const { store, runPages } = this.#parts;
    const storeQuery: ListRunsQuery = {
      ...(query.job === undefined ? {} : { job: query.job }),
      ...(query.key === undefined ? {} : { fanKey: query.key }),
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.trigger === undefined ? {} : { trigger: query.trigger }),
      ...(query.from === undefined ? {} : { from: query.from }),
      ...(query.to === undefined ? {} : { to: query.to }),
      limit: query.limit ?? 50,
      cursor: query.cursor ?? null,
      withMetrics: true,
    };
    const read = async (): Promise<RunPage> => {
      const page = await store.listRuns(storeQuery);
      return {
        runs: page.runs.map((run) => listedRunView(run, page.metrics?.get(run.id))),
        nextCursor: page.nextCursor,
      };
    };
    if (runPages === undefined) return read();
    // The mark is read first: a write landing after it moves the mark, so it can only cost a miss.
    const mark = await store.readChangeMark();
    return runPages.pageOf(JSON.stringify(storeQuery), mark, read);
  }

  async getRun(id: number): Promise<RunDetail> {
    const { store } = this.#parts;
    const run = await this.#run(id);
    const [attempts, transitions, metrics] = await Promise.all([
      store.listAttempts(run.firstRunId ?? run.id),
      store.listTransitions(run.id),
      store.getRunMetrics(run.id),
    ]);
    return {
      run: runView(run),
      attempts: attempts.map(runView),
      transitions: transitions.map(transitionView),
      metrics,
    };
  }

  async retryRun(id: number): Promise<RunView> {
    const { store, clock, engine, drainer } = this.#parts;
    const run = await this.#run(id);
    if (!manualRetryStatuses.includes(run.status)) {
      throw conflict(
        `run ${run.id} is ${run.status}; only runs that ended ${manualRetryStatuses.join(', ')} can be retried`,
      );
    }
    const job = this.#parts.jobs().find((candidate) => candidate.name === run.job);
    if (job === undefined) throw conflict(`job "${run.job}" is no longer in the job file`);
    const secret = Object.entries(job.params).find(([name, spec]) => spec.secret && name in run.params);
    if (secret !== undefined) {
      throw conflict(
        `run ${run.id} had the secret parameter "${secret[0]}", whose value is not kept once a run ends; trigger the job again with it`,
      );
    }
    const attempts = await store.listAttempts(run.firstRunId ?? run.id);
    const attempt = Math.max(...attempts.map((candidate) => candidate.attempt), run.attempt) + 1;
    // Secret values are never carried into a retry asked for by hand (refused above).
    const { secretParams: _notKept, ...ended } = run;
    const retry = planRetry(ended, job, {
      now: clock.now(),
      delayMs: 0,
      attempt,
      requestedBy: this.#actor.name,
      reason: `retried through ${this.#through} by ${this.#actor.name}`,
    });
    const { inserted } = await store.insertRuns([retry]);
    const created = inserted[0];
    if (created === undefined)
      throw conflict(`run ${run.id} was retried at the same moment; see its attempts`);
    await this.#audit('run.retry', `run:${run.id}`, { run: created.id, attempt });
    if (engine === undefined) await store.signal(runsQueuedChannel);
    else await engine.worker.runsQueued();
    drainer?.notify(run.job);
    return runView(created);
  }

  async cancelRun(id: number): Promise<RunView> {
    const { store, clock, node, engine } = this.#parts;
    const run = await this.#run(id);
    const reason = `cancelled through ${this.#through} by ${this.#actor.name}`;
    const done = await store.cancelRun(run.id, { at: clock.now(), node, reason });
    if (!done) {
      const now: RunRecord = (await store.getRun(run.id)) ?? run;
      throw conflict(`run ${run.id} already ended: ${now.status}`);
    }
    engine?.worker.abort([run.id], reason);
    await this.#audit('run.cancel', `run:${run.id}`, { was: run.status });
    return runView(await store.getRunOrThrow(run.id));
  }

  async readLogs(id: number, query: LogQuery = {}): Promise<LogPage> {
    const run = await this.#run(id);
    const limit = query.limit ?? 1000;
    const chunks = await this.#parts.store.readLogs(run.id, { afterSeq: query.after ?? 0, limit });
    return {
      runId: run.id,
      status: run.status,
      chunks: chunks.map((chunk) => logChunkView(chunk, this.#parts.redact)),
      nextAfter: chunks.at(-1)?.seq ?? query.after ?? 0,
      done: isTerminalRunStatus(run.status) && chunks.length < limit,
      truncated: run.logTruncated,
    };
  }

  async *followLogs(id: number, options: FollowOptions = {}): AsyncGenerator<LogEvent> {
    const run = await this.#run(id);
    yield* followStoredLogs(this.#parts.store, run.id, {
      after: options.after ?? 0,
      pollMs: this.#parts.logPollMs ?? 200,
      redact: this.#parts.redact,
      signal: options.signal,
    });
  }

  async listEvents(query: EventQuery = {}): Promise<EventPage> {
    checkJobFilter(this.#actor, query.job);
    if (query.since !== undefined && query.until !== undefined && query.until <= query.since) {
      throw new ControlError('bad_input', 'api.invalid', 'query.until: expected an instant after since', {
        path: 'query.until',
      });
    }
    const page = await this.#parts.store.listEvents({
      ...(query.job === undefined ? {} : { job: query.job }),
      ...(query.kind === undefined ? {} : { kind: query.kind }),
      ...(query.severity === undefined ? {} : { severities: query.severity }),
      ...(query.open === undefined ? {} : { open: query.open }),
      ...(query.since === undefined ? {} : { since: query.since }),
      ...(query.until === undefined ? {} : { until: query.until }),
      limit: query.limit ?? 50,
      cursor: query.cursor ?? null,
    });
    return { events: page.events.map(eventView), nextCursor: page.nextCursor };
  }

  async getEvent(id: number): Promise<EventView> {
    return eventView(eventForActor(await this.#parts.store.getEvent(id), this.#actor, id));
  }

  async resolveEvent(id: number): Promise<EventView> {
    const { store, clock, resolveIncident } = this.#parts;
    const event = eventForActor(await store.getEvent(id), this.#actor, id);
    const alreadyResolved = (at: number | null): ControlError =>
      conflict(
        `event ${event.id} was already resolved${at === null ? '' : ` at ${new Date(at).toISOString()}`}`,
      );
    if (event.resolvedAt !== null) throw alreadyResolved(event.resolvedAt);
    // Compare-and-set on the event's id: only this event is closed, and only while it is open.
    const closed =
      resolveIncident === undefined
        ? await store.resolveEventById(event.id, clock.now())
        : await resolveIncident(event, this.#actor.name);
    if (!closed) throw alreadyResolved((await store.getEvent(event.id))?.resolvedAt ?? null);
    const resolved = (await store.getEvent(event.id)) ?? event;
    await this.#audit('event.resolve', `event:${event.id}`, {
      kind: event.kind,
      job: event.job,
      dedupKey: event.dedupKey,
    });
    return eventView(resolved);
  }

  async listMonitors(): Promise<readonly MonitorView[]> {
    const records = new Map((await this.#parts.store.listMonitors()).map((record) => [record.name, record]));
    const base = this.#pingBase();
    return this.#parts
      .monitors()
      .filter((monitor) => this.#actor.mayAccess(monitor.name))
      .flatMap((monitor) => {
        const record = records.get(monitor.name);
        return record === undefined ? [] : [monitorView(monitor, record, base)];
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async getMonitor(name: string): Promise<MonitorView> {
    const { monitor, record } = await this.#monitor(name);
    return monitorView(monitor, record, this.#pingBase());
  }

  async listMonitorPings(name: string, query: PageQuery = {}): Promise<PingPage> {
    await this.#monitor(name);
    const page = await this.#parts.store.listPings({
      monitor: name,
      limit: query.limit ?? 50,
      cursor: query.cursor ?? null,
    });
    return { pings: page.pings.map(pingView), nextCursor: page.nextCursor };
  }

  pauseMonitor(name: string): Promise<MonitorChange> {
    return this.#setMonitorPaused(name, true);
  }

  resumeMonitor(name: string): Promise<MonitorChange> {
    return this.#setMonitorPaused(name, false);
  }

  async listAudit(query: AuditQuery = {}): Promise<AuditPage> {
    checkUnlimited(this.#actor);
    const page = await this.#parts.store.listAudit({
      ...(query.actor === undefined ? {} : { actor: query.actor }),
      ...(query.action === undefined ? {} : { action: query.action }),
      limit: query.limit ?? 50,
      cursor: query.cursor ?? null,
    });
    return { entries: page.entries.map(auditEntryView), nextCursor: page.nextCursor };
  }

  async listNodes(): Promise<readonly NodeView[]> {
    const nodes = await listNodeListings(this.#parts.store, this.#parts.clock.now());
    return nodes.map(nodeView);
  }

  async drainNode(name: string): Promise<NodeChange> {
    checkUnlimited(this.#actor);
    const { store, clock } = this.#parts;
    const now = clock.now();
    const result = await store.drainNode(
      name,
      now,
      `drained through ${this.#through} by ${this.#actor.name}`,
    );
    if (result === undefined) throw unknownNode(name);
    if (result.changed) await this.#audit('node.drain', name);
    const listed = (await listNodeListings(store, now)).find(
      (node) => node.instanceId === result.node.instanceId,
    );
    if (listed === undefined) throw unknownNode(name);
    return { node: nodeView(listed), changed: result.changed };
  }

  #pingBase(): PingBase {
    return { url: this.#parts.publicUrl(), publicUrl: this.#parts.publicUrlSet?.() ?? false };
  }

  get #through(): string {
    return this.#parts.through ?? 'the API';
  }

  #job(name: string): ResolvedJob {
    return jobForActor(this.#parts.jobs(), this.#actor, name);
  }

  async #run(id: number): Promise<RunRecord> {
    return runForActor(await this.#parts.store.getRun(id), this.#actor, id);
  }

  /** The monitor, if the job file has it, the actor may see it and the store knows it. */
  async #monitor(
    name: string,
  ): Promise<{ readonly monitor: ResolvedMonitor; readonly record: MonitorRecord }> {
    checkMonitorName(this.#actor, name);
    const monitor = this.#parts.monitors().find((candidate) => candidate.name === name);
    const record = monitor === undefined ? undefined : await this.#parts.store.getMonitor(name);
    if (monitor === undefined || record === undefined || record.removedAt !== null)
      throw unknownMonitor(name);
    return { monitor, record };
  }

  /** Pause state in the store first (it survives restarts), then the scheduler and the drainer of this node. */
  async #setJobPaused(name: string, paused: boolean): Promise<JobView> {
    const job = this.#job(name);
    const { store, clock, engine, drainer } = this.#parts;
    await store.setJobPaused(job.name, paused, clock.now());
    engine?.scheduler.setPaused(job.name, paused);
    drainer?.setPaused(job.name, paused);
    await this.#audit(`job.${paused ? 'pause' : 'resume'}`, job.name);
    const [view] = await this.#viewJobs([job]);
    return view as JobView;
  }

  async #setMonitorPaused(name: string, paused: boolean): Promise<MonitorChange> {
    const { monitor } = await this.#monitor(name);
    const pauser = this.#parts.monitorPauser ?? this.#parts.store;
    const result = await pauser.setMonitorPaused(monitor.name, paused, this.#parts.clock.now());
    // Removed from the store between the two reads (a reload on another node).
    if (result === undefined) throw unknownMonitor(monitor.name);
    await this.#audit(`monitor.${paused ? 'pause' : 'resume'}`, monitor.name, { changed: result.changed });
    return {
      monitor: monitorView(monitor, result.monitor, this.#pingBase()),
      changed: result.changed,
    };
  }

  /** Jobs with their pause state, next fire and latest run. */
  async #viewJobs(jobs: readonly ResolvedJob[]): Promise<JobView[]> {
    const { store } = this.#parts;
    const names = jobs.map((job) => job.name);
    // One read of the paused jobs for a page of jobs, one seek for a single job.
    const [paused, latest, cooldowns] = await Promise.all([
      names.length === 1
        ? store.getJob(names[0] as string).then((record) => (record?.paused === true ? names : []))
        : store.listPausedJobs(),
      store.latestRuns(names),
      this.#cooldownsOf(jobs),
    ]);
    const pausedNames = new Set(paused);
    const lastRuns = new Map(latest.map((run) => [run.job, run]));
    return jobs.map((job) =>
      jobView(job, {
        apiVersion: this.#apiVersionOf(job.name),
        paused: pausedNames.has(job.name),
        nextFireAt: this.#nextFireOf(job),
        lastRun: lastRuns.get(job.name),
        cooldownUntil: cooldowns.get(job.name) ?? null,
      }),
    );
  }

  /** When the cooldown of each job in one ends (the latest of its fan-out keys), read from the store. */
  async #cooldownsOf(jobs: readonly ResolvedJob[]): Promise<Map<string, number>> {
    const cooled = jobs.filter((job) => job.cooldownMs !== undefined && job.cooldownMs > 0);
    const ends = new Map<string, number>();
    if (cooled.length === 0) return ends;
    const byName = new Map(cooled.map((job) => [job.name, job]));
    const keys = cooled.flatMap((job) =>
      job.fanOut.map((values) => ({ job: job.name, fanKey: fanKeyOf(values) })),
    );
    const starts = await readLastStarts(this.#parts.store, keys, (name) => byName.get(name));
    const now = this.#parts.clock.now();
    for (const key of keys) {
      const job = byName.get(key.job) as ResolvedJob;
      const until = cooldownUntil(job, key.fanKey, now, starts);
      if (until !== undefined) ends.set(job.name, Math.max(until, ends.get(job.name) ?? 0));
    }
    return ends;
  }

  /** The version of a job defined through the API, as this node's engine holds it. */
  #apiVersionOf(name: string): number | undefined {
    const engine = this.#parts.engine;
    if (engine === undefined) return this.#parts.apiJobVersion?.(name);
    if (engine.isApiJob?.(name) !== true) return undefined;
    return engine.apiJobVersion?.(name);
  }

  /** The scheduler's next fire; without an engine, the job file's calendar from now. */
  #nextFireOf(job: ResolvedJob): number | null {
    const { engine, clock } = this.#parts;
    if (engine !== undefined) return engine.scheduler.nextFireOf(job.name);
    if (!job.enabled || job.schedules.length === 0) return null;
    return compileJobCalendar(job.schedules, job.timezone).next(clock.now());
  }

  /** Records a change under the actor's name; what the actor sent may hold a secret: stored masked. */
  async #audit(action: string, target: string | null, details: JsonValue = null): Promise<void> {
    await this.#parts.store.recordAudit({
      at: this.#parts.clock.now(),
      actor: this.#actor.name,
      action,
      target,
      details: details === null ? null : maskedJson(this.#parts.redact, details),
    });
  }
}

function maskedJson(redact: (text: string) => string, value: JsonValue): JsonValue {
  const text = redact(JSON.stringify(value));
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    // A secret that spanned JSON syntax: keep the masked text itself.
    return text;
  }
}
