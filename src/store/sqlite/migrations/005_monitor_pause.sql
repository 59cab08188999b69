-- cronplane store, SQLite: a monitor can be paused (planned maintenance of the machine that runs
-- its job). A paused monitor is never taken down and raises nothing; its pings are still stored.
-- `paused_at` is when it was paused, and is set exactly while it is; `resumed_at` is when it was
-- last resumed: its lateness counts from then, not from a ping before the pause.
ALTER TABLE monitors ADD COLUMN paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1));
ALTER TABLE monitors ADD COLUMN paused_at INTEGER CHECK ((paused = 1) = (paused_at IS NOT NULL));
ALTER TABLE monitors ADD COLUMN resumed_at INTEGER;
