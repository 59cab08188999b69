import {
  bodyKind,
  contentTypeIn,
  jsonPlaceholderProblems,
  placeShellReferences,
  shellScriptIndex,
} from '../placeholders/index.ts';

type Report = (fieldPath: readonly PropertyKey[], message: string, offset?: number) => void;

/**
 * A command's placeholders where the executor could not pass them as data: in the script of a
 * shell (`shell: true`, or `sh -c SCRIPT` in argv form) inside a quoted here-document,
 * arithmetic or `${...}`. Each is reported at its column; the executor refuses the same at run.
 */
export function checkCommandPlaceholders(
  run: string | readonly string[],
  command: { readonly argv: readonly string[]; readonly shell: boolean },
  fieldPath: readonly PropertyKey[],
  isKnown: (name: string) => boolean,
  report: Report,
): void {
  if (typeof run === 'string') {
    if (command.shell) {
      reportShell(run, fieldPath, isKnown, report);
      return;
    }
    // Split like a shell would: the script's offsets are not columns of the line any more.
    const scriptAt = shellScriptIndex(command.argv);
    if (scriptAt === undefined) return;
    for (const problem of placeShellReferences(command.argv[scriptAt] as string, isKnown).problems) {
      report(fieldPath, problem.message);
    }
    return;
  }
  if (command.shell) {
    // The executor runs the words joined by spaces: locate each problem in its own word.
    const starts: number[] = [];
    let joined = '';
    for (const word of run) {
      starts.push(joined.length + (joined === '' ? 0 : 1));
      joined = joined === '' ? word : `${joined} ${word}`;
    }
    for (const problem of placeShellReferences(joined, isKnown).problems) {
      const index = starts.findLastIndex((start) => start <= problem.offset);
      report([...fieldPath, index], problem.message, problem.offset - (starts[index] ?? 0));
    }
    return;
  }
  const scriptAt = shellScriptIndex(run);
  if (scriptAt !== undefined) {
    reportShell(run[scriptAt] as string, [...fieldPath, scriptAt], isKnown, report);
  }
}

/** A JSON body's placeholders that stand outside a string, where a value would be JSON syntax. */
export function checkBodyPlaceholders(
  body: string,
  headers: Readonly<Record<string, unknown>>,
  fieldPath: readonly PropertyKey[],
  isKnown: (name: string) => boolean,
  report: Report,
): void {
  if (bodyKind(body, contentTypeIn(headers)) !== 'json') return;
  for (const problem of jsonPlaceholderProblems(body, isKnown)) {
    report(fieldPath, problem.message, problem.offset);
  }
}

function reportShell(
  script: string,
  fieldPath: readonly PropertyKey[],
  isKnown: (name: string) => boolean,
  report: Report,
): void {
  for (const problem of placeShellReferences(script, isKnown).problems) {
    report(fieldPath, problem.message, problem.offset);
  }
}
