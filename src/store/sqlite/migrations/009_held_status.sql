-- cronplane store, SQLite: `held` becomes a stored run status. A queue item waiting for its
-- release was a pending run whose run_after was 2^53 - 1 (a state hidden in a timestamp); it is
-- now a run in status `held`, and each release is a `held -> pending` transition row.
--
-- SQLite cannot change a CHECK constraint in place, so `runs` is rebuilt (SQLite's generalized
-- ALTER TABLE procedure): a new table with the new CHECK, the rows copied, the old table dropped,
-- the new one renamed, its indexes and trigger made again. The migrator applies migrations with
-- foreign keys off (dropping `runs` would otherwise delete the output, metrics and links of every
-- run) and checks them before it commits. The AUTOINCREMENT counter is carried over, so ids of
-- runs already removed are not given again.

CREATE TABLE runs_new (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  job              TEXT    NOT NULL,
  fan_key          TEXT    NOT NULL DEFAULT '',
  params_json      TEXT    NOT NULL DEFAULT '{}',
  payload_json     TEXT,
  "trigger"        TEXT    NOT NULL
    CHECK ("trigger" = 'schedule' OR "trigger" = 'catch-up' OR "trigger" = 'manual' OR "trigger" = 'api'
      OR "trigger" = 'retry' OR "trigger" = 'chain'),
  requested_by     TEXT,
  scheduled_at     INTEGER NOT NULL,
  run_after        INTEGER NOT NULL,
  priority         INTEGER NOT NULL DEFAULT 0,
  rate_key         TEXT,
  queued_at        INTEGER NOT NULL,
  started_at       INTEGER,
  finished_at      INTEGER,
  attempt          INTEGER NOT NULL DEFAULT 1 CHECK (attempt >= 1),
  first_run_id     INTEGER REFERENCES runs (id) ON DELETE SET NULL,
  status           TEXT    NOT NULL CHECK (status = 'held' OR status = 'pending' OR status = 'running'
                     OR status = 'succeeded' OR status = 'warning' OR status = 'failed' OR status = 'critical'
                     OR status = 'skipped' OR status = 'timed_out' OR status = 'cancelled' OR status = 'lost'),
  status_reason    TEXT,
  status_seq       INTEGER NOT NULL DEFAULT 1,
  exit_code        INTEGER,
  http_status      INTEGER,
  error            TEXT,
  dry_run          INTEGER NOT NULL DEFAULT 0 CHECK (dry_run IN (0, 1)),
  node             TEXT,
  lease_owner      TEXT,
  lease_expires_at INTEGER,
  fire_key         TEXT UNIQUE,
  log_seq          INTEGER NOT NULL DEFAULT 0,
  log_bytes        INTEGER NOT NULL DEFAULT 0,
  log_truncated    INTEGER NOT NULL DEFAULT 0 CHECK (log_truncated IN (0, 1)),
  secret_params    TEXT
) STRICT;

INSERT INTO runs_new (id, job, fan_key, params_json, payload_json, "trigger", requested_by, scheduled_at,
    run_after, priority, rate_key, queued_at, started_at, finished_at, attempt, first_run_id, status,
    status_reason, status_seq, exit_code, http_status, error, dry_run, node, lease_owner,
    lease_expires_at, fire_key, log_seq, log_bytes, log_truncated, secret_params)
  SELECT id, job, fan_key, params_json, payload_json, "trigger", requested_by, scheduled_at,
    run_after, priority, rate_key, queued_at, started_at, finished_at, attempt, first_run_id, status,
    status_reason, status_seq, exit_code, http_status, error, dry_run, node, lease_owner,
    lease_expires_at, fire_key, log_seq, log_bytes, log_truncated, secret_params
  FROM runs;

DELETE FROM sqlite_sequence WHERE name = 'runs_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'runs_new', seq FROM sqlite_sequence WHERE name = 'runs';

DROP TABLE runs;
ALTER TABLE runs_new RENAME TO runs;

-- The indexes of 001 and 003, as they were.
CREATE INDEX runs_claim ON runs (priority DESC, run_after, id) WHERE status = 'pending';
CREATE INDEX runs_active ON runs (status, job) WHERE status IN ('pending', 'running');
CREATE INDEX runs_job ON runs (job, id);
CREATE INDEX runs_status ON runs (status, id)
  WHERE status <> 'pending' AND status <> 'running' AND status <> 'succeeded';
CREATE INDEX runs_first_run ON runs (first_run_id) WHERE first_run_id IS NOT NULL;
-- New: a queue's waiting items, oldest first, per job (the drainer's scan, the queue view).
CREATE INDEX runs_held ON runs (job, id) WHERE status = 'held';

-- The trigger of 006: a held run may still execute, so it keeps its secret values too.
CREATE TRIGGER runs_clear_secret_params AFTER UPDATE OF status ON runs
  WHEN NEW.secret_params IS NOT NULL AND NEW.status NOT IN ('held', 'pending', 'running')
BEGIN
  UPDATE runs SET secret_params = NULL WHERE id = NEW.id;
END;

-- Back-fill: every item still held back by the old sentinel becomes `held`, with run_after set
-- to when it was queued (a held item's run_after is its enqueue time until its release makes it
-- due). Such an item was held from its creation and has had no other change, so its journal is
-- the one creating row; that row now names the status the item was created in (`held`) instead
-- of the old encoding (`pending`). No row is appended: nothing happened to the item, only the
-- way its state is written changed.
UPDATE run_transitions SET to_status = 'held'
  WHERE from_status IS NULL
    AND run_id IN (SELECT id FROM runs WHERE status = 'pending' AND run_after = 9007199254740991);
UPDATE runs SET status = 'held', run_after = queued_at
  WHERE status = 'pending' AND run_after = 9007199254740991;
