import { constants } from 'node:fs';
import { access, mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { coerceError } from '../errors/index.ts';

export const CgroupController = { memory: 'memory', cpu: 'cpu', pids: 'pids' } as const;
export type CgroupController = keyof typeof CgroupController;

/** Where run cgroups can be made: one parent per v1 hierarchy, or one v2 parent. */
export type CgroupSupport =
  | { readonly kind: 'v1'; readonly parents: Readonly<Partial<Record<CgroupController, string>>> }
  | { readonly kind: 'v2'; readonly parent: string; readonly controllers: readonly CgroupController[] };

/** What this machine offers for limiting a command, found once per executor. */
export interface LimitSupport {
  readonly isRoot: boolean;
  /** util-linux prlimit, for rlimits; else a `sh -c ulimit` wrapper is used. */
  readonly prlimit: string | undefined;
  /** util-linux setpriv, to switch user after joining a cgroup. */
  readonly setpriv: string | undefined;
  /** systemd-run, only when systemd is the running init (for `--scope` limits). */
  readonly systemdRun: string | undefined;
  readonly cgroup: CgroupSupport | undefined;
  /** Why cgroups cannot be used directly, when they cannot. */
  readonly cgroupProblem: string | undefined;
}

/** The folder made under the daemon's own cgroup to hold run cgroups. */
export const cgroupFolder = 'cronplane';

const controllers = Object.keys(CgroupController) as CgroupController[];

/**
 * Looks at the machine: the tools on PATH, whether systemd runs, and which cgroup hierarchy the
 * daemon may write to. A cgroup parent counts only when `cronplane/` can be made under the
 * daemon's own cgroup (so run cgroups stay inside whatever limits the daemon itself has); it is
 * made again for each run and removed when the last run in it ends.
 */
export async function detectLimitSupport(): Promise<LimitSupport> {
  const [prlimit, setpriv, systemdRunPath, systemdRunning] = await Promise.all([
    findExecutable('prlimit'),
    findExecutable('setpriv'),
    findExecutable('systemd-run'),
    exists('/run/systemd/system'),
  ]);
  const isRoot = process.getuid?.() === 0;
  let cgroup: CgroupSupport | undefined;
  let cgroupProblem: string | undefined;
  try {
    cgroup = await findCgroupSupport();
  } catch (thrown) {
    cgroupProblem = coerceError(thrown).message;
  }
  if (cgroup === undefined)
    cgroupProblem ??= 'no cgroup hierarchy with memory, cpu or pids controllers is writable';
  return {
    isRoot,
    prlimit,
    setpriv,
    systemdRun: systemdRunning ? systemdRunPath : undefined,
    cgroup,
    cgroupProblem,
  };
}

async function findCgroupSupport(): Promise<CgroupSupport | undefined> {
  const [membership, mountinfo] = await Promise.all([
    readFile('/proc/self/cgroup', 'utf8'),
    readFile('/proc/self/mountinfo', 'utf8'),
  ]);
  const mounts = parseMounts(mountinfo);
  const ownPaths = new Map<string, string>();
  for (const line of membership.split('\n')) {
    const match = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (match !== null) ownPaths.set(match[2] as string, match[3] as string);
  }
  const problems: string[] = [];
  const parents: Partial<Record<CgroupController, string>> = {};
  for (const controller of controllers) {
    const mount = mounts.find((m) => m.type === 'cgroup' && m.options.includes(controller));
    const own = [...ownPaths].find(([list]) => list.split(',').includes(controller))?.[1];
    if (mount === undefined || own === undefined) continue;
    const parent = path.join(mount.point, path.relative(mount.root, own), cgroupFolder);
    try {
      await probeFolder(parent);
      parents[controller] = parent;
    } catch (thrown) {
      problems.push(`cgroup v1 ${controller}: ${coerceError(thrown).message}`);
    }
  }
  if (Object.keys(parents).length > 0) return { kind: 'v1', parents };

  const unified = mounts.find((m) => m.type === 'cgroup2');
  const own = ownPaths.get('');
  if (unified !== undefined && own !== undefined) {
    const base = path.join(unified.point, path.relative(unified.root, own));
    const offered = (await readFile(path.join(base, 'cgroup.controllers'), 'utf8')).split(/\s+/);
    const usable = controllers.filter((c) => offered.includes(c));
    if (usable.length === 0) {
      problems.push(`cgroup v2 at ${base} offers none of the memory, cpu, pids controllers`);
    } else {
      const parent = path.join(base, cgroupFolder);
      try {
        // Both writes fail when the daemon's own cgroup holds processes and is not the root
        // ("no internal processes"): then the daemon needs a delegated cgroup (systemd Delegate=yes).
        await writeFile(path.join(base, 'cgroup.subtree_control'), usable.map((c) => `+${c}`).join(' '));
        await mkdir(parent, { recursive: true });
        await writeFile(path.join(parent, 'cgroup.subtree_control'), usable.map((c) => `+${c}`).join(' '));
        return { kind: 'v2', parent, controllers: usable };
      } catch (thrown) {
        problems.push(`cgroup v2 at ${base}: ${coerceError(thrown).message}`);
      }
    }
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return undefined;
}

interface Mount {
  readonly root: string;
  readonly point: string;
  readonly type: string;
  readonly options: readonly string[];
}

/** `/proc/self/mountinfo`: `id parent dev root point opts [tags] - type source superopts`. */
function parseMounts(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    const [left, right] = line.split(' - ');
    if (left === undefined || right === undefined) continue;
    const fields = left.split(' ');
    const [type, , superOptions] = right.split(' ');
    if (type === undefined || fields[3] === undefined || fields[4] === undefined) continue;
    mounts.push({ root: fields[3], point: fields[4], type, options: (superOptions ?? '').split(',') });
  }
  return mounts;
}

/** Makes `folder` (and takes it away again if it was not there): run cgroups leave nothing behind. */
async function probeFolder(folder: string): Promise<void> {
  const made = await mkdir(folder, { recursive: true });
  await access(folder, constants.W_OK);
  if (made === folder) await rmdir(folder);
}

async function findExecutable(name: string): Promise<string | undefined> {
  const dirs = [
    ...(process.env['PATH'] ?? '').split(':'),
    '/usr/local/sbin',
    '/usr/local/bin',
    '/usr/sbin',
    '/usr/bin',
    '/sbin',
    '/bin',
  ];
  for (const dir of dirs) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
