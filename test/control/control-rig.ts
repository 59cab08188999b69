/**
 * The set-ups the Control contract runs on: LocalControl inside a node (store and engine, as the
 * API uses it), LocalControl on a store alone (as the CLI uses it), and HttpControl against a
 * real ApiServer on loopback. Each test gets a fresh store, the same job file and the same two
 * actors: `bootstrap` (every job) and `team` (jobs matching team-*).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { ApiServer, MetricsRegistry, compileJobPatterns, issueToken } from '../../src/api/index.ts';
import { SecretMask, readConfig } from '../../src/config/index.ts';
import type { ResolvedConfig } from '../../src/config/index.ts';
import { HttpControl, LocalControl, storeControlParts } from '../../src/control/index.ts';
import type { Actor, Control, ControlParts } from '../../src/control/index.ts';
import { Engine } from '../../src/engine/index.ts';
import { systemClock } from '../../src/clock/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';
import type { JsonValue, Store } from '../../src/store/index.ts';
import { silentLogger } from '../support/engine-harness.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import type { StoreHarness } from '../support/store-harness.ts';

/** A secret of the job file: masked wherever control answers with output. */
export const secretValue = 'control-secret-value-0123456789';
export const publicUrl = 'https://cronplane.example';
const bootstrapToken = 'control-bootstrap-token-0123456789abcdef';

export const controlYaml = `version: 1
server:
  public_url: ${publicUrl}
jobs:
  report:
    run: [sh, -c, 'echo report']
    params:
      who: { type: string, pattern: '^[a-z]{1,20}$', default: world }
      key: { type: string, pattern: '^[A-Za-z0-9]{8,64}$', secret: true, default: AbCdEfGh12 }
    env: { API_TOKEN: { secret: "${secretValue}" } }
  fanned:
    run: [sh, -c, 'echo {region}']
    for_each: { region: [eu, us] }
    guards:
      agreement_low: { metric: agreement_rate, below: 0.75, per_key: true, severity: critical }
      agreement_drop: { metric: agreement_rate, drop_by: 0.1, baseline: median, lookback: 5 }
  sweep:
    run: [sh, -c, 'cat']
    queue: { key: org }
  team-build:
    run: [sh, -c, 'echo build']
    # Twice a year, so no fire falls inside a test; the contract asks for fires from 2026 on.
    schedule: ['0 9 1 1 *', '*-07-01 17:30']
  throttled:
    run: [sh, -c, 'echo cool']
    cooldown: 1h
    max_per_run: 5
monitors:
  backup: { period: 1h, grace: 5m, description: Nightly database backup }
  team-heartbeat: { period: 10m }
`;

export type ActorName = 'bootstrap' | 'team';

export interface ControlRig {
  /** The store under the control, to set a scene the operations then act on. */
  readonly store: Store;
  readonly config: ResolvedConfig;
  /** The API's address and the bootstrap token (the HTTP rig only). */
  readonly server?: { readonly url: string; readonly token: string };
  /** The control acting for `actor` (bootstrap by default). */
  control(actor?: ActorName): Control;
  release(): Promise<void>;
}

export type RigKind = 'local-node' | 'local-store' | 'http';

const actors: Readonly<Record<ActorName, Actor>> = {
  bootstrap: { name: 'bootstrap', jobs: [], mayAccess: () => true },
  team: { name: 'team', jobs: ['team-*'], mayAccess: compileJobPatterns(['team-*']) },
};

function readControlConfig(): ResolvedConfig {
  const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-control-'));
  const file = path.join(folder, 'cronplane.yaml');
  writeFileSync(file, controlYaml);
  return readConfig(file, { env: {}, kinds: builtinKinds });
}

/** A rig of `kind` on a fresh store of `harness`. */
export async function startRig(kind: RigKind, harness: StoreHarness): Promise<ControlRig> {
  await harness.reset();
  const config = readControlConfig();
  const store = await harness.open();
  const clock = systemClock();
  await store.syncMonitors(
    config.monitors.map((monitor) => monitor.name),
    clock.now(),
  );
  const mask = SecretMask.of([secretValue, bootstrapToken]);
  const redact = (text: string): string => mask.redact(text);
  if (kind === 'local-store') {
    await store.syncJobs(
      config.jobs.map((job) => ({
        name: job.name,
        configHash: job.configHash,
        spec: { name: job.name } as JsonValue,
      })),
      clock.now(),
    );
    // As the CLI builds it, with a quicker look for followed output.
    const parts: ControlParts = { ...storeControlParts({ store, config, redact }), logPollMs: 25 };
    return {
      store,
      config,
      control: (actor = 'bootstrap') => new LocalControl(parts, actors[actor]),
      release: () => store.release(),
    };
  }
  // A node that neither fires nor claims: what control does stays in the store to be looked at.
  const engine = new Engine({
    store,
    clock,
    node: 'control-node',
    logger: silentLogger,
    execute: () => new Promise(() => undefined),
    schedule: false,
    mayClaim: () => false,
    pollMs: 60_000,
  });
  await engine.start(config);
  if (kind === 'local-node') {
    const parts: ControlParts = {
      store,
      clock,
      node: 'control-node',
      engine,
      jobs: () => engine.jobs,
      monitors: () => config.monitors,
      redact,
      publicUrl: () => publicUrl,
      publicUrlSet: () => true,
      logPollMs: 25,
    };
    return {
      store,
      config,
      control: (actor = 'bootstrap') => new LocalControl(parts, actors[actor]),
      async release() {
        await engine.drain(0);
        await store.release();
      },
    };
  }
  const server = await ApiServer.create({
    store,
    engine,
    clock,
    node: 'control-node',
    logger: silentLogger,
    metrics: new MetricsRegistry(),
    jobs: () => engine.jobs,
    mask: () => mask,
    bootstrapToken,
    version: '0.0.0-test',
    monitors: () => config.monitors,
    publicUrl: () => publicUrl,
    ssePollMs: 25,
  });
  const url = await server.listen({ kind: 'address', host: '127.0.0.1', port: 0 });
  const team = issueToken();
  await store.createApiToken({
    id: team.id,
    name: 'team',
    hash: team.hash,
    scope: 'admin',
    jobs: ['team-*'],
    createdAt: clock.now(),
    createdBy: 'bootstrap',
  });
  const tokens: Readonly<Record<ActorName, string>> = { bootstrap: bootstrapToken, team: team.token };
  return {
    store,
    config,
    server: { url, token: bootstrapToken },
    control: (actor = 'bootstrap') => new HttpControl({ server: url, token: tokens[actor] }),
    async release() {
      await server.close();
      await engine.drain(0);
      await store.release();
    },
  };
}

/**
 * An HTTP rig on a SQLite store for the whole test file: started before its tests, released
 * after them. Returns the rig once started.
 */
export function useHttpRigOnSqlite(): () => ControlRig {
  let harness: StoreHarness | undefined;
  let rig: ControlRig | undefined;
  before(async () => {
    harness = await createSqliteHarness();
    rig = await startRig('http', harness);
  });
  after(async () => {
    await rig?.release();
    await harness?.close();
  });
  return () => {
    if (rig === undefined) throw new Error('the rig starts before the tests');
    return rig;
  };
}
