/**
 * A crontab command as crontab(5) defines `%`: the first unescaped `%` ends the command and starts
 * the text sent to its standard input, where every further unescaped `%` is a newline; `\%` is a
 * literal `%` in both (the backslash is removed); any other backslash stays.
 */
export interface CronCommand {
  readonly command: string;
  /** The standard input, when the line has a `%`; `''` for a trailing `%` alone. */
  readonly stdin: string | undefined;
  /** Whether the command held `\%` (made `%`). */
  readonly escapedPercent: boolean;
}

export function splitCronCommand(line: string): CronCommand {
  let command = '';
  let stdin: string | undefined;
  let escapedPercent = false;
  for (let index = 0; index < line.length; index++) {
    const c = line[index] as string;
    if (c === '\\') {
      // A backslash escapes the next character: `\%` is `%`, anything else keeps its backslash.
      const next = line[index + 1] ?? '';
      index++;
      if (next === '%') escapedPercent = true;
      const text = next === '%' ? '%' : c + next;
      if (stdin === undefined) command += text;
      else stdin += text;
      continue;
    }
    if (c === '%') {
      if (stdin === undefined) stdin = '';
      else stdin += '\n';
      continue;
    }
    if (stdin === undefined) command += c;
    else stdin += c;
  }
  return { command, stdin, escapedPercent };
}
