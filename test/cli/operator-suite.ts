/**
 * The operator's commands (`jobs`, `runs` with its filters and metrics, `logs --job`, `retry`,
 * `cancel`) as a user runs them, on a store alone and against a real `cronplane start` process on
 * loopback, on SQLite and PostgreSQL. The commands run in the test's process (the bin's program
 * and output, without a Node start each). Each is written once against Control:
 * the same data gives the same `--json` lines either way. Run on each store by operator-*.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { issueToken } from '../../src/api/index.ts';
import type { ApiScope, RunStatus, Store } from '../../src/store/index.ts';
import { markedBlocks } from '../support/marked-blocks.ts';
import { repositoryRoot, startDaemonProcess } from '../support/run-cronplane.ts';
import { runCronplaneInProcess } from '../support/run-cronplane-in-process.ts';
import type { CliResult, DaemonProcess } from '../support/run-cronplane.ts';
import type { StoreHarness } from '../support/store-harness.ts';

const minute = 60_000;
const day = 24 * 60 * minute;
const secret = 'operator-secret-value-0123456789';

const jobYaml = `version: 1
jobs:
  backup:
    run: [sh, -c, 'echo backup']
    # Once a year: no fire falls inside a test.
    schedule: '0 9 1 1 *'
    env: { KEY: { secret: "${secret}" } }
  fanned:
    run: [sh, -c, 'echo {region}']
    for_each: { region: [eu, us] }
  nightly:
    run: [sh, -c, 'echo nightly']
    schedule: '0 9 1 1 *'
`;

interface EndedRun {
  readonly job: string;
  readonly fanKey?: string;
  /** Scheduled (and started) at; it ended a minute later. */
  readonly at: number;
  readonly status: RunStatus;
  readonly metrics?: Readonly<Record<string, number>>;
  readonly output?: string;
}

/** A run that another node ran and ended, with its output and metrics; answers its id. */
async function endedRun(store: Store, run: EndedRun): Promise<number> {
  const now = Date.now();
  const { inserted } = await store.insertRuns([
    {
      job: run.job,
      fanKey: run.fanKey ?? '',
      trigger: 'schedule',
      scheduledAt: run.at,
      queuedAt: run.at,
      // Due far ahead, so a daemon's worker leaves it to this claim.
      runAfter: now + 30 * day,
    },
  ]);
  const id = inserted[0]?.id as number;
  const [claimed] = await store.claimRuns({
    node: 'node-0',
    now,
    aheadMs: 60 * day,
    limit: 1,
    leaseMs: minute,
    runIds: [id],
  });
  assert.equal(claimed?.id, id);
  if (run.output !== undefined) {
    await store.appendLog(id, { stream: 'stdout', chunk: run.output, at: run.at + 1000 });
  }
  const failed = run.status !== 'succeeded';
  assert.ok(
    await store.finishRun(id, 'node-0', {
      status: run.status,
      startedAt: run.at,
      finishedAt: run.at + minute,
      exitCode: failed ? 1 : 0,
    }),
  );
  if (run.metrics !== undefined) await store.recordMetrics(id, run.metrics, run.at + minute);
  return id;
}

type Scene = Readonly<Record<'failed' | 'eu1' | 'us' | 'backup' | 'eu2', number>>;

