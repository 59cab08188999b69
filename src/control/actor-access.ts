import type { ResolvedJob } from '../config/index.ts';
import type { EventRecord, RunRecord } from '../store/index.ts';
import type { Actor } from './control.ts';
import { ControlError } from './control-error.ts';

/** An actor that may touch every job: the CLI on a store (`cli`), a test. */
export function unlimitedActor(name: string): Actor {
  return { name, jobs: [], mayAccess: () => true };
}

function outsidePatterns(actor: Actor, job: string, path: string): ControlError {
  return new ControlError(
    'forbidden',
    'api.forbidden',
    `token "${actor.name}" is limited to jobs matching ${actor.jobs.join(', ')}; "${job}" is not one of them`,
    { path },
  );
}

/** The job, if the actor may touch it: forbidden outside its patterns, then not found if unknown. */
export function jobForActor(jobs: readonly ResolvedJob[], actor: Actor, name: string): ResolvedJob {
  if (!actor.mayAccess(name)) throw outsidePatterns(actor, name, 'path.job');
  const job = jobs.find((candidate) => candidate.name === name);
  if (job === undefined) {
    throw new ControlError('not_found', 'api.unknown-job', `no job named "${name}" in the job file`, {
      path: 'path.job',
    });
  }
  return job;
}

/** The run, if it exists and the actor may see its job. */
export function runForActor(run: RunRecord | undefined, actor: Actor, id: number): RunRecord {
  if (run === undefined) {
    throw new ControlError('not_found', 'api.unknown-run', `no run with id ${id}`, { path: 'path.id' });
  }
  if (!actor.mayAccess(run.job)) {
    throw new ControlError(
      'forbidden',
      'api.forbidden',
      `token "${actor.name}" is limited to jobs matching ${actor.jobs.join(', ')}; run ${id} is of "${run.job}"`,
      { path: 'path.id' },
    );
  }
  return run;
}

/** The event, if it exists and the actor may see it: events of no job need an actor for every job. */
export function eventForActor(event: EventRecord | undefined, actor: Actor, id: number): EventRecord {
  if (event === undefined) {
    throw new ControlError('not_found', 'api.unknown-event', `no event with id ${id}`, { path: 'path.id' });
  }
  const allowed = event.job === null ? actor.jobs.length === 0 : actor.mayAccess(event.job);
  if (!allowed) {
    throw new ControlError(
      'forbidden',
      'api.forbidden',
      `token "${actor.name}" is limited to jobs matching ${actor.jobs.join(', ')}; event ${id} is ${
        event.job === null ? 'of no job' : `of "${event.job}"`
      }`,
      { path: 'path.id' },
    );
  }
  return event;
}

/** Listing across jobs needs an actor that may see every job, or a job named in the query. */
export function checkJobFilter(actor: Actor, job: string | undefined): void {
  if (job !== undefined) {
    if (!actor.mayAccess(job)) throw outsidePatterns(actor, job, 'query.job');
    return;
  }
  if (actor.jobs.length > 0) {
    throw new ControlError(
      'forbidden',
      'api.forbidden',
      `token "${actor.name}" is limited to jobs matching ${actor.jobs.join(', ')}; name one with ?job=NAME`,
      { path: 'query.job' },
    );
  }
}

/** Only actors that may touch every job manage tokens, read the audit log and drain nodes. */
export function checkUnlimited(actor: Actor): void {
  if (actor.jobs.length > 0) {
    throw new ControlError(
      'forbidden',
      'api.forbidden',
      `token "${actor.name}" is limited to some jobs; managing tokens and reading the audit log need an admin token for every job`,
    );
  }
}

/** A monitor name the actor may see: forbidden outside its patterns. */
export function checkMonitorName(actor: Actor, name: string): void {
  if (!actor.mayAccess(name)) {
    throw new ControlError(
      'forbidden',
      'api.forbidden',
      `token "${actor.name}" is limited to names matching ${actor.jobs.join(', ')}; "${name}" is not one of them`,
      { path: 'path.monitor' },
    );
  }
}
