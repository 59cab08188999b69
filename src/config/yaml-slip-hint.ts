/** A `{placeholder}`: what a job file writes in commands, URLs and values. */
const placeholder = /\{[A-Za-z_][A-Za-z0-9_]*\}/g;

/**
 * What to do about a YAML error when it is a known slip: a `{placeholder}` left unquoted inside a
 * flow collection (`{ url: http://x/{tenant} }`, `[echo, {job}]`), where YAML reads its `{` as the
 * start of a mapping. Looks at the error's line, and the one before it, for such a placeholder
 * outside quotes; answers the value to quote, or undefined.
 */
export function yamlSlipHint(text: string, offset: number): string | undefined {
  const lineStart = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  const previousStart = text.lastIndexOf('\n', Math.max(0, lineStart - 2)) + 1;
  const lineEnd = text.indexOf('\n', offset);
  const lines = text
    .slice(previousStart, lineEnd === -1 ? undefined : lineEnd)
    .split('\n')
    .reverse();
  for (const line of lines) {
    const unquoted = withoutQuotedText(line);
    for (const match of unquoted.matchAll(placeholder)) {
      const value = valueAround(line, match.index, match.index + match[0].length);
      return `${match[0]} is read as a mapping here: quote the value that holds it, "${value}"`;
    }
  }
  return undefined;
}

/** The line with quoted text and comments blanked out (same length, so offsets still match). */
function withoutQuotedText(line: string): string {
  return line
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'/g, (quoted) => ' '.repeat(quoted.length))
    .replace(/(^|\s)#.*$/, (comment) => ' '.repeat(comment.length));
}

/**
 * The plain value a placeholder at `start..end` belongs to: widened to the left and right up to
 * what ends a flow item (`,`, `[`, `]`, a `{` or `}` that is not a placeholder's, `: `).
 */
function valueAround(line: string, start: number, end: number): string {
  let left = start;
  while (left > 0) {
    const before = line.slice(0, left);
    const inner = /\{[A-Za-z_][A-Za-z0-9_]*\}$/.exec(before);
    if (inner !== null) {
      left -= inner[0].length;
      continue;
    }
    const char = line[left - 1] as string;
    if (',[]{}'.includes(char) || before.endsWith(': ') || (char === ' ' && /[,[{:]\s*$/.test(before))) break;
    left--;
  }
  let right = end;
  while (right < line.length) {
    const after = line.slice(right);
    const inner = /^\{[A-Za-z_][A-Za-z0-9_]*\}/.exec(after);
    if (inner !== null) {
      right += inner[0].length;
      continue;
    }
    if (',[]{}'.includes(line[right] as string) || after.startsWith(' #')) break;
    right++;
  }
  return line.slice(left, right).trim();
}
