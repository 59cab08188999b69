import { CronplaneError, formatLocation } from '../errors/index.ts';

/** The error code of source files an importer cannot read (a bad line, a schedule the calendar refuses). */
export const IMPORT_INVALID = 'import.invalid';

/** One line an importer could not read: where, and what was expected there. */
export interface ImportProblem {
  readonly file: string;
  readonly line: number | null;
  /** 1-based column of the bad token, when known. */
  readonly column?: number;
  readonly message: string;
}

/**
 * Source files an importer could not read (a line that is no entry, a schedule the calendar
 * engine refuses): every problem with its place. Nothing is imported when one is found.
 */
export class ImportProblemsError extends CronplaneError {
  readonly problems: readonly ImportProblem[];

  constructor(problems: readonly ImportProblem[]) {
    const first = problems[0];
    super(
      IMPORT_INVALID,
      problems.map((problem) => `${placeOf(problem)}: ${problem.message}`).join('\n'),
      first === undefined
        ? {}
        : {
            location: {
              file: first.file,
              ...(first.line === null ? {} : { line: first.line }),
              ...(first.column === undefined ? {} : { column: first.column }),
            },
          },
    );
    this.problems = problems;
  }
}

/** `file:line:column` of a problem (as much as is known). */
export function placeOf(problem: ImportProblem): string {
  return formatLocation({
    file: problem.file,
    ...(problem.line === null ? {} : { line: problem.line }),
    ...(problem.column === undefined ? {} : { column: problem.column }),
  });
}
