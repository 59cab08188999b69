import { CronplaneError } from '../../errors/index.ts';
import type { DeliverOptions } from '../../notify/index.ts';
import { channelOf, deliver, describeChannel, testNotification } from '../../notify/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { reportError } from '../report-error.ts';
import { readCliConfig } from '../read-cli-config.ts';

export interface NotifyTestOptions {
  readonly config?: string;
  /** Attempts before giving up; 1 by default, so the answer of the channel shows at once. */
  readonly attempts?: number;
  /** Milliseconds one attempt may take; 10 s by default. */
  readonly timeout?: number;
}

/**
 * `cronplane notify test CHANNEL`: sends a test notification to a channel of the job file and
 * prints what each attempt got. Exit 0 when it was delivered, 1 when not, 2 when the channel
 * or the job file is wrong. `deliverOptions` exists for tests (a clock, a sleep).
 */
export async function runNotifyTest(
  channelName: string,
  options: NotifyTestOptions,
  io: CliIo,
  deliverOptions: DeliverOptions = {},
): Promise<number> {
  try {
    const config = readCliConfig(options.config, io);
    const entry = config.channels.get(channelName);
    if (entry === undefined) {
      const declared = [...config.channels.keys()];
      throw new CronplaneError(
        'cli.unknown-channel',
        `no channel named "${channelName}"; ${
          declared.length === 0
            ? 'the job file declares no channels (add them under channels:)'
            : `the job file declares: ${declared.join(', ')}`
        }`,
      );
    }
    const channel = channelOf(channelName, entry, { timezone: config.timezone });
    const now = deliverOptions.now ?? Date.now;
    io.out(`sending a test notification to "${channelName}" (${describeChannel(channel)})`);
    const report = await deliver(
      testNotification({ channel: channelName, publicUrl: config.publicUrl, now: now() }),
      channel,
      {
        ...deliverOptions,
        policy: {
          attempts: options.attempts ?? 1,
          delayMs: 1_000,
          ...(options.timeout === undefined ? {} : { attemptTimeoutMs: options.timeout }),
          ...deliverOptions.policy,
        },
      },
    );
    for (const attempt of report.attempts) {
      const answer = attempt.status === undefined ? '' : ` (${attempt.status})`;
      io.out(
        attempt.outcome === 'delivered'
          ? `  attempt ${attempt.attempt}: delivered${answer} in ${attempt.durationMs} ms${attempt.detail === undefined ? '' : `, ${attempt.detail}`}`
          : `  attempt ${attempt.attempt}: failed in ${attempt.durationMs} ms: ${attempt.error ?? 'unknown error'}`,
      );
    }
    switch (report.outcome) {
      case 'delivered':
        io.out(`ok: "${channelName}" took the test notification`);
        return ExitCode.ok;
      case 'failed':
        io.err(`error: the test notification did not reach "${channelName}": ${report.error}`);
        return ExitCode.failure;
      case 'suppressed':
        io.err(`error: the test notification was held back: ${report.reason}`);
        return ExitCode.failure;
    }
  } catch (thrown) {
    return reportError(thrown, io);
  }
}
