import { ControlError, HttpControl, noDaemonCode, notJsonCode } from '../control/index.ts';
import type { Control } from '../control/index.ts';
import { CronplaneError } from '../errors/index.ts';
import { ApiRefusal } from './api-refusal.ts';
import { cliLocalControl } from './cli-local-control.ts';
import type { CliIo } from './cli-io.ts';
import { withLocalStore } from './local-store.ts';
import type { StoreCommandOptions } from './local-store.ts';
import { serverUrlOf } from './server-url-of.ts';

export interface ControlCommandOptions extends StoreCommandOptions {
  /** The daemon whose API carries the operations out (also CRONPLANE_SERVER). */
  readonly server?: string;
}

/**
 * Where the operations go when no daemon is named: `store` for the commands that work on the
 * store without a daemon (`runs`, `logs`, `events`, `monitors`, `nodes`), `daemon` for those that
 * need one (`trigger`, `pause`, `drain`, `exec`'s look-up), which then ask the default address.
 */
export type ControlFallback = 'store' | 'daemon';

export interface ControlChoice {
  readonly fallback: ControlFallback;
  /** How long one API request may take (default 10 s). */
  readonly timeoutMs?: number;
  /** How often following a run's output on the store looks for more (default 200 ms). */
  readonly logPollMs?: number;
}

/**
 * The one place that chooses where a command's operations go. A daemon's API (`HttpControl`
 * with CRONPLANE_TOKEN) when --server names one, or CRONPLANE_SERVER does and --store is not
 * given, or the command needs a daemon; else the store (`LocalControl` as `cli`, with what it
 * prints masked by the job file's secrets). `body` gets the control and the io to print through.
 * A refusal of the API comes out as an `ApiRefusal` naming the daemon; a refusal on the store as
 * the `ControlError` itself.
 */
export async function withControl<T>(
  options: ControlCommandOptions,
  io: CliIo,
  choice: ControlChoice,
  body: (control: Control, shown: CliIo) => Promise<T>,
): Promise<T> {
  const base = daemonOf(options, io, choice.fallback);
  if (base === undefined) {
    return withLocalStore(options, io, async (local) =>
      body(
        await cliLocalControl(
          local,
          io.env,
          choice.logPollMs === undefined ? {} : { logPollMs: choice.logPollMs },
        ),
        local.io,
      ),
    );
  }
  const token = io.env['CRONPLANE_TOKEN'];
  if (token === undefined || token === '') {
    throw new CronplaneError(
      'cli.token',
      'set CRONPLANE_TOKEN to an API token (create one with: cronplane token create NAME --scope trigger)',
    );
  }
  const control = new HttpControl({
    server: base,
    token,
    ...(choice.timeoutMs === undefined ? {} : { timeoutMs: choice.timeoutMs }),
  });
  try {
    return await body(control, io);
  } catch (thrown) {
    throw refusalNamingDaemon(thrown, base);
  }
}

/**
 * The daemon's base URL, or undefined for the store: --server; else CRONPLANE_SERVER unless
 * --store names a store; a command that needs a daemon asks the default address.
 */
export function daemonOf(
  options: ControlCommandOptions,
  io: CliIo,
  fallback: ControlFallback,
): string | undefined {
  if (fallback === 'daemon') return serverUrlOf(options.server, io.env);
  const server = options.server ?? (options.store === undefined ? io.env['CRONPLANE_SERVER'] : undefined);
  return server === undefined || server === '' ? undefined : serverUrlOf(server, io.env);
}

function refusalNamingDaemon(thrown: unknown, base: string): unknown {
  if (!(thrown instanceof ControlError) || thrown.status === undefined) return thrown;
  if (thrown.code === noDaemonCode || thrown.code === notJsonCode) return thrown;
  return new ApiRefusal(
    thrown.status,
    thrown.code,
    `the daemon at ${base} refused (${thrown.status} ${thrown.code}): ${thrown.message}`,
  );
}
