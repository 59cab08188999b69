/**
 * Live-log streams: the daemon's CPU while many Server-Sent Events streams follow running runs.
 * A real daemon (store, engine, API on loopback) runs commands that print a line every half
 * second; the streams are real HTTP connections from this process that read and count events.
 * CPU is process.cpuUsage() over the measuring window (daemon and stream readers together; the
 * same runs without streams are measured first, as the baseline).
 *
 *   node bench/api/streams.bench.ts --streams 100 --seconds 10 [--store sqlite|postgres]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Daemon } from '../../src/daemon/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { withEmptyPostgres } from '../support/postgres.ts';
import { describeMachine, numberFlag, printTable, stringFlag } from '../support/machine.ts';

const streams = numberFlag('streams', 100);
const seconds = numberFlag('seconds', 10);
const storeName = stringFlag('store', 'sqlite');
const token = 'bench-bootstrap-token-0123456789abcdef';
const runSeconds = Math.ceil(seconds * 4 + 30);

interface Follower {
  readonly request: ClientRequest;
  events: number;
}

/** Opens one live stream and counts the `log` events it receives. */
function follow(base: string, runId: number): Promise<Follower> {
  const url = new URL(`/api/runs/${runId}/logs/stream`, base);
  return new Promise((resolve, reject) => {
    const follower: Follower = {
      events: 0,
      request: request(url, { headers: { authorization: `Bearer ${token}` }, agent: false }, (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`stream of run ${runId}: HTTP ${response.statusCode ?? 0}`));
          response.resume();
          return;
        }
        response.setEncoding('utf8');
        response.on('data', (text: string) => {
          follower.events += text.split('event: log').length - 1;
        });
        response.on('error', () => undefined);
        resolve(follower);
      }),
    };
    follower.request.on('error', reject);
    follower.request.end();
  });
}

/** CPU used by this process over `seconds`, as a share of one core. */
async function cpuShare(): Promise<number> {
  const before = process.cpuUsage();
  const begin = performance.now();
  await sleep(seconds * 1000);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / (performance.now() - begin);
}

async function measure(storeUrl: string): Promise<(string | number)[][]> {
  const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-streams-bench-'));
  const configFile = path.join(folder, 'cronplane.yaml');
  writeFileSync(
    configFile,
    `version: 1\njobs:\n  talk:\n    concurrency: allow\n` +
      `    run: [sh, -c, 'i=0; while [ $i -lt ${runSeconds * 2} ]; do echo "line $i"; i=$((i+1)); sleep 0.5; done']\n`,
  );
  const daemon = await Daemon.start({
    configFile,
    env: { CRONPLANE_TOKEN: token },
    storeUrl,
    logger: createLogger({ level: 'warn' }),
    node: 'bench',
    listen: '127.0.0.1:0',
    slots: streams + 1,
    liveStreamLimit: { perToken: streams, total: streams },
  });
  const rows: (string | number)[][] = [];
  try {
    const base = daemon.server?.url ?? '';
    const runIds: number[] = [];
    for (let index = 0; index < streams; index++) {
      const [run] = await daemon.engine.trigger({ job: 'talk', requestedBy: 'bench' });
      runIds.push(run?.id ?? 0);
    }
    await sleep(1000);
    const baseline = await cpuShare();
    rows.push([storeName, `${streams} runs, no stream`, (baseline * 100).toFixed(1), '-']);
    console.log(`${storeName}: ${streams} runs, no stream: ${(baseline * 100).toFixed(1)}% of a core`);
    const scenarios: [string, (index: number) => number][] = [
      [`${streams} streams on 1 run`, () => runIds[0] ?? 0],
      [`${streams} streams on ${streams} runs`, (index) => runIds[index] ?? 0],
    ];
    for (const [name, runOf] of scenarios) {
      const followers = await Promise.all(
        Array.from({ length: streams }, (_, index) => follow(base, runOf(index))),
      );
      await sleep(1000);
      const share = await cpuShare();
      const events = followers.reduce((sum, follower) => sum + follower.events, 0);
      for (const follower of followers) follower.request.destroy();
      rows.push([storeName, name, (share * 100).toFixed(1), events]);
      console.log(`${storeName}: ${name}: ${(share * 100).toFixed(1)}% of a core, ${events} log events`);
      await sleep(500);
    }
  } finally {
    await daemon.stop(0);
    rmSync(folder, { recursive: true, force: true });
  }
  return rows;
}

console.log(`streams: ${streams} live-log streams, ${seconds} s per scenario; ${describeMachine()}`);
const rows: (string | number)[][] = [['store', 'scenario', '% of a core', 'log events received']];
if (storeName === 'sqlite') {
  const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-streams-bench-store-'));
  try {
    rows.push(...(await measure(`sqlite:${path.join(folder, 'bench.db')}`)));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
} else if (storeName === 'postgres') {
  rows.push(...(await withEmptyPostgres((url) => measure(url))));
} else {
  throw new Error(`--store ${storeName}: expected sqlite or postgres`);
}
printTable(rows);
