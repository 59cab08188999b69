import { coerceError } from '../errors/index.ts';
import { placeholderPattern } from '../placeholders/index.ts';
import { checkParamValue } from './check-param-value.ts';
import type { ParamEntry } from './job-file-schema.ts';
import type { ParamSpec } from './param-spec.ts';
import { defaultParamPattern } from './param-spec.ts';
import type { MaybeSecret } from './secret.ts';
import { Secret } from './secret.ts';

type Report = (fieldPath: readonly PropertyKey[], message: string) => void;

/** Where a job's parameters may be used, and what starts the job without a trigger's values. */
export interface ParamContext {
  /** The values the job's target sends as request headers (an HTTP job's headers and bearer). */
  readonly headers: readonly MaybeSecret[];
  readonly env: Readonly<Record<string, MaybeSecret>>;
  /** What runs the job with its defaults only (a schedule, `after:`, a queue), if anything. */
  readonly automatic: string | undefined;
}

const noParams: Readonly<Record<string, ParamSpec>> = Object.freeze({});

/**
 * The parameter specs of a job: the short form `name: default` is a string parameter with the
 * default pattern; the long form declares the type and its rule. A parameter is secret when it
 * says so or when its placeholder is used inside a secret of the job file (a secret env value, a
 * secret header, the bearer token). Each default must satisfy its own rule; a parameter without
 * one is refused on a job that also runs without a trigger. Problems are reported at their field.
 */
export function resolveParams(
  entries: Readonly<Record<string, ParamEntry>> | undefined,
  context: ParamContext,
  at: (...rest: PropertyKey[]) => PropertyKey[],
  report: Report,
): Readonly<Record<string, ParamSpec>> {
  if (entries === undefined || Object.keys(entries).length === 0) return noParams;
  const usage = placeholderUsage(context);
  const specs: Record<string, ParamSpec> = {};
  for (const [name, entry] of Object.entries(entries)) {
    const spec = resolveParam(name, entry, usage, at, report);
    if (spec === undefined) continue;
    if (spec.default === undefined && context.automatic !== undefined) {
      report(
        at('params', name),
        `parameter "${name}" has no default, but the job also runs ${context.automatic}, which gives no parameters; give it a default`,
      );
    }
    specs[name] = spec;
  }
  return Object.freeze(specs);
}

interface Usage {
  /** Placeholders used inside job-file secrets. */
  readonly inSecret: ReadonlySet<string>;
  /** Placeholders used inside HTTP header values (the bearer included). */
  readonly inHeader: ReadonlySet<string>;
}

function placeholderUsage(context: ParamContext): Usage {
  const inSecret = new Set<string>();
  const inHeader = new Set<string>();
  const scan = (text: string, into: Set<string>[]) => {
    for (const match of text.matchAll(placeholderPattern))
      for (const set of into) set.add(match[1] as string);
  };
  for (const value of Object.values(context.env))
    if (value instanceof Secret) scan(value.reveal(), [inSecret]);
  for (const value of context.headers) {
    if (value instanceof Secret) scan(value.reveal(), [inSecret, inHeader]);
    else scan(value, [inHeader]);
  }
  return { inSecret, inHeader };
}

function resolveParam(
  name: string,
  entry: ParamEntry,
  usage: Usage,
  at: (...rest: PropertyKey[]) => PropertyKey[],
  report: Report,
): ParamSpec | undefined {
  const shortForm = typeof entry === 'string';
  const declared: Exclude<ParamEntry, string> = shortForm ? { default: entry } : entry;
  const type = declared.type ?? 'string';
  const common = {
    description: declared.description,
    secret: declared.secret === true || usage.inSecret.has(name),
    inHeader: usage.inHeader.has(name),
    default: undefined,
  };
  const misplaced = (
    [
      ['pattern', 'string'],
      ['min', 'integer or number'],
      ['max', 'integer or number'],
      ['values', 'enum'],
    ] as const
  ).filter(([key, types]) => declared[key] !== undefined && !types.includes(type));
  for (const [key, types] of misplaced) {
    report(
      at('params', name, key),
      `${key} applies only to a parameter of type ${types}; this one is ${type}`,
    );
  }
  if (misplaced.length > 0) return undefined;

  let spec: ParamSpec;
  switch (type) {
    case 'string': {
      const pattern = declared.pattern ?? defaultParamPattern;
      let regex: RegExp;
      try {
        regex = new RegExp(`^(?:${pattern})$`, 'u');
      } catch (thrown) {
        report(at('params', name, 'pattern'), `the pattern does not compile: ${coerceError(thrown).message}`);
        return undefined;
      }
      spec = { ...common, type, pattern, regex };
      break;
    }
    case 'integer':
    case 'number': {
      const { min, max } = declared;
      if (min !== undefined && max !== undefined && min > max) {
        report(at('params', name, 'min'), `min (${min}) is greater than max (${max})`);
        return undefined;
      }
      spec = { ...common, type, min, max };
      break;
    }
    case 'boolean':
      spec = { ...common, type };
      break;
    case 'enum': {
      const values = declared.values ?? [];
      if (values.length === 0) {
        report(at('params', name), 'an enum parameter needs values: the list of what it may be');
        return undefined;
      }
      spec = { ...common, type, values: [...new Set(values)] };
      break;
    }
    default: {
      const unknown: never = type;
      throw new Error(`unknown parameter type ${JSON.stringify(unknown)}`);
    }
  }
  if (declared.default === undefined) return spec;
  try {
    const value = checkParamValue(name, spec, declared.default);
    return { ...spec, default: spec.secret ? new Secret(value) : value };
  } catch (thrown) {
    report(
      shortForm ? at('params', name) : at('params', name, 'default'),
      `the default does not satisfy its own rule: ${coerceError(thrown).message}`,
    );
    return undefined;
  }
}

/** The values a run gets when no trigger gives any: each parameter's default, revealed. */
export function paramDefaults(specs: Readonly<Record<string, ParamSpec>>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.default !== undefined)
      values[name] = spec.default instanceof Secret ? spec.default.reveal() : spec.default;
  }
  return values;
}
