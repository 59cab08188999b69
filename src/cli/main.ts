import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { scheduleSyntaxes } from '../config/job-file-schema.ts';
import type { CliIo } from './cli-io.ts';
import { ExitCode, processIo } from './cli-io.ts';
import { runCalendarCommand } from './commands/calendar.ts';
import { runInit } from './commands/init.ts';
import { runNext } from './commands/next.ts';
import type { EventsOptions } from './commands/events.ts';
import type { ExecOptions } from './commands/exec.ts';
import type { LogsOptions } from './commands/logs.ts';
import type { MonitorPauseOptions } from './commands/monitor-pause.ts';
import type { MonitorsOptions } from './commands/monitors.ts';
import type { NodesOptions } from './commands/nodes.ts';
import type { RunOptions } from './commands/run.ts';
import type { RunsOptions } from './commands/runs.ts';
import type { StartOptions } from './commands/start.ts';
import type { NotifyTestOptions } from './commands/notify-test.ts';
import type { PauseOptions } from './commands/pause.ts';
import type { TokenCreateOptions, TokenListOptions } from './commands/token.ts';
import type { TriggerOptions } from './commands/trigger.ts';
import { runValidate } from './commands/validate.ts';
import { plannedCommands } from './planned-commands.ts';

function packageVersion(): string {
  const raw = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(raw) as { version: string }).version;
}

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new InvalidArgumentError('expected a whole number of at least 1');
  return value;
}

