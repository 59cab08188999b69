import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cliCommands } from '../../src/cli/cli-commands.ts';
import { runCronplaneInProcess } from '../support/run-cronplane-in-process.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-completion-'));

async function script(shell: string): Promise<string> {
  const result = await runCronplaneInProcess(['completion', shell]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

const bashScript = path.join(folder, 'cronplane.bash');
writeFileSync(bashScript, await script('bash'));

/** What the bash completion offers for the words typed so far (the last one is being completed). */
function complete(...words: string[]): string[] {
  const array = ['cronplane', ...words].map((word) => `'${word}'`).join(' ');
  const result = spawnSync(
    'bash',
    [
      '--norc',
      '-c',
      `source '${bashScript}'; COMP_WORDS=(${array}); COMP_CWORD=${words.length}; _cronplane; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.split('\n').filter((line) => line !== '');
}

describe('cronplane completion', () => {
  it('completes a command name in bash', () => {
    assert.deepEqual(complete('ru'), ['run', 'runs']);
    assert.deepEqual(complete('tok'), ['token']);
    assert.deepEqual(complete('comp'), ['completion']);
  });

  it('offers every registered command, and the words under one', () => {
    assert.deepEqual(
      complete(''),
      cliCommands.map((command) => command.name),
    );
    assert.deepEqual(complete('token', ''), ['create', 'list', 'revoke']);
  });

  it('completes the options of the command typed, past options that take a value', () => {
    assert.deepEqual(complete('runs', '--l'), ['--limit']);
    assert.ok(complete('runs', '--').includes('--json'));
    assert.deepEqual(complete('runs', '--limit', '5', '--j'), ['--json']);
    assert.deepEqual(complete('token', 'create', 'ci', '--sc'), ['--scope']);
    assert.ok(!complete('calendar', '--').includes('--limit'));
  });

  it('writes zsh and fish scripts from the same commands, and refuses another shell', async () => {
    const zsh = await script('zsh');
    assert.match(zsh, /^#compdef cronplane\n/);
    assert.match(zsh, /complete -o default -F _cronplane cronplane/);
    const fish = await script('fish');
    for (const command of cliCommands) {
      assert.match(fish, new RegExp(`-n '__fish_use_subcommand' -a '${command.name}' -d '`));
    }
    assert.match(fish, /-n '__fish_seen_subcommand_from runs' -s n -l limit -r -d '/);
    const other = await runCronplaneInProcess(['completion', 'tcsh']);
    assert.equal(other.code, 2);
    assert.match(other.stderr, /expected one of: bash, zsh, fish/);
  });
});
