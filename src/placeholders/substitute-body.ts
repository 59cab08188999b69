import { CronplaneError } from '../errors/index.ts';
import { opensPlaceholder, valueOf } from './substitute-placeholders.ts';
import { encodeComponent } from './substitute-url.ts';

/** How placeholders go into an HTTP body: JSON-escaped in strings, form-encoded, or as text. */
export const BodyKind = {
  /** Content-Type names JSON, or none is given and the body starts with `{` or `[`. */
  json: 'json',
  /** `application/x-www-form-urlencoded`: values percent-encoded. */
  form: 'form',
  /** Anything else: the value is inserted as is; the body is data to the receiver. */
  text: 'text',
} as const;
export type BodyKind = keyof typeof BodyKind;

/** The Content-Type a job's headers give as plain text (any case), if any. */
export function contentTypeIn(headers: Readonly<Record<string, unknown>>): string | undefined {
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type');
  return typeof entry?.[1] === 'string' ? entry[1] : undefined;
}

export function bodyKind(body: string, contentType: string | undefined): BodyKind {
  if (contentType === undefined) {
    const first = body.trimStart()[0];
    return first === '{' || first === '[' ? 'json' : 'text';
  }
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  return 'text';
}

export interface BodyPlaceholderProblem {
  readonly offset: number;
  readonly message: string;
}

/**
 * Where a JSON body takes a placeholder wrongly: outside a string literal, where a value would
 * be JSON syntax. `isPlaceholder` says which `{name}`s are placeholders.
 */
export function jsonPlaceholderProblems(
  body: string,
  isPlaceholder: (name: string) => boolean,
): BodyPlaceholderProblem[] {
  const problems: BodyPlaceholderProblem[] = [];
  scanJson(body, isPlaceholder, (name, inString, offset) => {
    if (!inString) {
      problems.push({
        offset,
        message: `a placeholder in a JSON body must be inside a string ("{${name}}"), where its value is JSON-escaped; outside one it would be JSON syntax`,
      });
    }
  });
  return problems;
}

/**
 * A body with each placeholder's value put in as data: JSON-escaped inside a JSON string,
 * percent-encoded in a form, as is in text. Throws a `CronplaneError` for a placeholder outside
 * a string in a JSON body (refused at load too).
 */
export function substituteBody(
  body: string,
  kind: BodyKind,
  params: Readonly<Record<string, string>>,
): string {
  let out = '';
  let last = 0;
  scanJson(
    body,
    (name) => valueOf(params, name) !== undefined,
    (name, inString, offset) => {
      const value = valueOf(params, name) ?? '';
      out += body.slice(last, offset);
      last = offset + name.length + 2;
      switch (kind) {
        case 'json':
          if (!inString) {
            throw new CronplaneError(
              'executor.body',
              `the placeholder {${name}} stands outside a string in the JSON body; its value would be JSON syntax`,
            );
          }
          out += JSON.stringify(value).slice(1, -1);
          return;
        case 'form':
          out += encodeComponent(value, name);
          return;
        case 'text':
          out += value;
          return;
      }
    },
  );
  return out + body.slice(last);
}

/** Calls `found` for each placeholder, saying whether it stands inside a JSON string literal. */
function scanJson(
  body: string,
  isPlaceholder: (name: string) => boolean,
  found: (name: string, inString: boolean, offset: number) => void,
): void {
  const pattern = /\{([A-Za-z_][A-Za-z0-9_]*)\}/y;
  let inString = false;
  for (let index = 0; index < body.length;) {
    const c = body[index];
    if (opensPlaceholder(body, index)) {
      pattern.lastIndex = index;
      const name = pattern.exec(body)?.[1];
      if (name !== undefined && isPlaceholder(name)) {
        found(name, inString, index);
        index += name.length + 2;
        continue;
      }
    }
    if (inString && c === '\\') index += 2;
    else {
      if (c === '"') inString = !inString;
      index++;
    }
  }
}
