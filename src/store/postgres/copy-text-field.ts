/**
 * A value as one field of `COPY ... FROM STDIN` in text format: backslash, tab, newline and
 * carriage return are written as their backslash escapes, so a field never ends a column or a
 * row early and never reads as the end-of-data marker `\.`. Most values (names, hashes, and JSON,
 * which writes its own control characters escaped) hold none of them and are returned as they are.
 */
export function copyTextField(value: string): string {
  if (!special.test(value)) return value;
  return value.replace(specials, (character) => escapes[character] ?? character);
}

/** One test (no `g`: a global expression's `test` would carry its position to the next value). */
const special = /[\\\t\n\r]/;
const specials = /[\\\t\n\r]/g;

const escapes: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};
