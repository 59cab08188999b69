import type { ResolvedJob } from '../../config/index.ts';
import type { JsonValue, RunRecord } from '../../store/index.ts';
import type { ApiContext } from '../api-context.ts';
import type { Caller } from '../auth/caller.ts';
import { ApiError, unknownJob, unknownRun } from './api-error.ts';

function outsidePatterns(caller: Caller, job: string): ApiError {
  return new ApiError(
    403,
    'api.forbidden',
    `token "${caller.name}" is limited to jobs matching ${caller.jobs.join(', ')}; "${job}" is not one of them`,
    { path: 'path.job' },
  );
}

/** The job, if the caller may touch it: 403 outside the token's patterns, then 404 if unknown. */
export function jobForCaller(context: ApiContext, caller: Caller, name: string): ResolvedJob {
  if (!caller.mayAccess(name)) throw outsidePatterns(caller, name);
  const job = context.jobs().find((candidate) => candidate.name === name);
  if (job === undefined) throw unknownJob(name);
  return job;
}

/** The run, if it exists and the caller may see its job. */
export async function runForCaller(context: ApiContext, caller: Caller, id: number): Promise<RunRecord> {
  const run = await context.store.getRun(id);
  if (run === undefined) throw unknownRun(id);
  if (!caller.mayAccess(run.job)) {
    throw new ApiError(
      403,
      'api.forbidden',
      `token "${caller.name}" is limited to jobs matching ${caller.jobs.join(', ')}; run ${id} is of "${run.job}"`,
      { path: 'path.id' },
    );
  }
  return run;
}

/** Listing across jobs needs a token that may see every job, or a job named in the query. */
export function checkJobFilter(caller: Caller, job: string | undefined): void {
  if (job !== undefined) {
    if (!caller.mayAccess(job))
      throw new ApiError(403, 'api.forbidden', outsidePatterns(caller, job).message, { path: 'query.job' });
    return;
  }
  if (caller.jobs.length > 0) {
    throw new ApiError(
      403,
      'api.forbidden',
      `token "${caller.name}" is limited to jobs matching ${caller.jobs.join(', ')}; name one with ?job=NAME`,
      { path: 'query.job' },
    );
  }
}

/** Only tokens that may touch every job manage tokens and read the audit log. */
export function checkUnlimited(caller: Caller): void {
  if (caller.jobs.length > 0) {
    throw new ApiError(
      403,
      'api.forbidden',
      `token "${caller.name}" is limited to some jobs; managing tokens and reading the audit log need an admin token for every job`,
    );
  }
}

/** Records a change made through the API, under the caller's token name. */
export async function audit(
  context: ApiContext,
  caller: Caller,
  action: string,
  target: string | null,
  details: JsonValue = null,
): Promise<void> {
  // What a caller sent (a parameter, a payload) may hold a secret of the job file: stored masked.
  const masked = details === null ? null : maskedJson(context, details);
  await context.store.recordAudit({
    at: context.clock.now(),
    actor: caller.name,
    action,
    target,
    details: masked,
  });
}

function maskedJson(context: ApiContext, value: JsonValue): JsonValue {
  const text = context.redact(JSON.stringify(value));
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    // A secret that spanned JSON syntax: keep the masked text itself.
    return text;
  }
}
