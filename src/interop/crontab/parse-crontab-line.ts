/**
 * One line of a crontab as cron reads it (crontab(5)): blank, a comment (`#` first), an
 * environment setting (`NAME = value`, the value's matching outer quotes removed), or an entry:
 * five time fields or an `@shorthand`, the user in system crontabs (`/etc/crontab`,
 * `/etc/cron.d/*`), then the command, which is the rest of the line.
 */
export type CrontabLine =
  | { readonly kind: 'blank' }
  | { readonly kind: 'comment'; readonly text: string }
  | { readonly kind: 'env'; readonly name: string; readonly value: string }
  | {
      readonly kind: 'entry';
      /** The five fields joined by one space, or the `@shorthand`. */
      readonly schedule: string;
      /** 1-based column where the schedule starts. */
      readonly scheduleColumn: number;
      readonly user: string | undefined;
      /** The command as cron keeps it, `%` still unread (see `splitCronCommand`). */
      readonly command: string;
    }
  | { readonly kind: 'invalid'; readonly column: number; readonly message: string };

const envLine = /^\s*("([^"]*)"|'([^']*)'|[^\s="']+)\s*=(.*)$/s;

export function parseCrontabLine(text: string, system: boolean): CrontabLine {
  const trimmed = text.trimStart();
  if (trimmed === '') return { kind: 'blank' };
  if (trimmed.startsWith('#')) return { kind: 'comment', text: trimmed.slice(1).replace(/^ /, '') };
  const env = envLine.exec(text);
  if (env !== null) {
    const name = env[2] ?? env[3] ?? (env[1] as string);
    return { kind: 'env', name, value: unquote((env[4] as string).trim()) };
  }
  const start = text.length - trimmed.length;
  const words = /\S+/g;
  words.lastIndex = start;
  const take = (): { text: string; end: number } | undefined => {
    const match = words.exec(text);
    return match === null ? undefined : { text: match[0], end: match.index + match[0].length };
  };
  const first = take();
  const fieldCount = first?.text.startsWith('@') === true ? 1 : 5;
  const fields: string[] = first === undefined ? [] : [first.text];
  let end = first?.end ?? start;
  while (fields.length < fieldCount) {
    const word = take();
    if (word === undefined) {
      return {
        kind: 'invalid',
        column: text.trimEnd().length + 1,
        message: `expected five time fields (minute hour day-of-month month day-of-week) or an @shorthand, then ${system ? 'a user and ' : ''}a command; found ${fields.length} field${fields.length === 1 ? '' : 's'} and no command`,
      };
    }
    fields.push(word.text);
    end = word.end;
  }
  let user: string | undefined;
  if (system) {
    const word = take();
    if (word === undefined) {
      return {
        kind: 'invalid',
        column: end + 1,
        message: 'expected the user the command runs as (a system crontab has a user field)',
      };
    }
    user = word.text;
    end = word.end;
  }
  const command = text
    .slice(end)
    .replace(/^[ \t]+/, '')
    .replace(/\r$/, '');
  if (command.trim() === '') {
    return { kind: 'invalid', column: end + 1, message: 'expected a command after the schedule' };
  }
  return { kind: 'entry', schedule: fields.join(' '), scheduleColumn: start + 1, user, command };
}

/** cron's rule: a value whose first and last characters are the same quote loses them (no escapes). */
function unquote(value: string): string {
  const quote = value[0];
  if (value.length >= 2 && (quote === '"' || quote === "'") && value.endsWith(quote))
    return value.slice(1, -1);
  return value;
}
