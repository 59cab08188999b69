-- cronplane store, SQLite: the charts' run counts per time bucket index only runs that ended.
--
-- A dispatched run changes status twice after its insert (pending -> running -> its end), and
-- each change rewrote both bucket indexes of 010, whose keys hold the status: eight of the
-- index writes of a run were these two. Indexing only runs that ended, each run enters them
-- once, at its end, and a claim does not touch them. Runs that have not ended (held, pending,
-- running) are few, or waiting in a queue, and are counted through runs_active and runs_held.
-- The predicate is written as the count query writes it, so the planner matches the two.
DROP INDEX runs_job_scheduled;
DROP INDEX runs_scheduled;
CREATE INDEX runs_job_scheduled ON runs (job, scheduled_at, status)
  WHERE status <> 'held' AND status <> 'pending' AND status <> 'running';
CREATE INDEX runs_scheduled ON runs (scheduled_at, status)
  WHERE status <> 'held' AND status <> 'pending' AND status <> 'running';
