import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCalendarCommand } from '../../src/cli/commands/calendar.ts';
import type { CalendarCommandOptions } from '../../src/cli/commands/calendar.ts';

function run(
  exprs: string[],
  options: Partial<CalendarCommandOptions> = {},
): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCalendarCommand(
    exprs,
    { iterations: 1, json: false, after: '2026-03-07T12:00:00Z', ...options },
    { out: (line) => out.push(line), err: (line) => err.push(line) },
    () => Date.parse('2026-01-01T00:00:00Z'),
  );
  return { code, out, err };
}

describe('cronplane calendar', () => {
  it('prints the original and normalised forms, the kind, the words and the elapses like systemd-analyze', () => {
    const { code, out, err } = run(['Mon..Fri *-*-* 02:00', '0 */6 * * *', 'rate(5 minutes)'], {
      iterations: 3,
    });
    assert.equal(code, 0);
    assert.deepEqual(err, []);
    assert.deepEqual(out.slice(0, 8), [
      '  Original form: Mon..Fri *-*-* 02:00',
      'Normalized form: Mon..Fri *-*-* 02:00:00',
      '           Kind: systemd (calendar)',
      '          Words: at 02:00, Monday through Friday',
      '    Next elapse: Mon 2026-03-09 02:00:00 UTC',
      '       From now: 1 day 14h left',
      '       Iter. #2: Tue 2026-03-10 02:00:00 UTC',
      '       Iter. #3: Wed 2026-03-11 02:00:00 UTC',
    ]);
    assert.equal(out[8], '');
    assert.deepEqual(out.slice(9, 13), [
      '  Original form: 0 */6 * * *',
      'Normalized form: 0 */6 * * *',
      '           Kind: cron (5 fields, day-of-month OR day-of-week)',
      '          Words: every day at 00:00, 06:00, 12:00 and 18:00',
    ]);
    assert.ok(out.includes('          Words: every 5 minutes'));
    assert.ok(out.includes('           Kind: aws-rate (fixed periods of real time)'));
    assert.ok(out.includes('       Iter. #3: Sat 2026-03-07 12:15:00 UTC'));
  });

  it('prints local and UTC times for a zone, with --tz', () => {
    const { out } = run(['30 2 * * *'], { tz: 'America/New_York', after: '2026-03-07T12:00:00Z' });
    assert.ok(out.includes('    Next elapse: Sun 2026-03-08 03:00:00 EDT'), out.join('\n'));
    assert.ok(out.includes('       (in UTC): Sun 2026-03-08 07:00:00 UTC'));
  });

  it('reads --after without an offset as a wall time in the --tz zone', () => {
    const { out } = run(['0 12 * * *'], { tz: 'Europe/Berlin', after: '2026-06-01T12:00', json: true });
    assert.deepEqual(JSON.parse(out[0] ?? ''), {
      input: '0 12 * * *',
      kind: 'cron',
      normalized: '0 12 * * *',
      words: 'every day at 12:00',
      next: ['2026-06-02T12:00:00+02:00'],
    });
  });

  it('prints one JSON object per expression, errors included, and exits 1', () => {
    const { code, out } = run(['every 30s', '0 61 * * *', '@reboot'], { json: true, iterations: 2 });
    assert.equal(code, 1);
    assert.equal(out.length, 3);
    assert.deepEqual(JSON.parse(out[0] ?? ''), {
      input: 'every 30s',
      kind: 'interval',
      normalized: 'every 30s',
      words: 'every 30 seconds',
      next: ['2026-03-07T12:00:30Z', '2026-03-07T12:01:00Z'],
    });
    assert.deepEqual(JSON.parse(out[1] ?? ''), {
      input: '0 61 * * *',
      error: { message: 'hour field: "61" is out of range 0-23', position: 2 },
    });
    assert.deepEqual(JSON.parse(out[2] ?? ''), {
      input: '@reboot',
      kind: 'startup',
      normalized: '@reboot',
      words: 'once each time the daemon starts',
      next: [],
    });
  });

  it('shows where an invalid expression went wrong', () => {
    const { code, err } = run(['0 0 * * MON#9']);
    assert.equal(code, 1);
    assert.deepEqual(err, [
      '          Error: day-of-week field: occurrence "9" in "MON#9" is out of range 1-5',
      '                 0 0 * * MON#9',
      '                             ^ at position 12',
    ]);
  });

  it('says never for impossible sets and for start-up triggers', () => {
    assert.ok(run(['0 0 30 2 *']).out.includes('    Next elapse: never'));
    assert.ok(
      run(['@reboot']).out.includes('    Next elapse: never from the calendar (runs when the daemon starts)'),
    );
  });

  it('forces a parser with --syntax', () => {
    const { code, err } = run(['hourly'], { syntax: 'cron' });
    assert.equal(code, 1);
    assert.match(err[0] ?? '', /cron: expected 5 fields/);
    assert.equal(run(['hourly']).code, 0);
  });

  it('defaults --after to now', () => {
    const { out } = run(['0 12 * * *'], { after: undefined, json: true });
    assert.deepEqual(JSON.parse(out[0] ?? '').next, ['2026-01-01T12:00:00Z']);
  });

  it('rejects bad options with exit code 2', () => {
    assert.equal(run(['daily'], { tz: 'Mars/Base' }).code, 2);
    assert.equal(run(['daily'], { after: 'yesterday' }).code, 2);
    assert.equal(run(['daily'], { iterations: 0 }).code, 2);
  });
});
