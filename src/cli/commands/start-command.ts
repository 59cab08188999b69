import type { CliCommand } from '../cli-command.ts';
import { configOption } from '../options/config-option.ts';
import { positiveInteger } from '../options/positive-integer.ts';
import type { StartOptions } from './start.ts';

/** `cronplane start`: the daemon. Its settings are read by `runStart`. */
export const startCommand: CliCommand = {
  name: 'start',
  define(command, { io, exitWith }) {
    command
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
      .action(
        exitWith(async (options: StartOptions) => {
          const { runStart } = await import('./start.ts');
          return runStart(options, io);
        }),
      );
  },
};
