-- The list sorts by a key in either direction and always breaks ties by name, ascending. An
-- index read backwards reverses every column, so each descending order needs its own index
-- (checked with the query plans of `strata bench`'s routes at 5,000 workloads on both
-- backends). Kept in lock step across backends.
drop index workload_versions_current_updated;
create index workload_versions_current_updated
    on workload_versions (valid_from, name_key, workload_id) where valid_to is null;
create index workload_versions_current_updated_desc
    on workload_versions (valid_from desc, name_key, workload_id) where valid_to is null;
create index workload_versions_current_phase_rank_desc
    on workload_versions (phase_rank desc, name_key, workload_id) where valid_to is null;


-- A name search reads every current name: with `valid_to` in the index, SQLite sees that the
-- index alone answers it (without, it read every version row, history and attributes too).
drop index workload_versions_current_name;
create index workload_versions_current_name
    on workload_versions (name_key, workload_id, valid_to) where valid_to is null;
