import { coerceError } from '../errors/index.ts';
import { checkParamValue } from './check-param-value.ts';
import { describeIssues } from './describe-issues.ts';
import type { JobEntry } from './job-file-schema.ts';
import { instanceEntrySchema } from './job-file-schema.ts';
import type { LoadedJobFile } from './load-job-file.ts';
import type { ParamSpec } from './param-spec.ts';
import type { ResolvedJob } from './resolved-config.ts';
import { resolveParams } from './resolve-params.ts';
import { reveal } from './secret.ts';
import { schedulePlaceholders, scheduleTexts, substituteSchedule } from './template-schedule.ts';

/** One problem of an entry, located by a JSON pointer into it. */
interface Problem {
  readonly pointer: string;
  readonly message: string;
}

/** The keys of an instance's name after `<template>.`: a job name's characters. */
const instanceKey = /^[a-z0-9][a-z0-9._-]*$/;

/** Whether a job entry given through the API is an instance of a template (`"template": "<name>"`). */
export function isInstanceEntry(entry: unknown): entry is { readonly template: string } {
  return (
    entry !== null &&
    typeof entry === 'object' &&
    !Array.isArray(entry) &&
    typeof (entry as { template?: unknown }).template === 'string'
  );
}

/** An instance's entry made into a job entry of the file: the template's, its values in place. */
export interface InstanceJobEntry {
  readonly entry: JobEntry;
  readonly instance: NonNullable<ResolvedJob['instance']>;
  /** The params the schedule uses, with the schedule's texts before and after their values. */
  readonly scheduleUse: {
    readonly params: readonly string[];
    readonly before: string;
    readonly after: string;
  };
}

/**
 * Checks an instance's stored entry against its template in `base` (the template exists and says
 * `template: true`; the name is `<template>.<key>`; each param is declared and its value meets the
 * rule; every param without a default is given) and merges it: the template's entry, the
 * instance's own settings over it, each param's default its bound value, the schedule's
 * placeholders replaced. Returns the problems found instead when there are any.
 */
export function instanceJobEntry(
  base: LoadedJobFile,
  name: string,
  raw: unknown,
): InstanceJobEntry | { readonly problems: readonly Problem[] } {
  // What runs is the template's: its kind keys (`run`, `http`...) and their settings are not an instance's.
  const kindKeys = base.kinds.executors.flatMap((kind) => Object.keys(kind.fields.shape));
  const owned = kindKeys.filter((key) => Object.hasOwn(raw as object, key));
  if (owned.length > 0) {
    return {
      problems: owned.map((key) => ({
        pointer: `/${key}`,
        message: `an instance runs what its template runs: "${key}" is the template's to say`,
      })),
    };
  }
  const parsed = instanceEntrySchema.safeParse(raw);
  if (!parsed.success) {
    return {
      problems: describeIssues(parsed.error.issues, raw).map((report) => ({
        pointer: report.path
          .map((key) => `/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`)
          .join(''),
        message: report.message,
      })),
    };
  }
  const { template: templateName, params: given = {}, ...overrides } = parsed.data;
  const jobs = base.jobFile.jobs ?? {};
  const template = Object.hasOwn(jobs, templateName) ? jobs[templateName] : undefined;
  if (template === undefined)
    return {
      problems: [{ pointer: '/template', message: `no job named "${templateName}" in ${base.file}` }],
    };
  if (template.template !== true) {
    return {
      problems: [
        {
          pointer: '/template',
          message: `job "${templateName}" of ${base.file} is not a template (it does not say template: true)`,
        },
      ],
    };
  }
  const key = name.slice(templateName.length + 1);
  if (!name.startsWith(`${templateName}.`) || !instanceKey.test(key) || name.length > 100) {
    return {
      problems: [
        {
          pointer: '/template',
          message: `an instance of template "${templateName}" is named "${templateName}.<key>" (the key: lowercase letters, digits, ".", "_", "-"; the whole name at most 100 characters), not "${name}"`,
        },
      ],
    };
  }

  const specs = templateParams(template);
  const problems: Problem[] = [];
  const bound: Record<string, string> = {};
  for (const [param, value] of Object.entries(given)) {
    const spec = Object.hasOwn(specs, param) ? specs[param] : undefined;
    if (spec === undefined) {
      const known = Object.keys(specs);
      problems.push({
        pointer: `/params/${param}`,
        message: `template "${templateName}" takes no parameter "${param}"; ${known.length === 0 ? 'it declares none' : `it takes: ${known.join(', ')}`}`,
      });
      continue;
    }
    try {
      bound[param] = checkParamValue(param, spec, value);
    } catch (thrown) {
      problems.push({ pointer: `/params/${param}`, message: coerceError(thrown).message });
    }
  }
  for (const [param, spec] of Object.entries(specs)) {
    if (Object.hasOwn(given, param)) continue;
    if (spec.default === undefined) {
      problems.push({
        pointer: `/params/${param}`,
        message: `parameter "${param}" has no default in template "${templateName}": the instance must give it`,
      });
    } else bound[param] = reveal(spec.default);
  }
  if (problems.length > 0) return { problems };

  const { template: _template, ...templateEntry } = template;
  const params = Object.fromEntries(
    Object.entries(template.params ?? {}).map(([param, declared]) => [
      param,
      typeof declared === 'string' ? bound[param] : { ...declared, default: bound[param] },
    ]),
  );
  const schedule = overrides.schedule ?? templateEntry.schedule;
  const substituted = schedule === undefined ? undefined : substituteSchedule(schedule, bound);
  const entry = {
    ...templateEntry,
    ...overrides,
    params,
    ...(substituted === undefined ? {} : { schedule: substituted }),
  } as JobEntry;
  const said = (value: typeof schedule) =>
    value === undefined
      ? ''
      : scheduleTexts(value, [])
          .map(({ text }) => text)
          .join(', ');
  return {
    entry,
    instance: {
      template: templateName,
      key,
      params: Object.fromEntries(
        Object.entries(bound).map(([param, value]) => [param, specs[param]?.secret === true ? '***' : value]),
      ),
    },
    scheduleUse: { params: schedulePlaceholders(schedule), before: said(schedule), after: said(substituted) },
  };
}

/** The template's param specs (checked when the file was read: no problem is expected here). */
function templateParams(template: JobEntry): Readonly<Record<string, ParamSpec>> {
  return resolveParams(
    template.params,
    { headers: [], env: {}, automatic: undefined },
    (...rest) => rest,
    () => undefined,
  );
}