/** Five ended runs hours apart, two open events of backup (one critical), nightly paused. */
async function recordScene(harness: StoreHarness): Promise<Scene> {
  const store = await harness.open();
  try {
    const now = Date.now();
    const scene: Scene = {
      failed: await endedRun(store, { job: 'backup', at: now - 300 * minute, status: 'failed' }),
      eu1: await endedRun(store, {
        job: 'fanned',
        fanKey: 'eu',
        at: now - 240 * minute,
        status: 'succeeded',
        metrics: { agreement_rate: 0.8123456, total_reviewed: 120 },
      }),
      us: await endedRun(store, {
        job: 'fanned',
        fanKey: 'us',
        at: now - 150 * minute,
        status: 'critical',
        metrics: { agreement_rate: 0.7 },
      }),
      backup: await endedRun(store, {
        job: 'backup',
        at: now - 60 * minute,
        status: 'succeeded',
        output: `copied 3 files with ${secret}\n`,
      }),
      eu2: await endedRun(store, {
        job: 'fanned',
        fanKey: 'eu',
        at: now - 30 * minute,
        status: 'succeeded',
        output: 'eu line\n',
      }),
    };
    for (const [dedupKey, severity] of [
      ['backup:failed', 'failure'],
      ['backup:lost', 'critical'],
    ] as const) {
      await store.recordEvent({ kind: 'run:failed', dedupKey, severity, job: 'backup', at: now - minute });
    }
    // As a daemon records the jobs of its file: a job is paused in the store once it is there.
    await store.syncJobs(
      ['backup', 'fanned', 'nightly'].map((name) => ({ name, configHash: name, spec: { name } })),
      now,
    );
    await store.setJobPaused('nightly', true, now);
    return scene;
  } finally {
    await store.release();
  }
}

const lines = (text: string): string[] => text.trim().split('\n');
const cells = (result: CliResult): string[][] => lines(result.stdout).map((line) => line.split('\t'));
const ids = (result: CliResult): number[] =>
  cells(result)
    .slice(1)
    .map((row) => Number(row[0]));

/** The commands of docs/cli.md's operator session, each as its words. */
function documentedSession(): string[][] {
  const markdown = readFileSync(path.join(repositoryRoot, 'docs/cli.md'), 'utf8');
  const block = markedBlocks(markdown).find((candidate) => candidate.marker === 'sample: operator-session');
  assert.ok(block !== undefined, 'docs/cli.md has a block marked sample: operator-session');
  return lines(block.text)
    .filter((line) => line.startsWith('cronplane '))
    .map((line) => line.split(' ').slice(1));
}

/**
 * The suite on one store. One command checks several things where it can (they were processes,
 * each a Node start).
 */
