/**
 * Words written for systemd.syntax(7): a command line for `ExecStart=` / `ExecCondition=`, and a
 * quoted `Environment=` assignment. `%` is a specifier everywhere, so it is doubled; `$` is
 * variable expansion in command lines only, so it is doubled there.
 */
export function execWords(argv: readonly string[]): string {
  return argv.map((word) => execWord(word)).join(' ');
}

function execWord(word: string): string {
  if (word === ';') return '\\;';
  const escaped = word.replaceAll('%', '%%').replaceAll('$', '$$$$');
  return needsQuotes(word) ? quoted(escaped) : escaped;
}

/** `Environment="NAME=value"`: quoted when the value holds a space, a quote or a backslash. */
export function environmentWord(name: string, value: string): string {
  const assignment = `${name}=${value}`.replaceAll('%', '%%');
  return needsQuotes(assignment) ? quoted(assignment) : assignment;
}

function needsQuotes(word: string): boolean {
  return word === '' || /[\s"'\\]/.test(word);
}

function quoted(word: string): string {
  const inner = word
    .replaceAll('\\', '\\\\')
    .replaceAll('"', '\\"')
    .replaceAll('\n', '\\n')
    .replaceAll('\t', '\\t');
  return `"${inner}"`;
}
