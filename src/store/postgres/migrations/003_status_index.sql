-- Every index on runs costs each change of status (a PostgreSQL update writes a new entry in
-- each), and a dispatched run changes status three times. runs_status served listing by status
-- and lease expiry; lease expiry and listing pending or running runs read runs_active, and the
-- common `succeeded` is found fastest walking ids backwards. So runs_status now holds only the
-- statuses a run ends in rarely, the ones worth an index to find.
DROP INDEX runs_status;
CREATE INDEX runs_status ON runs (status, id)
  WHERE status <> 'pending' AND status <> 'running' AND status <> 'succeeded';
