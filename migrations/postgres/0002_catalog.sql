-- Catalog versions and materialized requirements. Kept in lock step with migrations/sqlite.

-- Every catalog whose content hash changed is a new version; `seq` orders them.
create table catalog_versions (
    id text primary key,
    seq bigint not null unique,
    content_hash text not null,
    name text not null,
    source text not null,
    loaded_at bigint not null,
    content text not null
);

-- One row per (workload, control) of the current catalog: rewritten in the same transaction as
-- any change to the workload or the catalog, so it always equals the pure rules.
create table requirements (
    workload_id text not null references workloads (id) on delete cascade,
    control_id text not null,
    catalog_version_id text not null references catalog_versions (id),
    layer text not null,
    applicable bigint not null,
    required bigint not null,
    effective_min_phase text not null,
    reason text not null,
    primary key (workload_id, control_id)
);
create index requirements_required_layer on requirements (required, layer);
