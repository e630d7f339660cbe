-- The second factor of local accounts: a TOTP secret (RFC 6238) per person and their one-time
-- recovery codes. A row with no `confirmed_at` is an enrolment the person has not finished:
-- it asks nothing at sign-in. `last_step` is the time step of the last code accepted, so that
-- no code is accepted twice.
create table second_factors (
    user_id text primary key references users (id) on delete cascade,
    secret text not null,
    created_at bigint not null,
    confirmed_at bigint,
    last_step bigint
);

-- Only the SHA-256 of each code (80 random bits) is kept; `used_at` is set when it is spent.
create table recovery_codes (
    user_id text not null references users (id) on delete cascade,
    digest text not null,
    used_at bigint,
    primary key (user_id, digest)
);

-- Organization-wide settings an administrator changes, one row per key.
create table settings (
    key text primary key,
    value text not null,
    changed_at bigint not null,
    changed_by text not null
);
