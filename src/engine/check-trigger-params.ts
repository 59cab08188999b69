import type { ParamSpec, ResolvedJob } from '../config/index.ts';
import { checkParamValue, defaultParamPattern, paramDefaults } from '../config/index.ts';
import { CronplaneError } from '../errors/index.ts';

export interface CheckedTriggerParams {
  /** Every declared parameter's value for the run: the trigger's, checked and canonical, else the default. */
  readonly values: Readonly<Record<string, string>>;
  /** The fan-out entry the trigger picked (`fan_key`), if any. */
  readonly fanKey: string | undefined;
  /**
   * Values the trigger gave for the job's fan-out placeholders (`for_each` keys), each checked
   * against the default pattern of a string parameter; they replace the listed values.
   */
  readonly fanValues: Readonly<Record<string, string>>;
}

/**
 * The rule a trigger's value for a fan-out placeholder must satisfy: a string parameter with the
 * default pattern (a letter, digit or `_` first, so never an option; no `/`, spaces, quotes or
 * shell syntax). Values listed in the job file are trusted; a trigger's are not.
 */
const fanValueSpec: ParamSpec = {
  type: 'string',
  pattern: defaultParamPattern,
  regex: new RegExp(`^(?:${defaultParamPattern})$`, 'u'),
  description: undefined,
  default: undefined,
  secret: false,
  inHeader: false,
};

/**
 * The one check of what a trigger sends (the API, `cronplane run --param`, the queue, anything
 * that plans manual runs), made before anything is recorded: only declared parameters, fan-out
 * placeholders (and `fan_key`), each value satisfying its rule, every parameter without a default
 * given. A refusal is a `CronplaneError` at `params.<name>` that names the parameter and its rule.
 */
export function checkTriggerParams(
  job: ResolvedJob,
  given: Readonly<Record<string, string>>,
): CheckedTriggerParams {
  if (job.template !== undefined) {
    throw new CronplaneError(
      'engine.template',
      `job "${job.name}" is a template: it never runs itself; create instances with PUT /api/jobs/${job.name}/instances/{key} (GET /api/jobs/${job.name}/instances lists them) and trigger those`,
    );
  }
  const specs = job.params;
  const bound = job.instance?.params ?? {};
  const fanKeys = Object.keys(job.fanOut[0] ?? {});
  const values = paramDefaults(specs);
  const fanValues: Record<string, string> = {};
  let fanKey: string | undefined;
  for (const [name, value] of Object.entries(given)) {
    if (name === 'fan_key') {
      fanKey = value;
      continue;
    }
    if (fanKeys.includes(name)) {
      fanValues[name] = checkParamValue(name, fanValueSpec, value);
      continue;
    }
    if (Object.hasOwn(bound, name)) {
      throw new CronplaneError(
        'engine.param',
        `parameter "${name}" is bound by instance "${job.name}" of template "${job.instance?.template}": every run takes its value; change it with PUT /api/jobs/${job.instance?.template}/instances/${job.instance?.key}`,
        { location: { path: `params.${name}` } },
      );
    }
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (spec === undefined) {
      throw new CronplaneError(
        'engine.param',
        `job "${job.name}" takes no parameter "${name}"; it takes: ${[...Object.keys(specs), ...fanKeys, 'fan_key'].join(', ')}`,
        { location: { path: `params.${name}` } },
      );
    }
    values[name] = checkParamValue(name, spec, value);
  }
  for (const name of Object.keys(specs)) {
    if (!Object.hasOwn(values, name)) {
      throw new CronplaneError(
        'param.invalid',
        `parameter "${name}" is required: job "${job.name}" gives it no default`,
        { location: { path: `params.${name}` } },
      );
    }
  }
  return { values, fanKey, fanValues };
}
