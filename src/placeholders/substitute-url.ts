import { CronplaneError } from '../errors/index.ts';
import { placeholderPattern, valueOf } from './substitute-placeholders.ts';

/** What a value may hold in the host or port of a URL: a host name, an IPv4 address or a port. */
const hostValue = /^[A-Za-z0-9.-]*$/;

/**
 * A URL with each placeholder's value put in as data. In the path, the query and the fragment a
 * value is percent-encoded as a URI component (`/`, `?`, `#`, `&`, `=`, `%`, `+`, `\`, spaces and
 * controls included), so it cannot add a path segment or a query parameter; a value that would
 * make a whole path segment `.` or `..` (which URL parsing removes, climbing the path) is refused.
 * In the host and port a value may hold only letters, digits, `.` and `-`, so it cannot add a
 * user, a port, a path or another host. Throws a `CronplaneError` naming the placeholder.
 */
export function substituteUrl(template: string, params: Readonly<Record<string, string>>): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(template);
  const authorityEnd = scheme === null ? 0 : indexOfAny(template, '/?#', scheme[0].length);
  const pathEnd = indexOfAny(template, '?#', authorityEnd);
  let url = '';
  let last = 0;
  const inserted: { name: string; start: number; end: number }[] = [];
  for (const match of template.matchAll(placeholderPattern)) {
    const name = match[1] as string;
    const value = valueOf(params, name);
    if (value === undefined) continue;
    const at = match.index;
    url += template.slice(last, at);
    last = at + match[0].length;
    if (at < authorityEnd) {
      if (!hostValue.test(value)) {
        throw new CronplaneError(
          'executor.url',
          `the value of {${name}} cannot go into the URL's host or port: there it may hold only letters, digits, '.' and '-'`,
        );
      }
      url += value;
      continue;
    }
    const start = url.length;
    url += encodeComponent(value, name);
    if (at < pathEnd) inserted.push({ name, start, end: url.length });
  }
  url += template.slice(last);
  checkDotSegments(url, inserted);
  return url;
}

/** `encodeURIComponent`, with a located error for a value that is not well-formed Unicode. */
export function encodeComponent(value: string, name: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    throw new CronplaneError(
      'executor.url',
      `the value of {${name}} is not well-formed Unicode (a lone surrogate), so it cannot be percent-encoded`,
    );
  }
}

/** `.` and `..` segments are removed by URL parsing; a value must not make one. */
function checkDotSegments(url: string, inserted: readonly { name: string; start: number; end: number }[]) {
  for (const { name, start, end } of inserted) {
    const segmentStart = url.lastIndexOf('/', start - 1) + 1;
    const slash = url.indexOf('/', end);
    const segmentEnd = Math.min(slash === -1 ? url.length : slash, indexOfAny(url, '?#', end));
    const segment = url.slice(segmentStart, segmentEnd);
    if (segment === '.' || segment === '..') {
      throw new CronplaneError(
        'executor.url',
        `the value of {${name}} would make the URL path segment "${segment}", which would change the path`,
      );
    }
  }
}

function indexOfAny(text: string, characters: string, from: number): number {
  for (let index = from; index < text.length; index++) {
    if (characters.includes(text[index] as string)) return index;
  }
  return text.length;
}
