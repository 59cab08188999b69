import type { ReadConfigOptions } from '../config/index.ts';
import { collectBetweenLoadSteps, entriesOf } from './return-free-memory.ts';

/**
 * How a daemon reads its job file (at start, by `cronplane start`, and on a reload): a job may
 * run `after:` a job defined through the API (checked once the store is open), and a large
 * file's reading is collected before it is resolved (`collectBetweenLoadSteps`).
 */
export const daemonReadOptions: ReadConfigOptions = {
  jobsBeyond: 'api',
  afterRead: (loaded) => {
    collectBetweenLoadSteps(entriesOf(loaded));
  },
};
