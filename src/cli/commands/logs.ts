import { CronplaneError } from '../../errors/index.ts';
import type { Control, LogChunkView } from '../../control/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { reportFailure } from '../report-failure.ts';
import { withControl } from '../with-control.ts';
import type { ControlCommandOptions } from '../with-control.ts';

export interface LogsOptions extends ControlCommandOptions {
  readonly follow?: boolean;
  /** How often -f looks for new output on the store, in ms. */
  readonly pollMs?: number;
}

/** `cronplane logs RUN [-f]`: a run's captured output; -f follows it until the run ends. */
export async function runLogs(runId: string, options: LogsOptions, io: CliIo): Promise<number> {
  try {
    const id = Number(runId);
    if (!Number.isSafeInteger(id) || id < 1) {
      throw new CronplaneError('cli.run-id', `${JSON.stringify(runId)} is not a run id (a whole number)`);
    }
    const choice = { fallback: 'store', logPollMs: options.pollMs ?? 250 } as const;
    return await withControl(options, io, choice, async (control, shown) => {
      if (options.follow === true) await follow(control, id, shown);
      else await printStored(control, id, shown);
      return ExitCode.ok;
    });
  } catch (thrown) {
    return reportFailure(thrown, io);
  }
}

/** The stored chunks page by page, then a note when the output was cut. */
async function printStored(control: Control, id: number, io: CliIo): Promise<void> {
  let after = 0;
  for (;;) {
    const page = await control.readLogs(id, { after });
    for (const chunk of page.chunks) printChunk(chunk, io);
    if (page.chunks.length === 0) {
      if (page.truncated) io.err(`[cronplane] output was cut at the job's capture limit`);
      return;
    }
    after = page.nextAfter;
  }
}

/** The output as it comes until the run ends, then a note when the output was cut. */
async function follow(control: Control, id: number, io: CliIo): Promise<void> {
  let after = 0;
  for await (const event of control.followLogs(id)) {
    if (event.kind !== 'log') break;
    printChunk(event.chunk, io);
    after = event.chunk.seq;
  }
  if ((await control.readLogs(id, { after, limit: 1 })).truncated) {
    io.err(`[cronplane] output was cut at the job's capture limit`);
  }
}

/** stdout to standard output; stderr and cronplane's own lines to standard error. */
function printChunk(chunk: LogChunkView, io: CliIo): void {
  const text = chunk.text.endsWith('\n') ? chunk.text.slice(0, -1) : chunk.text;
  if (chunk.stream === 'stderr') io.err(text);
  else if (chunk.stream === 'system') io.err(`[cronplane] ${text}`);
  else io.out(text);
}
