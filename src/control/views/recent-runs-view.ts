import { z } from 'zod';
import type { RecentRunRecord, RunChangeRecord } from '../../store/index.ts';
import { RunStatus, isTerminalRunStatus } from '../../store/index.ts';
import { iso } from './run-view.ts';

const instant = z.string().describe('ISO 8601 instant, UTC');
const status = z.enum(Object.keys(RunStatus) as [RunStatus, ...RunStatus[]]);

export const compactRunSchema = z
  .object({
    id: z.int(),
    status,
    scheduledAt: instant,
    durationMs: z.int().nullable().describe('from start to end; null until the run has ended'),
  })
  .describe('a run as a strip shows it');
export type CompactRunView = z.output<typeof compactRunSchema>;

export const recentRunsSchema = z
  .object({
    perKey: z.int().describe('the most runs per key answered'),
    keys: z
      .array(
        z.object({
          job: z.string(),
          fanKey: z.string().describe('the fan-out key; "" for a job that does not fan out'),
          runs: z.array(compactRunSchema).describe('newest first'),
        }),
      )
      .describe(
        'each job (by name) and, for a job that fans out, each of its keys (in the order of for_each)',
      ),
  })
  .describe('the last runs of each job and fan-out key');
export type RecentRunsView = z.output<typeof recentRunsSchema>;

export const runChangeSchema = z
  .object({
    id: z.int().describe('the run'),
    job: z.string(),
    fanKey: z.string(),
    status: status.describe('the status the run changed to'),
    scheduledAt: instant,
    finishedAt: instant.nullable().describe('set when the status is one a run ends in'),
    durationMs: z.int().nullable().describe('from start to end; null until the run has ended'),
  })
  .describe('a run created or changed status');
export type RunChangeView = z.output<typeof runChangeSchema>;

function durationOf(startedAt: number | null, finishedAt: number | null): number | null {
  return startedAt === null || finishedAt === null ? null : Math.max(0, finishedAt - startedAt);
}

export function compactRunView(run: RecentRunRecord): CompactRunView {
  return {
    id: run.id,
    status: run.status,
    scheduledAt: iso(run.scheduledAt) as string,
    durationMs: isTerminalRunStatus(run.status) ? durationOf(run.startedAt, run.finishedAt) : null,
  };
}

/** A change as the stream tells it: the end's time and duration only once the change is an end. */
export function runChangeView(change: RunChangeRecord): RunChangeView {
  const ended = isTerminalRunStatus(change.status);
  return {
    id: change.runId,
    job: change.job,
    fanKey: change.fanKey,
    status: change.status,
    scheduledAt: iso(change.scheduledAt) as string,
    finishedAt: ended ? iso(change.finishedAt) : null,
    durationMs: ended ? durationOf(change.startedAt, change.finishedAt) : null,
  };
}
