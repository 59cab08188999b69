-- cronplane store, SQLite: the firing node rereads the paused jobs every few seconds; with
-- 100,000 jobs a scan of `jobs` for them cost about 1% of a core. An index on `paused` makes the
-- read a lookup of the (few) paused rows.
CREATE INDEX jobs_paused ON jobs (paused, name);
