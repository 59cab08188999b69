import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cronplaneVersion } from '../../api/index.ts';
import { assertNodeName } from '../../cluster/index.ts';
import { configSecrets, findConfigFile, readConfig } from '../../config/index.ts';
import { CronplaneError } from '../../errors/index.ts';
import type { ExportResult, SelfDeployOptions } from '../../interop/index.ts';
import { k8sSelfManifests, systemdSelfUnit } from '../../interop/index.ts';
import { builtinKinds } from '../../kinds/index.ts';
import { resolveStoreUrl } from '../../settings/index.ts';
import type { CliIo } from '../cli-io.ts';

/** The options of `cronplane export` that only `--self` takes. */
export interface SelfExportOptions {
  readonly to: string;
  readonly config?: string;
  readonly replicas?: number;
  readonly node?: string;
  readonly user?: string;
  readonly dataDir?: string;
  readonly image?: string;
}

/** The `--self` options, each with the targets it applies to. */
export const selfOnlyOptions = [
  ['replicas', '--replicas', 'k8s'],
  ['image', '--image', 'k8s'],
  ['node', '--node', 'systemd'],
  ['user', '--user', 'systemd'],
  ['dataDir', '--data-dir', 'systemd'],
] as const satisfies readonly (readonly [keyof SelfExportOptions, string, string])[];

/** Where the daemon's program is: this package's bin/cronplane.js, symbolic links resolved. */
export function cronplaneBinPath(): string {
  return realpathSync(fileURLToPath(new URL('../../../bin/cronplane.js', import.meta.url)));
}

/**
 * `cronplane export --to systemd|k8s --self`: the files that deploy cronplane itself, from the
 * job file the daemon will run (read and checked as `start` reads it). Throws a CronplaneError
 * naming the option for bad input; writes nothing.
 */
export function exportSelf(options: SelfExportOptions, names: readonly string[], io: CliIo): ExportResult {
  if (options.to !== 'systemd' && options.to !== 'k8s')
    throw usage(
      '--self',
      `--self writes cronplane's own deployment for --to systemd or --to k8s, not --to ${options.to}`,
    );
  if (names.length > 0)
    throw usage('--self', `--self deploys the daemon, not jobs: leave out ${names.join(' ')}`);
  for (const [key, flag, target] of selfOnlyOptions)
    if (options[key] !== undefined && target !== options.to)
      throw usage(flag, `${flag} applies to --to ${target} --self only`);

  const configPath = path.resolve(io.cwd, findConfigFile({ flag: options.config, env: io.env, cwd: io.cwd }));
  const config = readConfig(configPath, { env: io.env, kinds: builtinKinds }, { jobsBeyond: 'api' });
  const common: SelfDeployOptions = {
    configPath,
    jobFileText: readFileSync(configPath, 'utf8'),
    secretValues: [...configSecrets(config), ...storePassword(config.store)],
    storeUrl: resolveStoreUrl({ env: io.env, fromFile: config.store, cwd: io.cwd }),
    switchesUsers: config.jobs.some((job) => job.user !== undefined),
    version: cronplaneVersion(),
  };
  if (options.to === 'k8s')
    return k8sSelfManifests({
      ...common,
      replicas: options.replicas ?? 2,
      image: checkImage(options.image ?? `cronplane:${common.version}`),
    });
  return systemdSelfUnit({
    ...common,
    nodePath: process.execPath,
    binPath: cronplaneBinPath(),
    node: options.node === undefined ? undefined : assertNodeName(options.node, '--node'),
    user: checkUser(options.user ?? 'cronplane'),
    dataDir: checkDataDir(options.dataDir ?? '/var/lib/cronplane'),
  });
}

/** The password of a PostgreSQL URL the job file names as `store:`, a secret too. */
function storePassword(store: string | undefined): string[] {
  const password = /^postgres(?:ql)?:\/\/[^:/@]+:([^@]+)@/.exec(store ?? '')?.[1];
  return password === undefined ? [] : [password];
}

function usage(option: string, message: string): CronplaneError {
  return new CronplaneError('export.self', message, { location: { path: option } });
}

function checkUser(user: string): string {
  if (/^[a-z_][a-z0-9_-]{0,31}$/.test(user)) return user;
  throw usage(
    '--user',
    `${JSON.stringify(user)} is not a user name: lowercase letters, digits, _ and -, up to 32`,
  );
}

function checkDataDir(dir: string): string {
  if (/^\/[A-Za-z0-9._/@+-]*$/.test(dir) && !dir.split('/').includes('..'))
    return dir.replace(/(.)\/+$/, '$1');
  throw usage(
    '--data-dir',
    `${JSON.stringify(dir)} must be an absolute path of letters, digits and . _ / @ + -`,
  );
}

function checkImage(image: string): string {
  if (/^[a-z0-9][a-z0-9._/:@-]*$/i.test(image) && image.length <= 255) return image;
  throw usage('--image', `${JSON.stringify(image)} is not a container image reference`);
}
