import { assertNodeName } from '../cluster/index.ts';
import { assertNodeRole } from '../store/index.ts';
import type { NodeRole } from '../store/index.ts';
import { bootstrapTokenOf } from './bootstrap-token-of.ts';
import { defaultSettings } from './default-settings.ts';
import { listenOf } from './listen-of.ts';
import type { Layered } from './pick-layer.ts';
import { pickLayer } from './pick-layer.ts';
import type { FileSettings, SettingFlags, SettingName, Settings } from './settings.ts';
import { layeredStoreUrl } from './store-url.ts';

export interface SettingInputs {
  readonly flags: SettingFlags;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The job file in force: where it is, and the settings it carries (read once, by the caller). */
  readonly file: { readonly path: string; readonly settings: FileSettings };
  /** Relative SQLite paths are taken from here. */
  readonly cwd: string;
}

/**
 * Every runtime setting of a node, layered once: flags, then the environment, then the job file,
 * then `defaultSettings`. Bad values are refused with a `CronplaneError` naming the flag,
 * variable or job-file key that gave them.
 */
export function resolveSettings(inputs: SettingInputs): Settings {
  const { flags, env, file } = inputs;
  const { role } = checkSettingFlags(flags);
  const picked = {
    configFile: pickLayer(
      [
        ['--config', flags.config === undefined || flags.config === '' ? undefined : file.path],
        ['CRONPLANE_CONFIG', env['CRONPLANE_CONFIG'] === undefined ? undefined : file.path],
      ],
      file.path,
    ),
    storeUrl: layeredStoreUrl({ flag: flags.store, env, fromFile: file.settings.store, cwd: inputs.cwd }),
    listen: listenOf({ flag: flags.listen, env, fromFile: file.settings.listen }),
    // An empty CRONPLANE_LOG_LEVEL is passed on as it is (the logger refuses it).
    logLevel:
      env['CRONPLANE_LOG_LEVEL'] === undefined
        ? { value: defaultSettings.logLevel, source: 'default' }
        : { value: env['CRONPLANE_LOG_LEVEL'], source: 'CRONPLANE_LOG_LEVEL' },
    bootstrapToken: pickLayer([['CRONPLANE_TOKEN', bootstrapTokenOf(env)]], undefined),
    node: pickLayer<string | undefined>([['--node', flags.node]], undefined),
    role: pickLayer([['--role', role]], defaultSettings.role),
    tags: pickLayer([['--tag', flags.tag]], defaultSettings.tags),
    slots: pickLayer([['--slots', flags.slots]], defaultSettings.slots),
    heartbeatMs: pickLayer([['--heartbeat', flags.heartbeat]], defaultSettings.heartbeatMs),
    nodeStaleMs: pickLayer([['--node-stale', flags.nodeStale]], defaultSettings.nodeStaleMs),
    runLeaseMs: pickLayer([['--lease', flags.lease]], defaultSettings.runLeaseMs),
    leaderLeaseMs: pickLayer([['--leader-lease', flags.leaderLease]], defaultSettings.leaderLeaseMs),
    leaderPollMs: pickLayer([['--leader-poll', flags.leaderPoll]], defaultSettings.leaderPollMs),
    shutdownTimeoutMs: pickLayer(
      [['--shutdown-timeout', flags.shutdownTimeout]],
      defaultSettings.shutdownTimeoutMs,
    ),
    watch: pickLayer([['--watch', flags.watch]], defaultSettings.watch),
    apiRateLimit: pickLayer(
      [
        [
          '--api-rate-limit',
          flags.apiRateLimit === undefined
            ? undefined
            : { max: flags.apiRateLimit, windowMs: defaultSettings.apiRateLimit.windowMs },
        ],
      ],
      defaultSettings.apiRateLimit,
    ),
    authFailureLimit: pickLayer(
      [
        [
          '--auth-failure-limit',
          flags.authFailureLimit === undefined
            ? undefined
            : { ...defaultSettings.authFailureLimit, burst: flags.authFailureLimit },
        ],
      ],
      defaultSettings.authFailureLimit,
    ),
    liveStreamLimit: pickLayer(
      [
        [
          flags.streamLimit === undefined ? '--stream-limit-total' : '--stream-limit',
          flags.streamLimit === undefined && flags.streamLimitTotal === undefined
            ? undefined
            : {
                perToken: flags.streamLimit ?? defaultSettings.liveStreamLimit.perToken,
                total: flags.streamLimitTotal ?? defaultSettings.liveStreamLimit.total,
              },
        ],
      ],
      defaultSettings.liveStreamLimit,
    ),
  } satisfies { readonly [name in SettingName]: Layered<Settings[name]> };
  return settle(picked);
}

/**
 * Refuses a bad `--role` or `--node` (the flags that need no job file to be judged), so a command
 * can do it before it looks for the job file.
 */
export function checkSettingFlags(flags: SettingFlags): { readonly role: NodeRole | undefined } {
  const role = flags.role === undefined ? undefined : assertNodeRole(flags.role, '--role');
  if (flags.node !== undefined) assertNodeName(flags.node);
  return { role };
}

/** The values with their sources beside them, frozen. */
function settle(picked: { readonly [name in SettingName]: Layered<Settings[name]> }): Settings {
  const entries = Object.entries(picked) as [SettingName, Layered<unknown>][];
  const values = Object.fromEntries(entries.map(([name, layer]) => [name, layer.value]));
  const sources = Object.fromEntries(entries.map(([name, layer]) => [name, layer.source]));
  return Object.freeze({ ...values, sources: Object.freeze(sources) }) as Settings;
}
