-- cronplane store, PostgreSQL: the paused jobs' index holds the paused jobs alone.
--
-- The firing node rereads the paused jobs every few seconds (migration 008), and the reread
-- asks for `WHERE paused` only. An index of (paused, name) took an entry for every job: a first
-- sync of 100,000 jobs spent 0.12-0.15 s of the server's 0.56-0.63 s `COPY` on it, for entries
-- no reread looks at. A partial index of the paused rows serves the same reread.
DROP INDEX jobs_paused;
CREATE INDEX jobs_paused ON jobs (name) WHERE paused;
