-- The layers in which each workload has open requirements, one row per (workload, layer),
-- rewritten with the workload's requirements in the same transaction. "How many workloads have
-- an open gap in this layer" is then an index range, not a probe per workload.
-- Kept in lock step across backends.
create table workload_open_layers (
    workload_id text not null references workloads (id) on delete cascade,
    layer text not null,
    primary key (workload_id, layer)
);
create index workload_open_layers_layer on workload_open_layers (layer, workload_id);

-- Until attestations exist, every required control is open.
insert into workload_open_layers (workload_id, layer)
    select distinct workload_id, layer from requirements where required = 1;
