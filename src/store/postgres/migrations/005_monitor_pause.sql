-- cronplane store, PostgreSQL: a monitor can be paused (planned maintenance of the machine that
-- runs its job). A paused monitor is never taken down and raises nothing; its pings are still
-- stored. `paused_at` is when it was paused, and is set exactly while it is; `resumed_at` is when
-- it was last resumed: its lateness counts from then, not from a ping before the pause.
ALTER TABLE monitors ADD COLUMN paused BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE monitors ADD COLUMN paused_at BIGINT;
ALTER TABLE monitors ADD COLUMN resumed_at BIGINT;
ALTER TABLE monitors ADD CONSTRAINT monitors_paused_at_check CHECK (paused = (paused_at IS NOT NULL));
