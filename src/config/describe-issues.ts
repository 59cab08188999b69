import type { core } from 'zod';

/** A schema problem as cronplane reports it: where (path, and for an unknown key the key) and what. */
export interface IssueReport {
  readonly path: readonly PropertyKey[];
  /** Set when the problem is the key itself (an unknown key), so the location points at the key. */
  readonly key?: string;
  readonly message: string;
}

/** Turns zod's issues into messages that say what was found and what was expected. */
export function describeIssues(issues: readonly core.$ZodIssue[], input: unknown): IssueReport[] {
  const reports: IssueReport[] = [];
  for (const issue of issues) describeIssue(issue, [], input, reports);
  return reports;
}

function describeIssue(
  issue: core.$ZodIssue,
  prefix: readonly PropertyKey[],
  input: unknown,
  reports: IssueReport[],
): void {
  const path = [...prefix, ...issue.path];
  const found = valueAt(input, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      for (const key of issue.keys) {
        reports.push({ path: [...path, key], key, message: `unknown key "${key}"` });
      }
      return;
    }
    case 'invalid_type': {
      if (found === undefined) {
        reports.push({ path, message: `is required (expected ${issue.expected})` });
      } else {
        reports.push({
          path,
          message: custom(issue) ?? `expected ${issue.expected}, got ${describeValue(found)}`,
        });
      }
      return;
    }
    case 'invalid_value': {
      const values = issue.values.map((value) => JSON.stringify(value)).join(', ');
      reports.push({
        path,
        message: custom(issue) ?? `expected one of ${values}, got ${describeValue(found)}`,
      });
      return;
    }
    case 'invalid_union': {
      // A branch whose type matched but whose fields did not says more than "no branch matched".
      const deep = issue.errors.find(
        (branch) => branch.length > 0 && branch.every((inner) => inner.path.length > 0),
      );
      if (
        deep !== undefined &&
        (custom(issue) === undefined || (typeof found === 'object' && found !== null))
      ) {
        for (const inner of deep) describeIssue(inner, path, input, reports);
        return;
      }
      const expected = issue.errors
        .flatMap((branch) =>
          branch.filter((inner) => inner.code === 'invalid_type').map((inner) => inner.expected),
        )
        .filter((value, index, all) => all.indexOf(value) === index);
      reports.push({
        path,
        message:
          custom(issue) ??
          `expected ${expected.length > 0 ? expected.join(' or ') : 'another form'}, got ${describeValue(found)}`,
      });
      return;
    }
    case 'too_small':
    case 'too_big':
    case 'invalid_format':
    case 'not_multiple_of':
    case 'custom':
    case 'invalid_key':
    case 'invalid_element':
      reports.push({
        path,
        message: `${issue.message}${found === undefined ? '' : `, got ${describeValue(found)}`}`,
      });
      return;
  }
}

function custom(issue: core.$ZodIssue): string | undefined {
  return issue.message.startsWith('Invalid input') || issue.message.startsWith('Invalid option')
    ? undefined
    : issue.message;
}

export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}
