import type { Secret } from './secret.ts';

/**
 * What a trigger parameter may hold. Every value a caller sends is checked against its spec
 * before anything is recorded (`checkParamValue`); values from the job file (fan-out lists, env)
 * are trusted and not checked here.
 */
export const ParamType = {
  /** Text that matches `pattern` (the whole value), or the default pattern when none is given. */
  string: 'string',
  /** A whole number, optionally between `min` and `max`; stored in canonical form (`007` → `7`). */
  integer: 'integer',
  /** A decimal number, optionally between `min` and `max`; stored in canonical form (`0.50` → `0.5`). */
  number: 'number',
  /** `true` or `false` (`yes`/`no`, `1`/`0` in any case are read as such); stored as `true`/`false`. */
  boolean: 'boolean',
  /** One of `values`, exactly. */
  enum: 'enum',
} as const;
export type ParamType = keyof typeof ParamType;

/**
 * The pattern a `string` parameter without its own must match: a letter, digit or `_` first (so
 * it can never be read as an option), then up to 255 of letters, digits and `_ . , : @ + = -`.
 * No `/`, spaces, quotes, `$`, backticks or any other shell syntax.
 */
export const defaultParamPattern = '^[A-Za-z0-9_][A-Za-z0-9_.,:@+=-]{0,255}$';

/** Longest value any parameter takes, whatever its rule. */
export const maxParamLength = 4096;

interface ParamBase {
  readonly description: string | undefined;
  /**
   * The value a run gets when the trigger gives none (always the value for scheduled, chained
   * and queued runs). A secret parameter's default is a `Secret`, so it prints as `***`.
   * Undefined: every manual or API trigger must give the parameter.
   */
  readonly default: string | Secret | undefined;
  /** Its value is kept out of `params` (stored as `***`) and masked in the run's output. */
  readonly secret: boolean;
  /** It is used in an HTTP header value: CR and LF are refused. */
  readonly inHeader: boolean;
}

export interface StringParam extends ParamBase {
  readonly type: 'string';
  /** The pattern as declared, or `defaultParamPattern`. */
  readonly pattern: string;
  /** The whole value must match: `^(?:pattern)$` with the `u` flag. */
  readonly regex: RegExp;
}

export interface NumericParam extends ParamBase {
  readonly type: 'integer' | 'number';
  readonly min: number | undefined;
  readonly max: number | undefined;
}

export interface BooleanParam extends ParamBase {
  readonly type: 'boolean';
}

export interface EnumParam extends ParamBase {
  readonly type: 'enum';
  readonly values: readonly string[];
}

export type ParamSpec = StringParam | NumericParam | BooleanParam | EnumParam;

/** The rule of a parameter in words, as refusals say it: `must match ^[a-z]+$`. */
export function describeParamRule(spec: ParamSpec): string {
  switch (spec.type) {
    case 'string':
      return `must match ${spec.pattern}`;
    case 'integer':
    case 'number': {
      const kind = spec.type === 'integer' ? 'an integer' : 'a number';
      if (spec.min !== undefined && spec.max !== undefined)
        return `must be ${kind} between ${spec.min} and ${spec.max}`;
      if (spec.min !== undefined) return `must be ${kind} of at least ${spec.min}`;
      if (spec.max !== undefined) return `must be ${kind} of at most ${spec.max}`;
      return `must be ${kind}`;
    }
    case 'boolean':
      return 'must be true or false';
    case 'enum':
      return `must be one of ${spec.values.join(', ')}`;
    default: {
      const unknown: never = spec;
      throw new Error(`unknown parameter type ${JSON.stringify(unknown)}`);
    }
  }
}
