/**
 * `${VAR}` substitution in job-file strings, as in docker compose and shells:
 * `${VAR}` (an error when VAR is unset), `${VAR:-default}` (default when unset or empty),
 * `${VAR-default}` (default when unset), `$$` for a literal `$`. Single-brace `{placeholders}`
 * are left alone for fan-out.
 */
export interface SubstitutionProblem {
  /** 0-based offset of the `${` inside the string. */
  readonly offset: number;
  readonly message: string;
  /** The variable, when the problem is that it is not set (and has no default). */
  readonly unset?: string;
}

export interface SubstitutionResult {
  readonly value: string;
  readonly problems: readonly SubstitutionProblem[];
  /** Names of the variables that were read, for secret tracking and docs. */
  readonly used: readonly string[];
}

const pattern = /\$\$|\$\{([^}]*)\}/g;

export function substituteEnv(
  text: string,
  lookup: (name: string) => string | undefined,
): SubstitutionResult {
  if (!text.includes('$')) return { value: text, problems: [], used: [] };
  const problems: SubstitutionProblem[] = [];
  const used: string[] = [];
  const value = text.replace(pattern, (whole: string, body: string | undefined, offset: number) => {
    if (whole === '$$') return '$';
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)(.*))?$/s.exec(body ?? '');
    if (match === null) {
      problems.push({
        offset,
        message: `"${whole}" is not a variable reference: expected \${NAME}, \${NAME:-default} or \${NAME-default}`,
      });
      return whole;
    }
    const name = match[1] as string;
    const operator = match[2];
    const fallback = match[3] ?? '';
    used.push(name);
    const found = lookup(name);
    if (operator === ':-') return found === undefined || found === '' ? fallback : found;
    if (operator === '-') return found ?? fallback;
    if (found === undefined) {
      problems.push({
        offset,
        message: `environment variable ${name} is not set and has no default (write \${${name}:-default} to give one)`,
        unset: name,
      });
      return whole;
    }
    return found;
  });
  return { value, problems, used };
}
