/**
 * One chaos run: a fresh database, N `cronplane start` processes on it with one shared job file,
 * a seeded plan of disruptions (kill -9, the leader half the time; SIGTERM; connection kills;
 * SIGHUP; job-file edits) while the harness enqueues queue items through the nodes' APIs; then a
 * settle (the cluster fires again and no dead node's run is still marked running), a graceful stop
 * of every node, and the figures, read from the store. The database is dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readConfig } from '../../src/config/index.ts';
import type { ChaosFigures, Disruption } from './analyse-chaos.ts';
import { analyseChaos } from './analyse-chaos.ts';
import { ChaosDatabase } from './chaos-database.ts';
import { forbidJob, queueJob, writeChaosJobFile } from './chaos-job-file.ts';
import { ChaosNode, applicationNameOf } from './chaos-node.ts';
import type { PlanCounts, PlannedAction } from './chaos-plan.ts';
import { planChaos } from './chaos-plan.ts';
import { missedReportsInLog, readChaosRecords } from './chaos-records.ts';
import { seededRandom } from './seeded-random.ts';
import type { SeededRandom } from './seeded-random.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

export interface ChaosOptions extends PlanCounts {
  readonly nodes: number;
  /** Length of the chaos (disruptions fall between its first 3 s and its end). */
  readonly seconds: number;
  readonly seed: number;
  /** A PostgreSQL server URL; the run creates and drops its own database there. */
  readonly serverUrl: string;
  /** More `cronplane start` arguments for every node. */
  readonly daemonArgs: readonly string[];
  /** Queue items enqueued per second through the nodes' APIs. */
  readonly enqueuePerSecond: number;
  /** How long a killed or stopped node stays down at least. */
  readonly minDownMs: number;
  /** A killed node is started again once a fire was written without it, or after this long. */
  readonly restartAfterMs: number;
  /** How long the settle after the chaos may take. */
  readonly settleTimeoutMs: number;
  /** Where to write each node's output (`node-1.log`, ...) at the end; not kept by default. */
  readonly keepLogs?: string;
  /** Progress lines (stderr for the command, nothing in tests). */
  readonly progress?: (line: string) => void;
}

export interface ChaosRun {
  readonly options: ChaosOptions;
  readonly figures: ChaosFigures;
  /** The settle ended by its time-out, not by the cluster firing and sweeping again. */
  readonly settleTimedOut: boolean;
  /** Node processes that exited without being told to. */
  readonly crashes: readonly { readonly node: string; readonly at: number }[];
}

const warmupMs = 3000;
const restartAttempts = 5;
/** How long an action aimed at the leader waits for one while none holds the lease. */
const leaderWaitMs = 30_000;

