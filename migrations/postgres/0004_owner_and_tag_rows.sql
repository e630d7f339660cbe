-- Owners and tags become rows, so that "workloads this person owns" and "workloads with this
-- tag" are indexed lookups on both backends instead of searches inside JSON text. Every owner,
-- the primary one included, is a row (position 0 is the primary owner, the others follow in the
-- order they were given); `workload_versions.primary_owner` stays as the list's join column.
-- Kept in lock step with migrations/sqlite.

create table workload_owners (
    workload_id text not null,
    revision bigint not null,
    position bigint not null,
    user_id text not null references users (id),
    primary key (workload_id, revision, position),
    foreign key (workload_id, revision) references workload_versions (workload_id, revision)
        on delete cascade
);
create index workload_owners_user on workload_owners (user_id, workload_id);

create table workload_tags (
    workload_id text not null,
    revision bigint not null,
    tag text not null,
    primary key (workload_id, revision, tag),
    foreign key (workload_id, revision) references workload_versions (workload_id, revision)
        on delete cascade
);
create index workload_tags_tag on workload_tags (tag, workload_id);

insert into workload_owners (workload_id, revision, position, user_id)
    select workload_id, revision, 0, primary_owner from workload_versions;
insert into workload_owners (workload_id, revision, position, user_id)
    select v.workload_id, v.revision, j.n, j.value
    from workload_versions v, json_array_elements_text(v.other_owners::json) with ordinality as j(value, n);
insert into workload_tags (workload_id, revision, tag)
    select distinct v.workload_id, v.revision, j.value
    from workload_versions v, json_array_elements_text(v.tags::json) as j(value);

alter table workload_versions drop column other_owners;
alter table workload_versions drop column tags;
