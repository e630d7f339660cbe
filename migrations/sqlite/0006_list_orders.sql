-- Orders and filters of the workload list that an index can serve (plans checked at 5,000
-- workloads on both backends). Kept in lock step across backends.

-- The phase as its rank (prototype 0, production 1, scale 2), so "sort by phase" reads an index
-- instead of sorting every workload by a CASE expression. Written with every version.
alter table workload_versions add column phase_rank bigint not null default 0;
update workload_versions set phase_rank =
    case phase when 'prototype' then 0 when 'production' then 1 else 2 end;
create index workload_versions_current_phase_rank
    on workload_versions (phase_rank, name_key, workload_id) where valid_to is null;

-- "Open gaps in layer": the workloads with a required row in a layer, read by layer.
create index requirements_open_by_layer on requirements (layer, workload_id) where required = 1;

-- Counts per team and phase read from the index alone.
create index workload_versions_current_team_phase
    on workload_versions (team_id, phase) where valid_to is null;