export async function runChaos(options: ChaosOptions): Promise<ChaosRun> {
  const say = options.progress ?? (() => undefined);
  const random = seededRandom(options.seed);
  const database = await ChaosDatabase.create(options.serverUrl);
  const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-chaos-'));
  const configFile = path.join(folder, 'cronplane.yaml');
  writeChaosJobFile(configFile, 0);
  const token = `chaos-${randomBytes(12).toString('hex')}`;
  const nodes = Array.from(
    { length: options.nodes },
    (_, index) =>
      new ChaosNode({
        name: `node-${index + 1}`,
        configFile,
        storeUrl: database.url,
        token,
        extraArgs: options.daemonArgs,
      }),
  );
  try {
    // The first node migrates the empty database alone; the others join it.
    await (nodes[0] as ChaosNode).start();
    await Promise.all(nodes.slice(1).map((node) => node.start()));
    say(`${nodes.length} nodes up on ${database.url}`);
    const chaos = new ChaosActions(nodes, database, random, options, configFile);
    const from = Date.now() + 1000;
    const feeder = new QueueFeeder(nodes, random, token, options.enqueuePerSecond);
    const feeding = feeder.run();
    const plan = planChaos(options, { startMs: warmupMs, endMs: options.seconds * 1000 }, random);
    const chaosStart = Date.now();
    for (const action of plan) {
      await sleep(Math.max(0, chaosStart + action.atMs - Date.now()));
      const done = await chaos.perform(action);
      say(describeDisruption(done));
    }
    await sleep(Math.max(0, chaosStart + options.seconds * 1000 - Date.now()));
    await chaos.restarts();
    const lastAt = Math.max(chaosStart, ...chaos.disruptions.map((d) => d.restartedAt ?? d.at));
    say('chaos over; settling');
    const settled = await settle(database, lastAt, options.settleTimeoutMs);
    const to = Date.now();
    feeder.stop();
    await feeding;
    await drainQueue(database, 10_000);
    // A fire due just before `to` is recorded before the nodes stop.
    await sleep(Math.max(0, to + 3000 - Date.now()));
    say('stopping every node');
    await Promise.all(nodes.map((node) => node.stop()));
    if (options.keepLogs !== undefined) {
      mkdirSync(options.keepLogs, { recursive: true });
      for (const node of nodes) writeFileSync(path.join(options.keepLogs, `${node.name}.log`), node.output());
    }
    const records = await readChaosRecords(database);
    const jobs = readConfig(configFile, { kinds: builtinKinds, env: {} }).jobs;
    const figures = analyseChaos(
      jobs,
      records,
      {
        from,
        to,
        disruptions: chaos.disruptions,
        enqueued: feeder.accepted,
        enqueueFailures: feeder.failed,
        loggedMissed: nodes.flatMap((node) => missedReportsInLog(node.output())),
      },
      queueJob,
      forbidJob,
    );
    const crashes = nodes.flatMap((node) => node.crashes.map((at) => ({ node: node.name, at })));
    return { options, figures, settleTimedOut: !settled, crashes };
  } finally {
    await Promise.all(nodes.map((node) => node.kill()));
    await database.drop();
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Carries out planned actions on the live nodes, and starts killed or stopped nodes again. */
class ChaosActions {
  readonly disruptions: Disruption[] = [];
  readonly #nodes: readonly ChaosNode[];
  readonly #database: ChaosDatabase;
  readonly #random: SeededRandom;
  readonly #options: ChaosOptions;
  readonly #configFile: string;
  readonly #restarts: Promise<void>[] = [];
  #edition = 0;

  constructor(
    nodes: readonly ChaosNode[],
    database: ChaosDatabase,
    random: SeededRandom,
    options: ChaosOptions,
    configFile: string,
  ) {
    this.#nodes = nodes;
    this.#database = database;
    this.#random = random;
    this.#options = options;
    this.#configFile = configFile;
  }

  async perform(action: PlannedAction): Promise<Disruption> {
    const at = Date.now();
    if (action.kind === 'edit') {
      this.#edition++;
      writeChaosJobFile(this.#configFile, this.#edition);
      return this.#record({ kind: 'edit', at, wasLeader: false });
    }
    const up = this.#nodes.filter((node) => node.isUp);
    const ending = action.kind === 'kill' || action.kind === 'stop';
    if (up.length === 0 || (ending && up.length === 1)) {
      return this.#record({ kind: action.kind, at, wasLeader: false, skipped: 'it would leave no node up' });
    }
    const leader = action.atLeader ? await this.#liveLeader(up) : await this.#database.leaderAt(at);
    const leading = up.find((node) => node.name === leader);
    const others = up.filter((node) => node !== leading);
    const target =
      action.atLeader && leading !== undefined
        ? leading
        : others.length > 0
          ? this.#random.pick(others)
          : (leading as ChaosNode);
    const wasLeader = target === leading;
    switch (action.kind) {
      case 'sighup':
        target.sighup();
        return this.#record({ kind: 'sighup', at, node: target.name, wasLeader });
      case 'connections': {
        const connections = await this.#database.terminateConnections(applicationNameOf(target.name));
        return this.#record({ kind: 'connections', at, node: target.name, wasLeader, connections });
      }
      case 'kill':
      case 'stop': {
        const exitAt = action.kind === 'kill' ? await target.kill() : await target.stop();
        const disruption = { kind: action.kind, at, node: target.name, wasLeader, exitAt };
        const index = this.disruptions.length;
        this.#record(disruption);
        this.#restarts.push(
          this.#restartLater(target, exitAt).then((restart) => {
            this.disruptions[index] = { ...disruption, ...restart };
          }),
        );
        return disruption;
      }
    }
  }

  /** The leader among `up`; during a takeover, the node that comes out of it. */
  async #liveLeader(up: readonly ChaosNode[]): Promise<string | undefined> {
    const deadline = Date.now() + leaderWaitMs;
    for (;;) {
      const leader = await this.#database.leaderAt(Date.now());
      const live = up.some((node) => node.name === leader && node.isUp);
      if (live || Date.now() > deadline) return leader;
      await sleep(100);
    }
  }

  /** Waits for every node that is down to be up again. */
  async restarts(): Promise<void> {
    await Promise.all(this.#restarts);
  }

  #record(disruption: Disruption): Disruption {
    this.disruptions.push(disruption);
    return disruption;
  }

  /**
   * Starts a node again once the cluster wrote a fire without it (so a failover is measured on
   * the survivors, not on the node's return), or after `restartAfterMs`; never before `minDownMs`.
   */
  async #restartLater(
    node: ChaosNode,
    exitAt: number,
  ): Promise<Pick<Disruption, 'restartedAt' | 'restartFailed'>> {
    const { minDownMs, restartAfterMs } = this.#options;
    const deadline = exitAt + restartAfterMs;
    while (Date.now() < deadline && (await this.#database.firstFireAfter(exitAt)) === undefined) {
      await sleep(100);
    }
    await sleep(Math.max(0, exitAt + minDownMs - Date.now()));
    const restartedAt = Date.now();
    // A start may be refused for a moment (the dead process still counted as live): try again.
    for (let attempt = 1; ; attempt++) {
      try {
        await node.start();
        return { restartedAt };
      } catch (thrown) {
        if (attempt >= restartAttempts) return { restartedAt, restartFailed: String(thrown).slice(-400) };
        await sleep(2000);
      }
    }
  }
}

