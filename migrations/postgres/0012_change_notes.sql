-- Why a version was written, when a person had to say: a security lead promoting a workload
-- that still has open requirements gives the reason, and it stays with the version.
alter table workload_versions add column change_note text;
