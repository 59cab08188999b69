import { ImportProblemsError } from '../import-problems.ts';
import type { Importer, ImportResult, SourceFile } from '../import-result.ts';
import { isCrontabName, isSystemCrontab } from './is-system-crontab.ts';
import { parseCrontabLine } from './parse-crontab-line.ts';
import type { CrontabImport } from './read-crontab-file.ts';
import { readCrontabFile } from './read-crontab-file.ts';

export interface CrontabImporterOptions {
  /** Read every file as a system crontab (with a user field), or none; by default by its path. */
  readonly system?: boolean;
  /** The zone cron reads a schedule in when the crontab names none; the machine's by default. */
  readonly localTimeZone?: () => string;
}

/**
 * The crontab importer: user crontabs and system ones (`/etc/crontab`, `/etc/cron.d/*`), each
 * entry a job (see docs/interop.md for the mapping and every warning). Throws an `ImportProblemsError`
 * naming each line it cannot read; then nothing is imported.
 */
export function createCrontabImporter(options: CrontabImporterOptions = {}): Importer {
  const systemOf = (file: string) => options.system ?? isSystemCrontab(file);
  return {
    format: 'crontab',
    recognises: (file) => isCrontabName(file.path) || looksLikeCrontab(file, systemOf(file.path)),
    importFiles(files: readonly SourceFile[]): ImportResult {
      const into: CrontabImport = {
        names: new Set(),
        channels: new Map(),
        jobs: [],
        warnings: [],
        problems: [],
        localTimeZone: options.localTimeZone?.() ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC',
      };
      for (const file of files) readCrontabFile(file, systemOf(file.path), into);
      if (into.problems.length > 0) throw new ImportProblemsError(into.problems);
      return {
        jobs: into.jobs,
        channels: Object.fromEntries([...into.channels].map(([name, { entry }]) => [name, entry])),
        alerts: [],
        warnings: into.warnings,
      };
    },
  };
}

/** The crontab importer with the machine's local zone and system crontabs found by their path. */
export const crontabImporter: Importer = createCrontabImporter();

/** Every line blank, a comment, a setting or an entry, and at least one entry. */
function looksLikeCrontab(file: SourceFile, system: boolean): boolean {
  let entries = 0;
  for (const text of file.text.split('\n')) {
    const line = parseCrontabLine(text.replace(/\r$/, ''), system);
    if (line.kind === 'invalid') return false;
    if (line.kind === 'entry') {
      if (!/^(@\w+|([0-9A-Za-z*][0-9A-Za-z*,/-]*\s){4}[0-9A-Za-z*,/?-]+)$/.test(line.schedule)) return false;
      entries++;
    }
  }
  return entries > 0;
}
