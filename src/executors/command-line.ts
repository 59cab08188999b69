import { CronplaneError } from '../errors/index.ts';
import {
  paramVariable,
  placeShellReferences,
  shellScriptIndex,
  substitutePlaceholders,
  valueOf,
} from '../placeholders/index.ts';

export interface CommandLine {
  /** What to execute: argv as given, or `/bin/sh -c LINE`. */
  readonly command: readonly string[];
  /** `CRONPLANE_PARAM_<name>` for each placeholder a shell script references. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The command with its placeholders filled in. In argv form each value stays inside its one
 * argument. In a shell script (`shell: true`, or the script of `sh -c` / `bash -c` in argv form)
 * no value becomes text of the script: each placeholder is a quoted reference to an environment
 * variable holding the value. Throws a `CronplaneError` for a placeholder that cannot be passed
 * where it stands, or a NUL, which no argument or environment value can hold.
 */
export function commandLine(
  argv: readonly string[],
  shell: boolean,
  params: Readonly<Record<string, string>>,
): CommandLine {
  const env: Record<string, string> = {};
  const script = (text: string): string => {
    const placed = placeShellReferences(text, (name) => valueOf(params, name) !== undefined);
    const problem = placed.problems[0];
    if (problem !== undefined) throw new CronplaneError('executor.placeholder', problem.message);
    for (const name of placed.used) {
      const value = valueOf(params, name) ?? '';
      if (value.includes('\0')) throw holdsNul(`the value of {${name}}`);
      env[paramVariable(name)] = value;
    }
    return placed.script;
  };
  if (shell) return { command: ['/bin/sh', '-c', script(argv.join(' '))], env };
  const scriptAt = shellScriptIndex(argv);
  const command = argv.map((arg, index) => {
    if (index === scriptAt) return script(arg);
    const value = substitutePlaceholders(arg, params);
    if (value.includes('\0')) throw holdsNul(`argument ${index} of the command`);
    return value;
  });
  return { command, env };
}

export function holdsNul(what: string): CronplaneError {
  return new CronplaneError(
    'executor.nul',
    `${what} holds a NUL character, which no command argument or environment value can carry`,
  );
}
