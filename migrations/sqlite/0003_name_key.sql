-- Workload names compare by a key the server computes (Unicode lowercase), so uniqueness and
-- search behave the same on both backends (SQLite's lower() folds ASCII only).
-- Kept in lock step with migrations/postgres.
alter table workload_versions add column name_key text not null default '';
update workload_versions set name_key = lower(name);
drop index workload_versions_current_name_key;
create unique index workload_versions_current_name_key
    on workload_versions (team_id, name_key) where valid_to is null;
