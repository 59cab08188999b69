/**
 * A unit value split into words as systemd does for `ExecStart=` and `Environment=`: whitespace
 * separates words, `"..."` and `'...'` quote (anywhere in a word), and C escapes (`\n`, `\t`,
 * `\\`, `\"`, `\s`, `\xNN`, `\NNN`, `\uNNNN`) are understood inside and outside quotes.
 */

const simpleEscapes: Readonly<Record<string, string>> = {
  a: '\u0007',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  s: ' ',
  '\\': '\\',
  '"': '"',
  "'": "'",
  ' ': ' ',
  ';': ';',
};

/** Splits `value` into words; throws a plain Error (the caller adds the place) on an open quote. */
export function splitUnitWords(value: string): string[] {
  const words: string[] = [];
  let index = 0;
  while (index < value.length) {
    while (index < value.length && /\s/.test(value[index] as string)) index++;
    if (index >= value.length) break;
    let word = '';
    let quote: '"' | "'" | undefined;
    for (; index < value.length; index++) {
      const char = value[index] as string;
      if (quote === undefined && /\s/.test(char)) break;
      if (char === '\\') {
        const [text, length] = unescapeAt(value, index);
        word += text;
        index += length - 1;
      } else if (quote !== undefined && char === quote) {
        quote = undefined;
      } else if (quote === undefined && (char === '"' || char === "'")) {
        quote = char;
      } else {
        word += char;
      }
    }
    if (quote !== undefined) throw new Error(`the quote ${quote} is never closed`);
    words.push(word);
  }
  return words;
}

/** The text of the escape starting at `value[at]` (a backslash) and how many characters it spans. */
function unescapeAt(value: string, at: number): [string, number] {
  const next = value[at + 1];
  if (next === undefined) return ['\\', 1];
  const simple = simpleEscapes[next];
  if (simple !== undefined) return [simple, 2];
  const hex = (digits: number, start: number): [string, number] | undefined => {
    const text = value.slice(start, start + digits);
    return new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(text)
      ? [String.fromCodePoint(Number.parseInt(text, 16)), start + digits - at]
      : undefined;
  };
  const found =
    next === 'x'
      ? hex(2, at + 2)
      : next === 'u'
        ? hex(4, at + 2)
        : next === 'U'
          ? hex(8, at + 2)
          : /^[0-7]{3}$/.test(value.slice(at + 1, at + 4))
            ? ([String.fromCodePoint(Number.parseInt(value.slice(at + 1, at + 4), 8)), 4] as [string, number])
            : undefined;
  if (found === undefined) throw new Error(`"\\${next}" is not an escape systemd knows`);
  return found;
}
