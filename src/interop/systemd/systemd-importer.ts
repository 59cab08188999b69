/**
 * systemd timers as cronplane jobs: each `.timer` with the `.service` it starts (beside it by
 * name, or named by `Unit=`), drop-ins (`NAME.timer.d/*.conf`) applied after their unit, one job
 * per timer. What a job cannot say is a warning with its file:line (docs/interop.md lists them).
 */
import path from 'node:path';
import type { ImportedJob, ImportResult, ImportWarning, Importer, SourceFile } from '../import-result.ts';
import { ImportProblemsError } from '../import-problems.ts';
import { escapeSubstitution } from '../escape-job-file-text.ts';
import { resolveSpecifiers } from './exec-command.ts';
import type { UnitEntry, UnitFile } from './parse-unit-file.ts';
import { lastEntry, parseUnitFile, withDropIn } from './parse-unit-file.ts';
import { serviceKeys, serviceToEntry } from './service-to-entry.ts';
import { timerKeys, timerToEntry } from './timer-to-entry.ts';

interface Unit {
  readonly name: string;
  readonly file: string;
  unit: UnitFile;
}

const unitName = /\.(timer|service)$/;
const dropInPath = /([^/\\]+\.(?:timer|service))\.d[/\\][^/\\]+\.conf$/;

export const systemdImporter: Importer = {
  format: 'systemd',
  recognises: (file) =>
    unitName.test(file.path) || dropInPath.test(file.path) || /^\s*\[(Timer|Service)\]\s*$/m.test(file.text),
  importFiles,
};

function importFiles(files: readonly SourceFile[]): ImportResult {
  const warnings: ImportWarning[] = [];
  const warn = (entry: UnitEntry, message: string, action: string) =>
    warnings.push({ file: entry.file, line: entry.line, message, action });

  const units = new Map<string, Unit>();
  for (const file of files) {
    const name = path.basename(file.path);
    if (unitName.test(name))
      units.set(name, { name, file: file.path, unit: parseUnitFile(file.path, file.text) });
  }
  const dropIns = files
    .filter((file) => !unitName.test(file.path) && dropInPath.test(file.path))
    .toSorted((a, b) => path.basename(a.path).localeCompare(path.basename(b.path)));
  for (const file of dropIns) {
    const target = units.get(dropInPath.exec(file.path)?.[1] as string);
    if (target === undefined) {
      warnings.push({
        file: file.path,
        line: null,
        message: 'a drop-in for a unit not given',
        action: 'not imported',
      });
      continue;
    }
    target.unit = withDropIn(target.unit, parseUnitFile(file.path, file.text));
  }
  for (const file of files) {
    if (!units.has(path.basename(file.path)) && !dropIns.includes(file)) {
      warnings.push({
        file: file.path,
        line: null,
        message: 'not a .timer or .service unit',
        action: 'not imported',
      });
    }
  }

  const jobs: ImportedJob[] = [];
  const used = new Set<string>();
  let zoneWarned = false;
  for (const timer of units.values()) {
    if (!timer.name.endsWith('.timer')) continue;
    const { job, service, localCalendar } = importTimer(timer, units, warn, jobs);
    jobs.push(job);
    used.add(service.name);
    if (localCalendar !== undefined && !zoneWarned) {
      zoneWarned = true;
      warn(
        localCalendar,
        "OnCalendar= without a zone is in the machine's local time",
        "kept: the job file reads it in its timezone (UTC unless set); set timezone: to the machine's zone",
      );
    }
  }
  for (const unit of units.values()) {
    if (unit.name.endsWith('.service') && !used.has(unit.name)) {
      warnings.push({
        file: unit.file,
        line: null,
        message: 'no timer given starts this service',
        action: 'not imported',
      });
    }
  }
  return { jobs, channels: {}, alerts: [], warnings };
}

