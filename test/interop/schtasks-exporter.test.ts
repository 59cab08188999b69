/**
 * The Task Scheduler exporter: each task XML parses, follows the schema 1.2 order for the parts
 * written, and its triggers, evaluated here (the subset the exporter writes: CalendarTrigger by
 * day, week, month and month-day-of-week with Repetition; TimeTrigger repeating), give the same
 * next 100 fires as cronplane's calendar engine for the job's schedules.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { compileSchedule, wallToInstant } from '../../src/calendar/index.ts';
import type { ResolvedJob } from '../../src/config/index.ts';
import { schtasksExporter } from '../../src/interop/index.ts';
import type { ExportResult } from '../../src/interop/index.ts';
import { loadJob } from './export-fixtures.ts';

/** An element as fast-xml-parser gives it with preserveOrder: its name → its children, and `:@` attributes. */
type Ordered = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  parseTagValue: false,
  trimValues: true,
});

function nameOf(node: Ordered): string {
  return Object.keys(node).find((key) => key !== ':@') ?? '';
}
function childrenOf(node: Ordered): Ordered[] {
  return (node[nameOf(node)] as Ordered[] | undefined) ?? [];
}
function child(node: Ordered, name: string): Ordered | undefined {
  return childrenOf(node).find((each) => nameOf(each) === name);
}
function textOf(node: Ordered | undefined): string {
  const [first] = node === undefined ? [] : childrenOf(node);
  return first === undefined ? '' : String(first['#text'] ?? '');
}

/** Names must follow `order` (each at most once unless repeatable), the required ones present. */
function assertOrder(node: Ordered, order: readonly string[], required: readonly string[]): void {
  const names = childrenOf(node).map(nameOf);
  let at = 0;
  for (const name of names) {
    const index = order.indexOf(name, at);
    assert.ok(
      index >= 0,
      `${nameOf(node)}: ${name} is not in the order ${order.join(', ')} after ${order[at - 1] ?? 'start'}`,
    );
    at = index + 1;
  }
  for (const name of required) assert.ok(names.includes(name), `${nameOf(node)} needs ${name}`);
}

const scheduleBy = ['ScheduleByDay', 'ScheduleByWeek', 'ScheduleByMonth', 'ScheduleByMonthDayOfWeek'];
const triggerOrder = [
  'Enabled',
  'StartBoundary',
  'EndBoundary',
  'Repetition',
  'ExecutionTimeLimit',
  'RandomDelay',
];

/** The task of one XML file, checked against the schema's structure for the parts used. */
function parseTask(xml: string): Ordered {
  assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/);
  const doc = parser.parse(xml) as Ordered[];
  const task = doc.find((node) => nameOf(node) === 'Task');
  assert.ok(task !== undefined, 'a Task element');
  assert.deepEqual(task[':@'], {
    '@_version': '1.2',
    '@_xmlns': 'http://schemas.microsoft.com/windows/2004/02/mit/task',
  });
  const parts = childrenOf(task).map(nameOf);
  assert.equal(new Set(parts).size, parts.length, 'each part of a task once (xs:all)');
  for (const part of parts)
    assert.ok(['RegistrationInfo', 'Triggers', 'Settings', 'Data', 'Principals', 'Actions'].includes(part));
  const actions = child(task, 'Actions');
  assert.ok(actions !== undefined, 'Actions is required');
  for (const exec of childrenOf(actions)) {
    assert.equal(nameOf(exec), 'Exec');
    assertOrder(exec, ['Command', 'Arguments', 'WorkingDirectory'], ['Command']);
  }
  for (const trigger of childrenOf(child(task, 'Triggers') ?? {})) {
    const kind = nameOf(trigger);
    if (kind === 'BootTrigger') continue;
    assert.ok(['CalendarTrigger', 'TimeTrigger'].includes(kind), kind);
    assertOrder(
      trigger,
      [...triggerOrder, ...(kind === 'CalendarTrigger' ? ['ScheduleBy'] : [])].flatMap((name) =>
        name === 'ScheduleBy' ? scheduleBy : [name],
      ),
      ['StartBoundary'],
    );
    if (kind === 'CalendarTrigger')
      assert.equal(
        childrenOf(trigger).filter((each) => scheduleBy.includes(nameOf(each))).length,
        1,
        'one ScheduleBy...',
      );
    const repetition = child(trigger, 'Repetition');
    if (repetition !== undefined)
      assert.ok(child(repetition, 'Interval') !== undefined, 'Repetition needs Interval');
  }
  return task;
}

