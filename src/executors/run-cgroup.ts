import { mkdir, readFile, readdir, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatBytes } from './format-amount.ts';
import type { CgroupController, CgroupSupport } from './limit-support.ts';

/** Limits to set in a run's cgroup. */
export interface CgroupLimits {
  readonly memoryBytes?: number;
  readonly cpu?: number;
  readonly processes?: number;
}

/** A cgroup made for one run; `release()` removes it once the run's processes are gone. */
export interface RunCgroup {
  /** `cgroup.procs` files a process writes its own pid into to join (one per v1 hierarchy). */
  readonly procsFiles: readonly string[];
  /** What is enforced, in words, for the run's system output. */
  readonly applied: readonly string[];
  /** Sends `signal` to every process still in the cgroup; how many there were. */
  signalAll(signal: NodeJS.Signals): Promise<number>;
  /** How many times the kernel's OOM killer struck inside this cgroup. */
  oomKills(): Promise<number>;
  release(): Promise<void>;
}

const cpuPeriodUs = 100_000;

/** Makes `name` under each needed controller's parent and writes the limits into it. */
export async function createRunCgroup(
  support: CgroupSupport,
  name: string,
  limits: CgroupLimits,
): Promise<RunCgroup> {
  const wanted: CgroupController[] = [];
  if (limits.memoryBytes !== undefined) wanted.push('memory');
  if (limits.cpu !== undefined) wanted.push('cpu');
  if (limits.processes !== undefined) wanted.push('pids');
  const dirs = new Map<CgroupController, string>();
  for (const controller of wanted) {
    const parent = support.kind === 'v1' ? support.parents[controller] : support.parent;
    if (parent !== undefined) dirs.set(controller, path.join(parent, name));
  }
  const unique = [...new Set(dirs.values())];
  const group = new CgroupDirs(support, dirs, unique);
  try {
    for (const dir of unique) await makeFolder(dir);
    const applied: string[] = [];
    const version = support.kind;
    const memoryDir = dirs.get('memory');
    if (memoryDir !== undefined && limits.memoryBytes !== undefined) {
      const bytes = String(limits.memoryBytes);
      if (version === 'v1') {
        await writeFile(path.join(memoryDir, 'memory.limit_in_bytes'), bytes);
        await writeFile(path.join(memoryDir, 'memory.memsw.limit_in_bytes'), bytes).catch(() => undefined);
      } else {
        await writeFile(path.join(memoryDir, 'memory.max'), bytes);
        await writeFile(path.join(memoryDir, 'memory.swap.max'), '0').catch(() => undefined);
      }
      applied.push(
        `memory ${formatBytes(limits.memoryBytes)} via cgroup ${version} ${version === 'v1' ? 'memory.limit_in_bytes' : 'memory.max'} (resident memory of all its processes; the OOM killer stops it past the limit)`,
      );
    }
    const cpuDir = dirs.get('cpu');
    if (cpuDir !== undefined && limits.cpu !== undefined) {
      const quota = Math.max(1000, Math.round(limits.cpu * cpuPeriodUs));
      if (version === 'v1') {
        await writeFile(path.join(cpuDir, 'cpu.cfs_period_us'), String(cpuPeriodUs));
        await writeFile(path.join(cpuDir, 'cpu.cfs_quota_us'), String(quota));
      } else {
        await writeFile(path.join(cpuDir, 'cpu.max'), `${quota} ${cpuPeriodUs}`);
      }
      applied.push(
        `cpu ${Math.round(limits.cpu * 100)}% of one core via cgroup ${version} ${version === 'v1' ? 'cpu.cfs_quota_us' : 'cpu.max'}`,
      );
    }
    const pidsDir = dirs.get('pids');
    if (pidsDir !== undefined && limits.processes !== undefined) {
      await writeFile(path.join(pidsDir, 'pids.max'), String(limits.processes));
      applied.push(`processes ${limits.processes} via cgroup ${version} pids.max`);
    }
    group.applied = applied;
    return group;
  } catch (thrown) {
    await group.release();
    throw thrown;
  }
}

class CgroupDirs {
  readonly #support: CgroupSupport;
  readonly #dirs: ReadonlyMap<CgroupController, string>;
  readonly #unique: readonly string[];
  readonly procsFiles: readonly string[];
  applied: readonly string[] = [];

  constructor(
    support: CgroupSupport,
    dirs: ReadonlyMap<CgroupController, string>,
    unique: readonly string[],
  ) {
    this.#support = support;
    this.#dirs = dirs;
    this.#unique = unique;
    this.procsFiles = unique.map((dir) => path.join(dir, 'cgroup.procs'));
  }

  async signalAll(signal: NodeJS.Signals): Promise<number> {
    const pids = new Set<number>();
    for (const file of this.procsFiles) {
      const text = await readFile(file, 'utf8').catch(() => '');
      for (const line of text.split('\n')) if (line !== '') pids.add(Number(line));
    }
    for (const pid of pids) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
    return pids.size;
  }

  async oomKills(): Promise<number> {
    const dir = this.#dirs.get('memory');
    if (dir === undefined) return 0;
    const file = path.join(dir, this.#support.kind === 'v1' ? 'memory.oom_control' : 'memory.events');
    const text = await readFile(file, 'utf8').catch(() => '');
    return Number(/^oom_kill (\d+)$/m.exec(text)?.[1] ?? 0);
  }

  async release(): Promise<void> {
    for (let attempt = 0; attempt < 50; attempt++) {
      if ((await this.signalAll('SIGKILL')) > 0) {
        await sleep(20);
        continue;
      }
      let busy = false;
      for (const dir of this.#unique) {
        busy = !(await removeFolder(dir)) || busy;
      }
      if (!busy) break;
      await sleep(20);
    }
    // v1 parents are made per run and taken away with the last run; a v2 parent keeps its
    // subtree_control and stays.
    if (this.#support.kind === 'v1') {
      for (const dir of this.#unique) await rmdir(path.dirname(dir)).catch(() => undefined);
    }
  }
}

/** `run-<run id>-<daemon pid>-<sequence>`: the daemon pid lets a later daemon find what a dead one left. */
export function runCgroupName(runId: string, sequence: number): string {
  return `run-${runId.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64)}-${process.pid}-${sequence}`;
}

/**
 * Removes run cgroups left by a daemon that died mid-run (its pid is gone), killing whatever
 * still runs in them: the engine retries such a run, and the old process must not run on beside
 * the retry. Returns the names removed.
 */
export async function sweepStaleRunCgroups(support: CgroupSupport): Promise<string[]> {
  const parents = support.kind === 'v1' ? Object.values(support.parents) : [support.parent];
  const removed: string[] = [];
  for (const parent of new Set(parents)) {
    const names = await readdir(parent).catch(() => [] as string[]);
    for (const name of names) {
      const pid = Number(/^run-.*-(\d+)-\d+$/.exec(name)?.[1] ?? 0);
      if (pid === 0 || pid === process.pid || isAlive(pid)) continue;
      const group = new CgroupDirs(support, new Map(), [path.join(parent, name)]);
      await group.release();
      removed.push(name);
    }
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (thrown) {
    return (thrown as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function makeFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (thrown) {
    // Another run may have removed the shared parent between the two mkdir steps: once more.
    if ((thrown as NodeJS.ErrnoException).code !== 'ENOENT') throw thrown;
    await mkdir(dir, { recursive: true });
  }
}

/** True when the folder is gone. */
async function removeFolder(dir: string): Promise<boolean> {
  try {
    await rmdir(dir);
    return true;
  } catch (thrown) {
    return (thrown as NodeJS.ErrnoException).code === 'ENOENT';
  }
}
