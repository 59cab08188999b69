/**
 * A command line is split into argv like a shell would, without running one. Lines of plain
 * words take a quick path; it must split exactly as the shell-word parser does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as splitShellWords } from 'shell-quote';
import { splitCommand } from '../../src/config/split-command.ts';

function split(command: string): { argv: string[]; problems: string[] } {
  const problems: string[] = [];
  const { argv } = splitCommand(command, false, ['run'], (_path, message) => problems.push(message));
  return { argv, problems };
}

/** A small generator, seeded, so a failure names a line that can be run again. */
function* lines(seed: number, count: number): Generator<string> {
  const alphabet = ['a', 'Z', '0', '_', '-', '.', '/', ':', '=', ',', '@', '%', '+', '{', '}', ' ', '  '];
  const special = [
    '"',
    "'",
    '\\\\',
    '$',
    '*',
    '?',
    '[',
    ']',
    '#',
    '~',
    '!',
    ';',
    '&',
    '|',
    '<',
    '>',
    '(',
    ')',
    '\\t',
  ];
  let state = seed;
  const next = (below: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % below;
  };
  for (let index = 0; index < count; index++) {
    const length = 1 + next(12);
    let line = '';
    for (let at = 0; at < length; at++) {
      line += next(10) === 0 ? special[next(special.length)] : alphabet[next(alphabet.length)];
    }
    yield line;
  }
}

describe('splitting a command line', () => {
  it('splits plain words at single spaces, placeholders and options included', () => {
    assert.deepEqual(split('backup.sh --tenant {tenant} -v'), {
      argv: ['backup.sh', '--tenant', '{tenant}', '-v'],
      problems: [],
    });
    assert.deepEqual(split('/usr/bin/env a=1 b,c 50% user@host:/path').argv, [
      '/usr/bin/env',
      'a=1',
      'b,c',
      '50%',
      'user@host:/path',
    ]);
  });

  it('splits every line exactly as the shell-word parser does, quick path or not', () => {
    let quick = 0;
    for (const line of lines(16, 20_000)) {
      let expected: ReturnType<typeof splitShellWords>;
      try {
        expected = splitShellWords(line, (name) => `$${name}`);
      } catch (thrown) {
        assert.throws(() => split(line), { message: (thrown as Error).message }, JSON.stringify(line));
        continue;
      }
      if (/^[^ ]+( [^ ]+)*$/.test(line) && !/["'\\$*?[\]#~!;&|<>()\t]/.test(line)) quick += 1;
      const { argv, problems } = split(line);
      if (expected.every((word) => typeof word === 'string')) {
        if (expected.length === 0) assert.deepEqual(problems, ['the command is empty'], JSON.stringify(line));
        else assert.deepEqual({ argv, problems }, { argv: expected, problems: [] }, JSON.stringify(line));
      } else {
        assert.equal(problems.length, 1, JSON.stringify(line));
      }
    }
    // The lines cover the quick path well, not only the parser's.
    assert.ok(quick > 5_000, `only ${quick} lines of plain words`);
  });
});
