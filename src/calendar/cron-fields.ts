/**
 * The pieces shared by the cron and AWS parsers: splitting a field into list items and reading
 * values, names, ranges and steps, with located errors.
 */
import { calendarError } from './calendar-error.ts';

/** What a field accepts, as the user writes it (before any renumbering into the model). */
export interface FieldRule {
  /** `minute`, `day-of-week`: used in messages as `minute field: ...`. */
  readonly label: string;
  readonly min: number;
  readonly max: number;
  /** Upper-case names accepted in place of numbers (`JAN`, `MON`). */
  readonly names?: Readonly<Record<string, number>>;
  /** What the names are, for messages: `1-12 or JAN-DEC`. */
  readonly expected: string;
}

export const MONTH_NAMES: Readonly<Record<string, number>> = {
  JAN: 1,
  FEB: 2,
  MAR: 3,
  APR: 4,
  MAY: 5,
  JUN: 6,
  JUL: 7,
  AUG: 8,
  SEP: 9,
  OCT: 10,
  NOV: 11,
  DEC: 12,
};

/** A token of the input with its 0-based offset. */
export interface Token {
  readonly text: string;
  readonly position: number;
}

/** Splits `text` on whitespace, keeping offsets. */
export function splitWords(text: string, start = 0, end = text.length): Token[] {
  const tokens: Token[] = [];
  const pattern = /\S+/g;
  pattern.lastIndex = start;
  const slice = text.slice(0, end);
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(slice)) !== null) tokens.push({ text: match[0], position: match.index });
  return tokens;
}

/** Splits a field on commas; an empty item is an error. */
export function splitList(field: Token, rule: FieldRule): Token[] {
  const items: Token[] = [];
  let start = 0;
  for (let i = 0; i <= field.text.length; i++) {
    if (i === field.text.length || field.text[i] === ',') {
      if (i === start) {
        throw calendarError(
          `${rule.label} field: empty list item in "${field.text}"; expected a value, range or step between commas`,
          field.position + i,
        );
      }
      items.push({ text: field.text.slice(start, i), position: field.position + start });
      start = i + 1;
    }
  }
  return items;
}

/** A number or a name of the field, checked against its range. */
export function readValue(token: Token, rule: FieldRule): number {
  const { text, position } = token;
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    if (value < rule.min || value > rule.max) {
      throw calendarError(`${rule.label} field: "${text}" is out of range ${rule.min}-${rule.max}`, position);
    }
    return value;
  }
  const named = rule.names?.[text.toUpperCase()];
  if (named !== undefined) return named;
  throw calendarError(`${rule.label} field: "${text}" is not valid; expected ${rule.expected}`, position);
}

/** A range as written: `*` (any), `*\/s`, `a`, `a-b`, `a-b/s`, `a/s` (a to the field's end). */
export type RawRange =
  | { readonly kind: 'any' }
  | {
      readonly kind: 'range';
      readonly start: number;
      readonly end: number;
      readonly step: number;
      readonly fromAny: boolean;
    };

/**
 * Reads one list item made of values, `-`, `/` and `*`. `endValue` may renumber a range end
 * (cron day-of-week `FRI-SUN` ends at 7).
 */
export function readRange(
  token: Token,
  rule: FieldRule,
  endValue: (value: number, start: number) => number = (value) => value,
): RawRange {
  const { text, position } = token;
  const slash = text.indexOf('/');
  const base = slash < 0 ? text : text.slice(0, slash);
  let step = 1;
  if (slash >= 0) {
    const stepText = text.slice(slash + 1);
    const stepPosition = position + slash + 1;
    const span = rule.max - rule.min + 1;
    if (!/^\d+$/.test(stepText)) {
      throw calendarError(
        `${rule.label} field: step "${stepText}" in "${text}" is not a number; expected 1-${span}`,
        stepPosition,
      );
    }
    step = Number(stepText);
    if (step < 1 || step > span) {
      throw calendarError(`${rule.label} field: step "${stepText}" is out of range 1-${span}`, stepPosition);
    }
    if (base === '') {
      throw calendarError(
        `${rule.label} field: "${text}" has a step but nothing to step over; expected */${stepText} or a-b/${stepText}`,
        position,
      );
    }
  }
  if (base === '*') {
    if (slash < 0) return { kind: 'any' };
    return { kind: 'range', start: rule.min, end: rule.max, step, fromAny: true };
  }
  const dash = base.indexOf('-', 1);
  if (dash < 0) {
    const start = readValue({ text: base, position }, rule);
    return { kind: 'range', start, end: slash < 0 ? start : rule.max, step, fromAny: false };
  }
  const startToken = { text: base.slice(0, dash), position };
  const endToken = { text: base.slice(dash + 1), position: position + dash + 1 };
  if (endToken.text === '') {
    throw calendarError(`${rule.label} field: range "${base}" has no end; expected a-b`, endToken.position);
  }
  const start = readValue(startToken, rule);
  const end = endValue(readValue(endToken, rule), start);
  if (start > end) {
    throw calendarError(
      `${rule.label} field: range "${base}" starts after it ends; expected the smaller value first`,
      position,
    );
  }
  return { kind: 'range', start, end, step, fromAny: false };
}
