-- cronplane store, PostgreSQL: jobs defined through the API, and every version of each.
--
-- `api_jobs` holds one row per name ever written through the API: its current version and the
-- job-file entry (JSON text), or `deleted` with no entry. The row stays after a delete so that a
-- name written again continues its version numbers. Writes are a compare-and-set on `version`.
CREATE TABLE api_jobs (
  name       TEXT    NOT NULL PRIMARY KEY,
  status     TEXT    NOT NULL CHECK (status IN ('active', 'deleted')),
  entry_json TEXT,
  version    INTEGER NOT NULL,
  updated_at BIGINT  NOT NULL,
  updated_by TEXT    NOT NULL,
  token      TEXT,
  CHECK ((status = 'active') = (entry_json IS NOT NULL))
);

-- Every version, appended (a delete is a version too). The nodes follow the table by its id to
-- apply changes made on another node; ids are drawn at insert, not commit, so a reader looks again
-- for ids it skipped.
CREATE TABLE api_job_versions (
  id         BIGSERIAL PRIMARY KEY,
  name       TEXT    NOT NULL,
  version    INTEGER NOT NULL,
  change     TEXT    NOT NULL CHECK (change IN ('created', 'updated', 'deleted')),
  entry_json TEXT,
  at         BIGINT  NOT NULL,
  actor      TEXT    NOT NULL,
  token      TEXT
);

CREATE UNIQUE INDEX api_job_versions_name ON api_job_versions (name, version);
