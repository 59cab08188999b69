/**
 * One seed's example job file, run end to end: the example folder copied into a temp folder
 * with its channels pointed at real loopback receivers (an HTTP server standing in for Slack,
 * PagerDuty, webhooks and a gateway, and an SMTP server) and its programs replaced by stubs,
 * read from disk as the daemon reads it (env_file included), then run by the real engine,
 * executor, watchers, alerter and outbox on a manual clock.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NotificationGrouper } from '../../src/alerts/index.ts';
import { configMask, readConfig } from '../../src/config/index.ts';
import type { ResolvedConfig } from '../../src/config/index.ts';
import { createExecuteRun } from '../../src/engine/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';
import type { RunRecord } from '../../src/store/index.ts';
import { startAlertHarness } from '../alerts/alert-harness.ts';
import type { AlertHarness } from '../alerts/alert-harness.ts';
import { startHttpReceiver, startSmtpReceiver } from '../notify/receivers.ts';
import type { Answer, HttpReceiver, RecordedRequest, SmtpReceiver } from '../notify/receivers.ts';
import { waitFor } from '../support/engine-harness.ts';
import type { StoreFactory } from '../support/engine-harness.ts';

export interface SeedRun extends AlertHarness {
  /** The temp folder holding the copied example (the stubs' working directory). */
  readonly dir: string;
  readonly config: ResolvedConfig;
  readonly http: HttpReceiver;
  readonly smtp: SmtpReceiver;
  /** Triggers every run of one fire of `job` (one per fan-out key) and waits for their ends. */
  fire(job: string): Promise<RunRecord[]>;
  /**
   * Moves the clock to `at`, where `job` is due, and waits for the `count` runs its scheduler
   * fired to end, and for every other run scheduled at `at` to end too.
   */
  scheduled(job: string, at: number, count: number): Promise<RunRecord[]>;
}

export interface SeedOptions {
  /** The folder under examples/. */
  readonly example: string;
  /** Text of cronplane.yaml replaced by the copy's own, each of which must be in the example. */
  readonly swaps: (ctx: {
    dir: string;
    http: string;
    smtpPort: number;
  }) => readonly (readonly [string, string])[];
  /** Files written into the copy (stub data), relative to it. */
  readonly files?: Record<string, string>;
  /** How the HTTP receiver answers a request to a path outside the channels (a gateway). */
  readonly gateway?: (request: RecordedRequest) => Answer;
  readonly start: number;
  readonly env?: Record<string, string>;
}

/** The channel receivers answer as the real services do; everything else asks `gateway`. */
function answerOf(gateway: SeedOptions['gateway']): (index: number, request: RecordedRequest) => Answer {
  return (_index, request) =>
    request.path === '/pd'
      ? { status: 202, body: '{"status":"success"}' }
      : request.path === '/slack' || request.path === '/hook'
        ? { status: 200, body: 'ok' }
        : (gateway?.(request) ?? { status: 404, body: 'not found' });
}

export async function runSeed(
  makeStore: StoreFactory,
  options: SeedOptions,
  body: (seed: SeedRun) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), `cronplane-seed-${options.example}-`));
  const http = await startHttpReceiver(answerOf(options.gateway));
  const smtp = await startSmtpReceiver();
  let harness: AlertHarness | undefined;
  try {
    cpSync(path.resolve(import.meta.dirname, '../../examples', options.example), dir, { recursive: true });
    const file = path.join(dir, 'cronplane.yaml');
    let text = readFileSync(file, 'utf8');
    for (const [from, to] of options.swaps({ dir, http: http.url, smtpPort: smtp.port })) {
      assert.ok(text.includes(from), `examples/${options.example}/cronplane.yaml should contain ${from}`);
      text = text.replaceAll(from, to);
    }
    writeFileSync(file, text);
    for (const [name, content] of Object.entries(options.files ?? {}))
      writeFileSync(path.join(dir, name), content);
    const env = options.env ?? {};
    const config = readConfig(file, { kinds: builtinKinds, env });
    const mask = configMask(config, env);
    harness = await startAlertHarness(makeStore, config, http, {
      start: options.start,
      env,
      execute: createExecuteRun({ mask: () => mask }),
      queue: (outbox, clock) =>
        new NotificationGrouper({ outbox, clock, windowMs: config.alerts.groupWindowMs }),
    });
    const h = harness;
    await body({
      ...h,
      dir,
      config,
      http,
      smtp,
      async fire(job) {
        const runs = await h.engine.trigger({ job });
        assert.ok(runs.length > 0, `no run of ${job} was queued`);
        const ended: RunRecord[] = [];
        for (const run of runs) ended.push(await h.ended(run.id));
        return ended;
      },
      async scheduled(job, at, count) {
        h.clock.set(at);
        const fired = await waitFor(`${count} scheduled runs of ${job}`, async () => {
          const { runs } = await h.store.listRuns({ job, trigger: 'schedule', from: at, to: at + 1 });
          return runs.length >= count ? runs : undefined;
        });
        const ended: RunRecord[] = [];
        for (const run of fired) ended.push(await h.ended(run.id));
        // Other jobs due at the same instant end too before the test moves the clock on: a run
        // still going when the clock jumps a day would leave its job without a recent success
        // (`expect_success_within`) and raise an alert the test did not cause.
        await waitFor(`every run scheduled at ${new Date(at).toISOString()} ended`, async () => {
          const { runs } = await h.store.listRuns({
            from: at,
            to: at + 1,
            status: ['pending', 'running'],
            limit: 1,
          });
          return runs.length === 0 || undefined;
        });
        return ended;
      },
    });
  } finally {
    await harness?.release();
    await http.close();
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The JSON bodies a receiver path got. */
export function bodiesAt<T>(seed: SeedRun, at: string): T[] {
  return seed.sent(at).map((request) => JSON.parse(request.body) as T);
}
