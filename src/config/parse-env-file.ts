import { CronplaneError } from '../errors/index.ts';

/**
 * Parses `KEY=VALUE` lines as systemd's EnvironmentFile= reads them (and as cron's environment
 * lines look): blank lines and lines starting with `#` or `;` are ignored, an optional
 * `export ` prefix is allowed, values may be single- or double-quoted (double quotes understand
 * `\"`, `\\`, `\n`), and a trailing backslash continues an unquoted value on the next line.
 * A line that is not an assignment is an error naming the file and line.
 */
export function parseEnvFile(text: string, file: string): Map<string, string> {
  const values = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    let line = lines[index] ?? '';
    const lineNumber = index + 1;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    while (line.endsWith('\\') && index + 1 < lines.length) {
      index++;
      line = line.slice(0, -1) + (lines[index] ?? '');
    }
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match === null) {
      throw new CronplaneError(
        'config.env-file',
        `${file}:${lineNumber}: expected KEY=VALUE (a name of letters, digits and _), found ${JSON.stringify(trimmed)}`,
        { location: { file, line: lineNumber, column: 1 } },
      );
    }
    const key = match[1] as string;
    values.set(key, unquote(match[2] as string, file, lineNumber));
  }
  return values;
}

function unquote(raw: string, file: string, line: number): string {
  const quote = raw[0];
  if (quote !== '"' && quote !== "'") return raw;
  if (raw.length < 2 || !raw.endsWith(quote)) {
    throw new CronplaneError('config.env-file', `${file}:${line}: unterminated ${quote} quote in value`, {
      location: { file, line, column: raw.length },
    });
  }
  const body = raw.slice(1, -1);
  if (quote === "'") return body;
  return body.replace(/\\(["\\n$`])/g, (_all, character: string) => (character === 'n' ? '\n' : character));
}