export function defineOperatorSuite(storeName: string, createHarness: () => Promise<StoreHarness>): void {
  describe(`the operator's commands on ${storeName}`, () => {
    let harness: StoreHarness;
    let scene: Scene;
    /** Every command run on the store that exited 0, as its words. */
    const ranWell: string[] = [];
    let local: (args: string[], onStdout?: (stdout: string) => void) => Promise<CliResult>;
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cronplane-operator-')), 'cronplane.yaml');
    writeFileSync(file, jobYaml);

    before(async () => {
      harness = await createHarness();
      await harness.reset();
      scene = await recordScene(harness);
      local = async (args, onStdout) => {
        const result = await runCronplaneInProcess(
          [...args, '--config', file, '--store', harness.url],
          onStdout === undefined ? {} : { onStdout },
        );
        if (result.code === 0) ranWell.push(args.join(' '));
        return result;
      };
    });
    after(async () => {
      await harness.close();
    });

    describe('on the store alone', () => {
      it('jobs lists every job with its next fire, last run, pause and open events', async () => {
        const listed = await local(['jobs']);
        assert.equal(listed.code, 0, listed.stderr);
        const [head, ...rows] = cells(listed);
        assert.deepEqual(head, [
          'JOB',
          'NEXT (UTC)',
          'LEFT',
          'LAST (UTC)',
          'PASSED',
          'STATUS',
          'PAUSED',
          'OPEN EVENTS',
          'SOURCE',
        ]);
        const next = `${new Date().getUTCFullYear() + 1}-01-01T09:00:00.000Z`;
        const row = (name: string) => rows.find((cellsOf) => cellsOf[0] === name) ?? [];
        assert.deepEqual(
          rows.map((cellsOf) => cellsOf[0]),
          ['backup', 'fanned', 'nightly'],
        );
        assert.deepEqual(
          [row('backup')[1], row('backup')[5], row('backup')[6], row('backup')[7]],
          [next, 'succeeded', '-', '2 (critical)'],
        );
        assert.match(row('backup')[4] ?? '', /^5\dm( \d+s)? ago$/);
        assert.match(row('backup')[2] ?? '', /^\d+d( \d+h)?$/);
        assert.deepEqual(row('fanned').slice(1, 3), ['on demand', '-']);
        assert.deepEqual(row('fanned').slice(5), ['succeeded', '-', '-', 'file']);
        assert.deepEqual(row('nightly').slice(3), ['-', '-', '-', 'paused', '-', 'file']);
      });

      it('runs filters by time (relative or ISO), key and status in the query, with a metrics column', async () => {
        const until = new Date(Date.now() - 200 * minute).toISOString();
        const [all, since, between, keyed, iso] = await Promise.all([
          local(['runs']),
          local(['runs', '--since', '3h']),
          local(['runs', '--until', '45m', '--since', '4h30m']),
          // The key is in the query: a limit of 1 still finds the older eu run before the cut.
          local(['runs', 'fanned', '--key', 'eu', '--until', '1h', '-n', '1']),
          local(['runs', '--until', until, '--status', 'failed,succeeded']),
        ]);
        assert.equal(all.code, 0, all.stderr);
        assert.equal(cells(all)[0]?.at(-1), 'METRICS');
        const metricsOf = (id: number) =>
          cells(all)
            .find((row) => row[0] === String(id))
            ?.at(-1);
        assert.equal(metricsOf(scene.eu1), 'agreement_rate=0.8123 total_reviewed=120');
        assert.equal(metricsOf(scene.us), 'agreement_rate=0.7');
        assert.equal(metricsOf(scene.backup), '-');
        assert.deepEqual(ids(since), [scene.eu2, scene.backup, scene.us]);
        assert.deepEqual(ids(between), [scene.backup, scene.us, scene.eu1]);
        assert.deepEqual(ids(keyed), [scene.eu1]);
        assert.deepEqual(ids(iso), [scene.eu1, scene.failed]);
      });

      it('refuses a bad time, status or key naming the option, exit 2', async () => {
        const cases = [
          [['--since', 'yesterday'], /^error: --since "yesterday" is neither a duration .* nor an instant/],
          [['--until', '2h', '--since', '1h'], /^error: --until "2h" is not after --since "1h"/],
          [
            ['--status', 'failed,done'],
            /^error: --status "done" is not a run status; expected held, pending, /,
          ],
        ] as const;
        const results = await Promise.all(cases.map(([args]) => local(['runs', ...args])));
        for (const [index, refused] of results.entries()) {
          assert.equal(refused.code, 2, refused.stderr);
          assert.match(refused.stderr, cases[index]?.[1] as RegExp);
          assert.equal(refused.stdout, '');
        }
      });

      it('logs --job prints the latest run of a job (of a key), masked, and says which run it is; refuses a job name as a run id', async () => {
        const [latest, keyed, named, none] = await Promise.all([
          local(['logs', '--job', 'backup']),
          local(['logs', '--job', 'fanned', '--key', 'eu', '-f']),
          local(['logs', 'backup']),
          local(['logs', '--job', 'nightly']),
        ]);
        assert.equal(latest.code, 0, latest.stderr);
        assert.equal(latest.stdout, 'copied 3 files with ***\n');
        assert.match(latest.stderr, new RegExp(`^\\[cronplane\\] run ${scene.backup} of backup: succeeded`));
        assert.equal(keyed.code, 0, keyed.stderr);
        assert.equal(keyed.stdout, 'eu line\n');
        assert.match(keyed.stderr, new RegExp(`^\\[cronplane\\] run ${scene.eu2} of fanned \\(eu\\)`));
        assert.equal(named.code, 2);
        assert.match(
          named.stderr,
          /"backup" is not a run id \(a whole number\); for a job's latest run: cronplane logs --job backup/,
        );
        assert.equal(none.code, 2);
        assert.match(none.stderr, /job "nightly" has no runs yet/);
      });

      it('logs --job -f follows the running run of the job until it ends', async () => {
        const store = await harness.open();
        try {
          const now = Date.now();
          const { inserted } = await store.insertRuns([
            { job: 'nightly', trigger: 'manual', scheduledAt: now, queuedAt: now, runAfter: now + 30 * day },
          ]);
          const id = inserted[0]?.id as number;
          await store.claimRuns({
            node: 'node-0',
            now,
            aheadMs: 60 * day,
            limit: 1,
            leaseMs: minute,
            runIds: [id],
          });
          await store.appendLog(id, { stream: 'stdout', chunk: 'first\n', at: now });
          let printedFirst: () => void = () => {};
          const firstPrinted = new Promise<void>((resolve) => (printedFirst = resolve));
          const following = local(['logs', '--job', 'nightly', '-f'], (stdout) => {
            if (stdout === 'first\n') printedFirst();
          });
          // It follows: it printed what there was while the run is still running.
          const ended = await Promise.race([firstPrinted.then(() => undefined), following]);
          assert.equal(ended, undefined, `it ended before the run did: ${JSON.stringify(ended)}`);
          await store.appendLog(id, { stream: 'stdout', chunk: 'second\n', at: Date.now() });
          assert.ok(
            await store.finishRun(id, 'node-0', { status: 'succeeded', finishedAt: Date.now(), exitCode: 0 }),
          );
          const followed = await following;
          assert.equal(followed.code, 0, followed.stderr);
          assert.equal(followed.stdout, 'first\nsecond\n');
        } finally {
          await store.release();
        }
      });

      it('runs every command of the operator session in docs/cli.md', () => {
        for (const words of documentedSession()) {
          assert.ok(ranWell.includes(words.join(' ')), `cronplane ${words.join(' ')} ran and exited 0`);
        }
      });
    });

    describe('against a running daemon', () => {
      let daemon: DaemonProcess | undefined;
      let remote: (args: string[], token?: 'reader' | 'operator') => Promise<CliResult>;

      before(async () => {
        const store = await harness.open();
        const tokens: Record<string, string> = {};
        try {
          for (const [name, scope] of [
            ['reader', 'read'],
            ['operator', 'trigger'],
          ] as const satisfies readonly (readonly [string, ApiScope])[]) {
            const issued = issueToken();
            await store.createApiToken({
              id: issued.id,
              name,
              hash: issued.hash,
              scope,
              jobs: [],
              createdAt: Date.now(),
              createdBy: 'test',
            });
            tokens[name] = issued.token;
          }
        } finally {
          await store.release();
        }
        // A busy machine (two cores shared by parallel test files) can take long to start it.
        daemon = await startDaemonProcess(
          ['--config', file, '--store', harness.url, '--node', 'operator-node'],
          { readyWithinMs: 60_000 },
        );
        const server = daemon.server;
        remote = (args, token = 'reader') =>
          runCronplaneInProcess([...args, '--server', server], {
            env: { CRONPLANE_TOKEN: tokens[token] as string },
          });
      });
      after(async () => {
        await daemon?.stop();
      });

      it('prints the same JSON lines as on the store (one shape for jobs and runs) and the same tables', async () => {
        const filtered = [
          'runs',
          'fanned',
          '--json',
          '--key',
          'eu',
          '--since',
          '5h',
          '--status',
          'succeeded',
        ];
        const [storedJobs, servedJobs, storedRuns, servedRuns, storedFiltered, servedFiltered, table] =
          await Promise.all([
            local(['jobs', '--json']),
            remote(['jobs', '--json']),
            local(['runs', '--json']),
            remote(['runs', '--json']),
            local(filtered),
            remote(filtered),
            remote(['jobs']),
          ]);
        for (const result of [
          storedJobs,
          servedJobs,
          storedRuns,
          servedRuns,
          storedFiltered,
          servedFiltered,
        ]) {
          assert.equal(result.code, 0, result.stderr);
        }
        const parsed = (result: CliResult) =>
          lines(result.stdout).map((line) => JSON.parse(line) as Record<string, unknown>);
        assert.deepEqual(parsed(servedJobs), parsed(storedJobs));
        assert.deepEqual(parsed(servedRuns), parsed(storedRuns));
        assert.deepEqual(parsed(servedFiltered), parsed(storedFiltered));
        assert.deepEqual(
          parsed(servedFiltered).map((run) => [run['id'], run['metrics']]),
          [
            [scene.eu2, {}],
            [scene.eu1, { agreement_rate: 0.8123456, total_reviewed: 120 }],
          ],
        );
        const eu1 = parsed(servedFiltered)[1] ?? {};
        assert.equal(eu1['scheduledAt'], new Date(Date.parse(String(eu1['scheduledAt']))).toISOString());
        assert.deepEqual(parsed(servedJobs)[0]?.['openEvents'], { count: 2, worst: 'critical' });
        assert.deepEqual(
          cells(table).map((row) => [row[0], row[6], row[7]]),
          [
            ['JOB', 'PAUSED', 'OPEN EVENTS'],
            ['backup', '-', '2 (critical)'],
            ['fanned', '-', '-'],
            ['nightly', 'paused', '-'],
          ],
        );
      });

      it('retries a failed run and cancels a pending one, on either side; refuses a run that cannot, naming its status', async () => {
        const store = await harness.open();
        let pending: number;
        try {
          const now = Date.now();
          const { inserted } = await store.insertRuns([
            { job: 'nightly', trigger: 'api', scheduledAt: now, queuedAt: now, runAfter: now + 30 * day },
          ]);
          pending = inserted[0]?.id as number;
        } finally {
          await store.release();
        }
        const [retried, again, refused, refusedHere, readOnly, cancelled] = await Promise.all([
          remote(['retry', String(scene.failed), '--json'], 'operator'),
          local(['retry', String(scene.us)]),
          remote(['retry', String(scene.backup)], 'operator'),
          local(['retry', String(scene.backup)]),
          remote(['cancel', String(scene.backup)]),
          remote(['cancel', String(pending)], 'operator'),
        ]);
        assert.equal(retried.code, 0, retried.stderr);
        const attempt = JSON.parse(retried.stdout) as Record<string, unknown>;
        assert.deepEqual(
          [attempt['job'], attempt['attempt'], attempt['firstRunId'], attempt['trigger']],
          ['backup', 2, scene.failed, 'retry'],
        );
        assert.equal(again.code, 0, again.stderr);
        assert.match(
          again.stdout,
          new RegExp(`^queued run \\d+, attempt 2 of fanned \\(us\\), retrying run ${scene.us}\n$`),
        );
        assert.equal(refused.code, 2);
        assert.match(
          refused.stderr,
          new RegExp(`409 api\\.conflict\\): run ${scene.backup} is succeeded; only runs that ended`),
        );
        assert.equal(refusedHere.code, 2);
        assert.match(
          refusedHere.stderr,
          new RegExp(`^error: run ${scene.backup} is succeeded; only runs that ended`),
        );
        assert.equal(readOnly.code, 2);
        assert.match(readOnly.stderr, /403 api\.forbidden/);
        assert.equal(cancelled.code, 0, cancelled.stderr);
        assert.equal(cancelled.stdout, `cancelled run ${pending} of nightly: cancelled\n`);

        const [twice, bad] = await Promise.all([
          local(['cancel', String(pending)]),
          local(['retry', 'last']),
        ]);
        assert.equal(twice.code, 2);
        assert.match(twice.stderr, new RegExp(`^error: run ${pending} already ended: cancelled`));
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /"last" is not a run id/);

        const check = await harness.open();
        try {
          const audit = (await check.listAudit({ limit: 10 })).entries.map((entry) => [
            entry.actor,
            entry.action,
          ]);
          assert.deepEqual(audit.sort(), [
            ['cli', 'run.retry'],
            ['operator', 'run.cancel'],
            ['operator', 'run.retry'],
          ]);
        } finally {
          await check.release();
        }
      });
    });
  });
}
