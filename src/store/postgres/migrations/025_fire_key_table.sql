-- cronplane store, PostgreSQL: fire keys are kept unique in a table of their own, written once
-- when the run is created.
--
-- The unique index runs_fire_key (migration 017) took an entry for each version of a fired run's
-- row: at its insert, at its claim and at its end (each change of status is a non-HOT update),
-- and each of those entries was a unique check. A burst of 100,000 fired runs paid 5-7 us of
-- server CPU per run for it (docs/store.md#throughput). run_fire_keys holds each fire key once:
-- the insert of runs records the keys first (`ON CONFLICT DO NOTHING`) and inserts only the runs
-- whose key it recorded (postgres/insert-runs.ts, sql/start-runs-in-cooldown.ts), so a key is
-- still taken by one run only, under concurrent inserts too (the second waits on the first's
-- uncommitted key, then skips). runs.fire_key keeps the key for reading; no index names it.
-- History retention removes a pruned run's key with it (sql/prune-history.ts), as dropping the
-- row removed its index entry before.
CREATE TABLE run_fire_keys (
  fire_key TEXT PRIMARY KEY
);
INSERT INTO run_fire_keys (fire_key) SELECT fire_key FROM runs WHERE fire_key IS NOT NULL;
DROP INDEX runs_fire_key;
