/**
 * systemd-analyze as the oracle of the OnCalendar parser and normaliser: for every expression
 * of the corpus (test/calendar/fixtures/systemd-corpus.txt), the real `systemd-analyze calendar`
 * and cronplane must agree on validity and, exactly, on the normalised form. systemd-analyze is
 * run once per base-time group of the corpus, with all of the group's expressions at once.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it, type TestContext } from 'node:test';

import { compileSchedule } from '../../src/calendar/compile-schedule.ts';
import { CronplaneError } from '../../src/errors/index.ts';
import { normalizeSystemd } from '../../src/calendar/systemd-normalize.ts';
import { parseSystemdCalendar } from '../../src/calendar/systemd-parser.ts';

const ITERATIONS = 5;

interface CorpusEntry {
  readonly expression: string;
  readonly valid: boolean;
  readonly line: number;
}

interface CorpusGroup {
  /** Epoch milliseconds the elapses are computed from. */
  readonly baseMs: number;
  readonly entries: readonly CorpusEntry[];
}

function readCorpus(): CorpusGroup[] {
  const text = readFileSync(new URL('fixtures/systemd-corpus.txt', import.meta.url), 'utf8');
  const groups: { baseMs: number; entries: CorpusEntry[] }[] = [];
  text.split('\n').forEach((raw, index) => {
    if (raw === '' || raw.startsWith('#')) return;
    const base = /^\[base (.+)\]$/.exec(raw);
    if (base !== null) {
      groups.push({ baseMs: Date.parse(base[1] ?? ''), entries: [] });
      return;
    }
    const valid = !raw.startsWith('! ');
    const body = valid ? raw : raw.slice(2);
    const expression = body.startsWith('"') ? (JSON.parse(body) as string) : body;
    const group = groups.at(-1);
    assert.ok(group !== undefined, `corpus line ${index + 1} comes before any [base ...] line`);
    group.entries.push({ expression, valid, line: index + 1 });
  });
  return groups;
}

/** What systemd-analyze said about one expression. */
interface OracleAnswer {
  /** Undefined when systemd refused the expression. */
  readonly normalized?: string;
  /** The next elapses, epoch milliseconds (systemd prints whole seconds). */
  readonly elapses: readonly number[];
}

function isSystemdAnalyzeInstalled(): boolean {
  const probe = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  return probe.error === undefined && probe.status === 0;
}

