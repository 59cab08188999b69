-- cronplane store, PostgreSQL: the last start of a job and fan-out key, for `cooldown`.
--
-- `cooldown_ms` is the job's cooldown when the run was planned, null for a job without one. Only
-- runs with one enter `runs_last_start`, so the runs of the many jobs without a cooldown cost
-- the index nothing when they are inserted or claimed. (A cooldown added to a job later does
-- not reach the runs planned before it: the first run after the change may start inside the
-- cooldown of one of them.)
--
-- A run's start is when it started, or for a pending run the time it is due (it is about to
-- start); a run cancelled before it started, a held queue item, a skipped fire and a retry
-- (attempt > 1) have none. One index walk per key finds the latest: the query in
-- `sql/run-start-queries.ts` repeats this expression and this WHERE word for word, so the
-- planner matches the expression and the partial index (as on SQLite).
ALTER TABLE runs ADD COLUMN cooldown_ms bigint;

CREATE INDEX runs_last_start ON runs (
  job,
  fan_key,
  (CASE WHEN started_at IS NOT NULL THEN started_at WHEN status = 'pending' THEN run_after END)
) WHERE cooldown_ms IS NOT NULL AND attempt = 1 AND status <> 'held' AND status <> 'skipped';
