-- An archived team's workloads stay readable and cannot change; it is offered for no new
-- workload. Null while the team is in use.
alter table teams add column archived_at bigint;
