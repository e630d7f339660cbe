-- Verifications of the audit chain started from the audit page, run in the background. They
-- live here, not in a server's memory, so that any server behind a load balancer answers
-- "how far is it" and the limits (one running per person, a few at once) hold across all of
-- them. A running verification holds a lease that its server renews with each page checked;
-- one whose lease ran out stopped with its server.
create table audit_verifications (
    id bigint generated always as identity primary key,
    owner text not null,
    started_at bigint not null,
    lease_until bigint not null,
    checked bigint not null default 0,
    finished_at bigint,
    -- 1 intact, 0 broken or not run; null while running.
    intact bigint,
    outcome text
);
create index audit_verifications_running on audit_verifications (finished_at, lease_until);
