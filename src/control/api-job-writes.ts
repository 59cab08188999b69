import type { JobsBeyond, ResolvedJob } from '../config/index.ts';
import { JobEntryError, resolveJobEntry } from '../config/index.ts';
import type { ApiJobWrite, JsonValue } from '../store/index.ts';
import { jobsChangedSignal } from '../store/index.ts';
import type { Actor, JobPut, WriteOptions } from './control.ts';
import { ControlError } from './control-error.ts';
import type { ControlParts } from './control-parts.ts';
import { entryDiff } from './entry-diff.ts';
import { mergePatch } from './merge-patch.ts';

/** The most jobs one bulk write takes. */
export const maxJobsPerBatch = 5000;

/** A job written, resolved for this node's engine. */
export interface WrittenJob {
  readonly write: Extract<ApiJobWrite, { kind: 'created' | 'updated' | 'unchanged' }>;
  readonly job: ResolvedJob;
}

/** Records an audit entry (LocalControl's, with secrets masked). */
export type Audit = (action: string, target: string | null, details: JsonValue) => Promise<void>;

/**
 * Writes of jobs defined through the API, for `LocalControl`: validation against the job file in
 * force, refusals with the API's codes, the store's compare-and-set, the audit entry with the
 * entry's diff, and the change applied on this node at once (other nodes hear `jobs_changed`).
 */
export class ApiJobWrites {
  readonly #parts: ControlParts;
  readonly #actor: Actor;
  readonly #audit: Audit;

  constructor(parts: ControlParts, actor: Actor, audit: Audit) {
    this.#parts = parts;
    this.#actor = actor;
    this.#audit = audit;
  }

  async put(name: string, entry: unknown, options: WriteOptions = {}): Promise<WrittenJob> {
    const [written] = await this.#putMany([{ name, entry }], options.ifMatch, 'body');
    return written as WrittenJob;
  }

  async putMany(jobs: readonly JobPut[]): Promise<readonly WrittenJob[]> {
    if (!Array.isArray(jobs) || jobs.length === 0 || jobs.length > maxJobsPerBatch) {
      throw new ControlError(
        'bad_input',
        'api.invalid',
        `body: expected a list of 1 to ${maxJobsPerBatch} jobs ({name, entry})`,
        { path: 'body' },
      );
    }
    return this.#putMany(jobs, undefined, 'body');
  }

