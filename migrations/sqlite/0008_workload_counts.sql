-- Counts the home page and the list show, kept with the workloads instead of counted from
-- every current workload on each request: how many current workloads each (team, phase) holds,
-- and how many of them have an open gap in each layer. Written in the same transaction as the
-- change that moves a workload (db/counts.rs). Kept in lock step across backends.
create table workload_counts (
    team_id text not null,
    phase text not null,
    workloads bigint not null,
    primary key (team_id, phase)
);

create table open_layer_counts (
    team_id text not null,
    phase text not null,
    layer text not null,
    workloads bigint not null,
    primary key (team_id, phase, layer)
);
create index open_layer_counts_layer on open_layer_counts (layer, team_id, phase);

insert into workload_counts (team_id, phase, workloads)
    select team_id, phase, count(*) from workload_versions where valid_to is null
    group by team_id, phase;

insert into open_layer_counts (team_id, phase, layer, workloads)
    select v.team_id, v.phase, g.layer, count(*) from workload_versions v
    join workload_open_layers g on g.workload_id = v.workload_id
    where v.valid_to is null group by v.team_id, v.phase, g.layer;
