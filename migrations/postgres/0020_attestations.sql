-- Attestations (design §2): a claim about one requirement, with its review in the same row
-- (a submission is decided once: approved, or rejected with the reviewer's comment). Rows are
-- never rewritten except by that one decision, so a requirement's history is its rows.
create table attestations (
    id text primary key,
    workload_id text not null references workloads (id) on delete cascade,
    control_id text not null,
    status text not null,
    statement text not null,
    -- Required for `not_applicable`.
    justification text not null default '',
    -- Required for `inherited`: which vendor or platform.
    inherited_from text not null default '',
    effective_at bigint not null,
    expires_at bigint not null,
    -- The workload's model or dataset reference it speaks about, as it was.
    artifact_kind text,
    artifact_name text,
    artifact_version text,
    artifact_digest text,
    submitted_by text,
    submitted_by_name text not null,
    submitted_at bigint not null,
    decision text,
    decided_by text,
    decided_by_name text,
    decided_at bigint,
    comment text not null default '',
    is_demo bigint not null default 0,
    constraint attestations_status check (status in ('implemented', 'partially_implemented',
        'not_implemented', 'not_applicable', 'inherited')),
    constraint attestations_dates check (expires_at > effective_at),
    constraint attestations_decision check (
        (decision is null and decided_at is null)
        or (decision in ('approved', 'rejected') and decided_at is not null))
);
create index attestations_requirement on attestations (workload_id, control_id, submitted_at);
-- The review queue, oldest first.
create index attestations_awaiting on attestations (submitted_at) where decision is null;

-- Evidence items: links and notes now, files next. One item backs many attestations.
create table evidence_items (
    id text primary key,
    team_id text references teams (id) on delete cascade,
    kind text not null,
    title text not null,
    url text,
    note text,
    effective_at bigint not null,
    expires_at bigint,
    created_by text,
    created_by_name text not null,
    created_at bigint not null,
    withdrawn_at bigint,
    withdrawn_by text,
    withdrawal_reason text,
    is_demo bigint not null default 0,
    constraint evidence_items_kind check (kind in ('link', 'note'))
);
create index evidence_items_team on evidence_items (team_id, created_at);

create table attestation_evidence (
    attestation_id text not null references attestations (id) on delete cascade,
    evidence_id text not null references evidence_items (id) on delete cascade,
    primary key (attestation_id, evidence_id)
);
create index attestation_evidence_item on attestation_evidence (evidence_id);

-- Each applicable requirement's states from its last change on, as stretches: the state,
-- why, and until when (null: until a new record changes it). Rewritten in the transaction
-- of every record that affects it; "the state now" is the stretch whose instants enclose
-- now, so lists and counts compare stored instants with now and no job flips a state.
create table requirement_states (
    workload_id text not null references workloads (id) on delete cascade,
    control_id text not null,
    from_at bigint not null,
    until_at bigint,
    state text not null,
    reason text not null,
    attestation_id text,
    primary key (workload_id, control_id, from_at)
);
create index requirement_states_now on requirement_states (state, until_at);
