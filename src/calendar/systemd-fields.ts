/**
 * Translation between systemd chains and the fields of the shared CalendarSpec, both ways: the
 * parser turns chains into fields, the normaliser turns fields (from any syntax) back into
 * chains. Each direction keeps the exact set of instants.
 */
import type { DayOfMonthField, DayOfMonthItem, Field, FieldItem } from './calendar-spec.ts';
import { MAX_CHAIN_COMPONENTS, USEC_PER_SEC, type Chain, type SystemdComponent } from './systemd-chain.ts';

/** A field a chain cannot carry, with the reason, for `calendar.unrepresentable`. */
export class UnrepresentableField extends Error {
  override readonly name = 'UnrepresentableField';
}

function componentToItem({ start, stop, repeat }: SystemdComponent, scale = 1): FieldItem {
  if (stop >= 0) return { kind: 'range', start: start / scale, end: stop / scale, step: repeat / scale };
  if (repeat > 0) return { kind: 'repeat', start: start / scale, step: repeat / scale };
  return { kind: 'value', value: start / scale };
}

function itemToComponent(item: FieldItem): SystemdComponent {
  switch (item.kind) {
    case 'value':
      return { start: item.value, stop: -1, repeat: 0 };
    case 'range':
      return { start: item.start, stop: item.end, repeat: Math.max(1, item.step) };
    case 'repeat':
      return { start: item.start, stop: -1, repeat: item.step };
  }
}

export function chainToField(chain: Chain): Field {
  return chain === undefined
    ? { kind: 'any' }
    : { kind: 'list', items: chain.map((c) => componentToItem(c)) };
}

/**
 * A plain field item as a component. Cron's `*\/15` (a range written from `*`) becomes systemd's
 * repetition `00/15`; a repetition that cannot repeat inside the field (cron `50/15` in minutes)
 * is the single value it stands for, which systemd would refuse to read as a repetition.
 */
function plainComponent(item: FieldItem, to: number): SystemdComponent {
  const repeat =
    item.kind === 'repeat'
      ? item
      : item.kind === 'range' && item.fromAny === true && item.end >= to
        ? item
        : undefined;
  if (repeat === undefined) return itemToComponent(item);
  if (repeat.start + repeat.step > to) return { start: repeat.start, stop: -1, repeat: 0 };
  return { start: repeat.start, stop: -1, repeat: repeat.step };
}

/** A plain field as a chain (`to` is the field's largest value). */
export function fieldToChain(field: Field, to: number): Chain {
  return field.kind === 'any' ? undefined : field.items.map((item) => plainComponent(item, to));
}

/** Day-of-month chain to field: with `~`, every component counts days from the month's end. */
export function dayChainToField(chain: Chain, endOfMonth: boolean): DayOfMonthField {
  if (chain === undefined) return { kind: 'any' };
  if (!endOfMonth) return chainToField(chain);
  return {
    kind: 'list',
    items: chain.map(({ start, stop, repeat }): DayOfMonthItem => {
      // A normalised `~a..b/s` is symmetric (b - a is a multiple of s): the same days whichever
      // end the steps start from. The model writes the day further from the end first.
      if (stop >= 0) {
        return repeat === 1
          ? { kind: 'from-end', start: stop, end: start }
          : { kind: 'from-end', start: stop, end: start, step: repeat };
      }
      if (repeat > 0) return { kind: 'from-end', start, step: repeat };
      return { kind: 'from-end', start };
    }),
  };
}

export interface DayChain {
  readonly chain: Chain;
  readonly endOfMonth: boolean;
}

/** Day-of-month field to chain; throws UnrepresentableField for cron `W`, `LW` and for mixes of `-` and `~`. */
export function dayFieldToChain(field: DayOfMonthField): DayChain {
  if (field.kind === 'any') return { chain: undefined, endOfMonth: false };
  const fromStart: SystemdComponent[] = [];
  const fromEnd: SystemdComponent[] = [];
  for (const item of field.items) {
    switch (item.kind) {
      case 'value':
        fromStart.push(itemToComponent(item));
        break;
      case 'range':
      case 'repeat': {
        const repaired = fieldToChain({ kind: 'list', items: [item] }, 31);
        fromStart.push(...(repaired ?? []));
        break;
      }
      case 'last-day':
        fromEnd.push({ start: item.offset + 1, stop: -1, repeat: 0 });
        break;
      case 'from-end':
        if (item.end !== undefined) {
          fromEnd.push({
            start: Math.min(item.start, item.end),
            stop: Math.max(item.start, item.end),
            repeat: item.step ?? 1,
          });
        } else {
          fromEnd.push({ start: item.start, stop: -1, repeat: item.step ?? 0 });
        }
        break;
      case 'nearest-weekday':
        throw new UnrepresentableField(
          `day-of-month ${item.day}W (the weekday nearest to day ${item.day}) has no OnCalendar form`,
        );
      case 'last-weekday':
        throw new UnrepresentableField(
          'day-of-month LW (the last weekday of the month) has no OnCalendar form',
        );
    }
  }
  if (fromStart.length > 0 && fromEnd.length > 0) {
    throw new UnrepresentableField(
      'OnCalendar counts all days of one expression either from the start (-) or from the end (~) of the month, not both',
    );
  }
  return fromEnd.length > 0 ? { chain: fromEnd, endOfMonth: true } : { chain: fromStart, endOfMonth: false };
}

function isStar({ start, stop, repeat }: SystemdComponent): boolean {
  return start === 0 && stop < 0 && repeat === USEC_PER_SEC;
}

export interface SecondsFields {
  readonly second: Field;
  readonly microsecond?: Field;
  readonly microsecondOfMinute?: Field;
}

