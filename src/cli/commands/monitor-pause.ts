import { CronplaneError } from '../../errors/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { callApi, reportFailure } from '../api-client.ts';
import type { StoreCommandOptions } from '../local-store.ts';
import { apiServerOf } from '../api-server-of.ts';
import { openCommandStore } from '../local-store.ts';

export interface MonitorPauseOptions extends StoreCommandOptions {
  /** Ask this daemon's API instead of the store (also CRONPLANE_SERVER). */
  readonly server?: string;
}

/** What the command says about the monitor after the call, from the API's answer or the store. */
interface PauseOutcome {
  readonly name: string;
  readonly status: string;
  readonly paused: boolean;
  readonly pausedAt: string | null;
  readonly resumedAt: string | null;
  readonly changed: boolean;
}

/**
 * `cronplane monitors pause NAME` / `monitors resume NAME`: pauses a monitor for maintenance (it
 * is not taken down and raises no alert) or resumes it (its lateness counts from now). Through a
 * daemon's API when --server (or CRONPLANE_SERVER without --store) names one, with CRONPLANE_TOKEN
 * of scope admin; else on the store, audited as `cli`, where a running daemon sees it at its next
 * look at the monitors. Pausing a paused monitor changes nothing and exits 0.
 */
export async function runMonitorPause(
  name: string,
  paused: boolean,
  options: MonitorPauseOptions,
  io: CliIo,
): Promise<number> {
  try {
    const server = apiServerOf(options, io);
    const outcome =
      server === undefined
        ? await pauseOnStore(name, paused, options, io)
        : await pauseOverApi(name, paused, server, io);
    io.out(describeOutcome(outcome));
    return ExitCode.ok;
  } catch (thrown) {
    return reportFailure(thrown, io);
  }
}

async function pauseOverApi(name: string, paused: boolean, server: string, io: CliIo): Promise<PauseOutcome> {
  const answer = await callApi<{
    monitor: Omit<PauseOutcome, 'changed'>;
    changed: boolean;
  }>(io, {
    server,
    method: 'POST',
    path: `/api/monitors/${encodeURIComponent(name)}/${paused ? 'pause' : 'resume'}`,
  });
  const { monitor, changed } = answer.body;
  return {
    name: monitor.name,
    status: monitor.status,
    paused: monitor.paused,
    pausedAt: monitor.pausedAt,
    resumedAt: monitor.resumedAt,
    changed,
  };
}

async function pauseOnStore(
  name: string,
  paused: boolean,
  options: MonitorPauseOptions,
  io: CliIo,
): Promise<PauseOutcome> {
  const store = await openCommandStore(options, io);
  try {
    const at = Date.now();
    const result = await store.setMonitorPaused(name, paused, at);
    if (result === undefined) {
      throw new CronplaneError(
        'cli.unknown-monitor',
        `no monitor named "${name.slice(0, 100)}" in the store (cronplane monitors lists them)`,
      );
    }
    await store.recordAudit({
      at,
      actor: 'cli',
      action: paused ? 'monitor.pause' : 'monitor.resume',
      target: name,
      details: { changed: result.changed },
    });
    const { monitor } = result;
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      name: monitor.name,
      status: monitor.status,
      paused: monitor.paused,
      pausedAt: iso(monitor.pausedAt),
      resumedAt: iso(monitor.resumedAt),
      changed: result.changed,
    };
  } finally {
    await store.release();
  }
}

function describeOutcome(outcome: PauseOutcome): string {
  const { name, status } = outcome;
  if (outcome.paused) {
    return outcome.changed
      ? `paused ${name} (${status}): it is not taken down and raises no alert until "cronplane monitors resume ${name}"`
      : `${name} was already paused (since ${outcome.pausedAt ?? '?'}); nothing changed`;
  }
  return outcome.changed
    ? `resumed ${name} (${status}): its lateness counts from ${outcome.resumedAt ?? 'now'}`
    : `${name} was not paused; nothing changed`;
}
