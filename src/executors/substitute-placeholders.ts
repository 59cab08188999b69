const placeholderPattern = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces each `{name}` in `text` with `params[name]`, passed through `encode` (for a URL or a
 * shell line). A name without a value stays as written: the job file was validated at load, so
 * what remains was meant literally (a JSON body, a shell `${var}`).
 */
export function substitutePlaceholders(
  text: string,
  params: Readonly<Record<string, string>>,
  encode?: (value: string) => string,
): string {
  if (!text.includes('{')) return text;
  return text.replace(placeholderPattern, (whole, name: string) => {
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    if (value === undefined) return whole;
    return encode === undefined ? value : encode(value);
  });
}

const shellSafe = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * A value as one word of a POSIX shell line: unchanged when it holds only safe characters (as
 * Python's shlex.quote), else single-quoted, so a value can never inject shell syntax.
 */
export function quoteForShell(value: string): string {
  if (shellSafe.test(value)) return value;
  return `'${value.replaceAll("'", `'"'"'`)}'`;
}
