import { CronplaneError } from '../errors/index.ts';
import { substitutePlaceholders } from './substitute-placeholders.ts';

/** Characters no header value may hold: controls other than tab (CR and LF would start a new header). */
function isForbidden(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return true;
  }
  return false;
}

/**
 * A header value with its placeholders substituted, as the bytes to send: a value with a line
 * break, NUL or another control character is refused with an error naming the header (it could
 * add a header or end the head); anything beyond ASCII is sent as UTF-8.
 */
export function substituteHeader(
  header: string,
  template: string,
  params: Readonly<Record<string, string>>,
): string {
  const value = substitutePlaceholders(template, params);
  if (isForbidden(value)) {
    throw new CronplaneError(
      'executor.header',
      `the header ${header} would hold a line break, NUL or another control character (from a placeholder value); it was not sent`,
    );
  }
  // fetch takes header values as byte strings: each UTF-8 byte becomes one character.
  return /[^\t -~]/.test(value) ? Buffer.from(value, 'utf8').toString('latin1') : value;
}
