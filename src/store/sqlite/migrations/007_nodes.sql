-- cronplane store, SQLite: node identity. One row per daemon process (instance); `name` is the
-- label, unique among the processes that are not stopped (the partial index below refuses a
-- second live process with the same name, even when two start at once). Leases are owned by
-- `instance_id`; a lease whose owner is stopped, or whose heartbeat is older than its own
-- `stale_ms`, is taken at once (src/store/sql/schedule-queries.ts).
CREATE TABLE nodes (
  instance_id      TEXT    NOT NULL PRIMARY KEY,
  name             TEXT    NOT NULL,
  host             TEXT    NOT NULL,
  process_scope    TEXT    NOT NULL,
  pid              INTEGER NOT NULL,
  version          TEXT    NOT NULL,
  started_at       INTEGER NOT NULL,
  heartbeat_at     INTEGER NOT NULL,
  stale_ms         INTEGER NOT NULL CHECK (stale_ms > 0),
  config_hash      TEXT    NOT NULL,
  tags_json        TEXT    NOT NULL DEFAULT '[]',
  slots            INTEGER NOT NULL,
  slots_in_use     INTEGER NOT NULL DEFAULT 0,
  role             TEXT    NOT NULL CHECK (role = 'all' OR role = 'scheduler' OR role = 'worker'),
  state            TEXT    NOT NULL CHECK (state = 'running' OR state = 'draining' OR state = 'stopped'),
  state_changed_at INTEGER NOT NULL,
  state_reason     TEXT
) STRICT;
CREATE UNIQUE INDEX nodes_live_name ON nodes (name) WHERE state <> 'stopped';
CREATE INDEX nodes_gone ON nodes (state, heartbeat_at);
