import type { CommandLimits } from './execution-request.ts';
import { formatBytes } from './format-amount.ts';
import type { CgroupController, LimitSupport } from './limit-support.ts';
import type { Identity } from './resolve-identity.ts';
import type { CgroupLimits } from './run-cgroup.ts';

/** Process rlimits, set with prlimit (or `ulimit` in a `sh -c` wrapper) before the command starts. */
export interface Rlimits {
  /** RLIMIT_AS, bytes. */
  readonly addressSpace?: number;
  /** RLIMIT_NOFILE. */
  readonly openFiles?: number;
  /** RLIMIT_NPROC (counts every process of the user; root is exempt). */
  readonly processes?: number;
}

/** How each of a job's limits will be enforced here, decided before the command starts. */
export interface LimitPlan {
  /** Limits for a cgroup made for the run, when the daemon can write cgroups directly. */
  readonly cgroup: CgroupLimits | undefined;
  /** `systemd-run --scope -p ...` properties, when systemd is the way. */
  readonly systemdProperties: readonly string[];
  readonly rlimits: Rlimits;
  /** What is enforced by rlimits or systemd, and what could not be enforced, in words. */
  readonly notes: readonly string[];
}

/**
 * Picks a mechanism per limit, best first: a cgroup the daemon writes itself (it counts every
 * process of the run and really caps memory and CPU), then a systemd scope, then rlimits.
 * A limit that cannot be enforced is said so in the notes, never dropped silently.
 */
export function planLimits(limits: CommandLimits, support: LimitSupport, identity: Identity): LimitPlan {
  // Joining a cgroup happens before the user switch, which then needs setpriv.
  const cgroup = identity.switched && support.setpriv === undefined ? undefined : support.cgroup;
  const has = (controller: CgroupController) =>
    cgroup !== undefined &&
    (cgroup.kind === 'v1'
      ? cgroup.parents[controller] !== undefined
      : cgroup.controllers.includes(controller));
  const systemd = cgroup === undefined && support.isRoot && support.systemdRun !== undefined;
  const why =
    identity.switched && support.setpriv === undefined && support.cgroup !== undefined
      ? 'setpriv is missing, so a run as another user cannot join a cgroup'
      : (support.cgroupProblem ?? 'no writable cgroup controller');

  const cgroupLimits: { memoryBytes?: number; cpu?: number; processes?: number } = {};
  const properties: string[] = [];
  const rlimits: { addressSpace?: number; openFiles?: number; processes?: number } = {};
  const notes: string[] = [];

  if (limits.memoryBytes !== undefined) {
    if (has('memory')) cgroupLimits.memoryBytes = limits.memoryBytes;
    else if (systemd) {
      properties.push(`MemoryMax=${limits.memoryBytes}`, 'MemorySwapMax=0');
      notes.push(`memory ${formatBytes(limits.memoryBytes)} via systemd-run --scope MemoryMax=`);
    } else {
      rlimits.addressSpace = limits.memoryBytes;
      notes.push(
        `memory ${formatBytes(limits.memoryBytes)} via RLIMIT_AS (virtual address space, per process: allocations past it fail; runtimes that reserve address space up front may need more) because ${why}`,
      );
    }
  }
  if (limits.cpu !== undefined) {
    const percent = Math.round(limits.cpu * 100);
    if (has('cpu')) cgroupLimits.cpu = limits.cpu;
    else if (systemd) {
      properties.push(`CPUQuota=${percent}%`);
      notes.push(`cpu ${percent}% of one core via systemd-run --scope CPUQuota=`);
    } else {
      notes.push(`cpu quota ${percent}% is NOT enforced on this machine: ${why}, and systemd is not running`);
    }
  }
  if (limits.processes !== undefined) {
    if (has('pids')) cgroupLimits.processes = limits.processes;
    else if (systemd) {
      properties.push(`TasksMax=${limits.processes}`);
      notes.push(`processes ${limits.processes} via systemd-run --scope TasksMax=`);
    } else if (identity.uid === 0) {
      notes.push(
        `process limit ${limits.processes} is NOT enforced: the command runs as root, which RLIMIT_NPROC does not bind, and ${why}`,
      );
    } else {
      rlimits.processes = limits.processes;
      notes.push(
        `processes ${limits.processes} via RLIMIT_NPROC (counts every process of user ${identity.name})`,
      );
    }
  }
  if (limits.openFiles !== undefined) {
    rlimits.openFiles = limits.openFiles;
    notes.push(`open files ${limits.openFiles} via RLIMIT_NOFILE`);
  }
  return {
    cgroup: Object.keys(cgroupLimits).length > 0 ? cgroupLimits : undefined,
    systemdProperties: properties,
    rlimits,
    notes,
  };
}
