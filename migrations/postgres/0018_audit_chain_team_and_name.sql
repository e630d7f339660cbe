-- The chain now also covers each event's team and, when a person acted, their name (carried in
-- the chained details, design §2). Chains written before this release are chained again, once,
-- under that form: `strata migrate` chains every event without a hash, in sequence order. No
-- release shipped the earlier form, so no exported anchor or checkpoint of it exists outside a
-- developer's machine.
update audit_events set digest = null, hash = null;
update audit_head set seq = 0, hash = '0000000000000000000000000000000000000000000000000000000000000000'
where id = 1;
