import { z } from 'zod';
import { formatDuration } from '../../calendar/index.ts';
import type { ResolvedMonitor } from '../../config/index.ts';
import type { MonitorRecord, PingRecord } from '../../store/index.ts';
import { MonitorStatus, PingKind } from '../../store/index.ts';
import { iso } from './run-view.ts';

const instant = z.string().describe('ISO 8601 instant, UTC');

export const monitorViewSchema = z
  .object({
    name: z.string(),
    description: z.string().nullable(),
    status: z.enum(Object.keys(MonitorStatus) as [MonitorStatus, ...MonitorStatus[]]),
    schedules: z.array(z.string()).describe('when the job is expected to run; empty with a period'),
    period: z.string().nullable().describe('the time between pings (`1d`), or null with a schedule'),
    grace: z.string().nullable(),
    timezone: z.string(),
    expectSuccessWithin: z.string().nullable(),
    minDuration: z.string().nullable(),
    pingUrl: z.string().describe('where the job pings: append /start, /fail or /<exit-code>'),
    pingUrlBase: z
      .enum(['public_url', 'own_address'])
      .describe(
        "what pingUrl is built on: public_url, the job file's server.public_url; own_address, the API's own " +
          'address (what it listens on), which a job on another machine may not reach',
      ),
    lastPingAt: instant.nullable(),
    lastStartAt: instant.nullable().describe('a start not yet followed by its end'),
    lastSuccessAt: instant.nullable(),
    lastFailureAt: instant.nullable(),
    statusChangedAt: instant,
    createdAt: instant,
    paused: z
      .boolean()
      .describe('paused for maintenance: never taken down, no alert; pings are still recorded'),
    pausedAt: instant.nullable().describe('when it was paused; null when it is not'),
    resumedAt: instant.nullable().describe('when it was last resumed: its lateness counts from then'),
  })
  .describe('an external monitor');
export type MonitorView = z.output<typeof monitorViewSchema>;

export const pingViewSchema = z
  .object({
    id: z.int(),
    monitor: z.string(),
    kind: z.enum(Object.keys(PingKind) as [PingKind, ...PingKind[]]),
    at: instant,
    exitCode: z.int().nullable(),
    runKey: z.string().nullable().describe('the `rid` that paired a start with its end'),
    durationMs: z.number().nullable().describe('from the paired start (end pings only)'),
    body: z.string().nullable().describe("the job's output as sent, capped"),
    bodyTruncated: z.boolean(),
    source: z.string().nullable().describe("the sender's address and user agent"),
  })
  .describe('a ping');
export type PingView = z.output<typeof pingViewSchema>;

export const pingPageSchema = z.object({ pings: z.array(pingViewSchema), nextCursor: z.int().nullable() });
export type PingPage = z.output<typeof pingPageSchema>;

/** A monitor after a pause or resume. */
export const monitorChangeSchema = z.object({
  monitor: monitorViewSchema,
  changed: z.boolean().describe('false when it already was as asked: nothing was changed'),
});
export type MonitorChange = z.output<typeof monitorChangeSchema>;

export function pingUrlOf(base: string, pingId: string): string {
  return `${base.replace(/\/+$/, '')}/ping/${pingId}`;
}

/** The base of a monitor's ping URL, and whether it is the job file's `server.public_url`. */
export interface PingBase {
  readonly url: string;
  readonly publicUrl: boolean;
}

export function monitorView(monitor: ResolvedMonitor, record: MonitorRecord, base: PingBase): MonitorView {
  const { entry } = monitor;
  const duration = (ms: number | undefined) => (ms === undefined ? null : formatDuration(ms));
  return {
    name: monitor.name,
    description: entry.description ?? null,
    status: record.status,
    schedules: monitor.schedules.map((schedule) => schedule.text),
    period: duration(entry.period),
    grace: duration(entry.grace),
    timezone: monitor.timezone,
    expectSuccessWithin: duration(entry.expect_success_within),
    minDuration: duration(entry.min_duration),
    pingUrl: pingUrlOf(base.url, record.pingId),
    pingUrlBase: base.publicUrl ? 'public_url' : 'own_address',
    lastPingAt: iso(record.lastPingAt),
    lastStartAt: iso(record.lastStartAt),
    lastSuccessAt: iso(record.lastSuccessAt),
    lastFailureAt: iso(record.lastFailureAt),
    statusChangedAt: iso(record.statusChangedAt) as string,
    createdAt: iso(record.createdAt) as string,
    paused: record.paused,
    pausedAt: iso(record.pausedAt),
    resumedAt: iso(record.resumedAt),
  };
}

export function pingView(ping: PingRecord): PingView {
  return { ...ping, at: iso(ping.at) as string };
}
