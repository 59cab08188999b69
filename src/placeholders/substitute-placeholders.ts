/**
 * `{name}`: a placeholder, replaced per run. Names are identifiers, so each is also a valid
 * variable name. Right after a `$` it is never one: `${name}` is the shell's own variable (the job
 * file writes it `$${name}`, its escape), passed through as text.
 */
export const placeholderPattern = /(?<!\$)\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Whether the `{` at `at` can open a placeholder: not right after a `$` (see `placeholderPattern`). */
export function opensPlaceholder(text: string, at: number): boolean {
  return text[at] === '{' && text[at - 1] !== '$';
}

/**
 * Replaces each `{name}` in `text` with `params[name]`, passed through `encode` when given. A
 * name without a value stays as written: the job file was validated at load, so what remains was
 * meant literally. This is for places where the value is one piece of data already (an argument,
 * an environment value, a header); shell scripts, URLs and bodies have their own functions.
 */
export function substitutePlaceholders(
  text: string,
  params: Readonly<Record<string, string>>,
  encode?: (value: string, name: string) => string,
): string {
  if (!text.includes('{')) return text;
  return text.replace(placeholderPattern, (whole, name: string) => {
    const value = valueOf(params, name);
    if (value === undefined) return whole;
    return encode === undefined ? value : encode(value, name);
  });
}

/** The value of a placeholder, never one from the object prototype (`{constructor}`). */
export function valueOf(params: Readonly<Record<string, string>>, name: string): string | undefined {
  return Object.hasOwn(params, name) ? params[name] : undefined;
}

const shellSafe = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * A word as a POSIX shell would need it quoted: unchanged when it holds only safe characters (as
 * Python's shlex.quote), else single-quoted. For showing a command line to a person; values reach
 * a shell only as variable references (see `placeShellReferences`).
 */
export function quoteForShell(value: string): string {
  if (shellSafe.test(value)) return value;
  return `'${value.replaceAll("'", `'"'"'`)}'`;
}