  async patch(name: string, patch: unknown, options: WriteOptions = {}): Promise<WrittenJob> {
    this.#checkWritable(name);
    const { store } = this.#parts;
    // Without If-Match the patch applies to the version it read, retried if another writer came first.
    for (let attempt = 1; ; attempt++) {
      const current = await store.getApiJob(name);
      if (current === undefined) throw unknownApiJob(name);
      const ifMatch = options.ifMatch ?? current.version;
      try {
        const [written] = await this.#putMany(
          [{ name, entry: mergePatch(current.entry, patch) }],
          ifMatch,
          'body',
        );
        return written as WrittenJob;
      } catch (thrown) {
        const retry =
          options.ifMatch === undefined &&
          attempt < 3 &&
          thrown instanceof ControlError &&
          thrown.kind === 'precondition_failed';
        if (!retry) throw thrown;
      }
    }
  }

  async delete(name: string, options: WriteOptions = {}): Promise<{ name: string; version: number }> {
    this.#checkWritable(name);
    this.#checkNotFollowedByFile(name);
    const { store, clock, engine } = this.#parts;
    const write = await store.deleteApiJob({
      name,
      at: clock.now(),
      actor: this.#actor.name,
      token: this.#actor.tokenId ?? null,
      ...(options.ifMatch === undefined ? {} : { ifMatch: options.ifMatch }),
    });
    if (write.kind === 'absent') throw unknownApiJob(name);
    if (write.kind === 'stale') throw staleVersion(name, options.ifMatch ?? 0, write.current);
    if (write.kind !== 'deleted')
      throw new ControlError('unavailable', 'api.internal', 'the delete was not recorded');
    await this.#audit('job.delete', name, {
      version: write.record.version,
      diff: entryDiff(write.previous, null) as unknown as JsonValue,
    });
    await engine?.applyApiJobs?.([], [{ name, version: write.record.version }]);
    await store.signal(jobsChangedSignal).catch(() => undefined);
    return { name, version: write.record.version };
  }

  async #putMany(
    jobs: readonly JobPut[],
    ifMatch: number | undefined,
    path: string,
  ): Promise<readonly WrittenJob[]> {
    const base = this.#parts.jobFile?.();
    if (base === undefined) {
      throw new ControlError(
        'unavailable',
        'api.no-job-file',
        'jobs cannot be written here: no job file was read to resolve them against',
      );
    }
    const batch = jobs.length > 1;
    const jobsBeyond = this.#jobsBeyond(jobs);
    const resolved = jobs.map((item, index) => {
      const at = batch ? `${path}[${index}]` : path;
      if (batch && (item === null || typeof item !== 'object' || typeof item.name !== 'string'))
        throw new ControlError('bad_input', 'api.invalid', `${at}.name: expected a job name`, {
          path: `${at}.name`,
        });
      this.#checkWritable(item.name, batch ? `${at}.name` : 'path.job');
      return this.#resolve(base, item.name, item.entry, batch ? `${at}.entry` : at, jobsBeyond);
    });
    const { store, clock, engine } = this.#parts;
    const at = clock.now();
    const result = await store.putApiJobs(
      resolved.map(({ name, entry }) => ({
        name,
        entry,
        at,
        actor: this.#actor.name,
        token: this.#actor.tokenId ?? null,
        ...(ifMatch === undefined ? {} : { ifMatch }),
      })),
    );
    if (!result.committed) {
      const stale = result.writes.find((write) => write.kind === 'stale');
      throw staleVersion(stale?.name ?? '', ifMatch ?? 0, stale?.kind === 'stale' ? stale.current : 0);
    }
    const written = result.writes.map((write, index) => {
      if (write.kind !== 'created' && write.kind !== 'updated' && write.kind !== 'unchanged')
        throw new ControlError('unavailable', 'api.internal', 'the job was not recorded');
      return { write, job: (resolved[index] as { job: ResolvedJob }).job };
    });
    const changed = written.filter(({ write }) => write.kind !== 'unchanged');
    if (changed.length === 0) return written;
    if (batch) {
      await this.#audit('jobs.put', null, {
        jobs: changed.map(({ write }) => ({
          name: write.record.name,
          version: write.record.version,
          change: write.kind,
        })),
      });
    } else {
      for (const { write } of changed) {
        await this.#audit(`job.put`, write.record.name, {
          version: write.record.version,
          change: write.kind,
          diff: entryDiff(
            write.kind === 'unchanged' ? null : write.previous,
            write.record.entry,
          ) as unknown as JsonValue,
        });
      }
    }
    await engine?.applyApiJobs?.(
      changed.map(({ write, job }) => ({ job, version: write.record.version })),
      [],
    );
    await store.signal(jobsChangedSignal).catch(() => undefined);
    return written;
  }

  #resolve(
    base: NonNullable<ReturnType<NonNullable<ControlParts['jobFile']>>>,
    name: string,
    entry: unknown,
    path: string,
    jobsBeyond: JobsBeyond,
  ): { name: string; entry: JsonValue; job: ResolvedJob } {
    try {
      const job = resolveJobEntry(base, name, entry, { jobsBeyond });
      return { name, entry: entry as JsonValue, job };
    } catch (thrown) {
      if (!(thrown instanceof JobEntryError)) throw thrown;
      const first = thrown.problems[0];
      throw new ControlError(
        'bad_input',
        'api.invalid',
        thrown.problems.map((problem) => `${problem.pointer}: ${problem.message}`).join('; '),
        { path: `${path}${(first?.pointer ?? '').replaceAll('/', '.')}`, cause: thrown },
      );
    }
  }

  /**
   * Whom an entry's `after:` may name: the jobs in force (the file's and the API's) and the
   * entries written with it, each with its own `after:` (for the cycle check). The index of the
   * jobs in force is built only when an entry has `after:`.
   */
  #jobsBeyond(jobs: readonly JobPut[]): JobsBeyond {
    const written = new Map<string, readonly string[]>();
    for (const item of jobs as readonly (JobPut | null)[]) {
      if (item === null || typeof item !== 'object' || typeof item.name !== 'string') continue;
      const after = (item.entry as { after?: unknown } | null)?.after;
      written.set(
        item.name,
        Array.isArray(after) ? after.filter((name): name is string => typeof name === 'string') : [],
      );
    }
    let inForce: Map<string, readonly string[]> | undefined;
    return (name) => {
      const mine = written.get(name);
      if (mine !== undefined) return mine;
      inForce ??= new Map(this.#parts.jobs().map((job) => [job.name, job.after]));
      return inForce.get(name);
    };
  }

  /**
   * No job of the job file runs `after:` it: the file would no longer load (a daemon refuses to
   * start on an `after:` that names no job), so the file is changed first.
   */
  #checkNotFollowedByFile(name: string): void {
    const loaded = this.#parts.jobFile?.();
    const followers = Object.entries(loaded?.jobFile.jobs ?? {})
      .filter(([, entry]) => entry.after?.includes(name) === true)
      .map(([follower]) => follower);
    if (followers.length === 0) return;
    throw new ControlError(
      'conflict',
      'api.job-followed',
      `job "${name}" cannot be deleted: ${followers.map((follower) => `"${follower}"`).join(', ')} of ` +
        `${loaded?.file ?? 'the job file'} run${followers.length === 1 ? 's' : ''} after it; remove it from their after: first`,
      { path: 'path.job' },
    );
  }

  /** The actor may touch the name, and it is not a job of the job file. */
  #checkWritable(name: string, path = 'path.job'): void {
    if (!this.#actor.mayAccess(name)) {
      throw new ControlError(
        'forbidden',
        'api.forbidden',
        `token "${this.#actor.name}" is limited to jobs matching ${this.#actor.jobs.join(', ')}; "${name}" is not one`,
        { path },
      );
    }
    // The job file as read names its jobs: one lookup, not a scan of 100,000 jobs in force.
    const fileJob = Object.hasOwn(this.#parts.jobFile?.()?.jobFile.jobs ?? {}, name);
    if (fileJob) {
      const file = this.#parts.jobFile?.()?.file ?? 'the job file';
      throw new ControlError(
        'conflict',
        'api.file-job',
        `job "${name}" is defined in ${file}; change it there (jobs of the job file are read-only through the API)`,
        { path },
      );
    }
  }
}

function unknownApiJob(name: string): ControlError {
  return new ControlError(
    'not_found',
    'api.unknown-job',
    `no job named "${name}" was defined through the API`,
    {
      path: 'path.job',
    },
  );
}

function staleVersion(name: string, asked: number, current: number): ControlError {
  return new ControlError(
    'precondition_failed',
    'api.version-mismatch',
    `job "${name}" is at version ${current}, not ${asked} (If-Match): read it again and apply the change to that version`,
    { path: 'header.if-match' },
  );
}
