-- The tamper-evident chain (design §2): each event's digest (SHA-256 of its canonical body)
-- and hash (SHA-256 of the previous hash and the digest), as lowercase hex. Events written
-- before this migration are chained, in sequence order, by `strata migrate`.
-- The chain numbers events itself (one more than the head, under its lock): an identity
-- column would leave gaps where a transaction rolled back.
alter table audit_events alter column seq drop identity;
alter table audit_events add column digest text;
alter table audit_events add column hash text;

-- The chain's head: the last event's sequence number and hash. Appends read and update it in
-- the change's transaction; PostgreSQL locks the row (SQLite's write lock already serializes
-- writers), so the chain never forks and sequence order is commit order.
create table audit_head (
    id integer primary key,
    seq bigint not null,
    hash text not null,
    constraint audit_head_one check (id = 1)
);
insert into audit_head (id, seq, hash)
values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Extracts and the audit page's time filter.
create index audit_events_at on audit_events (at, seq);
