-- cronplane store, PostgreSQL: the initial schema. Times are epoch milliseconds (BIGINT, read as
-- JS numbers). Closed sets (statuses, triggers, streams, severities) are CHECK constraints that
-- mirror the `as const` objects in src/store; a test compares them.

CREATE TABLE jobs (
  name        TEXT    NOT NULL PRIMARY KEY,
  config_hash TEXT    NOT NULL,
  spec_json   TEXT    NOT NULL,
  paused      BOOLEAN NOT NULL DEFAULT FALSE,
  created_at  BIGINT  NOT NULL,
  updated_at  BIGINT  NOT NULL,
  removed_at  BIGINT
);

CREATE TABLE runs (
  id               BIGSERIAL PRIMARY KEY,
  job              TEXT     NOT NULL,
  fan_key          TEXT     NOT NULL DEFAULT '',
  params_json      TEXT     NOT NULL DEFAULT '{}',
  payload_json     TEXT,
  "trigger"        TEXT     NOT NULL
    CHECK ("trigger" IN ('schedule', 'catch-up', 'manual', 'api', 'retry', 'chain')),
  requested_by     TEXT,
  scheduled_at     BIGINT   NOT NULL,
  run_after        BIGINT   NOT NULL,
  priority         INTEGER  NOT NULL DEFAULT 0,
  rate_key         TEXT,
  queued_at        BIGINT   NOT NULL,
  started_at       BIGINT,
  finished_at      BIGINT,
  attempt          INTEGER  NOT NULL DEFAULT 1 CHECK (attempt >= 1),
  first_run_id     BIGINT   REFERENCES runs (id) ON DELETE SET NULL,
  status           TEXT     NOT NULL CHECK (status IN ('pending', 'running', 'succeeded', 'warning',
                     'failed', 'critical', 'skipped', 'timed_out', 'cancelled', 'lost')),
  status_reason    TEXT,
  status_seq       INTEGER  NOT NULL DEFAULT 1,
  exit_code        INTEGER,
  http_status      INTEGER,
  error            TEXT,
  dry_run          BOOLEAN  NOT NULL DEFAULT FALSE,
  node             TEXT,
  lease_owner      TEXT,
  lease_expires_at BIGINT,
  fire_key         TEXT UNIQUE,
  log_seq          INTEGER  NOT NULL DEFAULT 0,
  log_bytes        BIGINT   NOT NULL DEFAULT 0,
  log_truncated    BOOLEAN  NOT NULL DEFAULT FALSE
);

-- Claim: walk pending runs in claim order, stop at the limit (FOR UPDATE SKIP LOCKED).
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
  run_id      BIGINT  NOT NULL,
  seq         INTEGER NOT NULL,
  at          BIGINT  NOT NULL,
  from_status TEXT,
  to_status   TEXT    NOT NULL,
  reason      TEXT,
  node        TEXT,
  PRIMARY KEY (run_id, seq)
);

CREATE TABLE run_logs (
  run_id BIGINT  NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  seq    INTEGER NOT NULL,
  at     BIGINT  NOT NULL,
  stream TEXT    NOT NULL CHECK (stream IN ('stdout', 'stderr', 'system')),
  chunk  TEXT    NOT NULL,
  PRIMARY KEY (run_id, seq)
);

CREATE TABLE run_metrics (
  run_id  BIGINT           NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  job     TEXT             NOT NULL,
  fan_key TEXT             NOT NULL,
  name    TEXT             NOT NULL,
  value   DOUBLE PRECISION NOT NULL,
  at      BIGINT           NOT NULL,
  PRIMARY KEY (run_id, name)
);

CREATE INDEX run_metrics_job ON run_metrics (job, name, at);

CREATE TABLE events (
  id           BIGSERIAL PRIMARY KEY,
  kind         TEXT    NOT NULL,
  job          TEXT,
  run_id       BIGINT  REFERENCES runs (id) ON DELETE SET NULL,
  severity     TEXT    NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  dedup_key    TEXT    NOT NULL,
  first_seen   BIGINT  NOT NULL,
  last_seen    BIGINT  NOT NULL,
  count        INTEGER NOT NULL DEFAULT 1,
  resolved_at  BIGINT,
  details_json TEXT    NOT NULL DEFAULT 'null'
);

-- One open event per dedup key; a repeat counts on it.
CREATE UNIQUE INDEX events_open ON events (dedup_key) WHERE resolved_at IS NULL;
CREATE INDEX events_job ON events (job, id);
CREATE INDEX events_run ON events (run_id) WHERE run_id IS NOT NULL;

CREATE TABLE schedule_state (
  job          TEXT   NOT NULL PRIMARY KEY,
  last_fire_at BIGINT,
  next_fire_at BIGINT
);

CREATE TABLE leases (
  name       TEXT   NOT NULL PRIMARY KEY,
  owner      TEXT   NOT NULL,
  expires_at BIGINT NOT NULL
);
