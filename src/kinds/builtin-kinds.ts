import type { JobFileKinds } from '../config/index.ts';
import { executorKinds } from '../executors/index.ts';
import { channelKinds } from '../notify/index.ts';

/**
 * The kinds cronplane reads a job file with: every built-in channel and executor kind. The job-file schema is
 * built from this list (config knows no kind itself), and the daemon and the CLI pass it to
 * `readConfig`; a test passes it with a kind of its own added.
 */
export const builtinKinds: JobFileKinds = { channels: channelKinds, executors: executorKinds };
