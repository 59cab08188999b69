-- cronplane store, SQLite: the initial schema. Times are epoch milliseconds.
-- Closed sets (statuses, triggers, streams, severities) are CHECK constraints that mirror the
-- `as const` objects in src/store; a test compares them. They are written as OR chains: SQLite
-- builds a temporary index for every `IN (list)` it checks, which made each insert ~4x slower.

CREATE TABLE jobs (
  name        TEXT    NOT NULL PRIMARY KEY,
  config_hash TEXT    NOT NULL,
  spec_json   TEXT    NOT NULL,
  paused      INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  removed_at  INTEGER
) STRICT;

CREATE TABLE runs (
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
  status           TEXT    NOT NULL CHECK (status = 'pending' OR status = 'running'
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
  log_truncated    INTEGER NOT NULL DEFAULT 0 CHECK (log_truncated IN (0, 1))
) STRICT;

-- Claim: walk pending runs in claim order, stop at the limit.
CREATE INDEX runs_claim ON runs (priority DESC, run_after, id) WHERE status = 'pending';
-- Concurrency limits: pending and running per job.
CREATE INDEX runs_active ON runs (status, job) WHERE status IN ('pending', 'running');
-- Listing, newest first, by job and by status (lease expiry walks the running runs through
-- runs_status: they are few, and every index costs each status change).
CREATE INDEX runs_job ON runs (job, id);
CREATE INDEX runs_status ON runs (status, id);
CREATE INDEX runs_first_run ON runs (first_run_id) WHERE first_run_id IS NOT NULL;

-- A run's history: one row per change of status, written in the same statement or transaction
-- as the change. No foreign key: three rows per run are on the dispatch hot path and the key's
-- check cost more than the insert; rows are only ever written next to their run, and removing
-- runs removes their transitions explicitly.
CREATE TABLE run_transitions (
  run_id      INTEGER NOT NULL,
  seq         INTEGER NOT NULL,
  at          INTEGER NOT NULL,
  from_status TEXT,
  to_status   TEXT    NOT NULL,
  reason      TEXT,
  node        TEXT,
  PRIMARY KEY (run_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE run_logs (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  seq    INTEGER NOT NULL,
  at     INTEGER NOT NULL,
  stream TEXT    NOT NULL CHECK (stream = 'stdout' OR stream = 'stderr' OR stream = 'system'),
  chunk  TEXT    NOT NULL,
  PRIMARY KEY (run_id, seq)
) STRICT;

CREATE TABLE run_metrics (
  run_id  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  job     TEXT    NOT NULL,
  fan_key TEXT    NOT NULL,
  name    TEXT    NOT NULL,
  value   REAL    NOT NULL,
  at      INTEGER NOT NULL,
  PRIMARY KEY (run_id, name)
) STRICT;

CREATE INDEX run_metrics_job ON run_metrics (job, name, at);

CREATE TABLE events (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  kind         TEXT    NOT NULL,
  job          TEXT,
  run_id       INTEGER REFERENCES runs (id) ON DELETE SET NULL,
  severity     TEXT    NOT NULL CHECK (severity = 'info' OR severity = 'warning' OR severity = 'critical'),
  dedup_key    TEXT    NOT NULL,
  first_seen   INTEGER NOT NULL,
  last_seen    INTEGER NOT NULL,
  count        INTEGER NOT NULL DEFAULT 1,
  resolved_at  INTEGER,
  details_json TEXT    NOT NULL DEFAULT 'null'
) STRICT;

-- One open event per dedup key; a repeat counts on it.
CREATE UNIQUE INDEX events_open ON events (dedup_key) WHERE resolved_at IS NULL;
CREATE INDEX events_job ON events (job, id);
CREATE INDEX events_run ON events (run_id) WHERE run_id IS NOT NULL;

CREATE TABLE schedule_state (
  job          TEXT NOT NULL PRIMARY KEY,
  last_fire_at INTEGER,
  next_fire_at INTEGER
) STRICT;

CREATE TABLE leases (
  name       TEXT    NOT NULL PRIMARY KEY,
  owner      TEXT    NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;
