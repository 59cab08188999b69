-- cronplane store, SQLite: jobs defined through the API, and every version of each.
--
-- `api_jobs` holds one row per name ever written through the API: its current version and the
-- job-file entry (JSON text), or `deleted` with no entry. The row stays after a delete so that a
-- name written again continues its version numbers. Writes are a compare-and-set on `version`.
CREATE TABLE api_jobs (
  name       TEXT    NOT NULL PRIMARY KEY,
  status     TEXT    NOT NULL CHECK (status = 'active' OR status = 'deleted'),
  entry_json TEXT,
  version    INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by TEXT    NOT NULL,
  token      TEXT,
  CHECK ((status = 'active') = (entry_json IS NOT NULL))
) STRICT;

-- Every version, appended (a delete is a version too). The id only grows: the nodes follow the
-- table by it to apply changes made on another node.
CREATE TABLE api_job_versions (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT    NOT NULL,
  version    INTEGER NOT NULL,
  change     TEXT    NOT NULL CHECK (change = 'created' OR change = 'updated' OR change = 'deleted'),
  entry_json TEXT,
  at         INTEGER NOT NULL,
  actor      TEXT    NOT NULL,
  token      TEXT
) STRICT;

CREATE UNIQUE INDEX api_job_versions_name ON api_job_versions (name, version);
