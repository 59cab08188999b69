/**
 * systemd's own unit of a calendar field: a chain of components, each a start with an optional
 * stop (`..`) and an optional repetition (`/`). The parser builds chains, the normaliser prints
 * them; both apply systemd's normalisation and validity rules here, so that what cronplane
 * accepts, prints and fires on is what `systemd-analyze calendar` accepts, prints and fires on.
 *
 * The seconds chain is kept in microseconds (0-59_999_999), as systemd keeps it.
 */

export const USEC_PER_SEC = 1_000_000;

/** The largest number systemd reads into a component (`INT_MAX`). */
export const MAX_COMPONENT_NUMBER = 2_147_483_647;

/** systemd refuses chains longer than this many components. */
export const MAX_CHAIN_COMPONENTS = 241;

export interface SystemdComponent {
  readonly start: number;
  /** -1 when there is no `..stop`. */
  readonly stop: number;
  /** 0 when there is no repetition; a range without `/` repeats by 1 (1 s in the seconds chain). */
  readonly repeat: number;
}

/** A chain component with where its parts were written, for error positions. */
export interface LocatedComponent extends SystemdComponent {
  readonly startAt: number;
  /** -1 when the part was not written. */
  readonly stopAt: number;
  readonly repeatAt: number;
  /** Just after the component's text. */
  readonly endAt: number;
}

/** `undefined` is systemd's empty chain: `*`, every value. */
export type Chain<C extends SystemdComponent = SystemdComponent> = readonly C[] | undefined;

export const ChainField = {
  year: { from: 1970, to: 2199, width: 4, name: 'year' },
  month: { from: 1, to: 12, width: 2, name: 'month' },
  day: { from: 1, to: 31, width: 2, name: 'day' },
  hour: { from: 0, to: 23, width: 2, name: 'hour' },
  minute: { from: 0, to: 59, width: 2, name: 'minute' },
  second: { from: 0, to: 60 * USEC_PER_SEC - 1, width: 2, name: 'second' },
} as const;
export type ChainField = keyof typeof ChainField;

function compareComponents(a: SystemdComponent, b: SystemdComponent): number {
  return a.start - b.start || a.stop - b.stop || a.repeat - b.repeat;
}

/**
 * systemd's normalisation of one component: the stop is pulled back onto the last repetition,
 * and a range that cannot repeat even once (or whose stop equals its start) becomes a value.
 */
export function normalizeComponent<C extends SystemdComponent>(component: C): C {
  let { stop, repeat } = component;
  const { start } = component;
  if (stop > start && repeat > 0) stop -= (stop - start) % repeat;
  if ((stop > start && repeat > 0 && start + repeat > stop) || start === stop) {
    repeat = 0;
    stop = -1;
  }
  return stop === component.stop && repeat === component.repeat ? component : { ...component, stop, repeat };
}

/** systemd's normalisation of a chain: each component normalised, then sorted, duplicates dropped. */
export function normalizeChain<C extends SystemdComponent>(chain: Chain<C>): Chain<C> {
  if (chain === undefined) return undefined;
  const sorted = chain.map(normalizeComponent).sort(compareComponents);
  return sorted.filter((component, i) => {
    const previous = sorted[i - 1];
    return previous === undefined || compareComponents(previous, component) !== 0;
  });
}

/** Two-digit years as systemd reads them: 00-69 are 2000-2069, 70-99 are 1970-1999. */
export function fixTwoDigitYear(value: number): number {
  if (value >= 0 && value < 70) return value + 2000;
  if (value >= 70 && value < 100) return value + 1900;
  return value;
}

export interface ChainProblem<C extends SystemdComponent> {
  readonly component: C;
  /** Which part of the component is wrong. */
  readonly part: 'start' | 'stop' | 'repeat';
  /** What was expected, for the error message. */
  readonly expected: string;
}

function describe(value: number, field: ChainField): string {
  return field === 'second' ? formatSeconds(value) : String(value);
}

