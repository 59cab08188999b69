/**
 * argv as one Windows command line, quoted so that CommandLineToArgvW (and the C runtime of most
 * programs) gives the words back: a word with a space, tab or `"` (or an empty one) in quotes,
 * a `"` as `\"`, and the backslashes before a `"` or the closing quote doubled.
 */
export function windowsCommandLine(argv: readonly string[]): string {
  return argv.map(windowsWord).join(' ');
}

function windowsWord(word: string): string {
  if (word !== '' && !/[\s"]/.test(word)) return word;
  let out = '"';
  let backslashes = 0;
  for (const char of word) {
    if (char === '\\') {
      backslashes++;
      continue;
    }
    out += '\\'.repeat(char === '"' ? backslashes * 2 + 1 : backslashes) + char;
    backslashes = 0;
  }
  return `${out}${'\\'.repeat(backslashes * 2)}"`;
}
