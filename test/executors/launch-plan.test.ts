import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LimitSupport } from '../../src/executors/index.ts';
import { buildLaunchPlan } from '../../src/executors/launch-plan.ts';
import { planLimits } from '../../src/executors/plan-limits.ts';
import type { Identity } from '../../src/executors/resolve-identity.ts';

const root: Identity = { name: 'root', uid: 0, gid: 0, home: '/root', switched: false };
const worker: Identity = { name: 'worker', uid: 1001, gid: 1001, home: '/home/worker', switched: true };
const bare: LimitSupport = {
  isRoot: true,
  prlimit: '/usr/bin/prlimit',
  setpriv: '/usr/bin/setpriv',
  systemdRun: undefined,
  cgroup: undefined,
  cgroupProblem: 'no cgroups here',
};
const v1: LimitSupport = {
  ...bare,
  cgroup: {
    kind: 'v1',
    parents: { memory: '/cg/memory/cronplane', cpu: '/cg/cpu/cronplane', pids: '/cg/pids/cronplane' },
  },
  cgroupProblem: undefined,
};
const gib = 1024 ** 3;

describe('choosing how to enforce limits', () => {
  it('puts memory, cpu and processes in a cgroup when one is writable; open files stay an rlimit', () => {
    const plan = planLimits({ memoryBytes: gib, cpu: 0.5, processes: 64, openFiles: 1024 }, v1, root);
    assert.deepEqual(plan.cgroup, { memoryBytes: gib, cpu: 0.5, processes: 64 });
    assert.deepEqual(plan.rlimits, { openFiles: 1024 });
    assert.deepEqual(plan.notes, ['open files 1024 via RLIMIT_NOFILE']);
  });

  it('uses a systemd scope when systemd runs and no cgroup is writable', () => {
    const plan = planLimits(
      { memoryBytes: gib, cpu: 2, processes: 10 },
      { ...bare, systemdRun: '/usr/bin/systemd-run' },
      root,
    );
    assert.equal(plan.cgroup, undefined);
    assert.deepEqual(plan.systemdProperties, [
      `MemoryMax=${gib}`,
      'MemorySwapMax=0',
      'CPUQuota=200%',
      'TasksMax=10',
    ]);
  });

  it('falls back to rlimits and says what is not enforced', () => {
    const plan = planLimits({ memoryBytes: gib, cpu: 0.5, processes: 10 }, bare, root);
    assert.deepEqual(plan.rlimits, { addressSpace: gib });
    assert.match(plan.notes[0] ?? '', /^memory 1 GiB via RLIMIT_AS .* because no cgroups here$/);
    assert.match(plan.notes[1] ?? '', /^cpu quota 50% is NOT enforced on this machine: no cgroups here/);
    assert.match(plan.notes[2] ?? '', /^process limit 10 is NOT enforced: the command runs as root/);
    const asUser = planLimits({ processes: 10 }, bare, worker);
    assert.deepEqual(asUser.rlimits, { processes: 10 });
  });

  it('does not use cgroups for another user when setpriv is missing', () => {
    const plan = planLimits({ cpu: 1 }, { ...v1, setpriv: undefined }, worker);
    assert.equal(plan.cgroup, undefined);
    assert.match(plan.notes[0] ?? '', /setpriv is missing/);
  });
});

describe('the launch chain', () => {
  const options = { identity: root, support: bare, rlimits: {}, systemdProperties: [], cgroupProcs: [] };

  it('is the bare command when nothing is asked', () => {
    assert.deepEqual(buildLaunchPlan(['python', '-m', 'job'], options), {
      file: 'python',
      args: ['-m', 'job'],
      notes: [],
    });
  });

  it('joins the cgroup first, then sets rlimits, then drops to the user', () => {
    const plan = buildLaunchPlan(['job'], {
      ...options,
      identity: worker,
      rlimits: { openFiles: 64, addressSpace: gib },
      cgroupProcs: ['/cg/memory/cronplane/run-1/cgroup.procs', '/cg/cpu/cronplane/run-1/cgroup.procs'],
    });
    assert.equal(plan.file, '/bin/sh');
    const [, script, name, count, ...rest] = plan.args;
    assert.match(script ?? '', /echo \$\$ > "\$1"/);
    assert.equal(name, 'cronplane-cgroup');
    assert.equal(count, '2');
    assert.deepEqual(rest, [
      '/cg/memory/cronplane/run-1/cgroup.procs',
      '/cg/cpu/cronplane/run-1/cgroup.procs',
      '/usr/bin/prlimit',
      `--as=${gib}`,
      '--nofile=64',
      '--',
      '/usr/bin/setpriv',
      '--reuid=1001',
      '--regid=1001',
      '--init-groups',
      '--',
      'job',
    ]);
    assert.equal(plan.uid, undefined);
  });

  it('wraps in systemd-run --scope when systemd enforces the limits', () => {
    const plan = buildLaunchPlan(['job'], {
      ...options,
      support: { ...bare, systemdRun: '/usr/bin/systemd-run' },
      systemdProperties: ['CPUQuota=50%'],
    });
    assert.deepEqual(
      [plan.file, ...plan.args],
      ['/usr/bin/systemd-run', '--scope', '--quiet', '--collect', '-p', 'CPUQuota=50%', '--', 'job'],
    );
  });

  it('uses a ulimit wrapper without prlimit, and Node’s uid/gid without setpriv', () => {
    const plan = buildLaunchPlan(['job'], {
      ...options,
      identity: worker,
      support: { ...bare, prlimit: undefined, setpriv: undefined },
      rlimits: { openFiles: 64, processes: 5 },
    });
    assert.deepEqual(
      [plan.file, ...plan.args],
      ['/bin/sh', '-c', 'ulimit -n 64 || exit 126; exec "$@"', 'cronplane-limits', 'job'],
    );
    assert.equal(plan.uid, 1001);
    assert.equal(plan.gid, 1001);
    assert.deepEqual(plan.notes, [
      'setpriv is missing: the user switch clears supplementary groups',
      'prlimit is missing: the process limit is NOT enforced',
    ]);
  });
});
