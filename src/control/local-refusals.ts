import { CronplaneError } from '../errors/index.ts';
import { ControlError } from './control-error.ts';

/*
 * The refusals LocalControl raises, with the API's codes and the request paths they name.
 */

/** Refusals raised below control about a field of the request: answered as `api.invalid` naming the field. */
const fieldCodes = ['engine.param', 'param.invalid', 'engine.fan-key', 'queue.key'];
/** Refusals raised below control about the job's set-up. */
const conflictCodes = ['queue.not-a-queue', 'queue.fan-out', 'engine.template', 'run.cooldown'];

export function conflict(message: string): ControlError {
  return new ControlError('conflict', 'api.conflict', message, { path: 'path.id' });
}

export function unknownMonitor(name: string): ControlError {
  return new ControlError('not_found', 'api.unknown-monitor', `no monitor named "${name}" in the job file`, {
    path: 'path.monitor',
  });
}

export function unknownNode(name: string): ControlError {
  return new ControlError('not_found', 'api.unknown-node', `no live node named "${name}"`, {
    path: 'path.name',
  });
}

/**
 * Runs `work`; a refusal raised below control about a field of the request (like `params.whom`)
 * becomes a bad_input naming the field as the API receives it (`body.params.whom`), and one about
 * the job's set-up a conflict.
 */
export async function refusedInBody<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (thrown) {
    if (thrown instanceof CronplaneError && fieldCodes.includes(thrown.code)) {
      const path = `body.${thrown.location?.path ?? ''}`.replace(/\.$/, '');
      throw new ControlError('bad_input', 'api.invalid', `${path}: ${thrown.message}`, {
        path,
        cause: thrown,
      });
    }
    if (thrown instanceof CronplaneError && conflictCodes.includes(thrown.code)) {
      throw new ControlError('conflict', thrown.code, thrown.message, {
        ...(thrown.location?.path === undefined ? {} : { path: thrown.location.path }),
        cause: thrown,
      });
    }
    throw thrown;
  }
}
