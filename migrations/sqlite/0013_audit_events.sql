-- What happened, by whom, to what: one row per change (written in the change's own
-- transaction, WriteTx::commit), per sign-in, failed sign-in and sign-out. No foreign keys:
-- the record outlives the people, teams and workloads it names. The tamper-evident chain over
-- these rows (digest and hash per event) comes with the audit issue.
create table audit_events (
    seq integer primary key,
    at bigint not null,
    -- The signed-in person who acted, if a person did; `actor` names whoever it was.
    actor_id text,
    actor text not null,
    action text not null,
    entity text not null,
    -- The team the entity belongs to, for scoped reading.
    team_id text,
    -- A JSON object: ASCII keys; strings, integers, booleans and null only.
    details text not null
);
create index audit_events_team on audit_events (team_id, seq);
create index audit_events_actor on audit_events (actor_id, seq);