const dayMs = 86_400_000;
const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function durationMs(text: string): number {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text);
  assert.ok(match, `an ISO 8601 duration: ${text}`);
  const [, d = '0', h = '0', m = '0', s = '0'] = match;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60_000 + Number(s) * 1000;
}
const namesIn = (node: Ordered | undefined) => (node === undefined ? [] : childrenOf(node).map(nameOf));

/** Whether a CalendarTrigger's rule takes the (UTC-read) wall day `day`. */
function takesDay(rule: Ordered, day: Date, startDay: number): boolean {
  const month = monthNames[day.getUTCMonth()] ?? '';
  const weekday = weekdays[day.getUTCDay()] ?? '';
  const date = day.getUTCDate();
  const daysInMonth = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 0)).getUTCDate();
  switch (nameOf(rule)) {
    case 'ScheduleByDay':
      return (
        (Math.floor(day.getTime() / dayMs) - startDay) %
          Number(textOf(child(rule, 'DaysInterval')) || '1') ===
        0
      );
    case 'ScheduleByWeek':
      assert.equal(textOf(child(rule, 'WeeksInterval')), '1');
      return namesIn(child(rule, 'DaysOfWeek')).includes(weekday);
    case 'ScheduleByMonth': {
      const days = childrenOf(child(rule, 'DaysOfMonth') ?? {}).map((each) => textOf(each));
      return (
        namesIn(child(rule, 'Months')).includes(month) &&
        (days.includes(String(date)) || (days.includes('Last') && date === daysInMonth))
      );
    }
    case 'ScheduleByMonthDayOfWeek': {
      const weeks = childrenOf(child(rule, 'Weeks') ?? {}).map((each) => textOf(each));
      const week =
        weeks.includes(String(Math.ceil(date / 7))) || (weeks.includes('Last') && date > daysInMonth - 7);
      return (
        namesIn(child(rule, 'Months')).includes(month) &&
        namesIn(child(rule, 'DaysOfWeek')).includes(weekday) &&
        week
      );
    }
    default:
      assert.fail(`unknown rule ${nameOf(rule)}`);
  }
}

/** The next `count` fires after `from` of a task's triggers, its wall times read in `zone`. */
function taskFires(task: Ordered, zone: string, from: number, count: number): number[] {
  const fires = new Set<number>();
  for (const trigger of childrenOf(child(task, 'Triggers') ?? {})) {
    const start = Date.parse(`${textOf(child(trigger, 'StartBoundary'))}Z`);
    const repetition = child(trigger, 'Repetition');
    const interval = repetition === undefined ? 0 : durationMs(textOf(child(repetition, 'Interval')));
    if (nameOf(trigger) === 'TimeTrigger') {
      assert.equal(child(repetition ?? {}, 'Duration'), undefined, 'repeats forever');
      // Wall times from a day before `from`: the zone's offset is at most a day.
      const first = start + Math.max(0, Math.floor((from - dayMs - start) / interval)) * interval;
      for (let k = 0; k <= count + (2 * dayMs) / interval; k++)
        fires.add(wallToInstant(first + k * interval, zone));
      continue;
    }
    const duration = repetition === undefined ? 0 : durationMs(textOf(child(repetition, 'Duration')));
    const rule = childrenOf(trigger).find((each) => scheduleBy.includes(nameOf(each)));
    assert.ok(rule);
    const timeOfDay = start % dayMs;
    const startDay = Math.floor(start / dayMs);
    let found = 0;
    for (
      let day = Math.max(startDay, Math.floor(from / dayMs) - 1);
      found <= count && day < startDay + 400 * 366;
      day++
    ) {
      if (!takesDay(rule, new Date(day * dayMs), startDay)) continue;
      for (let offset = 0; offset === 0 || offset < duration; offset += interval || Infinity) {
        const at = wallToInstant(day * dayMs + timeOfDay + offset, zone);
        if (at > from) {
          fires.add(at);
          found++;
        }
      }
    }
  }
  return [...fires]
    .filter((at) => at > from)
    .sort((a, b) => a - b)
    .slice(0, count);
}

