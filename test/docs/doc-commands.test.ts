/**
 * Issue 15: every command the README, the examples' READMEs and docs/*.md write in a code block
 * parses against the real `cronplane` program, every npm script they name exists, and every other
 * program is in the allow-list with its reason (which names no command the docs dropped).
 * doc-commands-run.test.ts runs them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readConfig } from '../../src/config/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';
import { repositoryRoot } from '../support/run-cronplane.ts';
import { notCommands, notRunHere, runElsewhere } from './doc-commands-allowed.ts';
import { cronplaneArgs, docCommands, inlineCommands, isLocalCurl, npmScript } from './doc-commands.ts';
import { parseProblem, synopsisProblems } from './parse-doc-command.ts';

const commands = docCommands(repositoryRoot);
const scripts = (
  JSON.parse(readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

describe('the commands of the docs', () => {
  it('are found: the README, every example README and the docs pages with commands', () => {
    const files = new Set(commands.map((command) => command.file));
    for (const file of ['README.md', 'examples/quickstart/README.md', 'docs/cli.md', 'docs/deploy.md'])
      assert.ok(files.has(file), `no command found in ${file}`);
  });

  it('parse against the real cronplane program, naming file:line when one does not', async () => {
    const problems: string[] = [];
    for (const command of commands) {
      const args = cronplaneArgs(command);
      if (args === undefined) continue;
      const problem = command.synopsis
        ? synopsisProblems(args).join('; ') || undefined
        : await parseProblem(args);
      if (problem !== undefined) problems.push(`${command.where}: ${command.text}\n    ${problem}`);
    }
    assert.deepEqual(problems, []);
  });

  it('in the text name only commands and options the program has', () => {
    const problems: string[] = [];
    for (const command of inlineCommands(repositoryRoot)) {
      if (notCommands.some((entry) => entry.file === command.file && entry.command === command.text))
        continue;
      for (const problem of synopsisProblems(command.argv.slice(1)))
        problems.push(`${command.where}: \`${command.text}\`: ${problem}`);
    }
    assert.deepEqual(problems, []);
  });

  it("in an example's README name only jobs of that example's job file", () => {
    const unknown: string[] = [];
    for (const command of inlineCommands(repositoryRoot)) {
      const folder = /^examples\/([^/]+)\/README\.md$/.exec(command.file)?.[1];
      if (folder === undefined) continue;
      const jobs = readConfig(path.join(repositoryRoot, 'examples', folder, 'cronplane.yaml'), {
        kinds: builtinKinds,
        env: {},
      }).jobs.map((job) => job.name);
      const [, verb, first] = command.argv;
      const named = [
        ...(['run', 'trigger', 'next', 'pause', 'resume'].includes(verb ?? '') ? [first] : []),
        ...(command.argv.includes('--job') ? [command.argv[command.argv.indexOf('--job') + 1]] : []),
      ].filter((word): word is string => word !== undefined && /^[a-z]/.test(word));
      for (const job of named)
        if (!jobs.includes(job))
          unknown.push(`${command.where}: \`${command.text}\` names no job of examples/${folder}`);
    }
    assert.deepEqual(unknown, []);
  });

  it('keep every entry of the list of text that is not a command', () => {
    const inline = inlineCommands(repositoryRoot);
    for (const entry of notCommands)
      assert.ok(
        inline.some((command) => command.file === entry.file && command.text === entry.command),
        `${entry.file} no longer says \`${entry.command}\``,
      );
  });

  it('name only npm scripts that package.json has', () => {
    const missing = commands.flatMap((command) => {
      const script = npmScript(command);
      return script === undefined || script in scripts ? [] : [`${command.where}: npm script ${script}`];
    });
    assert.deepEqual(missing, []);
  });

  it('run other programs only where the allow-list says why they cannot run here', () => {
    const unlisted = commands.flatMap((command) =>
      cronplaneArgs(command) !== undefined ||
      npmScript(command) === 'start' ||
      isLocalCurl(command) ||
      notRunHere.some((entry) => entry.file === command.file && entry.command === command.text)
        ? []
        : [`${command.where}: ${command.text}`],
    );
    assert.deepEqual(unlisted, []);
  });

  it('keep every allow-list entry: each names a command its page still writes', () => {
    const stale = notRunHere.flatMap((entry) =>
      commands.some((command) => command.file === entry.file && command.text === entry.command)
        ? []
        : [`${entry.file}: ${entry.command}`],
    );
    assert.deepEqual(stale, []);
  });

  it('leave to another test only the blocks it still reads', () => {
    for (const { marker, test } of runElsewhere) {
      assert.ok(
        commands.some((command) => command.marker === marker),
        `no doc block is marked ${marker}`,
      );
      const source = readFileSync(path.join(repositoryRoot, test), 'utf8');
      assert.ok(source.includes(marker.replace(/^sample: /, '')), `${test} does not read ${marker}`);
    }
  });
});
