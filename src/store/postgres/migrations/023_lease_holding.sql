-- cronplane store, PostgreSQL: since when a lease's owner holds it without a break in the table.
--
-- `taken_at` is the time the owner took the lease; a renewal by the same owner keeps it, even one
-- after the lease ran out, since no other owner took it meanwhile (any other owner, or a release
-- that deletes the row, sets a new one). A scheduler leader whose lease ran out while it was busy
-- reads it when it renews: unchanged, nobody else led, and its own schedule is still the cursor,
-- so it does not read every job's stored cursor again. Rows written before: 0 (one take-over).
ALTER TABLE leases ADD COLUMN taken_at BIGINT NOT NULL DEFAULT 0;
