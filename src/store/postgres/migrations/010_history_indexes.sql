-- cronplane store, PostgreSQL: the history the dashboard's charts read. Each index lets one read
-- scan only its entries, in order, without visiting the table:
-- run counts per status per time bucket, for one job (by scheduled time) and for every job;
CREATE INDEX runs_job_scheduled ON runs (job, scheduled_at, status);
CREATE INDEX runs_scheduled ON runs (scheduled_at, status);
-- one metric of a job over a time range, per fan-out key (counted, then read or grouped), and the
-- list of a job's metrics and keys.
CREATE INDEX run_metrics_series ON run_metrics (job, name, fan_key, at, run_id, value);
