-- cronplane store, SQLite: monitoring. Events gain the `failure` severity and the time people
-- were last told about them; external monitors and the pings they send get tables of their own.

-- A STRICT table's CHECK cannot be altered: the events table is rebuilt (new table, copy, drop,
-- rename, indexes again). Ids are copied, and the old table's AUTOINCREMENT counter moves to the
-- new one (dropping events drops its row, renaming events_new renames its row), so an id is
-- never given twice, not even one of an event since deleted.
CREATE TABLE events_new (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  kind         TEXT    NOT NULL,
  job          TEXT,
  run_id       INTEGER REFERENCES runs (id) ON DELETE SET NULL,
  severity     TEXT    NOT NULL
    CHECK (severity = 'info' OR severity = 'warning' OR severity = 'failure' OR severity = 'critical'),
  dedup_key    TEXT    NOT NULL,
  first_seen   INTEGER NOT NULL,
  last_seen    INTEGER NOT NULL,
  count        INTEGER NOT NULL DEFAULT 1,
  resolved_at  INTEGER,
  details_json TEXT    NOT NULL DEFAULT 'null',
  notified_at  INTEGER
) STRICT;

INSERT INTO events_new
  (id, kind, job, run_id, severity, dedup_key, first_seen, last_seen, count, resolved_at, details_json)
SELECT id, kind, job, run_id, severity, dedup_key, first_seen, last_seen, count, resolved_at, details_json
FROM events;

DELETE FROM sqlite_sequence WHERE name = 'events_new';
UPDATE sqlite_sequence SET name = 'events_new' WHERE name = 'events';
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;

-- One open event per dedup key; a repeat counts on it.
CREATE UNIQUE INDEX events_open ON events (dedup_key) WHERE resolved_at IS NULL;
CREATE INDEX events_job ON events (job, id);
CREATE INDEX events_run ON events (run_id) WHERE run_id IS NOT NULL;
-- An incident's history (cool-downs, flapping): the events of one dedup key, newest first.
CREATE INDEX events_dedup ON events (dedup_key, id);

-- External monitors: jobs that run elsewhere and ping `/ping/<ping_id>`. A monitor that left the
-- job file keeps its row (removed_at) and its ping id, should it come back.
CREATE TABLE monitors (
  name              TEXT    NOT NULL PRIMARY KEY,
  ping_id           TEXT    NOT NULL UNIQUE,
  status            TEXT    NOT NULL DEFAULT 'new'
    CHECK (status = 'new' OR status = 'up' OR status = 'down'),
  last_ping_at      INTEGER,
  last_start_at     INTEGER,
  last_success_at   INTEGER,
  last_failure_at   INTEGER,
  status_changed_at INTEGER NOT NULL,
  created_at        INTEGER NOT NULL,
  removed_at        INTEGER
) STRICT;

CREATE TABLE monitor_pings (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  monitor        TEXT    NOT NULL REFERENCES monitors (name) ON DELETE CASCADE,
  kind           TEXT    NOT NULL
    CHECK (kind = 'start' OR kind = 'success' OR kind = 'fail' OR kind = 'exit' OR kind = 'ignored'),
  at             INTEGER NOT NULL,
  exit_code      INTEGER,
  run_key        TEXT,
  duration_ms    INTEGER,
  body           TEXT,
  body_truncated INTEGER NOT NULL DEFAULT 0 CHECK (body_truncated IN (0, 1)),
  source         TEXT
) STRICT;

-- A monitor's pings, newest first; the latest start and end before a new end ping.
CREATE INDEX monitor_pings_monitor ON monitor_pings (monitor, id);
-- The start ping an end ping with a run key (`?rid=`) pairs with.
CREATE INDEX monitor_pings_run_key ON monitor_pings (monitor, run_key, id) WHERE run_key IS NOT NULL;
