/**
 * Seed 003's example (examples/datapilot-cleanup): the run's dry-run flag is what the program
 * reads in CLEANER_DRY_RUN, for a trigger that says and for a run that takes the job's default.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, configMask, loadJobFileText, resolveConfig } from '../../src/config/index.ts';
import type { ResolvedConfig } from '../../src/config/index.ts';
import { systemClock } from '../../src/clock/index.ts';
import { Engine } from '../../src/engine/index.ts';
import { createExecuteRun } from '../../src/engine/execute-run.ts';
import { builtinKinds } from '../../src/kinds/index.ts';
import type { RunRecord, Store } from '../../src/store/index.ts';
import { silentLogger, waitFor } from '../support/engine-harness.ts';
import { createPostgresHarness } from '../support/postgres.ts';
import { createSqliteHarness } from '../support/sqlite.ts';

const exampleFile = path.resolve(import.meta.dirname, '../../examples/datapilot-cleanup/cronplane.yaml');
const workDir = mkdtempSync(path.join(tmpdir(), 'cronplane-dry-run-'));

/** The example with its program replaced by a stub that says what it was told, in a folder of the test. */
function readCleanup(env: Record<string, string>, schedule?: string): ResolvedConfig {
  let text = readFileSync(exampleFile, 'utf8');
  const swaps: [string, string][] = [
    ['run: python -m src.maintenance.cron_entry', `run: [sh, -c, 'echo "CLEANER_DRY_RUN=$CLEANER_DRY_RUN"']`],
    ['cwd: /path/to/datapilot-ai', `cwd: ${workDir}`],
    ['file: /var/log/datapilot-cleanup.log', `file: ${path.join(workDir, 'cleanup.log')}`],
  ];
  if (schedule !== undefined)
    swaps.push([`schedule: '\${CLEANER_CRON_SCHEDULE:-0 3 * * *}'`, `schedule: '${schedule}'`]);
  for (const [from, to] of swaps) {
    assert.ok(text.includes(from), `the example should contain ${from}`);
    text = text.replace(from, to);
  }
  return resolveConfig(loadJobFileText(text, exampleFile, { kinds: builtinKinds, env }));
}

describe('the seed 003 example maps the run’s dry-run flag to CLEANER_DRY_RUN', () => {
  it('defaults to dry, from CLEANER_DRY_RUN in cronplane’s environment when given', () => {
    const [dry] = readCleanup({}).jobs;
    assert.equal(dry?.dryRun, true);
    assert.deepEqual(dry?.dryRunEnv, { name: 'CLEANER_DRY_RUN', whenTrue: 'true', whenFalse: 'false' });
    assert.equal(dry?.env['CLEANER_DRY_RUN'], undefined, 'the variable is not also a fixed env value');
    assert.equal(readCleanup({ CLEANER_DRY_RUN: 'false' }).jobs[0]?.dryRun, false);
  });

  it('refuses an env value for the same variable, and a default that is not a boolean, each located', () => {
    const text = readFileSync(exampleFile, 'utf8').replace(
      "      JOB_TTL_HOURS: '${JOB_TTL_HOURS:-24}'",
      "      JOB_TTL_HOURS: '${JOB_TTL_HOURS:-24}'\n      CLEANER_DRY_RUN: 'true'",
    );
    const problems = (env: Record<string, string>) => {
      try {
        resolveConfig(loadJobFileText(text, exampleFile, { kinds: builtinKinds, env }));
      } catch (thrown) {
        assert.ok(thrown instanceof ConfigError, String(thrown));
        return thrown.problems.map((problem) => `${problem.path}: ${problem.message}`);
      }
      return [];
    };
    assert.deepEqual(problems({}), [
      "jobs.datapilot-cleanup.env.CLEANER_DRY_RUN: CLEANER_DRY_RUN is set by dry_run.env from each run's dry-run flag; remove it from env",
    ]);
    assert.match(problems({ CLEANER_DRY_RUN: 'maybe' }).join('\n'), /jobs\.datapilot-cleanup\.dry_run/);
  });

  for (const [name, createHarness] of [
    ['SQLite', createSqliteHarness],
    ['PostgreSQL', createPostgresHarness],
  ] as const) {
    describe(`run by the engine on ${name}`, () => {
      const harness = createHarness();
      after(async () => (await harness).close());

      async function withEngine(
        config: ResolvedConfig,
        body: (engine: Engine, store: Store) => Promise<void>,
      ) {
        await (await harness).reset();
        const store = await (await harness).open();
        const schedule = config.jobs[0]?.schedules[0]?.text === 'every 1s';
        const engine = new Engine({
          store,
          clock: systemClock(),
          node: 'node-dry-run',
          logger: silentLogger,
          execute: createExecuteRun({ mask: () => configMask(config, {}) }),
          pollMs: 100,
          schedule,
        });
        try {
          await engine.start(config);
          await body(engine, store);
        } finally {
          await engine.drain(0);
          await store.release();
        }
      }

      async function ended(store: Store, id: number): Promise<{ run: RunRecord; output: string }> {
        const run = await waitFor('the run ends', async () => {
          const record = await store.getRunOrThrow(id);
          return record.status === 'pending' || record.status === 'running' ? undefined : record;
        });
        const output = (await store.readLogs(id)).map((chunk) => chunk.chunk).join('');
        return { run, output };
      }

      it('a trigger with dryRun: false runs destructive and its record says not dry; one that says nothing takes the default', async () => {
        await withEngine(readCleanup({}), async (engine, store) => {
          const [real] = await engine.trigger({ job: 'datapilot-cleanup', trigger: 'api', dryRun: false });
          const realEnd = await ended(store, real?.id as number);
          assert.equal(realEnd.run.status, 'succeeded', realEnd.output);
          assert.equal(realEnd.run.dryRun, false);
          assert.match(realEnd.output, /^CLEANER_DRY_RUN=false$/m);

          const [byDefault] = await engine.trigger({ job: 'datapilot-cleanup', trigger: 'api' });
          const defaultEnd = await ended(store, byDefault?.id as number);
          assert.equal(defaultEnd.run.dryRun, true);
          assert.match(defaultEnd.output, /^CLEANER_DRY_RUN=true$/m);
        });
      });

      it('a scheduled run uses the job’s default, here CLEANER_DRY_RUN=false from the environment', async () => {
        await withEngine(readCleanup({ CLEANER_DRY_RUN: 'false' }, 'every 1s'), async (_engine, store) => {
          const fired = await waitFor('a scheduled run', async () => {
            const { runs } = await store.listRuns({ limit: 10 });
            return runs.find((run) => run.trigger === 'schedule');
          });
          const end = await ended(store, fired.id);
          assert.equal(end.run.dryRun, false);
          assert.match(end.output, /^CLEANER_DRY_RUN=false$/m);
        });
      });
    });
  }
});
