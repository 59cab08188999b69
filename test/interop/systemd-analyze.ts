/**
 * Test helper: systemd's own tool as the oracle. This machine and CI's run the same image, which
 * has /usr/bin/systemd-analyze; a machine without it fails these tests with a message saying so,
 * never skips them.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';

/** `systemd-analyze ARGS` in UTC and the C locale; fails the test clearly when it is not installed. */
export function systemdAnalyze(args: readonly string[]): SpawnSyncReturns<string> {
  const answer = spawnSync('systemd-analyze', args, {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' },
  });
  if (answer.error !== undefined)
    assert.fail(
      `systemd-analyze could not be run (${answer.error.message}): these tests need it as their oracle; ` +
        'install systemd (Debian: apt-get install systemd) or run them on the CI image',
    );
  return answer;
}

/** The next `count` elapses of an OnCalendar= expression after `baseMs`, as systemd computes them. */
export function systemdCalendarFires(expression: string, baseMs: number, count: number): number[] {
  const answer = systemdAnalyze([
    'calendar',
    `--iterations=${count}`,
    `--base-time=@${Math.floor(baseMs / 1000)}`,
    '--',
    expression,
  ]);
  const fires = [...answer.stdout.matchAll(/(?:Next elapse|Iter\. #\d+): \w{3} (\S+) (\S+) UTC/g)].map(
    (match) => Date.parse(`${match[1]}T${match[2]}Z`),
  );
  assert.equal(fires.length, count, `${expression}: ${answer.stdout}${answer.stderr}`);
  return fires;
}

/** `systemd-analyze verify` of unit files; fails with systemd's own words about what it refused. */
export function assertUnitsVerify(files: readonly string[]): void {
  const answer = systemdAnalyze(['verify', '--man=no', ...files]);
  assert.equal(answer.status, 0, answer.stderr);
  assert.equal(answer.stderr, '', 'systemd-analyze verify says nothing about good units');
}