/** Whole seconds × one fraction: the component in seconds, or undefined if it is not that. */
function wholeSecondsOf(
  component: SystemdComponent,
): { readonly item: FieldItem; readonly fraction: number } | undefined {
  const fraction = component.start % USEC_PER_SEC;
  if (component.repeat % USEC_PER_SEC !== 0) return undefined;
  if (component.stop >= 0 && component.stop % USEC_PER_SEC !== fraction) return undefined;
  const whole = {
    ...component,
    start: component.start - fraction,
    stop: component.stop < 0 ? -1 : component.stop - fraction,
  };
  return { item: componentToItem(whole, USEC_PER_SEC), fraction };
}

/**
 * The seconds chain (in microseconds) as `second` × `microsecond` where that product is exact,
 * else as `microsecondOfMinute`.
 */
export function secondsChainToFields(chain: readonly SystemdComponent[]): SecondsFields {
  const parts = chain.map(wholeSecondsOf);
  const fraction = parts[0]?.fraction;
  if (fraction !== undefined && parts.every((part) => part !== undefined && part.fraction === fraction)) {
    const second: Field = chain.some(isStar)
      ? { kind: 'any' }
      : { kind: 'list', items: parts.flatMap((part) => (part === undefined ? [] : [part.item])) };
    return fraction === 0
      ? { second }
      : { second, microsecond: { kind: 'list', items: [{ kind: 'value', value: fraction }] } };
  }
  const only = chain.length === 1 ? chain[0] : undefined;
  if (
    only !== undefined &&
    only.stop < 0 &&
    USEC_PER_SEC % only.repeat === 0 &&
    only.start % USEC_PER_SEC < only.repeat
  ) {
    // `00/0.25`, `05.1/0.5`: every sub-second step of every second from the first on.
    const first = Math.floor(only.start / USEC_PER_SEC);
    return {
      second:
        first === 0
          ? { kind: 'any' }
          : { kind: 'list', items: [{ kind: 'range', start: first, end: 59, step: 1 }] },
      microsecond: {
        kind: 'list',
        items: [{ kind: 'repeat', start: only.start % USEC_PER_SEC, step: only.repeat }],
      },
    };
  }
  return { second: { kind: 'any' }, microsecondOfMinute: chainToField(chain) };
}

/** The values of a microsecond field, if it is a short list of them. */
function microsecondValues(field: Field): number[] | undefined {
  if (field.kind === 'any') return undefined;
  const values: number[] = [];
  for (const item of field.items) {
    if (item.kind !== 'value') return undefined;
    values.push(item.value);
  }
  return values;
}

/** Every whole second from `first` to 59: `*` (first 0), `5..59`, `5/1`. */
function secondsFrom(field: Field): number | undefined {
  if (field.kind === 'any') return 0;
  const [item, ...rest] = field.items;
  if (item === undefined || rest.length > 0) return undefined;
  if (item.kind === 'range' && item.end === 59 && item.step === 1) return item.start;
  if (item.kind === 'repeat' && item.step === 1) return item.start;
  return undefined;
}

/** `second` × `microsecond` (or `microsecondOfMinute`) as one systemd seconds chain in microseconds. */
export function secondsFieldsToChain(fields: SecondsFields): readonly SystemdComponent[] {
  const star: SystemdComponent = { start: 0, stop: -1, repeat: USEC_PER_SEC };
  if (fields.microsecondOfMinute !== undefined) {
    const exact = fields.microsecondOfMinute;
    return exact.kind === 'any'
      ? [{ start: 0, stop: -1, repeat: 1 }]
      : exact.items.map((item) => itemToComponent(item));
  }
  const seconds = fields.second;
  const micro = fields.microsecond ?? { kind: 'list', items: [{ kind: 'value', value: 0 }] };
  const values = microsecondValues(micro);
  if (values !== undefined) {
    const product = values.flatMap((m) =>
      seconds.kind === 'any'
        ? [{ ...star, start: m }]
        : seconds.items.map((item) => {
            const c = plainComponent(item, 59);
            const stop = c.stop < 0 ? -1 : c.stop * USEC_PER_SEC + m;
            return { start: c.start * USEC_PER_SEC + m, stop, repeat: c.repeat * USEC_PER_SEC };
          }),
    );
    if (product.length <= MAX_CHAIN_COMPONENTS) return product;
    throw new UnrepresentableField(
      `${product.length} second/sub-second combinations exceed systemd's ${MAX_CHAIN_COMPONENTS}`,
    );
  }
  const [only, ...others] = micro.kind === 'list' ? micro.items : [];
  const first = secondsFrom(seconds);
  if (only?.kind === 'repeat' && others.length === 0 && first !== undefined) {
    if (USEC_PER_SEC % only.step === 0 && only.start < only.step) {
      return [{ start: first * USEC_PER_SEC + only.start, stop: -1, repeat: only.step }];
    }
  }
  const single = seconds.kind === 'list' && seconds.items.length === 1 ? seconds.items[0] : undefined;
  if (single?.kind === 'value') {
    const base = single.value * USEC_PER_SEC;
    const items: readonly FieldItem[] =
      micro.kind === 'any' ? [{ kind: 'range', start: 0, end: USEC_PER_SEC - 1, step: 1 }] : micro.items;
    return items.map((item) => {
      const c = itemToComponent(item);
      return {
        start: base + c.start,
        stop: c.stop >= 0 ? base + c.stop : c.repeat > 0 ? base + USEC_PER_SEC - 1 : -1,
        repeat: c.repeat,
      };
    });
  }
  throw new UnrepresentableField('this combination of seconds and sub-second steps has no OnCalendar form');
}
