/**
 * CPU while the store is away: a real daemon (store, engine, API, watchers) on PostgreSQL behind
 * a TCP proxy, with per-second jobs; the proxy is cut for `--outage` seconds and the process's
 * CPU time over that window (process.cpuUsage) is reported as a share of one core, with the
 * log lines the outage made and the store calls that failed. `--store sqlite` holds SQLite's
 * write lock from a child process instead.
 *
 *   node bench/faults/store-outage-cpu.bench.ts --outage 30 [--store postgres|sqlite]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Daemon } from '../../src/daemon/index.ts';
import { LogCapture } from '../../test/api/api-harness.ts';
import { postgresTestUrl } from '../../test/support/postgres.ts';
import { SqliteLockHolder } from '../../test/support/sqlite-lock-holder.ts';
import { TcpProxy } from '../../test/support/tcp-proxy.ts';
import { withEmptyPostgres } from '../support/postgres.ts';
import { describeMachine, numberFlag, printTable, stringFlag } from '../support/machine.ts';

const outageSeconds = numberFlag('outage', 30);
const store = stringFlag('store', 'postgres');
const yaml = `version: 1
jobs:
  tick: { schedule: every 1s, concurrency: allow, run: "true" }
  tock: { schedule: every 5s, run: "true" }
`;

interface Fault {
  readonly url: string;
  begin(): Promise<void>;
  end(): Promise<void>;
}

async function measure(fault: Fault, folder: string): Promise<void> {
  const configFile = path.join(folder, 'cronplane.yaml');
  writeFileSync(configFile, yaml);
  const logs = new LogCapture('info');
  const daemon = await Daemon.start({
    configFile,
    env: {},
    storeUrl: fault.url,
    logger: logs.logger,
    listen: '127.0.0.1:0',
    node: 'outage-bench',
  });
  try {
    await sleep(3000);
    const linesBefore = logs.lines.length;
    await fault.begin();
    const cpu = process.cpuUsage();
    const begin = performance.now();
    await sleep(outageSeconds * 1000);
    const used = process.cpuUsage(cpu);
    const wall = performance.now() - begin;
    const attempts =
      daemon.storeHealth.state.status === 'unavailable' ? daemon.storeHealth.state.attempts : 0;
    const duringLines = logs.lines.length - linesBefore;
    await fault.end();
    await sleep(6000);
    const cpuMs = (used.user + used.system) / 1000;
    printTable([
      [
        'store',
        'outage',
        'CPU (ms)',
        'share of a core',
        'failed store calls',
        'log lines during',
        'state after',
      ],
      [
        store,
        `${Math.round(wall / 1000)} s`,
        Math.round(cpuMs),
        `${((cpuMs / wall) * 100).toFixed(2)} %`,
        attempts,
        duringLines,
        daemon.storeHealth.state.status,
      ],
    ]);
    for (const line of logs.lines.slice(linesBefore)) {
      if (/store (unavailable|available again)/.test(line)) process.stdout.write(line);
    }
  } finally {
    await daemon.stop(2000);
  }
}

console.log(describeMachine());
const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-outage-'));
try {
  if (store === 'sqlite') {
    const file = path.join(folder, 'store.db');
    let holder: SqliteLockHolder | undefined;
    await measure(
      {
        url: `sqlite:${file}`,
        begin: async () => {
          holder = await SqliteLockHolder.hold(file);
        },
        end: async () => holder?.release(),
      },
      folder,
    );
  } else {
    await withEmptyPostgres(async (url) => {
      const server = new URL(postgresTestUrl);
      const proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
      try {
        await measure(
          { url: proxy.rewrite(url), begin: () => proxy.cut(), end: () => proxy.restore() },
          folder,
        );
      } finally {
        await proxy.close();
      }
    });
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
