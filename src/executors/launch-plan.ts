import type { LimitSupport } from './limit-support.ts';
import type { Rlimits } from './plan-limits.ts';
import type { Identity } from './resolve-identity.ts';

/** What to spawn: the command wrapped in the steps that set its cgroup, limits and user. */
export interface LaunchPlan {
  readonly file: string;
  readonly args: readonly string[];
  /** Set only when the user switch falls to Node's spawn (no setpriv). */
  readonly uid?: number;
  readonly gid?: number;
  /** Said in the run's system output (for a limit a fallback could not set). */
  readonly notes: readonly string[];
}

export interface LaunchOptions {
  readonly identity: Identity;
  readonly support: LimitSupport;
  readonly rlimits: Rlimits;
  readonly systemdProperties: readonly string[];
  /** `cgroup.procs` files to join before anything else runs. */
  readonly cgroupProcs: readonly string[];
}

/**
 * Builds the exec chain, outermost first, each step replacing itself with the next (the pid and
 * process group stay the command's): a `sh` that writes its own pid into the run's cgroup, then
 * `systemd-run --scope`, then `prlimit`, then `setpriv` to drop to the job's user, then the
 * command. Every step runs as root until setpriv, so each may do what it needs.
 */
export function buildLaunchPlan(command: readonly string[], options: LaunchOptions): LaunchPlan {
  const { identity, support, rlimits } = options;
  const notes: string[] = [];
  let chain = [...command];
  let uid: number | undefined;
  let gid: number | undefined;

  if (identity.switched) {
    if (support.setpriv !== undefined) {
      chain = [
        support.setpriv,
        `--reuid=${identity.uid}`,
        `--regid=${identity.gid}`,
        '--init-groups',
        '--',
        ...chain,
      ];
    } else {
      uid = identity.uid;
      gid = identity.gid;
      notes.push('setpriv is missing: the user switch clears supplementary groups');
    }
  }

  const limits: string[] = [];
  if (rlimits.addressSpace !== undefined) limits.push(`--as=${rlimits.addressSpace}`);
  if (rlimits.openFiles !== undefined) limits.push(`--nofile=${rlimits.openFiles}`);
  if (rlimits.processes !== undefined) limits.push(`--nproc=${rlimits.processes}`);
  if (limits.length > 0) {
    if (support.prlimit !== undefined) {
      chain = [support.prlimit, ...limits, '--', ...chain];
    } else {
      const steps: string[] = [];
      if (rlimits.addressSpace !== undefined)
        steps.push(`ulimit -v ${Math.floor(rlimits.addressSpace / 1024)}`);
      if (rlimits.openFiles !== undefined) steps.push(`ulimit -n ${rlimits.openFiles}`);
      if (rlimits.processes !== undefined)
        notes.push('prlimit is missing: the process limit is NOT enforced');
      if (steps.length > 0) {
        chain = [
          '/bin/sh',
          '-c',
          `${steps.map((step) => `${step} || exit 126`).join('; ')}; exec "$@"`,
          'cronplane-limits',
          ...chain,
        ];
      }
    }
  }

  if (options.systemdProperties.length > 0 && support.systemdRun !== undefined) {
    const properties = options.systemdProperties.flatMap((property) => ['-p', property]);
    chain = [support.systemdRun, '--scope', '--quiet', '--collect', ...properties, '--', ...chain];
  }

  if (options.cgroupProcs.length > 0) {
    chain = [
      '/bin/sh',
      '-c',
      joinScript,
      'cronplane-cgroup',
      String(options.cgroupProcs.length),
      ...options.cgroupProcs,
      ...chain,
    ];
  }

  const [file, ...args] = chain;
  return {
    file: file ?? '',
    args,
    notes,
    ...(uid === undefined ? {} : { uid }),
    ...(gid === undefined ? {} : { gid }),
  };
}

/** `sh -c joinScript name N procs1..procsN command...`: join N cgroups, then become the command. */
const joinScript =
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || { echo "cronplane: cannot join cgroup $1" >&2; exit 126; }; shift; n=$((n - 1)); done; exec "$@"';
