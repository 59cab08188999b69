-- cronplane store, PostgreSQL: monitoring. Events gain the `failure` severity and the time
-- people were last told about them; external monitors and the pings they send get tables of
-- their own.

ALTER TABLE events DROP CONSTRAINT events_severity_check;
ALTER TABLE events ADD CONSTRAINT events_severity_check
  CHECK (severity IN ('info', 'warning', 'failure', 'critical'));
ALTER TABLE events ADD COLUMN notified_at BIGINT;

-- An incident's history (cool-downs, flapping): the events of one dedup key, newest first.
CREATE INDEX events_dedup ON events (dedup_key, id);

-- External monitors: jobs that run elsewhere and ping `/ping/<ping_id>`. A monitor that left the
-- job file keeps its row (removed_at) and its ping id, should it come back.
CREATE TABLE monitors (
  name              TEXT   NOT NULL PRIMARY KEY,
  ping_id           TEXT   NOT NULL UNIQUE,
  status            TEXT   NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'up', 'down')),
  last_ping_at      BIGINT,
  last_start_at     BIGINT,
  last_success_at   BIGINT,
  last_failure_at   BIGINT,
  status_changed_at BIGINT NOT NULL,
  created_at        BIGINT NOT NULL,
  removed_at        BIGINT
);

CREATE TABLE monitor_pings (
  id             BIGSERIAL PRIMARY KEY,
  monitor        TEXT    NOT NULL REFERENCES monitors (name) ON DELETE CASCADE,
  kind           TEXT    NOT NULL CHECK (kind IN ('start', 'success', 'fail', 'exit', 'ignored')),
  at             BIGINT  NOT NULL,
  exit_code      INTEGER,
  run_key        TEXT,
  duration_ms    BIGINT,
  body           TEXT,
  body_truncated BOOLEAN NOT NULL DEFAULT FALSE,
  source         TEXT
);

-- A monitor's pings, newest first; the latest start and end before a new end ping.
CREATE INDEX monitor_pings_monitor ON monitor_pings (monitor, id);
-- The start ping an end ping with a run key (`?rid=`) pairs with.
CREATE INDEX monitor_pings_run_key ON monitor_pings (monitor, run_key, id) WHERE run_key IS NOT NULL;