/**
 * systemd's validity rules for a normalised chain (`chain_valid`): every start and stop inside
 * the field's range, a repetition no longer than the range, and at least one repetition possible.
 * Days counted from the end of the month (`~`) may be at most 28 from the end (fewer for later
 * items of a list, see below).
 */
export function findChainProblems<C extends SystemdComponent>(
  chain: Chain<C>,
  field: ChainField,
  endOfMonth = false,
): ChainProblem<C>[] {
  return (chain ?? []).flatMap((component, index) => {
    const problem = findComponentProblem(component, field, endOfMonth, index);
    return problem === undefined ? [] : [problem];
  });
}

function findComponentProblem<C extends SystemdComponent>(
  component: C,
  field: ChainField,
  endOfMonth: boolean,
  index: number,
): ChainProblem<C> | undefined {
  const { from, name } = ChainField[field];
  // systemd takes 3 off the limit for days from the end of the month, once more for every
  // further component of the chain (`chain_valid` passes its lowered limit on): `~05,25` is
  // accepted, `~05,26` refused. cronplane accepts what systemd accepts.
  const to = endOfMonth ? ChainField[field].to - 3 * (index + 1) : ChainField[field].to;
  const span = `${describe(from, field)}-${describe(to, field)}`;
  const what = endOfMonth
    ? `days from the end of the month ${index === 0 ? '' : `(item ${index + 1} of the sorted list) `}`
    : `${name}s `;
  const { start, stop, repeat } = component;
  if (start < from || start > to) return { component, part: 'start', expected: `${what}${span}` };
  if (repeat > to - from) {
    return { component, part: 'repeat', expected: `a step of at most ${describe(to - from, field)}` };
  }
  if (stop >= 0) {
    if (stop < from || stop > to) return { component, part: 'stop', expected: `${what}${span}` };
    if (start + repeat > stop) {
      return { component, part: 'stop', expected: `a range end after its start ${describe(start, field)}` };
    }
  } else if (endOfMonth && start - repeat < from) {
    return {
      component,
      part: 'repeat',
      expected: `a step that stays inside the month counting back from ${start}: at most ${start - from}`,
    };
  } else if (!endOfMonth && start + repeat > to) {
    return {
      component,
      part: 'repeat',
      expected: `a step that repeats at least once before ${describe(to, field)}: at most ${describe(to - start, field)}`,
    };
  }
  return undefined;
}

/** Seconds in microseconds as systemd prints them: `05`, `01.500000`. */
export function formatSeconds(usec: number): string {
  const whole = Math.floor(usec / USEC_PER_SEC);
  const fraction = usec % USEC_PER_SEC;
  return `${String(whole).padStart(2, '0')}${fraction > 0 ? `.${String(fraction).padStart(6, '0')}` : ''}`;
}

function isStarComponent(component: SystemdComponent): boolean {
  return component.start === 0 && component.stop < 0 && component.repeat === USEC_PER_SEC;
}

/** One chain as `systemd-analyze calendar` prints it in the normalised form (`format_chain`). */
export function formatChain(chain: Chain, field: ChainField): string {
  if (chain === undefined || chain.length === 0) return '*';
  const usec = field === 'second';
  if (usec && chain.some(isStarComponent)) return '*';
  const d = usec ? USEC_PER_SEC : 1;
  const width = ChainField[field].width;
  const pad = (n: number): string => String(Math.floor(n / d)).padStart(width, '0');
  const fraction = (n: number): string => (n % d > 0 ? `.${String(n % d).padStart(6, '0')}` : '');
  return chain
    .map(({ start, stop, repeat }) => {
      let text = pad(start) + fraction(start);
      if (stop > 0) text += `..${pad(stop)}`;
      if (stop > 0) text += fraction(stop);
      if (repeat > 0 && !(stop > 0 && repeat === d)) text += `/${Math.floor(repeat / d)}`;
      text += fraction(repeat);
      return text;
    })
    .join(',');
}
