/** A word as `/bin/sh` reads it literally: bare when it holds only safe characters, else single-quoted. */
export function shellWord(text: string): string {
  if (/^[A-Za-z0-9_/.,:=@%+-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
