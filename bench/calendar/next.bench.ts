/**
 * Calendar next() throughput: cronplane against croner and cron-parser, in one process, on the
 * same expressions, chaining next() from a fixed start instant (back to the start when a result
 * passes 2100 or there is none). Each library first runs the chain once to 2100 (at most 1.5 s), so
 * one-time work such as cronplane's per-zone, per-year offset cache is not measured: the figures
 * are the steady state of a long-running daemon. Prints a Markdown table of calls per second and
 * cronplane's ratio to each. Run with `npm run bench:calendar`; not part of `npm test`.
 *
 * croner gets its fastest correct set-up for UTC rows (`utcOffset: 0`, no Intl); the zone rows
 * give every library the IANA zone.
 */
import { cpus } from 'node:os';
import { Cron } from 'croner';
import { CronExpressionParser } from 'cron-parser';
import { compileSchedule, parseSchedule } from '../../src/calendar/index.ts';

const START = Date.parse('2026-01-01T00:00:00Z');
const RESET = Date.parse('2100-01-01T00:00:00Z');
const WARM_MS = 60;
const MEASURE_MS = 250;

const CASES: readonly (readonly [string, string])[] = [
  ['simple', '* * * * *'],
  ['stepped', '*/5 * * * *'],
  ['fixed daily', '0 2 * * *'],
  ['weekday list', '0 9 * * 1-5'],
  ['L', '0 0 L * *'],
  ['#', '0 0 * * 5#3'],
  ['W', '0 0 15W * *'],
  ['sparse', '0 0 29 2 *'],
  ['seconds', '*/10 * * * * *'],
  ['seconds, fixed', '30 0 12 * * *'],
];
const ZONES = ['UTC', 'America/New_York'];

type Step = (cursor: number) => number | null;

/** Calls per second of `step`, chained from START for about `ms` milliseconds. */
function measure(step: Step, ms: number): number {
  let cursor = START;
  let calls = 0;
  const began = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 200; i++) {
      const next = step(cursor);
      cursor = next === null || next >= RESET ? START : next;
    }
    calls += 200;
    elapsed = performance.now() - began;
  }
  return (calls * 1000) / elapsed;
}

function ours(expr: string, zone: string): Step {
  const schedule = compileSchedule(parseSchedule(expr), { timezone: zone });
  return (cursor) => schedule.next(cursor);
}

function croner(expr: string, zone: string): Step | undefined {
  try {
    const cron = new Cron(expr, zone === 'UTC' ? { utcOffset: 0 } : { timezone: zone });
    return (cursor) => cron.nextRun(new Date(cursor))?.getTime() ?? null;
  } catch {
    return undefined;
  }
}

function cronParser(expr: string, zone: string): Step | undefined {
  try {
    CronExpressionParser.parse(expr, { currentDate: new Date(START), tz: zone });
  } catch {
    return undefined;
  }
  // Its natural chained use is one iterator; re-created when our cursor resets.
  let iterator = CronExpressionParser.parse(expr, { currentDate: new Date(START), tz: zone });
  return (cursor) => {
    if (cursor === START)
      iterator = CronExpressionParser.parse(expr, { currentDate: new Date(START), tz: zone });
    try {
      return iterator.next().getTime();
    } catch {
      return null;
    }
  };
}

/** Runs the chain until it has wrapped once (every year and zone cache is warm), at most 1.5 s. */
function warm(step: Step): void {
  let cursor = START;
  const began = performance.now();
  while (performance.now() - began < 1500) {
    for (let i = 0; i < 200; i++) {
      const next = step(cursor);
      if (next === null || next >= RESET) return;
      cursor = next;
    }
  }
}

function run(step: Step | undefined): number | undefined {
  if (step === undefined) return undefined;
  warm(step);
  measure(step, WARM_MS);
  return measure(step, MEASURE_MS);
}

const format = (ops: number | undefined): string =>
  ops === undefined ? 'n/a' : Math.round(ops).toLocaleString('en-US');
const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined ? 'n/a' : `${(a / b).toFixed(1)}x`;

console.log(`machine: ${cpus().length} CPUs, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
console.log('');
console.log(
  '| class | expression | zone | cronplane ops/s | croner ops/s | cron-parser ops/s | vs croner | vs cron-parser |',
);
console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |');
let slowest = Infinity;
for (const zone of ZONES) {
  for (const [label, expr] of CASES) {
    const mine = run(ours(expr, zone));
    const theirs = run(croner(expr, zone));
    const parser = run(cronParser(expr, zone));
    for (const other of [theirs, parser])
      if (mine !== undefined && other !== undefined) slowest = Math.min(slowest, mine / other);
    console.log(
      `| ${label} | \`${expr}\` | ${zone} | ${format(mine)} | ${format(theirs)} | ${format(parser)} | ${ratio(mine, theirs)} | ${ratio(mine, parser)} |`,
    );
  }
}
console.log('');
console.log(`smallest ratio: ${slowest.toFixed(1)}x`);