function engineFires(job: ResolvedJob, from: number, count: number): number[] {
  const fires = new Set<number>();
  for (const schedule of job.schedules)
    for (const at of compileSchedule(schedule.spec, { timezone: job.timezone }).upcoming(from, count))
      fires.add(at);
  return [...fires].sort((a, b) => a - b).slice(0, count);
}

function exportOne(lines: string, name?: string): ExportResult & { tasks: Ordered[]; job: ResolvedJob } {
  const { job, file } = loadJob(lines, name);
  const result = schtasksExporter.exportJobs([job], { configPath: file });
  const tasks = result.files.filter((each) => each.path.endsWith('.xml')).map((each) => parseTask(each.text));
  return { ...result, tasks, job };
}
const warningsOf = (result: ExportResult) =>
  result.warnings.map((w) => `${w.message} (${w.action})`).join('\n');
const from = Date.parse('2026-01-05T12:34:00Z');

describe("schtasks exporter: the next 100 fires of the triggers equal the engine's", () => {
  const cases: [string, string, number][] = [
    ['daily at 03:00 (seed 003)', '"0 3 * * *"', 1],
    ['every 5 minutes 9-17 on weekdays', '"*/5 9-17 * * 1-5"', 1],
    ['two minutes at two hours', '"0,30 9,13 * * *"', 2],
    ['minutes 5 and 10 every 6 hours', '"5,10 */6 * * *"', 2],
    ['day of month OR weekday', '"0 0 13 * 5"', 2],
    ['the last day of the month', '"15 10 L * *"', 1],
    ['Mondays of some months', '"0 12 * 3,6,9,12 1"', 1],
    ['the first Friday (day 1-7 AND Friday)', '"Fri *-*-01..07 09:00:00"', 1],
    ['the third Friday', '"0 9 * * 5#3"', 1],
    ['the last Friday', '"0 9 * * 5L"', 1],
    ['@weekly', '"@weekly"', 1],
    ['every 15 minutes', 'every 15m', 1],
    ['every 6 hours', 'every 6h', 1],
    ['every 7 minutes', 'every 7m', 1],
    ['several schedules', '["30 4 * * 1", "0 22 1,15 * *"]', 2],
  ];
  for (const [title, schedule, triggers] of cases) {
    for (const zone of ['UTC', 'Europe/Berlin']) {
      if (zone !== 'UTC' && /every (6h|7m)/.test(schedule)) continue; // counted from the epoch in UTC
      it(`${title} in ${zone}`, () => {
        const result = exportOne(`schedule: ${schedule}\ntimezone: ${zone}\nrun: ["backup.exe", "--all"]`);
        assert.equal(result.tasks.length, 1);
        const task = result.tasks[0] ?? {};
        assert.equal(childrenOf(child(task, 'Triggers') ?? {}).length, triggers);
        assert.deepEqual(
          taskFires(task, zone, from, 100).map((at) => new Date(at).toISOString()),
          engineFires(result.job, from, 100).map((at) => new Date(at).toISOString()),
        );
      });
    }
  }

  const refused: [string, string, RegExp][] = [
    ['seconds', '"*-*-* 04:00:30"', /seconds other than 0/],
    ['a year', '"2030-01-01 00:00:00"', /years/],
    ['the nearest weekday', '"0 0 15W * *"', /nearest weekday/],
    ['a fifth weekday', '"0 9 * * 5#5"', /fifth weekday/],
    ['a day of month AND a weekday that is no week', '"Fri *-*-13 00:00:00"', /AND a weekday/],
    ['more than 48 triggers', '"0,7,13,22 0,1,3,6,10,15,21,22,23,2,4,5,7 * * *"', /52 triggers/],
    ['seconds in an interval', 'every 90s', /whole minutes/],
  ];
  for (const [title, schedule, reason] of refused) {
    it(`leaves out a schedule with ${title}, and the job when nothing is left`, () => {
      const result = exportOne(`schedule: ${schedule}\nrun: backup`);
      assert.deepEqual(result.files, []);
      assert.match(warningsOf(result), reason);
      assert.match(warningsOf(result), /no schedule of the job has a Task Scheduler form/);
    });
  }
});

