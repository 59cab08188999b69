-- cronplane store, SQLite: the paused jobs' index holds the paused jobs alone.
--
-- The firing node rereads the paused jobs every few seconds (migration 008), and the reread
-- asks for `WHERE paused` only. An index of (paused, name) took an entry for every job, written
-- with each job of a first sync of 100,000 jobs (about a tenth of its inserts' time), for entries
-- no reread looks at. A partial index of the paused rows serves the same reread; the query
-- writes its condition as the index does (`paused`), which is how SQLite knows it may use it.
DROP INDEX jobs_paused;
CREATE INDEX jobs_paused ON jobs (name) WHERE paused;
