/**
 * The Dockerfile, checked without Docker (there is none on this machine; `docker build` is not
 * run here, see docs/deploy.md): parsed with dockerfile-ast, every COPY from the build context
 * names files the repository tracks and .dockerignore lets through, the entry point is this
 * package's bin and a real command, the exposed port is the default listen port, and the
 * HEALTHCHECK command itself, run against a real daemon, succeeds (and fails with none).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DockerfileParser } from 'dockerfile-ast';
import { defaultListen, parseListen } from '../../src/api/index.ts';
import { apiPort } from '../../src/interop/index.ts';
import { repositoryRoot, runCronplane, startDaemonProcess } from '../support/run-cronplane.ts';

const dockerfile = DockerfileParser.parse(readFileSync(path.join(repositoryRoot, 'Dockerfile'), 'utf8'));
const ignore = readFileSync(path.join(repositoryRoot, '.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
const tracked = execFileSync('git', ['ls-files'], { cwd: repositoryRoot, encoding: 'utf8' })
  .split('\n')
  .filter(Boolean);

/** Whether docker leaves `file` out of the build context: the last matching pattern decides (`!` keeps). */
function ignored(file: string): boolean {
  let out = false;
  const parts = file.split('/');
  for (const pattern of ignore) {
    const negated = pattern.startsWith('!');
    const glob = (negated ? pattern.slice(1) : pattern).replace(/^\/+|\/+$/g, '');
    // A pattern matches the path or any folder above it.
    const hit = parts.some((_, index) => path.matchesGlob(parts.slice(0, index + 1).join('/'), glob));
    if (hit) out = !negated;
  }
  return out;
}

const entry =
  dockerfile
    .getENTRYPOINTs()
    .at(-1)
    ?.getJSONStrings()
    .map((word) => word.getJSONValue()) ?? [];
const envOf = (name: string) =>
  dockerfile
    .getENVs()
    .flatMap((instruction) => instruction.getProperties())
    .find((property) => property.getName() === name)
    ?.getValue();

describe('Dockerfile', () => {
  it('builds on the official node:24 slim image in two stages', () => {
    const froms = dockerfile.getFROMs();
    assert.equal(froms.length, 2);
    for (const from of froms) {
      assert.equal(from.getImageName(), 'node');
      assert.match(from.getImageTag() ?? '', /^24(\.\d+)*-(bookworm-|trixie-)?slim$/);
    }
    const run = dockerfile
      .getInstructions()
      .filter((instruction) => instruction.getKeyword() === 'RUN')
      .map((instruction) => instruction.getArgumentsContent() ?? '')
      .join('\n');
    for (const step of ['npm ci', 'npm run build', 'npm prune --omit=dev'])
      assert.ok(run.includes(step), step);
  });

  it('copies from the build context only files the repository has and .dockerignore lets through', () => {
    const copies = dockerfile.getCOPYs().filter((copy) => copy.getFromFlag() === null);
    assert.ok(copies.length > 0);
    for (const copy of copies) {
      const words = copy.getArguments().map((word) => word.getValue());
      for (const source of words.slice(0, -1)) {
        const within = tracked.filter((file) => file === source || file.startsWith(`${source}/`));
        assert.ok(within.length > 0, `COPY ${source}: not in the repository`);
        const left = within.filter(ignored);
        assert.deepEqual(left, [], `COPY ${source}: .dockerignore leaves these out`);
      }
    }
    // What must not be sent: installs, builds, local data.
    for (const file of [
      'node_modules/x',
      'dist/index.js',
      'web/dist/index.html',
      'data/cronplane.db',
      '.git/HEAD',
    ])
      assert.ok(ignored(file), `${file} is sent to docker build`);
  });

  it('the ignore check bites: a pattern that leaves out a copied file is seen', () => {
    ignore.push('src/**/*.sql');
    try {
      assert.ok(ignored('src/store/sqlite/migrations/001-initial.sql'));
      assert.ok(!ignored('src/index.ts'));
    } finally {
      ignore.pop();
    }
  });

  it('runs as a non-root user', () => {
    const users = dockerfile.getInstructions().filter((instruction) => instruction.getKeyword() === 'USER');
    const last = users.at(-1)?.getArgumentsContent() ?? '';
    assert.ok(last !== '' && !/^(root|0)(:|$)/.test(last), `USER ${last}`);
  });

  it("starts this package's bin with the start command", async () => {
    const packageJson = JSON.parse(readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    assert.deepEqual(entry, ['node', `/app/${packageJson.bin['cronplane']}`, 'start']);
    const copied = dockerfile.getCOPYs().some((copy) => copy.getArguments().at(-1)?.getValue() === './bin');
    assert.ok(copied, 'bin copied into /app');
    const help = await runCronplane([entry[2] ?? '', '--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: cronplane start/);
  });

  it('exposes and listens on the default listen port, on every address', () => {
    const exposed = dockerfile
      .getInstructions()
      .filter((instruction) => instruction.getKeyword() === 'EXPOSE')
      .map((instruction) => instruction.getArgumentsContent());
    const port = (parseListen(defaultListen, 'default') as { port: number }).port;
    assert.deepEqual(exposed, [String(port)]);
    assert.equal(apiPort, port);
    assert.deepEqual(parseListen(envOf('CRONPLANE_LISTEN') ?? '', 'ENV'), {
      kind: 'address',
      host: '0.0.0.0',
      port,
    });
  });

  it('its HEALTHCHECK command succeeds against a real daemon, and fails when none answers', async () => {
    const healthcheck = dockerfile.getHEALTHCHECKs().at(-1);
    const content = healthcheck?.getArgumentsContent() ?? '';
    const command = JSON.parse(content.slice(content.indexOf('CMD') + 3).replace(/\\\n/g, '')) as string[];
    assert.equal(command[0], 'node');
    const script = command[2] ?? '';
    const url = /http:\/\/127\.0\.0\.1:(\d+)(\/\w+)/.exec(script);
    assert.ok(url !== null, script);
    assert.equal(Number(url[1]), apiPort);
    const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-docker-'));
    writeFileSync(
      path.join(folder, 'cronplane.yaml'),
      'version: 1\njobs:\n  hello:\n    schedule: "0 3 * * *"\n    run: echo hi\n',
    );
    const daemon = await startDaemonProcess(
      ['--config', 'cronplane.yaml', '--store', `sqlite:${folder}/db.sqlite`],
      {
        cwd: folder,
      },
    );
    try {
      const port = new URL(daemon.server).port;
      const pointed = script.replace(`127.0.0.1:${url[1]}`, `127.0.0.1:${port}`);
      const healthy = spawnSync(process.execPath, ['-e', pointed], { encoding: 'utf8' });
      assert.equal(healthy.status, 0, healthy.stderr);
      await daemon.stop();
      const gone = spawnSync(process.execPath, ['-e', pointed], { encoding: 'utf8' });
      assert.equal(gone.status, 1);
    } finally {
      await daemon.stop();
    }
  });
});
