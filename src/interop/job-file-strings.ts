/**
 * Text from another platform written as a job-file string. The loader reads `${VAR}` and `$$`
 * in every value, so a `$` before `{` or `$` is doubled; in a shell script `${NAME}` is first
 * written `$NAME` where that means the same (the next character cannot continue a name), since
 * the loader's placeholder check still reads an escaped `$${NAME}` as the placeholder `{NAME}`.
 */

/** A literal string (an argument, an env value) as a job-file string that loads back to it. */
export function literalForJobFile(text: string): string {
  return text.replace(/\$(?=[${])/g, '$$$$');
}

/** A shell script as a job-file string: the shell still sees the same script after loading. */
export function shellScriptForJobFile(script: string): string {
  const plain = script.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}(?![A-Za-z0-9_])/g, '$$$1');
  return literalForJobFile(plain);
}

/**
 * `{name}` groups in text as it loads, which the job file reads as placeholders (it has no
 * escape for a literal one): a built-in such as `{job}` would be replaced, any other refused.
 */
export function placeholderLookalikes(text: string): string[] {
  return [...text.matchAll(/\{[A-Za-z_][A-Za-z0-9_]*\}/g)].map((match) => match[0]);
}
