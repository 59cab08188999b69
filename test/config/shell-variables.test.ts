import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, readConfig } from '../../src/config/index.ts';
import type { ResolvedConfig } from '../../src/config/index.ts';
import { commandLine } from '../../src/executors/command-line.ts';
import { builtinKinds } from '../../src/kinds/index.ts';
import { substitutePlaceholders } from '../../src/placeholders/index.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-shell-vars-'));
let counter = 0;

function load(jobYaml: string): ResolvedConfig {
  const file = path.join(folder, `job-${++counter}.yaml`);
  writeFileSync(file, `version: 1\njobs:\n  a:\n${jobYaml.replace(/^/gm, '    ')}\n`);
  try {
    return readConfig(file, { kinds: builtinKinds, env: {} });
  } catch (thrown) {
    if (thrown instanceof ConfigError) assert.fail(thrown.problems.map((p) => p.message).join('\n'));
    throw thrown;
  }
}

/** The command the executor would start for the loaded job, with `params` as placeholder values. */
function started(config: ResolvedConfig, params: Record<string, string> = {}): readonly string[] {
  const target = config.jobs[0]?.target;
  assert.equal(target?.kind, 'command');
  const { argv, shell } = target as unknown as { argv: readonly string[]; shell: boolean };
  return commandLine(argv, shell, { job: 'a', ...params }).command;
}

describe("the shell's own variables in a job file", () => {
  const cases: { name: string; job: string; command: readonly string[] }[] = [
    {
      name: 'an escaped ${VAR} in a shell line stays the shell variable',
      job: 'shell: true\nrun: echo "$${HOME}/x" $${PATH:-/bin}',
      command: ['/bin/sh', '-c', 'echo "${HOME}/x" ${PATH:-/bin}'],
    },
    {
      name: 'an escaped ${name} of a built-in placeholder is the shell variable, not the placeholder',
      job: 'shell: true\nrun: echo $${job} {job}',
      command: ['/bin/sh', '-c', 'echo ${job} "${CRONPLANE_PARAM_job}"'],
    },
    {
      name: 'a $VAR without braces needs no escape',
      job: 'shell: true\nrun: echo $HOME $job',
      command: ['/bin/sh', '-c', 'echo $HOME $job'],
    },
    {
      name: 'a shell script in argv form keeps ${VAR}',
      job: "run: [sh, -c, 'echo $${X} ''$${job}'' {job}']",
      command: ['sh', '-c', `echo \${X} '\${job}' "\${CRONPLANE_PARAM_job}"`],
    },
    {
      name: 'an argument without a shell keeps ${VAR} as text',
      job: 'run: [printf, "%s", "$${job}-{job}"]',
      command: ['printf', '%s', '${job}-a'],
    },
  ];
  for (const { name, job, command } of cases) {
    it(name, () => {
      assert.deepEqual(started(load(job)), command);
    });
  }

  it('keeps ${VAR} in env values as text', () => {
    const config = load('run: env\nenv: { A: "$${HOME}", B: "{job}$${job}" }');
    const env = config.jobs[0]?.env ?? {};
    assert.equal(env['A'], '${HOME}');
    assert.equal(substitutePlaceholders(String(env['B']), { job: 'a' }), 'a${job}');
  });

  it('keeps ${VAR} in an http url', () => {
    const config = load('http: { url: "https://example.com/$${X}/{job}" }');
    assert.equal(config.jobs[0]?.target.kind, 'http');
  });

  it('still reports an unknown {placeholder} next to a ${VAR}', () => {
    const file = path.join(folder, 'unknown.yaml');
    writeFileSync(file, 'version: 1\njobs:\n  a:\n    shell: true\n    run: echo $${X} {nope}\n');
    assert.throws(
      () => readConfig(file, { kinds: builtinKinds, env: {} }),
      (thrown: unknown) =>
        thrown instanceof ConfigError &&
        thrown.problems.length === 1 &&
        /unknown placeholder \{nope\}/.test(thrown.problems[0]?.message ?? ''),
    );
  });
});
