/**
 * The one implementation of `Store` for both dialects: shared SQL through Kysely
 * (`sql/*-queries.ts`, `sql/status-changes.ts`), hot paths through the dialect's backend
 * (`sqlite/`, `postgres/`). Inputs are checked here, once, before any SQL runs.
 */
import { CronplaneError } from '../errors/index.ts';
import { Batcher } from './batcher.ts';
import type { NewRun } from './run-record.ts';
import { isLogStream, LogStream } from './run-record.ts';
import { assertTime, invalid, toRunInsertValues } from './row-mapping.ts';
import { assertRunStatus, assertTransition } from './run-status.ts';
import { cancelRun, expireLeases, releaseHeldRuns, transitionRun } from './sql/status-changes.ts';
import * as apiJobs from './sql/api-job-queries.ts';
import * as apiRecords from './sql/api-queries.ts';
import * as events from './sql/event-queries.ts';
import * as history from './sql/history-queries.ts';
import * as jobs from './sql/job-queries.ts';
import * as monitors from './sql/monitor-queries.ts';
import * as nodes from './sql/node-queries.ts';
import * as overview from './sql/overview-queries.ts';
import { pruneHistory } from './sql/prune-history.ts';
import { recordPing } from './sql/record-ping.ts';
import * as queue from './sql/queue-queries.ts';
import * as runs from './sql/run-queries.ts';
import { startRunsInCooldown } from './sql/start-runs-in-cooldown.ts';
import { lastRunStarts } from './sql/run-start-queries.ts';
import * as schedule from './sql/schedule-queries.ts';
import type { FinishRunItem, StoreBackend } from './store-backend.ts';
import type { ScheduleState } from './store-records.ts';
import { assertSignalChannel, assertSignalPayload, jobsPausedSignal } from './store-signals.ts';
import type { ClaimRunsInput, FinishRunInput, Store } from './store.ts';

