-- cronplane store, PostgreSQL: a job's runs by id hold only runs that are neither pending nor
-- running (ended ones, and held queue items).
--
-- runs_job (job, id) and runs_job_key (job, fan_key, id) took an entry at a run's insert, at its
-- claim and at its end (each change of status is a non-HOT update). The insert and the claim of a
-- job's runs all land on the right-hand leaf of both, which the inserting, claiming and finishing
-- backends then write at once. Now a run enters them once, at its end; pending and running runs
-- are found through runs_active (status, job). The readers that walk a job's runs by id read the
-- two parts apart and merge them (listRuns by job, the newest run per job, the last runs per key:
-- sql/run-queries.ts, sql/queue-queries.ts, postgres/recent-runs.ts). The predicate is written as
-- those queries write it, so the planner matches the two.
DROP INDEX runs_job;
CREATE INDEX runs_job ON runs (job, id) WHERE status <> 'pending' AND status <> 'running';
DROP INDEX runs_job_key;
CREATE INDEX runs_job_key ON runs (job, fan_key, id) WHERE status <> 'pending' AND status <> 'running';
