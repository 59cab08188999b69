import { z } from 'zod';
import type { RunRecord, RunTransition } from '../../store/index.ts';
import { RunStatus, RunTrigger } from '../../store/index.ts';
import { isoInstant } from './iso-instant.ts';

/** An instant as the API writes it: ISO 8601 in UTC, or null. */
export function iso(ms: number | null): string | null {
  return ms === null ? null : isoInstant(ms);
}

const instant = z.string().describe('ISO 8601 instant, UTC');

export const runViewSchema = z
  .object({
    id: z.int(),
    job: z.string(),
    fanKey: z.string().describe('the fan-out value; "" when the job does not fan out'),
    status: z.enum(Object.keys(RunStatus) as [RunStatus, ...RunStatus[]]),
    statusReason: z.string().nullable(),
    trigger: z.enum(Object.keys(RunTrigger) as [RunTrigger, ...RunTrigger[]]),
    requestedBy: z.string().nullable().describe('the token name, CLI user or upstream run that asked for it'),
    params: z.record(z.string(), z.string()),
    payload: z.unknown().describe('the enqueued payload (queue items), or null'),
    rateKey: z.string().nullable().describe("the queue key's value (e.g. the organization id), or null"),
    held: z.boolean().describe('a queue item still waiting for its release'),
    scheduledAt: instant,
    runAfter: instant.nullable().describe('earliest start; null while held'),
    queuedAt: instant,
    startedAt: instant.nullable(),
    finishedAt: instant.nullable(),
    durationMs: z.int().nullable(),
    attempt: z.int(),
    firstRunId: z.int().nullable(),
    exitCode: z.int().nullable(),
    httpStatus: z.int().nullable(),
    error: z.string().nullable(),
    dryRun: z.boolean(),
    node: z.string().nullable(),
    logBytes: z.int(),
    logTruncated: z.boolean(),
  })
  .describe('a run');
export type RunView = z.output<typeof runViewSchema>;

export function runView(run: RunRecord): RunView {
  const held = run.status === 'held';
  return {
    id: run.id,
    job: run.job,
    fanKey: run.fanKey,
    status: run.status,
    statusReason: run.statusReason,
    trigger: run.trigger,
    requestedBy: run.requestedBy,
    params: run.params,
    payload: run.payload,
    rateKey: run.rateKey,
    held,
    scheduledAt: iso(run.scheduledAt) as string,
    runAfter: held ? null : iso(run.runAfter),
    queuedAt: iso(run.queuedAt) as string,
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    durationMs: run.startedAt !== null && run.finishedAt !== null ? run.finishedAt - run.startedAt : null,
    attempt: run.attempt,
    firstRunId: run.firstRunId,
    exitCode: run.exitCode,
    httpStatus: run.httpStatus,
    error: run.error,
    dryRun: run.dryRun,
    node: run.node,
    logBytes: run.logBytes,
    logTruncated: run.logTruncated,
  };
}

export const transitionViewSchema = z.object({
  seq: z.int(),
  at: instant,
  from: z.string().nullable(),
  to: z.string(),
  reason: z.string().nullable(),
  node: z.string().nullable(),
});

export function transitionView(transition: RunTransition): z.output<typeof transitionViewSchema> {
  return {
    seq: transition.seq,
    at: iso(transition.at) as string,
    from: transition.from,
    to: transition.to,
    reason: transition.reason,
    node: transition.node,
  };
}

/** A run with its history: every attempt, each change of status, the numbers it reported. */
export const runDetailSchema = z.object({
  run: runViewSchema,
  attempts: z.array(runViewSchema).describe('the first attempt and its retries, by attempt'),
  transitions: z.array(transitionViewSchema),
  metrics: z.record(z.string(), z.number()),
});

/** A run as a listing shows it: with the numbers it reported (`{}` when none). */
export const listedRunViewSchema = runViewSchema
  .extend({ metrics: z.record(z.string(), z.number()).describe('the metrics the run reported, by name') })
  .describe('a run, with its metrics');
export type ListedRunView = z.output<typeof listedRunViewSchema>;

export function listedRunView(run: RunRecord, metrics: Readonly<Record<string, number>> = {}): ListedRunView {
  return { ...runView(run), metrics: { ...metrics } };
}

export const runPageSchema = z.object({
  runs: z.array(listedRunViewSchema),
  nextCursor: z.int().nullable().describe('pass as ?cursor= for the next page; null on the last'),
});
export type RunDetail = z.output<typeof runDetailSchema>;
export type RunPageView = z.output<typeof runPageSchema>;
/** A page of runs, each with the numbers it reported. */
export type RunPage = RunPageView;
