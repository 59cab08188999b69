-- cronplane store, PostgreSQL: the values of a run's secret trigger parameters. `params_json`
-- holds `***` for them; the real values (a JSON object) are kept here for the worker, and only
-- while the run may still execute: the trigger below clears them as soon as the run reaches a
-- final status, whichever statement put it there (finish, cancel, lost, transition). It runs
-- after the update, as on SQLite, so the statement that ended the run still returns them (a
-- retry of a lost run copies them to its next attempt).
ALTER TABLE runs ADD COLUMN secret_params TEXT;
CREATE FUNCTION runs_clear_secret_params() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE runs SET secret_params = NULL WHERE id = NEW.id;
  RETURN NULL;
END;
$$;
CREATE TRIGGER runs_clear_secret_params AFTER UPDATE OF status ON runs
  FOR EACH ROW
  WHEN (NEW.secret_params IS NOT NULL AND NEW.status NOT IN ('pending', 'running'))
  EXECUTE FUNCTION runs_clear_secret_params();
