import type { ResolvedJob } from '../config/index.ts';
import type { JobToSync, JsonValue } from '../store/index.ts';
import { jobSpec, jobSpecJson } from './job-spec.ts';

/**
 * A job of the job file as the store's sync takes it: the spec is built only when read, that
 * is for a job the sync writes (a restart with 100,000 unchanged jobs builds none). The getters
 * are the class's, shared by every instance: an object literal with its own getters made two
 * functions and a hidden class of its own per job (about 60 MB for 100,000 jobs, held through
 * the sync).
 */
export class FileJobToSync implements JobToSync {
  readonly #job: ResolvedJob;

  constructor(job: ResolvedJob) {
    this.#job = job;
  }

  get name(): string {
    return this.#job.name;
  }

  get configHash(): string {
    return this.#job.configHash;
  }

  get spec(): JsonValue {
    return jobSpec(this.#job);
  }

  get specJson(): string {
    return jobSpecJson(this.#job);
  }
}
