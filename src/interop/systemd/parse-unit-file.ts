/**
 * A systemd unit file read as systemd.syntax(7) says: `[Section]` headers, `Key=value` lines,
 * comments starting with `#` or `;`, a trailing `\` continuing a line (comment lines inside a
 * continuation are skipped), repeated keys kept in order. Drop-ins are more files of the same
 * shape whose entries follow the unit's own.
 */
import { ImportProblemsError } from '../import-problems.ts';

export interface UnitEntry {
  readonly section: string;
  readonly key: string;
  readonly value: string;
  /** Where the assignment starts. */
  readonly file: string;
  readonly line: number;
}

export interface UnitFile {
  /** Every assignment in file order (the unit's, then its drop-ins'). */
  readonly entries: readonly UnitEntry[];
}

/** Parses one unit file; throws an import error naming file:line for a line that is not an assignment. */
export function parseUnitFile(file: string, text: string): UnitFile {
  const lines = text.split(/\r?\n/);
  const entries: UnitEntry[] = [];
  let section: string | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    let content = (lines[index] ?? '').trim();
    if (content === '' || content.startsWith('#') || content.startsWith(';')) continue;
    if (content.startsWith('[')) {
      const match = /^\[([^\]]+)\]$/.exec(content);
      if (match === null)
        throw new ImportProblemsError([
          { file, line, message: `"${content}" is not a section header like [Timer]` },
        ]);
      section = match[1] as string;
      continue;
    }
    while (content.endsWith('\\') && index + 1 < lines.length) {
      content = content.slice(0, -1);
      index++;
      const next = (lines[index] ?? '').trim();
      if (next.startsWith('#') || next.startsWith(';')) {
        content += '\\';
        continue;
      }
      content += ` ${next}`;
    }
    if (content.endsWith('\\')) content = content.slice(0, -1);
    const equals = content.indexOf('=');
    if (equals < 1)
      throw new ImportProblemsError([{ file, line, message: `"${content}" is not a Key=value assignment` }]);
    if (section === undefined) {
      throw new ImportProblemsError([
        { file, line, message: `"${content}" comes before any section header such as [Service]` },
      ]);
    }
    entries.push({
      section,
      key: content.slice(0, equals).trim(),
      value: content.slice(equals + 1).trim(),
      file,
      line,
    });
  }
  return { entries };
}

/** The unit with a drop-in's entries after its own. */
export function withDropIn(unit: UnitFile, dropIn: UnitFile): UnitFile {
  return { entries: [...unit.entries, ...dropIn.entries] };
}

/** The last assignment of a single-valued key (later ones override earlier ones). */
export function lastEntry(unit: UnitFile, section: string, key: string): UnitEntry | undefined {
  return unit.entries.findLast((entry) => entry.section === section && entry.key === key);
}

/** The assignments of a list-valued key, counted from its last empty assignment (which resets the list). */
export function listEntries(unit: UnitFile, section: string, key: string): UnitEntry[] {
  const all = unit.entries.filter((entry) => entry.section === section && entry.key === key);
  const reset = all.findLastIndex((entry) => entry.value === '');
  return all.slice(reset + 1);
}
