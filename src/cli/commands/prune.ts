import type { Retention } from '../../config/index.ts';
import { HistoryPruner } from '../../daemon/index.ts';
import { systemClock } from '../../clock/index.ts';
import { formatDuration } from '../../calendar/index.ts';
import { createLogger } from '../../logging/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { reportError } from '../report-error.ts';
import type { StoreCommandOptions } from '../local-store.ts';
import { openCommandStore } from '../local-store.ts';
import { readCliConfig } from '../read-cli-config.ts';

/**
 * `cronplane prune`: applies the job file's `retention:` now, as the daemon's leader does every
 * hour, until nothing older than the windows is left; prints what it removed.
 */
export async function runPrune(options: StoreCommandOptions, io: CliIo): Promise<number> {
  try {
    // Neither runs a job nor sends anything: the file's secrets need not be set.
    const config = readCliConfig(options.config, io, 'leave');
    const windows = describeRetention(config.retention);
    if (windows === '') {
      io.out('the job file sets no retention: nothing is removed (see retention: in docs/job-file.md)');
      return ExitCode.ok;
    }
    const store = await openCommandStore(options, io, { config });
    try {
      const pruner = new HistoryPruner({
        store,
        clock: systemClock(),
        logger: createLogger({ level: 'silent' }),
        isLeader: () => true,
        budgetMs: Number.POSITIVE_INFINITY,
      });
      pruner.setRetention(config.retention);
      const removed = await pruner.prune();
      io.out(
        `removed ${removed.runs} runs, the output of ${removed.logs} runs and ${removed.pings} pings (retention: ${windows})`,
      );
      return ExitCode.ok;
    } finally {
      await store.release();
    }
  } catch (thrown) {
    return reportError(thrown, io);
  }
}

function describeRetention(retention: Retention): string {
  return [
    ['runs', retention.runsMs],
    ['logs', retention.logsMs],
    ['pings', retention.pingsMs],
  ]
    .filter((entry): entry is [string, number] => entry[1] !== undefined)
    .map(([name, ms]) => `${name} ${formatDuration(ms)}`)
    .join(', ');
}