const ELAPSE_LINE =
  /^\s*(?:Next elapse|Iter\. #\d+): (?:\w{3} (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) UTC|never)$/;

/**
 * One systemd-analyze run for a whole group. Its stdout holds one block per expression, blocks
 * separated by an empty line; a refused expression leaves an empty block (its error goes to stderr).
 */
function askSystemdAnalyze(group: CorpusGroup): OracleAnswer[] {
  const run = spawnSync(
    'systemd-analyze',
    [
      'calendar',
      `--iterations=${ITERATIONS}`,
      `--base-time=@${Math.floor(group.baseMs / 1000)}`,
      '--',
      ...group.entries.map((entry) => entry.expression),
    ],
    { encoding: 'utf8', env: { ...process.env, TZ: 'UTC', LC_ALL: 'C', SYSTEMD_COLORS: '0' } },
  );
  assert.equal(run.error, undefined, `systemd-analyze did not run: ${String(run.error)}`);
  const blocks: string[][] = [[]];
  for (const line of run.stdout.replace(/\n$/, '').split('\n')) {
    if (line === '') blocks.push([]);
    else blocks.at(-1)?.push(line);
  }
  assert.equal(blocks.length, group.entries.length, 'one systemd-analyze block per expression');
  return blocks.map((block) => {
    const normalized = block
      .find((line) => line.startsWith('Normalized form: '))
      ?.slice('Normalized form: '.length);
    const elapses = block.flatMap((line) => {
      const match = ELAPSE_LINE.exec(line);
      return match?.[1] === undefined ? [] : [Date.parse(`${match[1]}T${match[2] ?? ''}Z`)];
    });
    return normalized === undefined ? { elapses } : { normalized, elapses };
  });
}

interface CorpusAnswer extends CorpusEntry {
  readonly baseMs: number;
  readonly systemd: OracleAnswer;
}

let answers: CorpusAnswer[] | undefined;

/** Every corpus expression with systemd-analyze's answer, computed once for all the tests. */
function corpusAnswers(): CorpusAnswer[] {
  answers ??= readCorpus().flatMap((group) => {
    const oracle = askSystemdAnalyze(group);
    return group.entries.map((entry, i) => ({
      ...entry,
      baseMs: group.baseMs,
      systemd: oracle[i] ?? { elapses: [] },
    }));
  });
  return answers;
}

function ourNormalForm(expression: string): string | CronplaneError {
  try {
    return normalizeSystemd(parseSystemdCalendar(expression));
  } catch (error) {
    if (error instanceof CronplaneError) return error;
    throw error;
  }
}

const installed = isSystemdAnalyzeInstalled();

describe('OnCalendar against systemd-analyze', () => {
  it('holds a corpus of at least 150 valid and 50 invalid expressions', () => {
    const entries = readCorpus().flatMap((group) => group.entries);
    assert.ok(entries.filter((entry) => entry.valid).length >= 150);
    assert.ok(entries.filter((entry) => !entry.valid).length >= 50);
  });

  it('agrees with systemd-analyze on which corpus expressions are valid, as the corpus marks them', (t) => {
    if (!installed) {
      t.skip('systemd-analyze not installed');
      return;
    }
    const wrong = corpusAnswers().filter(
      (answer) => (answer.systemd.normalized !== undefined) !== answer.valid,
    );
    assert.deepEqual(
      wrong.map((answer) => `line ${answer.line}: ${JSON.stringify(answer.expression)}`),
      [],
      'corpus markings that systemd-analyze contradicts',
    );
  });

  it('prints exactly the normalised form systemd-analyze prints, for every valid corpus expression', (t) => {
    if (!installed) {
      t.skip('systemd-analyze not installed');
      return;
    }
    const differences = corpusAnswers().flatMap((answer) => {
      if (answer.systemd.normalized === undefined) return [];
      const ours = ourNormalForm(answer.expression);
      const text = ours instanceof CronplaneError ? `error: ${ours.message}` : ours;
      return text === answer.systemd.normalized
        ? []
        : [`${JSON.stringify(answer.expression)}: systemd ${answer.systemd.normalized} | cronplane ${text}`];
    });
    assert.deepEqual(differences, []);
  });

  it('refuses, with a located calendar.invalid error, every corpus expression systemd-analyze refuses', (t) => {
    if (!installed) {
      t.skip('systemd-analyze not installed');
      return;
    }
    const accepted = corpusAnswers().flatMap((answer) => {
      if (answer.systemd.normalized !== undefined) return [];
      const ours = ourNormalForm(answer.expression);
      if (ours instanceof CronplaneError && ours.code === 'calendar.invalid') {
        const position = ours.location?.position ?? -1;
        if (position >= 0 && position <= answer.expression.length) return [];
        return [`${JSON.stringify(answer.expression)}: error without a valid position (${position})`];
      }
      return [`${JSON.stringify(answer.expression)}: cronplane accepted it as ${String(ours)}`];
    });
    assert.deepEqual(accepted, []);
  });

  it('normalises its own normal form to itself, as systemd does', (t) => {
    if (!installed) {
      t.skip('systemd-analyze not installed');
      return;
    }
    const unstable = corpusAnswers().flatMap((answer) => {
      const normalized = answer.systemd.normalized;
      if (normalized === undefined) return [];
      const again = ourNormalForm(normalized);
      return again === normalized ? [] : [`${normalized} -> ${String(again)}`];
    });
    assert.deepEqual(unstable, []);
  });

  it('gives the same next 5 elapses as systemd-analyze, to the second, DST days included', (t) => {
    if (!installed) {
      t.skip('systemd-analyze not installed');
      return;
    }
    const differences = corpusAnswers().flatMap((answer) => {
      if (answer.systemd.normalized === undefined || isKnownDifference(answer)) return [];
      const ours = ourElapses(answer);
      const theirs = answer.systemd.elapses;
      return sameElapses(ours, theirs) ? [] : [describeDifference(answer, ours)];
    });
    assert.deepEqual(differences, []);
  });

  it('still differs from systemd-analyze on each known difference (remove settled ones from the list)', (t) => {
    if (!installed) {
      t.skip('systemd-analyze not installed');
      return;
    }
    const known = corpusAnswers().filter(isKnownDifference);
    assert.equal(
      known.length,
      KNOWN_ELAPSE_DIFFERENCES.length,
      'every known difference names a corpus entry',
    );
    const settled = known.filter((answer) => sameElapses(ourElapses(answer), answer.systemd.elapses));
    assert.deepEqual(
      settled.map((answer) => describeDifference(answer, ourElapses(answer))),
      [],
    );
  });
});

describe('OnCalendar across daylight-saving changes, systemd-analyze and cronplane', () => {
  /** The elapses of one corpus entry from both sides, as ISO strings. */
  function both(
    t: TestContext,
    expression: string,
    base: string,
  ): { systemd: string[]; cronplane: string[] } | undefined {
    if (!installed) {
      t.skip('systemd-analyze not installed');
      return undefined;
    }
    const answer = corpusAnswers().find((a) => a.expression === expression && a.baseMs === Date.parse(base));
    assert.ok(answer !== undefined, `${expression} from ${base} is in the corpus`);
    const iso = (list: readonly number[]): string[] =>
      list.map((ms) => new Date(ms).toISOString().replace('.000', ''));
    return { systemd: iso(answer.systemd.elapses), cronplane: iso(ourElapses(answer)) };
  }

  it('skips a wall-clock time inside the spring-forward gap for that day (02:30 Europe/Berlin)', (t) => {
    const answers = both(t, '*-*-* 02:30 Europe/Berlin', '2026-03-27T00:00:00Z');
    if (answers === undefined) return;
    const expected = ['2026-03-27T01:30:00Z', '2026-03-28T01:30:00Z', '2026-03-30T00:30:00Z'];
    assert.deepEqual(answers.systemd.slice(0, 3), expected);
    assert.deepEqual(answers.cronplane.slice(0, 3), expected);
  });

  it('fires an hourly schedule on the next real hour after the gap', (t) => {
    const answers = both(t, 'hourly Europe/Berlin', '2026-03-29T00:30:00Z');
    if (answers === undefined) return;
    const expected = ['2026-03-29T01:00:00Z', '2026-03-29T02:00:00Z'];
    assert.deepEqual(answers.systemd.slice(0, 2), expected);
    assert.deepEqual(answers.cronplane.slice(0, 2), expected);
  });

  it('fires a repeated wall-clock time once, in the first pass, when computed from before the change', (t) => {
    const answers = both(t, '*-*-* 01:30 America/New_York', '2026-10-31T12:00:00Z');
    if (answers === undefined) return;
    // 01:30 EDT (05:30 UTC) on 1 November; 01:30 EST (06:30 UTC) is not an elapse.
    const expected = ['2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z'];
    assert.deepEqual(answers.systemd.slice(0, 2), expected);
    assert.deepEqual(answers.cronplane.slice(0, 2), expected);
  });

  it('goes on from the first pass straight to the hour after the repeat', (t) => {
    const answers = both(t, '*:00/15 Europe/Berlin', '2026-10-25T00:10:00Z');
    if (answers === undefined) return;
    // 02:15, 02:30, 02:45 CEST, then 03:00 CET: the second pass 02:00-02:59 CET is skipped.
    const expected = [
      '2026-10-25T00:15:00Z',
      '2026-10-25T00:30:00Z',
      '2026-10-25T00:45:00Z',
      '2026-10-25T02:00:00Z',
    ];
    assert.deepEqual(answers.systemd.slice(0, 4), expected);
    assert.deepEqual(answers.cronplane.slice(0, 4), expected);
  });

  it('differs from systemd from inside the second pass: systemd fires there, cronplane waits (known difference)', (t) => {
    const answers = both(t, '*-*-* 01:30 America/New_York', '2026-11-01T06:10:00Z');
    if (answers === undefined) return;
    assert.deepEqual(answers.systemd.slice(0, 2), ['2026-11-01T06:30:00Z', '2026-11-02T06:30:00Z']);
    assert.deepEqual(answers.cronplane.slice(0, 2), ['2026-11-02T06:30:00Z', '2026-11-03T06:30:00Z']);
  });
});

/**
 * Elapses on which cronplane knowingly differs from systemd-analyze, for the lead to settle (see
 * docs/calendar.md, "systemd OnCalendar", DST). All are one case: computed from a base time inside
 * the second pass of a fall-back repeat, systemd takes the wall clock on from the base (resolving
 * the repeated times with the base's offset, so it fires in the second pass), while cronplane's
 * systemd rule (dst-policy.ts, repeat 'first') never fires in a second pass.
 */
const KNOWN_ELAPSE_DIFFERENCES: readonly { readonly expression: string; readonly base: string }[] = [
  { expression: '*:00/15 Europe/Berlin', base: '2026-10-25T01:10:00Z' },
  { expression: '*:30 Europe/Berlin', base: '2026-10-25T01:10:00Z' },
  { expression: '*-*-* 02:30 Europe/Berlin', base: '2026-10-25T01:10:00Z' },
  { expression: '*-*-* 01:30 America/New_York', base: '2026-11-01T06:10:00Z' },
  { expression: '*:00/20 America/New_York', base: '2026-11-01T06:10:00Z' },
  { expression: '*:30 America/New_York', base: '2026-11-01T06:10:00Z' },
];

function isKnownDifference(answer: CorpusAnswer): boolean {
  return KNOWN_ELAPSE_DIFFERENCES.some(
    (known) => known.expression === answer.expression && Date.parse(known.base) === answer.baseMs,
  );
}

/** cronplane's next elapses for a corpus entry, truncated to the second as systemd prints them. */
function ourElapses(answer: CorpusAnswer): number[] {
  return compileSchedule(parseSystemdCalendar(answer.expression), { timezone: 'UTC' })
    .upcoming(answer.baseMs, ITERATIONS)
    .map((ms) => Math.floor(ms / 1000) * 1000);
}

function sameElapses(ours: readonly number[], theirs: readonly number[]): boolean {
  return ours.length === theirs.length && ours.every((ms, i) => ms === theirs[i]);
}

function describeDifference(answer: CorpusAnswer, ours: readonly number[]): string {
  const show = (list: readonly number[]): string => list.map((ms) => new Date(ms).toISOString()).join(' ');
  const from = new Date(answer.baseMs).toISOString();
  return `${JSON.stringify(answer.expression)} from ${from}:\n  systemd   ${show(answer.systemd.elapses)}\n  cronplane ${show(ours)}`;
}
