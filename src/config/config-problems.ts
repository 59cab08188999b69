import { CronplaneError } from '../errors/index.ts';

/** One thing wrong with a job file, located as precisely as the source allows. */
export interface ConfigProblem {
  readonly file: string;
  /** 1-based; 0 when the problem has no place in the file (for example the file is missing). */
  readonly line: number;
  readonly column: number;
  /** Dotted field path, `jobs.eval.retry.attempts`; '' for the document itself. */
  readonly path: string;
  readonly message: string;
}

export function formatProblem(problem: ConfigProblem): string {
  const place = problem.line > 0 ? `${problem.file}:${problem.line}:${problem.column}` : problem.file;
  return problem.path === ''
    ? `${place}: ${problem.message}`
    : `${place}: ${problem.path}: ${problem.message}`;
}

/** Records a problem at a field path; `offset` counts characters into the field's value. */
export type Report = (fieldPath: readonly PropertyKey[], message: string, offset?: number) => void;

/** Thrown when a job file cannot be used; carries every problem found, not only the first. */
export class ConfigError extends CronplaneError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const first = problems[0];
    super(
      'config.invalid',
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in the job file:\n` +
        problems.map((problem) => `  ${formatProblem(problem)}`).join('\n'),
      first === undefined
        ? {}
        : { location: { file: first.file, line: first.line, column: first.column, path: first.path } },
    );
    this.problems = problems;
  }
}

export function pathToString(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text;
}
