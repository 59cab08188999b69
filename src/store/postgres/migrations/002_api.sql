-- cronplane store, PostgreSQL: API tokens and the audit log (the HTTP API).

-- A token is `cpt_<id>_<secret>`; only the sha256 of the whole token is kept. `jobs_json` is a
-- JSON list of job-name patterns the token is limited to (empty: every job).
CREATE TABLE api_tokens (
  id           TEXT   NOT NULL PRIMARY KEY,
  name         TEXT   NOT NULL,
  hash         TEXT   NOT NULL,
  scope        TEXT   NOT NULL CHECK (scope IN ('read', 'trigger', 'admin')),
  jobs_json    TEXT   NOT NULL DEFAULT '[]',
  created_at   BIGINT NOT NULL,
  created_by   TEXT,
  last_used_at BIGINT,
  revoked_at   BIGINT
);

-- One active token per name: the audit log names tokens.
CREATE UNIQUE INDEX api_tokens_active_name ON api_tokens (name) WHERE revoked_at IS NULL;

-- Every change made through the API, with the name of the token that made it.
CREATE TABLE audit_log (
  id           BIGSERIAL PRIMARY KEY,
  at           BIGINT NOT NULL,
  actor        TEXT   NOT NULL,
  action       TEXT   NOT NULL,
  target       TEXT,
  details_json TEXT   NOT NULL DEFAULT 'null'
);