/** Enqueues items through the API of a random live node, at a steady rate. */
class QueueFeeder {
  accepted = 0;
  failed = 0;
  readonly #nodes: readonly ChaosNode[];
  readonly #random: SeededRandom;
  readonly #token: string;
  readonly #everyMs: number;
  #stopped = false;

  constructor(nodes: readonly ChaosNode[], random: SeededRandom, token: string, perSecond: number) {
    this.#nodes = nodes;
    this.#random = random;
    this.#token = token;
    this.#everyMs = perSecond > 0 ? 1000 / perSecond : Number.POSITIVE_INFINITY;
  }

  async run(): Promise<void> {
    let sequence = 0;
    while (!this.#stopped && Number.isFinite(this.#everyMs)) {
      const up = this.#nodes.filter((node) => node.server !== undefined);
      const server = up.length === 0 ? undefined : this.#random.pick(up).server;
      if (server !== undefined) await this.#enqueue(server, ++sequence);
      await sleep(this.#everyMs);
    }
  }

  stop(): void {
    this.#stopped = true;
  }

  async #enqueue(server: string, sequence: number): Promise<void> {
    try {
      const answer = await fetch(`${server}/api/jobs/${queueJob}/queue`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.#token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ payload: { item: sequence } }),
        signal: AbortSignal.timeout(5000),
      });
      await answer.arrayBuffer();
      if (answer.status === 202) this.accepted++;
      else this.failed++;
    } catch {
      // The node died under the request: the item may or may not be recorded; counted as failed.
      this.failed++;
    }
  }
}

/**
 * Waits until a fire was written after the last disruption and no run of a process that died is
 * still marked running (the lost-run sweep caught up: a run lease later, at most). False when
 * `timeoutMs` passed first.
 */
async function settle(database: ChaosDatabase, lastAt: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const fired = (await database.firstFireAfter(lastAt)) !== undefined;
    if (fired && (await database.runningSince(lastAt)) === 0) return true;
    await sleep(200);
  }
  return false;
}

/** Gives queue items enqueued last a moment to be released and run. */
async function drainQueue(database: ChaosDatabase, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const rows = await database.query<{ count: string }>(
      "SELECT count(*) AS count FROM runs WHERE job = $1 AND status IN ('held', 'pending', 'running')",
      [queueJob],
    );
    if (Number(rows[0]?.count ?? 0) === 0) return;
    await sleep(200);
  }
}

export function describeDisruption(disruption: Disruption): string {
  const who =
    disruption.node === undefined ? '' : ` ${disruption.node}${disruption.wasLeader ? ' (leader)' : ''}`;
  const extra =
    disruption.restartFailed !== undefined
      ? `; could not be started again: ${disruption.restartFailed}`
      : disruption.skipped !== undefined
        ? ` skipped: ${disruption.skipped}`
        : disruption.connections !== undefined
          ? `: ${disruption.connections} connection(s) ended`
          : '';
  return `${new Date(disruption.at).toISOString()} ${disruption.kind}${who}${extra}`;
}