/** Builds the `cronplane` program; each action stores its exit code in `result`. */
export function buildProgram(io: CliIo, result: { code: number }): Command {
  const program = new Command('cronplane')
    .description('A control plane for scheduled jobs: one job file, durable runs, an API and alerts.')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError('(run cronplane --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, '')),
      writeErr: (text) => io.err(text.replace(/\n$/, '')),
    });
  const configOption = () =>
    new Option('-c, --config <file>', 'job file (default: $CRONPLANE_CONFIG, then ./cronplane.yaml)');

  program
    .command('init')
    .description('write a commented starter job file')
    .argument('[file]', 'where to write it', 'cronplane.yaml')
    .option('-f, --force', 'overwrite an existing file')
    .action((file: string, options: { force?: boolean }) => {
      result.code = runInit(file, options, io);
    });

  program
    .command('validate')
    .description('check a job file and print one line per job, or every problem with its location')
    .argument('[file]', 'job file to check')
    .addOption(configOption())
    .action((file: string | undefined, options: { config?: string }) => {
      result.code = runValidate(file, options, io);
    });

  program
    .command('calendar')
    .description(
      'normalise calendar expressions and print their next elapses (like systemd-analyze calendar)',
    )
    .argument('<expr...>', 'cron, systemd OnCalendar, AWS cron()/rate() or "every 30s" expressions')
    .option('-n, --iterations <n>', 'how many elapses to print', positiveInteger, 1)
    .option('--after <instant>', 'ISO-8601 instant to start from (default: now)')
    .option('--tz <zone>', 'time zone used when the expression names none', 'UTC')
    .addOption(new Option('--syntax <syntax>', 'force one parser').choices(scheduleSyntaxes))
    .option('--json', 'one JSON object per expression')
    .action(
      (
        exprs: string[],
        options: {
          iterations: number;
          after?: string;
          tz?: string;
          syntax?: (typeof scheduleSyntaxes)[number];
          json?: boolean;
        },
      ) => {
        result.code = runCalendarCommand(exprs, { ...options, json: options.json === true }, io);
      },
    );

  program
    .command('next')
    .description("print a job's next fire times from the job file")
    .argument('<job>', 'job name')
    .addOption(configOption())
    .option('-n, --count <n>', 'how many fire times', positiveInteger, 5)
    .option('--after <instant>', 'ISO-8601 instant to start from (default: now)')
    .option('--json', 'print JSON')
    .action((job: string, options: { config?: string; count: number; after?: string; json?: boolean }) => {
      result.code = runNext(job, options, io);
    });

  program
    .command('start')
    .description('run the daemon: scheduler, workers, watchers and the API')
    .addOption(configOption())
    .option(
      '--store <url>',
      'sqlite:PATH or postgres://... (default: $CRONPLANE_STORE, the job file, sqlite:./data/cronplane.db)',
    )
    .option(
      '--node <name>',
      'name of this node, unique among live nodes on the store (default: the host name)',
    )
    .option(
      '--role <role>',
      'all (default), scheduler (fires and releases queue items, never claims runs) or worker (claims runs, never leads)',
    )
    .option('--heartbeat <ms>', 'how often this node writes its heartbeat (default 1000)', positiveInteger)
    .option(
      '--node-stale <ms>',
      'silence after which this node counts as gone and its leases are taken (default 5000)',
      positiveInteger,
    )
    .option('--tag <tag...>', 'tags of this node; jobs with node_tags run only where all are present')
    .option('--watch', 're-read the job file when it changes')
    .option('--slots <n>', 'runs executed at once on this node', positiveInteger)
    .option(
      '--lease <ms>',
      "lease of a running run in ms; a dead node's runs are lost after it",
      positiveInteger,
    )
    .option(
      '--leader-lease <ms>',
      'scheduler leader lease in ms, renewed every third of it; a dead leader is replaced after it (default 1500)',
      positiveInteger,
    )
    .option(
      '--leader-poll <ms>',
      'how often a follower tries to take the leader lease, in ms (default 250; at once on a graceful stop)',
      positiveInteger,
    )
    .option('--shutdown-timeout <ms>', 'how long running work may go on after SIGTERM', positiveInteger)
    .option(
      '--listen <address>',
      'where the API listens: HOST:PORT, :PORT or off (default: $CRONPLANE_LISTEN, server.listen, 127.0.0.1:7070)',
    )
    .option(
      '--api-rate-limit <n>',
      'API requests each token may make per minute (default 6000)',
      positiveInteger,
    )
    .option(
      '--auth-failure-limit <n>',
      'failed authentications a client address may make in a burst, then one per 10 s (default 20)',
      positiveInteger,
    )
    .option('--stream-limit <n>', 'live-log streams each token may hold open (default 10)', positiveInteger)
    .option(
      '--stream-limit-total <n>',
      'live-log streams the API holds open in all (default 200)',
      positiveInteger,
    )
    .action(async (options: StartOptions) => {
      const { runStart } = await import('./commands/start.ts');
      result.code = await runStart(options, io);
    });

  const storeOption = () =>
    new Option(
      '--store <url>',
      'store URL (default: $CRONPLANE_STORE, the job file, sqlite:./data/cronplane.db)',
    );

  program
    .command('run')
    .description('run one job now in the foreground, recorded like any other run; exits with its exit code')
    .argument('<job>', 'job name')
    .addOption(configOption())
    .addOption(storeOption())
    .option('-p, --param <name=value...>', 'placeholder values (fan_key=VALUE picks one fan-out entry)')
    .option('--dry-run', 'set CRONPLANE_DRY_RUN=1 for the job and record the run as a dry run')
    .action(async (job: string, options: RunOptions) => {
      const { runRun } = await import('./commands/run.ts');
      result.code = await runRun(job, options, io);
    });

  program
    .command('runs')
    .description('list recorded runs, newest first')
    .argument('[job]', 'only this job')
    .addOption(configOption())
    .addOption(storeOption())
    .option('--status <list>', 'only these statuses, comma-separated (pending,running,succeeded,failed,...)')
    .option('--server <url>', "ask this daemon's API instead of the store (also $CRONPLANE_SERVER)")
    .option('-n, --limit <n>', 'how many runs', positiveInteger, 20)
    .option('--json', 'one JSON object per run')
    .action(async (job: string | undefined, options: RunsOptions) => {
      const { runRuns } = await import('./commands/runs.ts');
      result.code = await runRuns(job, options, io);
    });

  program
    .command('logs')
    .description("print a run's captured output; -f follows it until the run ends")
    .argument('<run>', 'run id')
    .addOption(configOption())
    .addOption(storeOption())
    .option('-f, --follow', 'keep printing new output until the run ends')
    .option('--server <url>', "ask this daemon's API instead of the store (also $CRONPLANE_SERVER)")
    .action(async (run: string, options: LogsOptions) => {
      const { runLogs } = await import('./commands/logs.ts');
      result.code = await runLogs(run, options, io);
    });

  const events = program
    .command('events')
    .description('list recorded events (failed, stuck, missed runs, guards, monitors), newest first')
    .addOption(configOption())
    .addOption(storeOption())
    .option('--job <job>', 'only this job')
    .option('--open', 'only events not resolved')
    .option('--severity <list>', 'only these severities, comma-separated (info,warning,failure,critical)')
    .option('--kind <kind>', 'only this kind, e.g. run:stuck')
    .option('--server <url>', "ask this daemon's API instead of the store (also $CRONPLANE_SERVER)")
    .option('-n, --limit <n>', 'how many events', positiveInteger, 20)
    .option('--json', 'one JSON object per event')
    .action(async (options: EventsOptions) => {
      const { runEvents } = await import('./commands/events.ts');
      result.code = await runEvents(options, io);
    });
  events
    .command('resolve')
    .description('resolve an open event by hand (through the API: scope trigger, audited)')
    .argument('<id>', 'event id')
    .addOption(configOption())
    .addOption(storeOption())
    .option('--server <url>', "ask this daemon's API instead of the store (also $CRONPLANE_SERVER)")
    .action(async (id: string, options: { config?: string; store?: string; server?: string }) => {
      const { runEventResolve } = await import('./commands/events.ts');
      // --config, --store and --server after `resolve` are parsed as the parent's options.
      const parent = events.opts<{ config?: string; store?: string; server?: string }>();
      result.code = await runEventResolve(id, { ...parent, ...options }, io);
    });

  const serverOption = () =>
    new Option(
      '--server <url>',
      `the daemon's API (default: $CRONPLANE_SERVER, http://127.0.0.1:7070); the token is $CRONPLANE_TOKEN`,
    );

  program
    .command('trigger')
    .description('ask a running daemon to start a job now; prints the runs it queued')
    .argument('<job>', 'job name')
    .addOption(serverOption())
    .option('-p, --param <name=value...>', 'parameter values (fan_key=VALUE picks one fan-out entry)')
    .option('--dry-run', 'set CRONPLANE_DRY_RUN=1 for the job and record the run as a dry run')
    .option('--json', 'one JSON object per run')
    .action(async (job: string, options: TriggerOptions) => {
      const { runTrigger } = await import('./commands/trigger.ts');
      result.code = await runTrigger(job, options, io);
    });

  for (const paused of [true, false]) {
    program
      .command(paused ? 'pause' : 'resume')
      .description(paused ? 'stop a job from firing until it is resumed' : 'let a paused job fire again')
      .argument('<job>', 'job name')
      .addOption(serverOption())
      .action(async (job: string, options: PauseOptions) => {
        const { runPause } = await import('./commands/pause.ts');
        result.code = await runPause(job, paused, options, io);
      });
  }

  program
    .command('nodes')
    .description(
      'list the nodes on the store: heartbeat, version, job-file hash, slots, role and what each leads',
    )
    .addOption(configOption())
    .addOption(storeOption())
    .option('--server <url>', "ask this daemon's API instead of the store (also $CRONPLANE_SERVER)")
    .option('--json', 'one JSON object per node')
    .action(async (options: NodesOptions) => {
      const { runNodes } = await import('./commands/nodes.ts');
      result.code = await runNodes(options, io);
    });

  program
    .command('drain')
    .description(
      'drain a node: no new runs, leases handed over, running work finishes, then idle (API: scope admin, audited)',
    )
    .argument('<node>', 'node name')
    .addOption(serverOption())
    .action(async (node: string, options: { server?: string }) => {
      const { runDrain } = await import('./commands/drain.ts');
      result.code = await runDrain(node, options, io);
    });

  program
    .command('prune')
    .description("remove history older than the job file's retention: now, as the daemon does every hour")
    .addOption(configOption())
    .addOption(storeOption())
    .action(async (options: { config?: string; store?: string }) => {
      const { runPrune } = await import('./commands/prune.ts');
      result.code = await runPrune(options, io);
    });

  const monitors = program
    .command('monitors')
    .description('list monitors: name, status, paused, last ping and ping URL')
    .addOption(configOption())
    .addOption(storeOption())
    .option('--server <url>', "ask this daemon's API instead of the store (also $CRONPLANE_SERVER)")
    .option('--json', 'one JSON object per monitor')
    .action(async (options: MonitorsOptions) => {
      const { runMonitors } = await import('./commands/monitors.ts');
      result.code = await runMonitors(options, io);
    });
  for (const paused of [true, false]) {
    monitors
      .command(paused ? 'pause' : 'resume')
      .description(
        paused
          ? 'pause a monitor for maintenance: not taken down, no alert, pings still recorded (API: scope admin)'
          : 'resume a paused monitor: its lateness counts from now (API: scope admin)',
      )
      .argument('<name>', 'monitor name')
      .addOption(configOption())
      .addOption(storeOption())
      .option('--server <url>', "ask this daemon's API instead of the store (also $CRONPLANE_SERVER)")
      .action(async (name: string, options: MonitorPauseOptions) => {
        const { runMonitorPause } = await import('./commands/monitor-pause.ts');
        // --config, --store and --server after the subcommand are parsed as the parent's options.
        const parent = monitors.opts<MonitorPauseOptions>();
        result.code = await runMonitorPause(name, paused, { ...parent, ...options }, io);
      });
  }

  program
    .command('exec')
    .description(
      'wrap a crontab command: ping a monitor at start and end with its exit code and output; exits with its code',
    )
    .usage('--monitor NAME [--ping-url URL] [--server URL] -- CMD [ARGS...]')
    .argument('<command...>', 'the command and its arguments, after --; run without a shell')
    .addOption(new Option('--monitor <name>', 'the monitor to ping').makeOptionMandatory())
    .option(
      '--ping-url <url>',
      "the monitor's ping URL (default: $CRONPLANE_PING_URL, else asked of the daemon)",
    )
    .addOption(serverOption())
    .option('--ping-timeout <ms>', 'time allowed per ping (default 5000)', positiveInteger)
    .action(async (command: string[], options: ExecOptions) => {
      const { runExec } = await import('./commands/exec.ts');
      result.code = await runExec(command, options, io);
    });

  const token = program.command('token').description('create, list and revoke API tokens (on the store)');
  token
    .command('create')
    .description('create an API token and print it once; only its hash is stored')
    .argument('<name>', 'token name (recorded in the audit log)')
    .addOption(
      new Option(
        '--scope <scope>',
        'read, trigger (also runs and enqueues) or admin (also pauses, manages tokens)',
      )
        .choices(['read', 'trigger', 'admin'])
        .makeOptionMandatory(),
    )
    .option('--jobs <patterns...>', "limit the token to jobs matching these patterns, e.g. 'cleanup-*'")
    .addOption(configOption())
    .addOption(storeOption())
    .action(async (name: string, options: TokenCreateOptions) => {
      const { runTokenCreate } = await import('./commands/token.ts');
      result.code = await runTokenCreate(name, options, io);
    });
  token
    .command('list')
    .description('list active API tokens (never the tokens themselves)')
    .addOption(configOption())
    .addOption(storeOption())
    .option('--json', 'one JSON object per token')
    .action(async (options: TokenListOptions) => {
      const { runTokenList } = await import('./commands/token.ts');
      result.code = await runTokenList(options, io);
    });
  token
    .command('revoke')
    .description('revoke an API token by name')
    .argument('<name>', 'token name')
    .addOption(configOption())
    .addOption(storeOption())
    .action(async (name: string, options: { config?: string; store?: string }) => {
      const { runTokenRevoke } = await import('./commands/token.ts');
      result.code = await runTokenRevoke(name, options, io);
    });

  const notify = program.command('notify').description('alert channels');
  notify
    .command('test')
    .description('send a test notification to a channel of the job file')
    .argument('<channel>', 'channel name')
    .addOption(configOption())
    .option('--attempts <n>', 'delivery attempts before giving up', positiveInteger, 1)
    .option('--timeout <ms>', 'time allowed per attempt', positiveInteger)
    .action(async (channel: string, options: NotifyTestOptions) => {
      const { runNotifyTest } = await import('./commands/notify-test.ts');
      result.code = await runNotifyTest(channel, options, io);
    });

  for (const planned of plannedCommands) {
    program
      .command(planned.name)
      .description(planned.description)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        io.err(
          `cronplane ${planned.name}: ${planned.description}. It is planned (${planned.arrives}) and not in this build yet.`,
        );
        result.code = ExitCode.usage;
      });
  }
  return program;
}

/** Runs the command line and returns the exit code; never calls process.exit. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const result = { code: ExitCode.ok as number };
  const program = buildProgram(io, result);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    if (argv.length === 0) {
      program.outputHelp();
    }
    return result.code;
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      if (thrown.code === 'commander.helpDisplayed' || thrown.code === 'commander.version')
        return ExitCode.ok;
      if (thrown.code === 'commander.help') return ExitCode.ok;
      return ExitCode.usage;
    }
    throw thrown;
  }
}
