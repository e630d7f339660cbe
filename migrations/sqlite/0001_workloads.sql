-- Teams, people and workloads. Instants are integer Unix microseconds (UTC); flags are 0/1;
-- ids are UUIDv7 text made by the server. Kept in lock step with migrations/postgres.

create table teams (
    id text primary key,
    name text not null,
    is_demo bigint not null default 0,
    created_at bigint not null
);
create unique index teams_name_key on teams (lower(name));

create table users (
    id text primary key,
    name text not null,
    email text not null,
    is_demo bigint not null default 0,
    created_at bigint not null
);
create unique index users_email_key on users (email);

create table workloads (
    id text primary key,
    created_at bigint not null,
    is_demo bigint not null default 0,
    current_revision bigint not null
);

-- One row per version; the current one has valid_to null. History is never rewritten.
create table workload_versions (
    workload_id text not null references workloads (id) on delete cascade,
    revision bigint not null,
    valid_from bigint not null,
    valid_to bigint,
    changed_by text not null,
    change_kind text not null,
    name text not null,
    description text not null,
    team_id text not null references teams (id),
    phase text not null check (phase in ('prototype', 'production', 'scale')),
    primary_owner text not null references users (id),
    other_owners text not null,
    attributes text not null,
    model_refs text not null,
    dataset_refs text not null,
    tags text not null,
    primary key (workload_id, revision)
);
create unique index workload_versions_current_name_key
    on workload_versions (team_id, lower(name)) where valid_to is null;
create index workload_versions_current on workload_versions (workload_id) where valid_to is null;
create index workload_versions_team on workload_versions (team_id);
create index workload_versions_owner on workload_versions (primary_owner);