export function createSqlStore(backend: StoreBackend): Store {
  const { db } = backend;
  const finishes = new Batcher<FinishRunItem, boolean>((items) => backend.finishRuns(items));
  let released: Promise<void> | undefined;

  const release = (): Promise<void> => {
    released ??= (async () => {
      await finishes.drain();
      await backend.destroy();
    })();
    return released;
  };

  return {
    dialect: backend.dialect,

    migrate: async (now = Date.now()) => backend.migrate(now),
    listMigrations: async () =>
      (await db.selectFrom('cp_migrations').selectAll().orderBy('version').execute()).map((row) => ({
        version: row.version,
        name: row.name,
        appliedAt: row.applied_at,
      })),

    syncJobs: async (definitions, at) => backend.syncJobs(definitions, at),
    getJob: async (name) => jobs.getJob(db, name),
    listJobs: async (options) => jobs.listJobs(db, options?.includeRemoved ?? false),
    async setJobPaused(name, paused, at) {
      const changed = await jobs.setJobPaused(db, name, paused, at);
      // Every node's scheduler and drainer hear of it at once (they also reread it now and then).
      if (changed) await backend.signals.signal(jobsPausedSignal, name).catch(() => undefined);
      return changed;
    },
    listPausedJobs: async () => jobs.listPausedJobs(db),

    async insertRuns(newRuns: readonly NewRun[]) {
      const prepared = newRuns.map((run, index) => ({ run, values: toRunInsertValues(run, index) }));
      if (prepared.length === 0) return { inserted: [], duplicates: 0 };
      return backend.insertRuns(prepared);
    },

    async claimRuns(input: ClaimRunsInput) {
      checkClaim(input);
      if (input.limit === 0) return [];
      return backend.claimRuns(input);
    },

    async insertAndClaimRuns(newRuns: readonly NewRun[], claim: ClaimRunsInput) {
      checkClaim(claim);
      const prepared = newRuns.map((run, index) => ({ run, values: toRunInsertValues(run, index) }));
      if (claim.limit === 0) {
        const result =
          prepared.length === 0 ? { inserted: [], duplicates: 0 } : await backend.insertRuns(prepared);
        return { ...result, claimed: [] };
      }
      if (prepared.length === 0)
        return { inserted: [], duplicates: 0, claimed: await backend.claimRuns(claim) };
      return backend.insertAndClaimRuns(prepared, claim);
    },

    renewLease: async (runId, node, until) => {
      assertTime(until, 'until');
      return (await backend.renewLeases(node, [runId], until)).length === 1;
    },
    renewLeases: async (node, runIds, until) => {
      assertTime(until, 'until');
      if (runIds.length === 0) return [];
      return backend.renewLeases(node, runIds, until);
    },

    async finishRun(runId: number, node: string, input: FinishRunInput) {
      assertTransition('running', assertRunStatus(input.status));
      assertTime(input.finishedAt, 'finishedAt');
      if (input.startedAt !== undefined) assertTime(input.startedAt, 'startedAt');
      if (released !== undefined) throw storeReleased();
      return finishes.add({
        runId,
        node,
        status: input.status,
        finishedAt: input.finishedAt,
        exitCode: input.exitCode ?? null,
        httpStatus: input.httpStatus ?? null,
        error: input.error ?? null,
        reason: input.reason ?? null,
        startedAt: input.startedAt ?? null,
      });
    },

    transitionRun: async (runId, input) => {
      assertTime(input.at, 'at');
      return transitionRun(db, runId, input);
    },
    cancelRun: async (runId, input) => {
      assertTime(input.at, 'at');
      return cancelRun(db, runId, input);
    },
    expireLeases: async (now, node) => {
      assertTime(now, 'now');
      return expireLeases(db, now, node ?? null);
    },

    async appendLog(runId, input) {
      if (!isLogStream(input.stream)) {
        throw invalid('stream', `one of ${Object.keys(LogStream).join(', ')}`, input.stream);
      }
      if (typeof input.chunk !== 'string') throw invalid('chunk', 'a string', input.chunk);
      assertTime(input.at, 'at');
      const result = await backend.appendLog(runId, input);
      if (result === undefined) throw runs.runNotFound(runId);
      return result;
    },
    readLogs: async (runId, options) => runs.readLogs(db, runId, options ?? {}),
    recordMetrics: async (runId, values, at) => runs.recordMetrics(db, runId, values, at),
    listMetrics: async (query) => runs.listMetrics(db, query),

    getRun: async (id) => runs.getRun(db, id),
    getRunOrThrow: async (id) => runs.getRunOrThrow(db, id),
    listRuns: async (query) => runs.listRuns(db, query ?? {}, backend.dialect),
    listTransitions: async (runId) => runs.listTransitions(db, runId),
    countActiveRuns: async (jobNames) => runs.countActiveRuns(db, jobNames),
    lastRunStarts: async (keys) => lastRunStarts(db, keys),
    startRunsInCooldown: async (keys, decide) => startRunsInCooldown(db, backend.dialect, keys, decide),
    nextPendingRunAfter: async (jobNames) => runs.nextPendingRunAfter(db, jobNames),

    getScheduleState: async (job) => schedule.getScheduleState(db, job),
    listScheduleStates: async () => schedule.listScheduleStates(db),
    setScheduleState: async (state: ScheduleState) =>
      schedule.setScheduleStates(db, backend.dialect, [state]),
    setScheduleStates: async (states) => schedule.setScheduleStates(db, backend.dialect, states),
    setScheduleStatesAsHolder: async (lease, states) =>
      schedule.setScheduleStatesAsHolder(db, backend.dialect, lease, states),

    async acquireLease(input) {
      schedule.checkAcquireLease(input);
      return backend.acquireLease(input);
    },
    releaseLease: async (name, owner) => schedule.releaseLease(db, name, owner),
    getLease: async (name) => schedule.getLease(db, name),

    registerNode: async (node) => nodes.registerNode(db, node),
    async heartbeatNode(instanceId, input) {
      nodes.checkHeartbeat(input);
      const row = await backend.heartbeatNode(instanceId, input);
      return row === undefined ? undefined : nodes.toHeartbeatResult(instanceId, row);
    },
    drainNode: async (name, at, reason) => nodes.drainNode(db, name, at, reason),
    stopNode: async (instanceId, at, reason) => nodes.stopNode(db, instanceId, at, reason),
    listNodes: async (options) => nodes.listNodes(db, options?.stoppedSince),

    recordEvent: async (event) => events.recordEvent(db, event),
    resolveEvent: async (dedupKey, at) => events.resolveEvent(db, dedupKey, at),
    resolveEventById: async (id, at) => events.resolveEventById(db, id, at),
    listEvents: async (query) => events.listEvents(db, query ?? {}),
    getOpenEvent: async (dedupKey) => events.getOpenEvent(db, dedupKey),
    getEvent: async (id) => events.getEvent(db, id),
    markEventNotified: async (id, at) => events.markEventNotified(db, id, at),
    countOpenEvents: async () => events.countOpenEvents(db),

    syncMonitors: async (names, at) => monitors.syncMonitors(db, names, at),
    getMonitor: async (name) => monitors.getMonitor(db, name),
    getMonitorByPingId: async (pingId) => monitors.getMonitorByPingId(db, pingId),
    listMonitors: async (options) => monitors.listMonitors(db, options?.includeRemoved ?? false),
    recordPing: async (ping) => recordPing(db, ping),
    setMonitorStatus: async (name, from, to, at) => monitors.setMonitorStatus(db, name, from, to, at),
    setMonitorPaused: async (name, paused, at) => monitors.setMonitorPaused(db, name, paused, at),
    listPings: async (query) => monitors.listPings(db, query),
    pruneHistory: async (input) => {
      for (const key of ['runsFinishedBefore', 'logsFinishedBefore', 'pingsBefore'] as const) {
        const value = input[key];
        if (value !== undefined) assertTime(value, key);
      }
      if (!Number.isSafeInteger(input.limit) || input.limit < 1 || input.limit > 10_000) {
        throw invalid('limit', 'a whole number from 1 to 10000', input.limit);
      }
      return pruneHistory(db, backend.dialect, input);
    },

    listHeldRuns: async (query) => queue.listHeldRuns(db, query),
    countActiveRunsByKey: async (job) => queue.countActiveRunsByKey(db, job),
    listOverdueRuns: async (query) => queue.listOverdueRuns(db, query),
    releaseHeldRuns: async (runIds, input) => {
      assertTime(input.at, 'at');
      if (!runIds.every((id) => Number.isSafeInteger(id))) throw invalid('runIds', 'run ids', runIds);
      return releaseHeldRuns(db, runIds, input);
    },
    latestRuns: async (jobNames) => queue.latestRuns(db, jobNames, backend.dialect),
    listAttempts: async (firstRunId) => queue.listAttempts(db, firstRunId),
    getRunMetrics: async (runId) => queue.getRunMetrics(db, runId),
    listRunMetrics: async (runIds) => {
      if (!runIds.every((id) => Number.isSafeInteger(id))) throw invalid('runIds', 'run ids', runIds);
      return queue.listRunMetrics(db, runIds);
    },

    listMetricSeries: async (job) => history.listMetricSeries(db, job),
    readMetricHistory: async (query) => history.readMetricHistory(db, query),
    countRunsByBucket: async (query) => history.countRunsByBucket(db, query),

    listRecentRuns: async (query) => {
      overview.checkRecentRunsQuery(query);
      if (query.keys.length === 0) return [];
      return backend.listRecentRuns(query);
    },
    readRunChanges: async (query) => overview.readRunChanges(db, query),
    lastRunChangeId: async () => overview.lastRunChangeId(db),

    putApiJobs: async (inputs) => apiJobs.putApiJobs(db, inputs),
    deleteApiJob: async (input) => apiJobs.deleteApiJob(db, input),
    getApiJob: async (name) => apiJobs.getApiJob(db, name),
    listApiJobs: async () => apiJobs.listApiJobs(db),
    listApiJobVersions: async (name) => apiJobs.listApiJobVersions(db, name),
    readApiJobChanges: async (query) => apiJobs.readApiJobChanges(db, query),
    lastApiJobChangeId: async () => apiJobs.lastApiJobChangeId(db),

    createApiToken: async (token) => apiRecords.createApiToken(db, token),
    getApiToken: async (id) => apiRecords.getApiToken(db, id),
    listApiTokens: async (options) => apiRecords.listApiTokens(db, options?.includeRevoked ?? false),
    revokeApiToken: async (name, at) => apiRecords.revokeApiToken(db, name, at),
    touchApiToken: async (id, at) => apiRecords.touchApiToken(db, id, at),
    recordAudit: async (entry) => apiRecords.recordAudit(db, entry),
    listAudit: async (query) => apiRecords.listAudit(db, query ?? {}),

    probeWrite: async () => backend.probeWrite(),
    readChangeMark: async () => backend.readChangeMark(),

    async signal(channel, payload) {
      const checked = assertSignalPayload(payload);
      return backend.signals.signal(assertSignalChannel(channel), checked);
    },
    async onSignal(channel, listener) {
      assertSignalChannel(channel);
      if (typeof listener !== 'function') throw invalid('listener', 'a function', typeof listener);
      if (released !== undefined) throw storeReleased();
      return backend.signals.onSignal(channel, listener);
    },
    countListeningPeers: async () => backend.signals.countListeningPeers(),
    readMissedSignalMark: async () => backend.signals.readMissedSignalMark(),

    release,
    [Symbol.asyncDispose]: release,
  };
}

function checkClaim(input: ClaimRunsInput): void {
  if (typeof input.node !== 'string' || input.node === '') throw invalid('node', 'a node name', input.node);
  assertTime(input.now, 'now');
  if (!Number.isSafeInteger(input.limit) || input.limit < 0)
    throw invalid('limit', 'an integer >= 0', input.limit);
  if (!Number.isSafeInteger(input.leaseMs) || input.leaseMs <= 0) {
    throw invalid('leaseMs', 'a positive integer', input.leaseMs);
  }
  if (input.aheadMs !== undefined && (!Number.isSafeInteger(input.aheadMs) || input.aheadMs < 0)) {
    throw invalid('aheadMs', 'an integer >= 0', input.aheadMs);
  }
}

function storeReleased(): CronplaneError {
  return new CronplaneError('store.released', 'The store was released; open it again to write to it.');
}
