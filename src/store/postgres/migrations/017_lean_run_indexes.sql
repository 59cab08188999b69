-- cronplane store, PostgreSQL: fewer index writes per dispatched run.
--
-- Every change of status is a non-HOT update (status is named by several indexes), so each one
-- writes a new entry in every index of runs whose predicate the new row meets, and a dispatched
-- run changes status twice after its insert.
--
-- 1. The charts' bucket indexes hold only runs that ended, as SQLite's have since its migration
--    013: a run enters them once, at its end, and a claim does not touch them. Runs that have not
--    ended are counted through runs_active and runs_held (history-queries.ts). The predicate is
--    written as the count query writes it, so the planner matches the two.
DROP INDEX runs_job_scheduled;
DROP INDEX runs_scheduled;
CREATE INDEX runs_job_scheduled ON runs (job, scheduled_at, status)
  WHERE status <> 'held' AND status <> 'pending' AND status <> 'running';
CREATE INDEX runs_scheduled ON runs (scheduled_at, status)
  WHERE status <> 'held' AND status <> 'pending' AND status <> 'running';
-- 2. Fire keys stay unique, but runs without one (triggered, enqueued, retried) no longer write
--    a NULL entry into the unique index at their insert and at each change of status. The insert
--    names the predicate in its ON CONFLICT clause (insert-runs.ts).
ALTER TABLE runs DROP CONSTRAINT runs_fire_key_key;
CREATE UNIQUE INDEX runs_fire_key ON runs (fire_key) WHERE fire_key IS NOT NULL;
