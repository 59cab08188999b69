import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createCommandExecutor, detectLimitSupport } from '../../src/executors/index.ts';
import type { LimitSupport } from '../../src/executors/index.ts';
import { sweepStaleRunCgroups } from '../../src/executors/run-cgroup.ts';
import { collect, commandSpec, isAlive, request, waitFor } from './helpers.ts';

const support = await detectLimitSupport();
const withoutCgroups: LimitSupport = {
  ...support,
  cgroup: undefined,
  systemdRun: undefined,
  cgroupProblem: 'cgroups are off for this test',
};
const executor = createCommandExecutor({ limitSupport: support });
const rlimitsOnly = createCommandExecutor({ limitSupport: withoutCgroups });
const mib = 1024 * 1024;

/** A node child that touches memory until something stops it. */
const nodeHog = [process.execPath, '-e', 'const a = []; for (;;) a.push(Buffer.alloc(1 << 20, 1));'];

function python(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v python3'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const memoryCgroup =
  support.cgroup?.kind === 'v1'
    ? support.cgroup.parents.memory !== undefined
    : support.cgroup?.controllers.includes('memory') === true;
const cpuCgroup = support.cgroup?.kind === 'v1' ? support.cgroup.parents.cpu : undefined;

describe('command limits', () => {
  it('stops a memory hog at the memory limit with a clear outcome', async (t) => {
    if (!memoryCgroup) {
      t.skip(
        `no writable memory cgroup here (${support.cgroupProblem ?? 'unknown'}); the RLIMIT_AS test covers this machine`,
      );
      return;
    }
    const sink = collect();
    const result = await executor.execute(
      request(commandSpec({ argv: nodeHog, limits: { memoryBytes: 120 * mib } }), { timeoutMs: 20_000 }),
      sink,
    );
    assert.equal(result.outcome, 'failure');
    assert.equal(result.signal, 'SIGKILL');
    assert.match(
      result.error ?? '',
      /killed by SIGKILL; the kernel OOM killer stopped it at the memory limit of 120 MiB/,
    );
    assert.match(sink.text('system'), /limit: memory 120 MiB via cgroup/);
  });

  it('falls back to RLIMIT_AS without cgroups, and a hog fails its allocation', async (t) => {
    const python3 = python();
    if (python3 === undefined) {
      t.skip('python3 is not installed, and it is the hog that fails cleanly under RLIMIT_AS');
      return;
    }
    const sink = collect();
    const result = await rlimitsOnly.execute(
      request(
        commandSpec({ argv: [python3, '-c', 'b = bytearray(1 << 30)'], limits: { memoryBytes: 200 * mib } }),
      ),
      sink,
    );
    assert.equal(result.outcome, 'failure');
    assert.equal(result.exitCode, 1);
    assert.match(sink.text('stderr'), /MemoryError/);
    assert.match(
      sink.text('system'),
      /limit: memory 200 MiB via RLIMIT_AS .* because cgroups are off for this test/,
    );
  });

  it('limits open files with RLIMIT_NOFILE, through prlimit or a ulimit wrapper', async () => {
    for (const limited of [
      executor,
      createCommandExecutor({ limitSupport: { ...withoutCgroups, prlimit: undefined } }),
    ]) {
      const sink = collect();
      await limited.execute(
        request(commandSpec({ argv: ['sh', '-c', 'ulimit -n'], limits: { openFiles: 37 } })),
        sink,
      );
      assert.equal(sink.text('stdout'), '37\n');
      assert.match(sink.text('system'), /limit: open files 37 via RLIMIT_NOFILE/);
    }
  });

  it('sets a CPU quota in the run cgroup where the cpu controller is writable', async (t) => {
    if (cpuCgroup === undefined) {
      t.skip(
        `no writable cgroup v1 cpu controller here (${support.cgroupProblem ?? support.cgroup?.kind ?? 'none'})`,
      );
      return;
    }
    const sink = collect();
    const script =
      'p=$(grep -E "^[0-9]+:([^:]*,)?cpu(,[^:]*)?:" /proc/self/cgroup | cut -d: -f3); ' +
      'm=$(awk \'$9 == "cgroup" && $NF ~ /(^|,)cpu(,|$)/ {print $5}\' /proc/self/mountinfo | head -n1); ' +
      'cat "$m$p/cpu.cfs_quota_us" "$m$p/cpu.cfs_period_us"';
    const result = await executor.execute(
      request(commandSpec({ argv: ['sh', '-c', script], limits: { cpu: 0.5 } })),
      sink,
    );
    assert.equal(result.outcome, 'success', sink.text());
    assert.equal(sink.text('stdout'), '50000\n100000\n');
    assert.match(sink.text('system'), /limit: cpu 50% of one core via cgroup v1 cpu.cfs_quota_us/);
  });

  it('says in the run output when the CPU quota cannot be enforced', async () => {
    const sink = collect();
    const result = await rlimitsOnly.execute(
      request(commandSpec({ argv: ['true'], limits: { cpu: 0.25 } })),
      sink,
    );
    assert.equal(result.outcome, 'success');
    assert.match(
      sink.text('system'),
      /limit: cpu quota 25% is NOT enforced on this machine: cgroups are off for this test/,
    );
  });

  it('caps the number of processes', async (t) => {
    const hasPids =
      support.cgroup?.kind === 'v1'
        ? support.cgroup.parents.pids !== undefined
        : support.cgroup?.controllers.includes('pids') === true;
    if (!hasPids && process.getuid?.() === 0) {
      t.skip('no pids cgroup and the test runs as root, which RLIMIT_NPROC does not bind');
      return;
    }
    const sink = collect();
    await executor.execute(
      request(
        commandSpec({
          argv: ['sh', '-c', 'for i in 1 2 3 4 5 6 7 8; do sleep 1 & done; wait'],
          limits: { processes: 4 },
        }),
        {
          timeoutMs: 5000,
        },
      ),
      sink,
    );
    assert.match(sink.text('stderr'), /fork|Resource temporarily unavailable/i);
  });

  it('removes the run cgroup when the run ends', async (t) => {
    if (support.cgroup?.kind !== 'v1') {
      t.skip(
        `the check reads cgroup v1 folders; this machine has ${support.cgroup?.kind ?? 'no writable cgroups'}`,
      );
      return;
    }
    const sink = collect();
    await executor.execute(
      request(
        commandSpec({
          argv: ['sh', '-c', 'sleep 300 & cat /proc/self/cgroup'],
          limits: { memoryBytes: 256 * mib, cpu: 1, processes: 50 },
        }),
      ),
      sink,
    );
    assert.match(sink.text('stdout'), /cronplane\/run-42-/);
    for (const parent of Object.values(support.cgroup.parents)) {
      const left = existsSync(parent) ? readdirSync(parent).filter((name) => name.startsWith('run-42-')) : [];
      assert.deepEqual(left, [], `nothing left under ${parent}`);
    }
  });

  it('on first use, kills and removes run cgroups a dead daemon left behind', async (t) => {
    if (support.cgroup?.kind !== 'v1' || support.cgroup.parents.pids === undefined) {
      t.skip('the check builds a cgroup v1 pids folder by hand; this machine has none writable');
      return;
    }
    const gone = spawn('true');
    await new Promise((resolve) => gone.on('exit', resolve));
    const stale = path.join(support.cgroup.parents.pids, `run-7-${gone.pid}-1`);
    mkdirSync(stale, { recursive: true });
    const orphan = spawn('sleep', ['300'], { stdio: 'ignore' });
    const orphanPid = orphan.pid ?? 0;
    writeFileSync(path.join(stale, 'cgroup.procs'), String(orphanPid));
    const removed = await sweepStaleRunCgroups({
      kind: 'v1',
      parents: { pids: support.cgroup.parents.pids },
    });
    assert.ok(removed.includes(`run-7-${gone.pid}-1`), `removed ${removed.join(', ')}`);
    assert.ok(await waitFor(() => !isAlive(orphanPid)), 'the orphaned process was killed');
    assert.equal(existsSync(stale), false);
  });
});
