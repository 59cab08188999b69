import { LocalControl } from '../../control/index.ts';
import type { Control } from '../../control/index.ts';
import type { ApiContext } from '../api-context.ts';
import type { Caller } from './caller.ts';

/**
 * The operations of this node on behalf of a request's token: the route has checked its scope,
 * the operation checks the jobs it may touch and records the change under its name.
 */
export function controlOf(context: ApiContext, caller: Caller): Control {
  return new LocalControl(context, caller);
}
