-- Attempts per client address and time window, for limits that hold across every instance of
-- the server: anonymous flash-only sessions (refused forms) now, sign-in attempts next. A row
-- counts one scope's attempts by one client in the window starting at `window_start` (Unix
-- seconds); windows older than an hour are deleted by the sweeper (sessions.rs, through
-- db/attempts.rs). Kept in lock step across backends.
create table attempt_counts (
    scope text not null,
    client text not null,
    window_start bigint not null,
    attempts bigint not null,
    primary key (scope, client, window_start)
);
create index attempt_counts_window on attempt_counts (window_start);