describe('schtasks exporter: the task', () => {
  it("writes seed 003's task: python -m src.maintenance.cron_entry started in C:\\path\\to\\datapilot-ai daily at 3:00", () => {
    const result = exportOne(
      'description: DataPilot AI Cleanup\nschedule: "0 3 * * *"\nrun: ["python", "-m", "src.maintenance.cron_entry"]\ncwd: \'C:\\path\\to\\datapilot-ai\'',
      'datapilot-cleanup',
    );
    const exec = child(child(result.tasks[0] ?? {}, 'Actions') ?? {}, 'Exec') ?? {};
    assert.equal(textOf(child(exec, 'Command')), 'python');
    assert.equal(textOf(child(exec, 'Arguments')), '-m src.maintenance.cron_entry');
    assert.equal(textOf(child(exec, 'WorkingDirectory')), 'C:\\path\\to\\datapilot-ai');
    const trigger = child(child(result.tasks[0] ?? {}, 'Triggers') ?? {}, 'CalendarTrigger') ?? {};
    assert.equal(textOf(child(trigger, 'StartBoundary')), '2000-01-01T03:00:00');
    assert.deepEqual(
      result.files.map((file) => file.path),
      ['datapilot-cleanup.xml', 'register.cmd'],
    );
    assert.match(
      result.files[1]?.text ?? '',
      /^schtasks \/create \/xml "datapilot-cleanup\.xml" \/tn "cronplane\\datapilot-cleanup" \/f\r$/m,
    );
    assert.match(warningsOf(result), /StartBoundary in the machine's zone; the times are wall times of UTC/);
  });

  it('maps concurrency, timeout, retries, random delay, catch-up and enabled into Settings and triggers', () => {
    const settingsOf = (lines: string) => {
      const result = exportOne(`schedule: "0 3 * * *"\nrun: backup\n${lines}`);
      const task = result.tasks[0] ?? {};
      return { settings: child(task, 'Settings') ?? {}, task, result };
    };
    for (const [concurrency, policy] of [
      ['forbid', 'IgnoreNew'],
      ['queue', 'Queue'],
      ['allow', 'Parallel'],
      ['replace', 'StopExisting'],
    ]) {
      const { settings } = settingsOf(`concurrency: ${concurrency}`);
      assert.equal(textOf(child(settings, 'MultipleInstancesPolicy')), policy);
    }
    const { settings, task, result } = settingsOf(
      'timeout: 90m\nretry: { attempts: 3, delay: 30s, backoff: exponential }\nrandomized_delay: 5m\ncatch_up: once\nenabled: false',
    );
    assert.equal(textOf(child(settings, 'ExecutionTimeLimit')), 'PT1H30M');
    const restart = child(settings, 'RestartOnFailure') ?? {};
    assert.equal(textOf(child(restart, 'Interval')), 'PT1M');
    assert.equal(textOf(child(restart, 'Count')), '2');
    assert.equal(textOf(child(settings, 'StartWhenAvailable')), 'true');
    assert.equal(textOf(child(settings, 'Enabled')), 'false');
    const trigger = child(child(task, 'Triggers') ?? {}, 'CalendarTrigger') ?? {};
    assert.equal(textOf(child(trigger, 'RandomDelay')), 'PT5M');
    assert.match(warningsOf(result), /Task Scheduler restarts after whole minutes/);
    assert.match(warningsOf(result), /back-off and jitter/);
    assert.equal(textOf(child(settingsOf('').settings, 'ExecutionTimeLimit')), 'PT0S');
  });

  it('escapes XML and quotes arguments as CommandLineToArgvW reads them', () => {
    const result = exportOne(
      'description: "R&D <nightly> \\"run\\""\nschedule: "0 3 * * *"\nrun: ["tool.exe", "a b", "say \\"hi\\"", "C:\\\\dir\\\\", ""]',
    );
    const text = result.files[0]?.text ?? '';
    assert.match(text, /<Description>R&amp;D &lt;nightly&gt; "run"<\/Description>/);
    const exec = child(child(result.tasks[0] ?? {}, 'Actions') ?? {}, 'Exec') ?? {};
    assert.equal(textOf(child(exec, 'Arguments')), String.raw`"a b" "say \"hi\"" C:\dir\ ""`);
  });

  it('writes one task per fan-out key, a @reboot as a BootTrigger, and a shell line through cmd.exe with a warning', () => {
    const result = exportOne(
      'schedule: ["@reboot"]\nshell: true\nrun: "report {tenant} && echo done"\nfor_each: { tenant: [acme, globex] }',
    );
    assert.deepEqual(
      result.files.map((file) => file.path),
      ['nightly-acme.xml', 'nightly-globex.xml', 'register.cmd'],
    );
    assert.deepEqual(namesIn(child(result.tasks[0] ?? {}, 'Triggers')), ['BootTrigger']);
    const exec = child(child(result.tasks[1] ?? {}, 'Actions') ?? {}, 'Exec') ?? {};
    assert.equal(textOf(child(exec, 'Command')), 'cmd.exe');
    assert.equal(textOf(child(exec, 'Arguments')), '/d /c "report globex && echo done"');
    assert.match(warningsOf(result), /shell line is written for \/bin\/sh/);
  });

  it('never writes an env value or secret, and warns what a task cannot say', () => {
    const result = exportOne(
      'schedule: "0 3 * * *"\nrun: backup\nenv: { TOKEN: { secret: "s3cr3t-value" }, MODE: fast }\nguards: { slow: { metric: ms, above: 5 } }\nuser: svc',
    );
    assert.doesNotMatch(JSON.stringify(result.files), /s3cr3t-value|fast/);
    const warnings = warningsOf(result);
    assert.match(warnings, /a task has no environment of its own \(TOKEN, MODE\)/);
    assert.match(warnings, /a task cannot say guards/);
    assert.match(warnings, /\/ru svc/);
  });
});

describe('schtasks exporter: pre steps, dry-run variable, alert and skipped fires', () => {
  it('warns that a task cannot run the pre: steps, and that the program runs without them', () => {
    const result = exportOne(
      'schedule: "0 3 * * *"\npre: [check-ready, [sqlite3, db, "PRAGMA optimize"]]\nrun: backup',
    );
    assert.match(
      warningsOf(result),
      /a task cannot run pre: steps \(2\) before its program and stop when one fails/,
    );
  });

  it('names the dry_run.env variable among those a task has no place for, alert: and skipped_fires among what it cannot say', () => {
    const result = exportOne(
      'schedule: "0 3 * * *"\nrun: backup\ndry_run: { env: BACKUP_DRY_RUN }\nalert: { include: [rows] }\nwatch: { skipped_fires: 4 }',
    );
    assert.match(warningsOf(result), /a task has no environment of its own \(BACKUP_DRY_RUN\)/);
    assert.match(
      warningsOf(result),
      /a task cannot say watch rules \(skipped_fires\), alert evidence \(alert:\)/,
    );
  });
});
