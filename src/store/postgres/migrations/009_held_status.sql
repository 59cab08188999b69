-- cronplane store, PostgreSQL: `held` becomes a stored run status. A queue item waiting for its
-- release was a pending run whose run_after was 2^53 - 1 (a state hidden in a timestamp); it is
-- now a run in status `held`, and each release is a `held -> pending` transition row.
--
-- 1. The status CHECK accepts `held`.
ALTER TABLE runs DROP CONSTRAINT runs_status_check;
ALTER TABLE runs ADD CONSTRAINT runs_status_check CHECK (status IN ('held', 'pending', 'running',
  'succeeded', 'warning', 'failed', 'critical', 'skipped', 'timed_out', 'cancelled', 'lost'));

-- 2. A held run may still execute: it keeps its secret parameter values, as pending and running
--    runs do.
DROP TRIGGER runs_clear_secret_params ON runs;
CREATE TRIGGER runs_clear_secret_params AFTER UPDATE OF status ON runs
  FOR EACH ROW
  WHEN (NEW.secret_params IS NOT NULL AND NEW.status NOT IN ('held', 'pending', 'running'))
  EXECUTE FUNCTION runs_clear_secret_params();

-- 3. A queue's waiting items, oldest first, per job (the drainer's scan, the queue view).
CREATE INDEX runs_held ON runs (job, id) WHERE status = 'held';

-- 4. Back-fill: every item still held back by the old sentinel becomes `held`, with run_after
--    set to when it was queued (a held item's run_after is its enqueue time until its release
--    makes it due). Such an item was held from its creation and has had no other change, so its
--    journal is the one creating row; that row now names the status the item was created in
--    (`held`) instead of the old encoding (`pending`). No row is appended: nothing happened to
--    the item, only the way its state is written changed.
UPDATE run_transitions SET to_status = 'held'
  WHERE from_status IS NULL
    AND run_id IN (SELECT id FROM runs WHERE status = 'pending' AND run_after = 9007199254740991);
UPDATE runs SET status = 'held', run_after = queued_at
  WHERE status = 'pending' AND run_after = 9007199254740991;
