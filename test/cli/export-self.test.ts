/**
 * `cronplane export --self`: cronplane's own deployment, written by the real command.
 * - systemd: cronplane.service accepted by `systemd-analyze verify`, naming this Node, this
 *   package's bin and the job file by absolute paths, the store only through its environment file.
 * - Kubernetes: every manifest valid against Kubernetes' schema, and the Deployment's container
 *   (its args, its environment from the Secret) run for real: N daemons on one PostgreSQL
 *   database, each answering the probes' routes.
 * - Refusals name the option (or the job file's line) and write nothing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { runExport } from '../../src/cli/commands/export.ts';
import type { ExportCommandOptions } from '../../src/cli/commands/export.ts';
import { resolveSettings } from '../../src/settings/index.ts';
import { validateManifest } from '../interop/kubernetes-schema.ts';
import { createPostgresHarness } from '../support/postgres.ts';
import type { StoreHarness } from '../support/store-harness.ts';
import { cronplaneBin, runCronplane, startDaemonProcess } from '../support/run-cronplane.ts';
import type { DaemonProcess } from '../support/run-cronplane.ts';

const jobFile = [
  'version: 1',
  'store: postgres://app:${DB_PASSWORD}@db.internal:5432/cronplane',
  'jobs:',
  '  hello:',
  '    schedule: "0 3 * * *"',
  '    run: echo hello',
  '    env: { TOKEN: { secret: "${API_TOKEN}" } }',
  '',
].join('\n');
const env = { DB_PASSWORD: 'pg-password-42', API_TOKEN: 'api-token-value-42' };

function folderWith(text: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-self-'));
  writeFileSync(path.join(folder, 'cronplane.yaml'), text);
  return folder;
}

async function exportSelf(args: readonly string[], text = jobFile) {
  const folder = folderWith(text);
  const out = path.join(folder, 'out');
  const result = await runCronplane(['export', '--self', '-c', 'cronplane.yaml', '-o', 'out', ...args], {
    cwd: folder,
    env,
  });
  const files = existsSync(out)
    ? Object.fromEntries(readdirSync(out).map((name) => [name, readFileSync(path.join(out, name), 'utf8')]))
    : {};
  return { ...result, folder, out, files: files as Record<string, string> };
}

function systemdAnalyze(args: readonly string[]) {
  return spawnSync('systemd-analyze', args, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
}

describe('cronplane export --to systemd --self', () => {
  it('writes cronplane.service that systemd-analyze verify accepts', async () => {
    const probe = systemdAnalyze(['--version']);
    assert.equal(
      probe.status,
      0,
      'systemd-analyze is needed to check the unit (Debian: apt-get install systemd); it is not on this machine',
    );
    const { code, stderr, files, out } = await exportSelf(['--to', 'systemd']);
    assert.equal(code, 0, stderr);
    assert.deepEqual(Object.keys(files).sort(), ['cronplane.env.example', 'cronplane.service']);
    const answer = systemdAnalyze(['verify', '--man=no', path.join(out, 'cronplane.service')]);
    assert.equal(answer.status, 0, answer.stderr);
    assert.equal(answer.stderr, '');
    // The check bites: a unit whose program is not there is refused.
    const broken = path.join(out, 'broken.service');
    writeFileSync(
      broken,
      (files['cronplane.service'] ?? '').replace(/^ExecStart=\S+/m, 'ExecStart=/nonexistent/node'),
    );
    const refused = systemdAnalyze(['verify', '--man=no', broken]);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /\/nonexistent\/node is not executable/);
  });

  it('runs this Node and this package bin, the job file absolute, on the host name, with the store from an environment file', async () => {
    const { code, stderr, files, folder } = await exportSelf(['--to', 'systemd']);
    assert.equal(code, 0, stderr);
    const unit = files['cronplane.service'] ?? '';
    const config = path.join(realpathSync(folder), 'cronplane.yaml');
    const lines = unit.split('\n');
    const execStart = lines.find((line) => line.startsWith('ExecStart=')) ?? '';
    assert.equal(
      execStart,
      `ExecStart=${process.execPath} ${realpathSync(cronplaneBin)} start --config ${config} --node %H`,
    );
    for (const line of [
      'User=cronplane',
      'EnvironmentFile=/etc/cronplane/cronplane.env',
      'Restart=on-failure',
      'NoNewPrivileges=true',
      'ProtectSystem=strict',
      'ReadWritePaths=/var/lib/cronplane',
      'PrivateTmp=true',
      'KillMode=mixed',
      'WantedBy=multi-user.target',
    ])
      assert.ok(lines.includes(line), `${line} in\n${unit}`);
    // No secret value anywhere: the store's password is replaced, the unit names no store at all.
    for (const text of Object.values(files)) {
      assert.ok(!text.includes(env.DB_PASSWORD) && !text.includes(env.API_TOKEN));
    }
    assert.ok(!unit.includes('postgres://'));
    assert.match(
      files['cronplane.env.example'] ?? '',
      /^CRONPLANE_STORE=postgres:\/\/app:REPLACE-ME@db\.internal:5432\/cronplane$/m,
    );
    assert.match(stderr, /store URL holds a password/);
  });

  it('takes --node, --user and --data-dir', async () => {
    const { code, stderr, files } = await exportSelf([
      '--to',
      'systemd',
      '--node',
      'node-a',
      '--user',
      'jobs',
      '--data-dir',
      '/srv/cronplane/',
    ]);
    assert.equal(code, 0, stderr);
    const unit = files['cronplane.service'] ?? '';
    assert.match(unit, / --node node-a\n/);
    assert.match(unit, /^User=jobs$/m);
    assert.match(unit, /^ReadWritePaths=\/srv\/cronplane$/m);
    assert.match(unit, /^WorkingDirectory=\/srv\/cronplane$/m);
  });

  // Refusals run the command's own function in-process (the option parsing is the real command's above).
  const refusals: [string, Partial<ExportCommandOptions>, string[], RegExp][] = [
    [
      '--self with another target',
      { to: 'crontab' },
      [],
      /\(--self\): --self writes cronplane's own deployment for --to systemd or --to k8s/,
    ],
    ['job names with --self', { to: 'systemd' }, ['hello'], /\(--self\): .*leave out hello/],
    [
      'a k8s option with systemd',
      { to: 'systemd', replicas: 3 },
      [],
      /\(--replicas\): --replicas applies to --to k8s --self only/,
    ],
    [
      'a relative --data-dir',
      { to: 'systemd', dataDir: 'data' },
      [],
      /\(--data-dir\): "data" must be an absolute path/,
    ],
    ['a bad --user', { to: 'systemd', user: 'root; rm' }, [], /\(--user\): "root; rm" is not a user name/],
    ['a bad --node', { to: 'systemd', node: 'a/b' }, [], /\(--node\): "a\/b" is not a node name/],
    [
      'a --self option without --self',
      { to: 'k8s', self: false, replicas: 2 },
      [],
      /^error: --replicas is an option of --self/m,
    ],
  ];
  for (const [what, options, names, message] of refusals) {
    it(`refuses ${what}, naming the option, and writes nothing`, async () => {
      const folder = folderWith(jobFile);
      const errors: string[] = [];
      const io = { out: () => {}, err: (line: string) => errors.push(line), env, cwd: folder, isTty: false };
      const code = await runExport(
        names,
        { self: true, json: false, config: 'cronplane.yaml', output: 'out', to: '', ...options },
        io,
      );
      assert.equal(code, 2, errors.join('\n'));
      assert.match(errors.join('\n'), message);
      assert.ok(!existsSync(path.join(folder, 'out')), 'nothing written');
    });
  }
});

type Manifest = Record<string, unknown> & { kind: string };
interface Container {
  args: string[];
  env: { name: string; value?: string; valueFrom?: { secretKeyRef?: { key: string } } }[];
  ports: { name: string; containerPort: number }[];
  readinessProbe: { httpGet: { path: string; port: string } };
  livenessProbe: { httpGet: { path: string; port: string } };
  volumeMounts: { name: string; mountPath: string }[];
}

async function exportK8s(args: readonly string[] = []) {
  const result = await exportSelf(['--to', 'k8s', ...args]);
  assert.equal(result.code, 0, result.stderr);
  const manifests = Object.entries(result.files).map(([name, text]) => {
    const manifest = parse(text) as Manifest;
    validateManifest(manifest, name);
    return manifest;
  });
  const byKind = (kind: string) => manifests.find((manifest) => manifest.kind === kind) as never;
  const deployment = byKind('Deployment') as {
    spec: { replicas: number; strategy: { type: string }; template: { spec: { containers: Container[] } } };
  };
  const secret = byKind('Secret') as { metadata: { name: string }; stringData: Record<string, string> };
  const container = deployment.spec.template.spec.containers[0] as Container;
  return { ...result, manifests, deployment, secret, container, byKind };
}

describe('cronplane export --to k8s --self', () => {
  let harness: StoreHarness;
  before(async () => {
    harness = await createPostgresHarness();
  });
  after(async () => {
    await harness.close();
  });

  it('writes a Secret, ConfigMap, Deployment of N nodes and Service, each valid for Kubernetes', async () => {
    const { files, manifests, deployment, secret, byKind, stderr } = await exportK8s(['--replicas', '3']);
    assert.deepEqual(Object.keys(files).sort(), [
      'cronplane-configmap.yaml',
      'cronplane-deployment.yaml',
      'cronplane-secret.yaml',
      'cronplane-service.yaml',
    ]);
    assert.deepEqual(manifests.map((manifest) => manifest.kind).sort(), [
      'ConfigMap',
      'Deployment',
      'Secret',
      'Service',
    ]);
    assert.equal(deployment.spec.replicas, 3);
    assert.equal(deployment.spec.strategy.type, 'Recreate');
    assert.deepEqual((byKind('ConfigMap') as { data: Record<string, string> }).data, {
      'cronplane.yaml': jobFile,
    });
    assert.deepEqual(secret.stringData, {
      CRONPLANE_STORE: 'postgres://app:REPLACE-ME@db.internal:5432/cronplane',
      CRONPLANE_TOKEN: '',
      API_TOKEN: '',
      DB_PASSWORD: '',
    });
    for (const text of Object.values(files))
      assert.ok(!text.includes(env.DB_PASSWORD) && !text.includes(env.API_TOKEN), 'no secret value written');
    assert.match(stderr, /job file reads API_TOKEN, DB_PASSWORD/);
  });

  it('the container, run as the Deployment says with the Secret filled in, is N nodes on one PostgreSQL answering the probes', async () => {
    const { folder, container, secret } = await exportK8s(['--replicas', '2']);
    const filled: Record<string, string> = {
      ...secret.stringData,
      CRONPLANE_STORE: harness.url,
      CRONPLANE_TOKEN: 'bootstrap-token-for-the-test',
      ...env,
    };
    // The settings read exactly the names the Deployment gives.
    const settings = resolveSettings({
      flags: {},
      env: Object.fromEntries(
        container.env.map((variable) => [
          variable.name,
          variable.value ?? filled[variable.valueFrom?.secretKeyRef?.key ?? ''] ?? '',
        ]),
      ),
      file: { path: 'cronplane.yaml', settings: { store: undefined, listen: undefined } },
      cwd: folder,
    });
    assert.equal(settings.storeUrl, harness.url);
    assert.equal(settings.sources.storeUrl, 'CRONPLANE_STORE');
    assert.equal(settings.bootstrapToken, 'bootstrap-token-for-the-test');
    assert.deepEqual(settings.listen, {
      kind: 'address',
      host: '0.0.0.0',
      port: container.ports[0]?.containerPort,
    });

    // The job file where the ConfigMap is mounted (a local folder stands for the mount), each pod's name as its node.
    const mount = container.volumeMounts.find((volume) => volume.name === 'job-file')?.mountPath ?? '';
    assert.equal(container.args[1], `${mount}/cronplane.yaml`);
    const local = path.join(folder, 'mounted');
    mkdirSync(local);
    writeFileSync(path.join(local, 'cronplane.yaml'), jobFile);
    const daemons: DaemonProcess[] = [];
    try {
      for (const pod of ['cronplane-5d4f7b9c8-abcde', 'cronplane-5d4f7b9c8-fghij']) {
        const values: Record<string, string> = { ...filled, CRONPLANE_NODE: pod };
        const podEnv = Object.fromEntries(
          container.env.map((variable) => [
            variable.name,
            variable.value ?? values[variable.valueFrom?.secretKeyRef?.key ?? ''] ?? pod,
          ]),
        );
        const args = container.args.map((arg) =>
          arg
            .replace(/\$\((\w+)\)/g, (_, name: string) => podEnv[name] ?? '')
            .replace(`${mount}/`, `${local}/`),
        );
        // startDaemonProcess adds --listen 127.0.0.1:0 (a free port), which outranks CRONPLANE_LISTEN.
        daemons.push(await startDaemonProcess(args, { cwd: folder, env: podEnv }));
      }
      for (const daemon of daemons) {
        for (const probe of [container.readinessProbe, container.livenessProbe]) {
          const answer = await fetch(`${daemon.server}${probe.httpGet.path}`);
          assert.equal(answer.status, 200, `${probe.httpGet.path}: ${await answer.text()}`);
        }
      }
      const nodes = await harness.query<{ name: string }>(
        harness.url,
        "SELECT name FROM nodes WHERE state = 'running' ORDER BY name",
      );
      assert.deepEqual(
        nodes.map((node) => node.name),
        ['cronplane-5d4f7b9c8-abcde', 'cronplane-5d4f7b9c8-fghij'],
      );
    } finally {
      for (const daemon of daemons) await daemon.stop();
    }
  });

  it('refuses a job file that holds a secret value in clear, naming its line, and writes nothing', async () => {
    const text = jobFile.replace('${DB_PASSWORD}', 'pg-password-in-clear');
    const { code, stderr, out } = await exportSelf(['--to', 'k8s'], text);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /cronplane\.yaml:2: the job file holds a secret value in clear \(line 2\)/);
    assert.ok(!stderr.includes('pg-password-in-clear'));
    assert.ok(!existsSync(out));
  });
});