function importTimer(
  timer: Unit,
  units: ReadonlyMap<string, Unit>,
  warn: (entry: UnitEntry, message: string, action: string) => void,
  earlier: readonly ImportedJob[],
): { job: ImportedJob; service: Unit; localCalendar: UnitEntry | undefined } {
  const fields = timerToEntry(timer.unit, warn);
  const wanted =
    fields.unit === undefined
      ? timer.name.replace(/\.timer$/, '.service')
      : resolveSpecifiers(fields.unit.value, { unitName: timer.name }, []);
  const template = wanted.replace(/@[^.]*\./, '@.');
  const service = units.get(wanted) ?? units.get(template);
  if (service === undefined) {
    throw new ImportProblemsError([
      {
        file: timer.file,
        line: fields.unit?.line ?? null,
        message: `the timer starts ${wanted}, which is not among the files given: give the service beside the timer`,
      },
    ]);
  }
  const serviceName = { unitName: wanted };
  if (/@\.timer$/.test(timer.name)) {
    warn(
      timer.unit.entries[0] ?? { section: '', key: '', value: '', file: timer.file, line: 1 },
      `${timer.name} is a template: systemd runs one timer per instance (${timer.name.replace('@.', '@NAME.')})`,
      'imported once, with %i and %I left as written',
    );
  }

  const entry: Record<string, unknown> = {};
  const description =
    lastEntry(service.unit, 'Unit', 'Description') ?? lastEntry(timer.unit, 'Unit', 'Description');
  if (description !== undefined && description.value !== '') {
    entry['description'] = escapeSubstitution(resolveSpecifiers(description.value, serviceName, []));
  }
  Object.assign(entry, fields.entry);
  if (entry['schedule'] === undefined) {
    warnTimer(
      timer,
      'the timer has no OnCalendar=, OnBootSec= or OnUnitActiveSec=',
      'imported without a schedule: it runs only when triggered',
      warn,
    );
  }
  const burst = lastEntry(service.unit, 'Unit', 'StartLimitBurst');
  serviceToEntry(
    service.unit,
    serviceName,
    entry,
    warn,
    burst === undefined ? undefined : Number(burst.value),
  );

  const comments = [`from ${timer.name} and ${service.name}`];
  for (const unit of [timer, service]) {
    for (const line of unit.unit.entries) {
      if (line.section === 'Unit' && line.key === 'Documentation')
        comments.push(`Documentation: ${line.value}`);
    }
    warnOthers(unit, unit === timer ? 'Timer' : 'Service', unit === timer ? timerKeys : serviceKeys, warn);
  }
  return {
    job: { name: uniqueName(timer.name, earlier), entry, comments, source: { file: timer.file, line: null } },
    service,
    localCalendar: fields.localCalendar,
  };
}

function warnTimer(
  unit: Unit,
  message: string,
  action: string,
  warn: (entry: UnitEntry, message: string, action: string) => void,
): void {
  const first = unit.unit.entries.find((entry) => entry.section === 'Timer');
  warn(first ?? { section: 'Timer', key: '', value: '', file: unit.file, line: 1 }, message, action);
}

const ordering = new Set([
  'After',
  'Before',
  'Requires',
  'Wants',
  'BindsTo',
  'PartOf',
  'Conflicts',
  'Requisite',
  'Upholds',
  'OnFailure',
  'OnSuccess',
]);

/** A warning for every assignment this importer does not read. */
function warnOthers(
  unit: Unit,
  main: string,
  known: ReadonlySet<string>,
  warn: (entry: UnitEntry, message: string, action: string) => void,
): void {
  for (const line of unit.unit.entries) {
    if (line.section === main && known.has(line.key)) continue;
    if (
      line.section === 'Unit' &&
      ['Description', 'Documentation', 'StartLimitBurst', 'StartLimitIntervalSec'].includes(line.key)
    )
      continue;
    const setting = `[${line.section}] ${line.key}=${line.value}`;
    if (line.section === 'Install') {
      warn(
        line,
        `${setting} enables the unit at boot`,
        'dropped: a job is active while the cronplane daemon runs',
      );
    } else if (line.section === 'Unit' && ordering.has(line.key)) {
      warn(
        line,
        `${setting} ties this unit to others`,
        'dropped: a job starts on its own schedule (use after: for a chain)',
      );
    } else if (line.section === 'Unit' && /^(Condition|Assert)/.test(line.key)) {
      warn(
        line,
        `${setting} is checked before each start`,
        'dropped: write a condition: command if it matters',
      );
    } else {
      warn(line, `${setting} has no counterpart in the job file`, 'dropped');
    }
  }
}

/** The timer's name as a job name (`pg_dump@.timer` → `pg_dump`), unique within the result. */
function uniqueName(timerName: string, earlier: readonly ImportedJob[]): string {
  const base =
    timerName
      .replace(/\.timer$/, '')
      .replace(/@$/, '')
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '')
      .slice(0, 90) || 'timer';
  let name = base;
  for (let n = 2; earlier.some((job) => job.name === name); n++) name = `${base}-${n}`;
  return name;
}
