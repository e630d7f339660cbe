-- The audit page's filters by action and by entity, newest first (`order by seq desc limit`).
create index audit_events_action on audit_events (action, seq);
create index audit_events_entity on audit_events (entity, seq);
