/**
 * Reads one chain of an OnCalendar expression (`*`, `5`, `1,3..7/2`, `01.5`), exactly as
 * systemd's `parse_chain` does, and remembers where each part was written.
 */
import {
  MAX_CHAIN_COMPONENTS,
  MAX_COMPONENT_NUMBER,
  USEC_PER_SEC,
  type Chain,
  type LocatedComponent,
} from './systemd-chain.ts';
import { describeTokenAt, invalidOnCalendar } from './systemd-error.ts';

export interface ChainParse {
  readonly chain: Chain<LocatedComponent>;
  /** Position just after the chain. */
  readonly end: number;
}

interface NumberParse {
  readonly value: number;
  readonly end: number;
}

/** Characters that may follow a component: what separates chains and date/time parts. */
const TERMINATORS = new Set(['', ' ', ',', '-', '~', ':']);

function isDigit(char: string): boolean {
  return char >= '0' && char <= '9';
}

/** `role` names the component for messages: `hour`, `second`, `month or day`... */
function readNumber(text: string, position: number, usec: boolean, role: string): NumberParse {
  let end = position;
  while (isDigit(text.charAt(end))) end++;
  if (end === position) {
    const star = text.charAt(position) === '*';
    throw invalidOnCalendar(
      position,
      `${describeTokenAt(text, position)} in the ${role}`,
      star ? "a number: '*' stands alone for a whole field" : `a number or '*'`,
    );
  }
  let value = Number(text.slice(position, end));
  if (usec) {
    value *= USEC_PER_SEC;
    // One '.' is a decimal point, '..' a range.
    if (text.charAt(end) === '.' && text.charAt(end + 1) !== '.') {
      const fraction = readFraction(text, end + 1, role);
      value += fraction.value;
      end = fraction.end;
    }
  }
  if (value > MAX_COMPONENT_NUMBER) {
    throw invalidOnCalendar(
      position,
      `${role} number ${text.slice(position, end)}`,
      `a number of at most ${usec ? '2147 seconds' : MAX_COMPONENT_NUMBER}`,
    );
  }
  return { value, end };
}

/** Six digits of microseconds; a seventh rounds half up, further digits are ignored. */
function readFraction(text: string, position: number, role: string): NumberParse {
  let value = 0;
  let end = position;
  for (let i = 0; i < 6; i++) {
    const char = text.charAt(end);
    if (!isDigit(char)) {
      if (i === 0) {
        throw invalidOnCalendar(
          end,
          `${describeTokenAt(text, end)} after the decimal point in the ${role}`,
          'digits',
        );
      }
      value *= 10 ** (6 - i);
      return { value, end };
    }
    value = value * 10 + Number(char);
    end++;
  }
  const seventh = text.charAt(end);
  if (seventh >= '5' && seventh <= '9') value++;
  while (isDigit(text.charAt(end))) end++;
  return { value, end };
}

/**
 * A chain at `position`: `*` (returned as `undefined`, or as every whole second when `usec`), or
 * comma-separated components `start[..stop][/repeat]`.
 */
export function parseChain(text: string, position: number, usec: boolean, role: string): ChainParse {
  if (text.charAt(position) === '*') {
    const star: LocatedComponent = {
      start: 0,
      stop: -1,
      repeat: USEC_PER_SEC,
      startAt: position,
      stopAt: position,
      repeatAt: position,
      endAt: position + 1,
    };
    return { chain: usec ? [star] : undefined, end: position + 1 };
  }
  const chain: LocatedComponent[] = [];
  let at = position;
  for (;;) {
    if (chain.length === MAX_CHAIN_COMPONENTS) {
      throw invalidOnCalendar(
        at,
        `a ${MAX_CHAIN_COMPONENTS + 1}th ${role} list item`,
        `at most ${MAX_CHAIN_COMPONENTS} items`,
      );
    }
    const component = parseComponent(text, at, usec, role);
    chain.push(component.component);
    if (text.charAt(component.end) !== ',') return { chain, end: component.end };
    at = component.end + 1;
  }
}

function parseComponent(
  text: string,
  position: number,
  usec: boolean,
  role: string,
): { readonly component: LocatedComponent; readonly end: number } {
  const start = readNumber(text, position, usec, role);
  let end = start.end;
  let stop = -1;
  let stopAt = -1;
  let repeat = 0;
  let repeatAt = -1;
  if (text.startsWith('..', end)) {
    stopAt = end + 2;
    const read = readNumber(text, stopAt, usec, role);
    stop = read.value;
    end = read.end;
    repeat = usec ? USEC_PER_SEC : 1;
  }
  if (text.charAt(end) === '/') {
    repeatAt = end + 1;
    const read = readNumber(text, repeatAt, usec, role);
    if (read.value === 0) {
      throw invalidOnCalendar(repeatAt, `${role} step ${text.slice(repeatAt, read.end)}`, 'a step above 0');
    }
    repeat = read.value;
    end = read.end;
  } else if (usec && stop >= 0 && start.value + repeat > stop) {
    throw invalidOnCalendar(
      stopAt,
      `${role} range ${text.slice(position, end)}`,
      'a range end at least one second after its start, or a step after /',
    );
  }
  if (!TERMINATORS.has(text.charAt(end))) {
    throw invalidOnCalendar(
      end,
      `${describeTokenAt(text, end)} in the ${role}`,
      `${usec ? 'a decimal point, ' : ''}',', '..', '/' or the end of the ${role}`,
    );
  }
  return {
    component: { start: start.value, stop, repeat, startAt: position, stopAt, repeatAt, endAt: end },
    end,
  };
}
