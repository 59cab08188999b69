import type { ResolvedJob } from '../../config/index.ts';
import type { JsonValue, RunRecord } from '../../store/index.ts';
import type { ApiContext } from '../api-context.ts';
import type { Caller } from './caller.ts';
import { checkJobFilter, checkUnlimited, jobForActor, runForActor } from '../../control/index.ts';

/** The job, if the caller may touch it: 403 outside the token's patterns, then 404 if unknown. */
export function jobForCaller(context: ApiContext, caller: Caller, name: string): ResolvedJob {
  return jobForActor(context.jobs(), caller, name);
}

/** The run, if it exists and the caller may see its job. */
export async function runForCaller(context: ApiContext, caller: Caller, id: number): Promise<RunRecord> {
  return runForActor(await context.store.getRun(id), caller, id);
}

export { checkJobFilter, checkUnlimited };

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
