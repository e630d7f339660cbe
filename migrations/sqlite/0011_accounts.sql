-- Local accounts: a person's password and state, and the grants of their roles.
-- `session_epoch` is copied into a session at sign-in and compared on every request: bumping it
-- ends the person's other sessions (disabled, password changed, role revoked).
alter table users add column disabled_at bigint;
alter table users add column session_epoch bigint not null default 0;

-- Only people who have a password have a row (demo people have none until an admin sets one).
-- `must_change`: set by an admin (or generated), to be replaced at next sign-in. `demo_password`:
-- the documented password `strata demo` gives, accepted only while the server is on loopback.
create table credentials (
    user_id text primary key references users (id) on delete cascade,
    password_hash text not null,
    must_change bigint not null default 0,
    demo_password bigint not null default 0,
    set_at bigint not null
);

-- One row per (person, role, scope); no team means the whole organization. The checks repeat
-- where each role may be granted (app/src/domain/policy.rs), so no other writer can break it.
create table role_grants (
    user_id text not null references users (id) on delete cascade,
    role text not null,
    team_id text references teams (id) on delete cascade,
    granted_at bigint not null,
    granted_by text not null,
    constraint role_grants_role check (role in ('admin', 'security_lead', 'contributor', 'auditor')),
    constraint role_grants_scope check (
        (role in ('admin', 'security_lead') and team_id is null)
        or (role = 'contributor' and team_id is not null)
        or role = 'auditor'
    )
);
create unique index role_grants_key on role_grants (user_id, role, coalesce(team_id, ''));
create index role_grants_team on role_grants (team_id);
