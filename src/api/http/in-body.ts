import { CronplaneError } from '../../errors/index.ts';
import { ApiError } from './api-error.ts';

/**
 * Runs `work`; an error of one of `codes` (raised below the API about a field of the request,
 * like `params.whom`) becomes a 400 whose path names the field in the request: `body.params.whom`.
 */
export async function inBody<T>(codes: readonly string[], work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (thrown) {
    if (thrown instanceof CronplaneError && codes.includes(thrown.code)) {
      const path = `body.${thrown.location?.path ?? ''}`.replace(/\.$/, '');
      throw new ApiError(400, 'api.invalid', `${path}: ${thrown.message}`, { path, cause: thrown });
    }
    throw thrown;
  }
}
