-- cronplane store, SQLite: what the dashboard's overview reads.
--
-- The last runs of each job and fan-out key, newest first: one index walk per key, without
-- reading the runs of the job's other keys.
CREATE INDEX runs_job_key ON runs (job, fan_key, id);

-- Every change of status in the order it was written, for the live stream of run changes: each
-- daemon follows `run_transitions` by an id that only grows. The table had no such id (it was
-- keyed and clustered by run and sequence), so it is rebuilt with one (SQLite's generalized ALTER
-- TABLE procedure): AUTOINCREMENT, so an id is never given twice even after pruning removed the
-- newest rows; the old key stays as a unique index (a run's history is read through it). Rows are
-- copied in the order they were written per run and across runs by run id.
CREATE TABLE run_transitions_new (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id      INTEGER NOT NULL,
  seq         INTEGER NOT NULL,
  at          INTEGER NOT NULL,
  from_status TEXT,
  to_status   TEXT    NOT NULL,
  reason      TEXT,
  node        TEXT
) STRICT;

INSERT INTO run_transitions_new (run_id, seq, at, from_status, to_status, reason, node)
  SELECT run_id, seq, at, from_status, to_status, reason, node
  FROM run_transitions
  ORDER BY at, run_id, seq;

DROP TABLE run_transitions;
ALTER TABLE run_transitions_new RENAME TO run_transitions;
CREATE UNIQUE INDEX run_transitions_run ON run_transitions (run_id, seq);
