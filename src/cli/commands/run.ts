import { hostname } from 'node:os';
import { configMask } from '../../config/index.ts';
import { createExecuteRun, runInForeground } from '../../engine/index.ts';
import { systemClock } from '../../clock/index.ts';
import { CronplaneError } from '../../errors/index.ts';
import { createLogger } from '../../logging/index.ts';
import { openStore } from '../../store/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { reportError } from '../report-error.ts';
import { resolveStoreUrl } from '../../settings/index.ts';
import { parseParams } from '../parse-params.ts';
import { readCliConfig } from '../read-cli-config.ts';

export interface RunOptions {
  readonly config?: string;
  readonly store?: string;
  readonly param?: readonly string[];
  readonly dryRun?: boolean;
}

/**
 * `cronplane run JOB [--param k=v] [--dry-run]`: one run now, in the foreground, recorded like
 * any other. Output goes to the terminal as it arrives; the exit code is the run's (its exit
 * code for a command, 0 or 1 otherwise).
 */
export async function runRun(jobName: string, options: RunOptions, io: CliIo): Promise<number> {
  try {
    const config = readCliConfig(options.config, io);
    const job = config.jobs.find((candidate) => candidate.name === jobName);
    if (job === undefined) {
      throw new CronplaneError(
        'cli.unknown-job',
        `no job named "${jobName}"; the job file has: ${config.jobs.map((j) => j.name).join(', ') || 'no jobs'}`,
      );
    }
    const params = parseParams(options.param ?? []);
    const store = await openStore(
      resolveStoreUrl({ flag: options.store, env: io.env, fromFile: config.store, cwd: io.cwd }),
    );
    const mask = configMask(config, io.env);
    const logger = createLogger({
      level: io.env['CRONPLANE_LOG_LEVEL'] ?? 'warn',
      pretty: io.isTty,
      redact: (line) => mask.redact(line),
    });
    const interrupt = new AbortController();
    const onSignal = () => interrupt.abort(new Error('interrupted'));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const results = await runInForeground({
        store,
        clock: systemClock(),
        node: `${hostname()}:${process.pid}`,
        logger,
        execute: createExecuteRun({ mask: () => mask }),
        job,
        params,
        dryRun: options.dryRun === true,
        requestedBy: `cli:${io.env['USER'] ?? 'unknown'}`,
        signal: interrupt.signal,
        output: (_run, stream, chunk) => {
          if (stream === 'stderr') process.stderr.write(chunk);
          else if (stream === 'stdout') process.stdout.write(chunk);
          else process.stderr.write(`[cronplane] ${chunk}${chunk.endsWith('\n') ? '' : '\n'}`);
        },
      });
      let code: number = ExitCode.ok;
      for (const { run, status, result } of results) {
        io.err(
          `cronplane: run ${run.id} of ${job.name}${run.fanKey === '' ? '' : ` [${run.fanKey}]`}: ${status}` +
            `${result.exitCode === undefined || result.exitCode === null ? '' : `, exit code ${result.exitCode}`}` +
            `${result.error === undefined || result.error === null ? '' : ` (${result.error})`}`,
        );
        const runCode =
          typeof result.exitCode === 'number'
            ? result.exitCode
            : status === 'succeeded' || status === 'skipped'
              ? 0
              : 1;
        if (code === ExitCode.ok) code = runCode;
      }
      return code;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await store.release();
    }
  } catch (thrown) {
    return reportError(thrown, io);
  }
}
