-- Indexes for the workload list at the size of a large organization (checked with the query
-- plans of `strata bench`'s routes at 5,000 workloads). Kept in lock step across backends.

-- "Open gaps in layer" is a lookup per workload: (workload, layer) among required rows. The
-- old (required, layer) index made the planner scan every requirement for every workload.
drop index requirements_required_layer;
create index requirements_open on requirements (workload_id, layer) where required = 1;

-- Current versions in the list's orders, so a page is read in order instead of sorted.
create index workload_versions_current_name on workload_versions (name_key, workload_id)
    where valid_to is null;
create index workload_versions_current_updated on workload_versions (valid_from)
    where valid_to is null;
create index workload_versions_current_phase on workload_versions (phase, name_key)
    where valid_to is null;
