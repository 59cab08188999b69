/**
 * Job-name patterns a token is limited to: `cleanup-*`, `report-?`, `nightly`. `*` matches any
 * run of characters, `?` one character; everything else matches itself.
 */
const patternSyntax = /^[a-z0-9._*?-]{1,100}$/;

/** A problem with a pattern, or undefined when it is fine. */
export function jobPatternProblem(pattern: string): string | undefined {
  if (patternSyntax.test(pattern)) return undefined;
  return `${JSON.stringify(pattern)} is not a job-name pattern: use lowercase letters, digits, ".", "_", "-" and the wildcards * and ?`;
}

/** A test for job names; with no patterns every job matches. */
export function compileJobPatterns(patterns: readonly string[]): (job: string) => boolean {
  if (patterns.length === 0) return () => true;
  const expressions = patterns.map(
    (pattern) =>
      new RegExp(
        `^${pattern
          .split('')
          .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.-]/g, '\\$&')))
          .join('')}$`,
      ),
  );
  return (job) => expressions.some((expression) => expression.test(job));
}
