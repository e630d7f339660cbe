//! Local accounts on both backends: passwords, disabling and grants, and the session epoch that
//! every taking-away bumps.

use crate::on_both_backends;
use crate::support::{by, TestDb};
use app::domain::policy::{Grant, GrantScope, Role};
use app::domain::{TeamId, UserId};
use app::ports::{Constraint, PasswordKind, SharedStore, StoreError};
use std::sync::Arc;
use strata_server::db::Db;

fn store(t: &TestDb) -> SharedStore {
    Arc::new(t.db.clone())
}

fn grant(role: Role, scope: GrantScope) -> Grant {
    Grant::new(role, scope).expect("allowed")
}

async fn epoch(s: &SharedStore, user: &UserId) -> i64 {
    s.credentials(user)
        .await
        .expect("read")
        .expect("exists")
        .session_epoch
}

async fn a_password_is_set_reset_and_found_by_email(t: &TestDb) {
    let s = store(t);
    let ada = s
        .create_user("Ada", "Ada@Example.org", false, &by("x"))
        .await
        .expect("user");
    let before = s
        .credentials_by_email("  ADA@example.ORG ")
        .await
        .expect("read")
        .expect("found whatever the case");
    assert_eq!(before.user_id, ada.id);
    assert_eq!(
        before.password_hash, None,
        "nobody has a password until one is set"
    );
    assert!(!before.must_change && !before.disabled);

    s.set_password(&ada.id, "$argon2id$first", PasswordKind::Chosen, &by("ada"))
        .await
        .expect("set");
    let after = s.credentials(&ada.id).await.expect("read").expect("exists");
    assert_eq!(after.password_hash.as_deref(), Some("$argon2id$first"));
    assert!(!after.must_change);
    assert_eq!(
        after.session_epoch,
        before.session_epoch + 1,
        "other sessions end"
    );

    // An admin's reset replaces the hash and asks for a new password at next sign-in.
    s.set_password(
        &ada.id,
        "$argon2id$reset",
        PasswordKind::Temporary,
        &by("admin"),
    )
    .await
    .expect("reset");
    let reset = s.credentials(&ada.id).await.expect("read").expect("exists");
    assert_eq!(
        (reset.password_hash.as_deref(), reset.must_change),
        (Some("$argon2id$reset"), true)
    );
    assert_eq!(reset.session_epoch, after.session_epoch + 1);

    assert_eq!(
        s.credentials_by_email("nobody@example.org")
            .await
            .expect("read"),
        None
    );
    let ghost = UserId("no-such-user".into());
    assert!(matches!(
        s.set_password(&ghost, "$argon2id$x", PasswordKind::Chosen, &by("x"))
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(s.credentials(&ghost).await.expect("read"), None);
}

async fn disabling_ends_sessions_and_enabling_restores_the_account(t: &TestDb) {
    let s = store(t);
    let bo = s
        .create_user("Bo", "bo@example.org", false, &by("x"))
        .await
        .expect("user");
    let start = epoch(&s, &bo.id).await;
    s.set_disabled(&bo.id, true, &by("admin"))
        .await
        .expect("disable");
    let disabled = s.credentials(&bo.id).await.expect("read").expect("exists");
    assert!(disabled.disabled);
    assert_eq!(disabled.session_epoch, start + 1);
    s.set_disabled(&bo.id, false, &by("admin"))
        .await
        .expect("enable");
    assert!(
        !s.credentials(&bo.id)
            .await
            .expect("read")
            .expect("exists")
            .disabled
    );
    assert!(matches!(
        s.set_disabled(&UserId("no-such-user".into()), true, &by("x"))
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn grants_are_added_once_removed_once_and_revoking_ends_sessions(t: &TestDb) {
    let s = store(t);
    let cy = s
        .create_user("Cy", "cy@example.org", false, &by("x"))
        .await
        .expect("user");
    let (a, b) = (
        s.create_team("Alpha", false, &by("x")).await.expect("team"),
        s.create_team("Beta", false, &by("x")).await.expect("team"),
    );
    let contributor_a = grant(Role::Contributor, GrantScope::Team(a.id.clone()));
    let contributor_b = grant(Role::Contributor, GrantScope::Team(b.id.clone()));
    let org_auditor = grant(Role::Auditor, GrantScope::Organization);
    let start = epoch(&s, &cy.id).await;

    assert!(s
        .grant(&cy.id, &contributor_a, &by("admin"))
        .await
        .expect("grant"));
    assert!(!s
        .grant(&cy.id, &contributor_a, &by("admin"))
        .await
        .expect("again"));
    assert!(s
        .grant(&cy.id, &contributor_b, &by("admin"))
        .await
        .expect("grant"));
    assert!(s
        .grant(&cy.id, &org_auditor, &by("admin"))
        .await
        .expect("grant"));
    assert_eq!(
        epoch(&s, &cy.id).await,
        start,
        "gaining a role ends no session"
    );
    let mut expected = vec![
        org_auditor.clone(),
        contributor_a.clone(),
        contributor_b.clone(),
    ];
    expected.sort_by_key(|g| (g.role().code(), format!("{:?}", g.scope())));
    let mut held = s.grants(&cy.id).await.expect("grants");
    held.sort_by_key(|g| (g.role().code(), format!("{:?}", g.scope())));
    assert_eq!(held, expected);

    assert!(s
        .revoke(&cy.id, &contributor_a, &by("admin"))
        .await
        .expect("revoke"));
    assert_eq!(
        epoch(&s, &cy.id).await,
        start + 1,
        "losing a role ends other sessions"
    );
    assert!(!s
        .revoke(&cy.id, &contributor_a, &by("admin"))
        .await
        .expect("again"));
    assert_eq!(
        epoch(&s, &cy.id).await,
        start + 1,
        "revoking nothing changes nothing"
    );
    // The organization-wide grant and a team grant of the same role are different grants.
    let team_auditor = grant(Role::Auditor, GrantScope::Team(b.id.clone()));
    assert!(!s
        .revoke(&cy.id, &team_auditor, &by("admin"))
        .await
        .expect("not held"));
    assert_eq!(
        s.grants(&cy.id).await.expect("grants").len(),
        2,
        "the organization-wide auditor grant stays"
    );

    let unknown_team = grant(
        Role::Contributor,
        GrantScope::Team(TeamId("no-team".into())),
    );
    let refused = s.grant(&cy.id, &unknown_team, &by("admin")).await;
    assert!(
        matches!(
            refused,
            Err(StoreError::Conflict {
                constraint: Constraint::Reference
            })
        ),
        "{refused:?}"
    );
    let ghost = s
        .grant(&UserId("no-such-user".into()), &org_auditor, &by("admin"))
        .await;
    assert!(
        matches!(
            ghost,
            Err(StoreError::Conflict {
                constraint: Constraint::Reference
            })
        ),
        "{ghost:?}"
    );
}

/// The database holds the policy's rule of where each role may be granted, whoever writes.
async fn the_schema_refuses_grants_the_policy_does_not_allow(t: &TestDb) {
    let s = store(t);
    let dee = s
        .create_user("Dee", "dee@example.org", false, &by("x"))
        .await
        .expect("user");
    let team = s.create_team("Gamma", false, &by("x")).await.expect("team");
    let insert = "insert into role_grants (user_id, role, team_id, granted_at, granted_by) \
                  values ($1, $2, $3, 1, 'test')";
    for (role, team_id) in [
        ("admin", Some(team.id.as_str())),
        ("security_lead", Some(team.id.as_str())),
        ("contributor", None),
        ("root", None),
    ] {
        let result = match &t.db {
            Db::Sqlite(p) => sqlx::query(insert)
                .bind(dee.id.as_str())
                .bind(role)
                .bind(team_id)
                .execute(p)
                .await
                .map(|_| ()),
            Db::Postgres(p) => sqlx::query(insert)
                .bind(dee.id.as_str())
                .bind(role)
                .bind(team_id)
                .execute(p)
                .await
                .map(|_| ()),
        };
        assert!(result.is_err(), "{role} for {team_id:?} was stored");
    }
    assert!(s.grants(&dee.id).await.expect("grants").is_empty());
}

async fn only_an_enabled_real_admin_counts_as_one(t: &TestDb) {
    let s = store(t);
    let admin = grant(Role::Admin, GrantScope::Organization);
    assert!(!s.has_admin().await.expect("none yet"));
    let demo = s
        .create_user("Demo Admin", "demo-admin@example.org", true, &by("x"))
        .await
        .expect("user");
    s.grant(&demo.id, &admin, &by("x")).await.expect("grant");
    assert!(
        !s.has_admin().await.expect("read"),
        "demo people do not count"
    );
    let real = s
        .create_user("Eve", "eve@example.org", false, &by("x"))
        .await
        .expect("user");
    s.grant(&real.id, &admin, &by("x")).await.expect("grant");
    assert!(s.has_admin().await.expect("read"));
    s.set_disabled(&real.id, true, &by("x"))
        .await
        .expect("disable");
    assert!(
        !s.has_admin().await.expect("read"),
        "a disabled admin cannot sign in"
    );
}

async fn removing_the_demo_removes_its_peoples_accounts(t: &TestDb) {
    let s = store(t);
    let team = s
        .create_team("Demo team", true, &by("x"))
        .await
        .expect("team");
    let demo = s
        .create_user("Demo", "demo@example.org", true, &by("x"))
        .await
        .expect("user");
    s.set_password(&demo.id, "$argon2id$demo", PasswordKind::Demo, &by("x"))
        .await
        .expect("set");
    s.grant(
        &demo.id,
        &grant(Role::Contributor, GrantScope::Team(team.id.clone())),
        &by("x"),
    )
    .await
    .expect("grant");
    s.remove_demo(&by("x")).await.expect("remove");
    assert_eq!(s.credentials(&demo.id).await.expect("read"), None);
    assert!(s.grants(&demo.id).await.expect("grants").is_empty());
}

/// What a signed-in request reads: the account, its name and email, every grant, in one read.
async fn a_session_reads_the_account_with_every_grant(t: &TestDb) {
    let s = store(t);
    let a = s.create_team("A", false, &by("x")).await.expect("team");
    let b = s.create_team("B", false, &by("x")).await.expect("team");
    let ada = s
        .create_user("Ada", "ada@example.org", false, &by("x"))
        .await
        .expect("user");
    let none = s
        .session_account(&ada.id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(
        (none.name.as_str(), none.email.as_str()),
        ("Ada", "ada@example.org")
    );
    assert!(
        none.grants.is_empty(),
        "a person without a role holds no grant"
    );
    let held = [
        grant(Role::Contributor, GrantScope::Team(b.id.clone())),
        grant(Role::Auditor, GrantScope::Organization),
        grant(Role::Contributor, GrantScope::Team(a.id.clone())),
    ];
    for g in &held {
        s.grant(&ada.id, g, &by("admin")).await.expect("grant");
    }
    s.set_password(&ada.id, "$argon2id$demo", PasswordKind::Demo, &by("seed"))
        .await
        .expect("set");
    let account = s
        .session_account(&ada.id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(account.grants, s.grants(&ada.id).await.expect("grants"));
    assert_eq!(
        account.grants.len(),
        3,
        "one grant per row, none lost or doubled"
    );
    assert!(account.credentials.demo_password && !account.credentials.must_change);
    assert_eq!(
        account.credentials,
        s.credentials(&ada.id).await.expect("read").expect("exists")
    );
    let ghost = UserId("0190aaaa-0000-7000-8000-000000000000".into());
    assert_eq!(s.session_account(&ghost).await.expect("read"), None);
}

/// Reading a count does not count.
async fn attempts_are_read_without_counting(t: &TestDb) {
    let s = store(t);
    assert_eq!(s.attempts("sign_in", "k", 60).await.expect("read"), 0);
    s.count_attempt("sign_in", "k", 60).await.expect("count");
    s.count_attempt("sign_in", "k", 60).await.expect("count");
    assert_eq!(s.attempts("sign_in", "k", 60).await.expect("read"), 2);
    assert_eq!(
        s.attempts("sign_in", "k", 120).await.expect("read"),
        0,
        "another window"
    );
    assert_eq!(
        s.attempts("other", "k", 60).await.expect("read"),
        0,
        "another scope"
    );
}

/// A new server creates `admin` when no real, enabled person holds the role; a demo admin does
/// not count, and a configured password must meet the rules.
async fn the_first_administrator_is_created_once(t: &TestDb) {
    use app::service::accounts::{ensure_admin, AdminPassword, FIRST_ADMIN_EMAIL};
    let s = store(t);
    let hasher = strata_server::passwords::Passwords::new(1);
    strata_server::demo::seed(&s)
        .await
        .expect("seed: it has a demo admin");
    let weak = ensure_admin(
        &*s,
        &hasher,
        AdminPassword::Configured("password".into()),
        &by("serve"),
    )
    .await
    .expect_err("too short");
    assert!(weak.to_string().contains("STRATA_ADMIN_PASSWORD"), "{weak}");
    assert!(!s.has_admin().await.expect("read"), "nothing half made");

    let made = ensure_admin(
        &*s,
        &hasher,
        AdminPassword::Generated("one time pass 1234".into()),
        &by("serve"),
    )
    .await
    .expect("made");
    assert_eq!(made.as_deref(), Some(FIRST_ADMIN_EMAIL));
    let admin = s
        .credentials_by_email(FIRST_ADMIN_EMAIL)
        .await
        .expect("read")
        .expect("exists");
    assert!(
        admin.must_change,
        "a generated password is replaced at first sign-in"
    );
    assert!(hasher
        .verify("one time pass 1234", admin.password_hash.as_deref())
        .await
        .expect("verify"));
    let again = ensure_admin(
        &*s,
        &hasher,
        AdminPassword::Generated("another one 123456".into()),
        &by("serve"),
    )
    .await
    .expect("checked");
    assert_eq!(again, None, "an administrator exists: nothing changes");

    // Disabled, the administrator no longer counts: the next start enables it again with a
    // new password.
    s.set_disabled(&admin.user_id, true, &by("x"))
        .await
        .expect("disable");
    let back = ensure_admin(
        &*s,
        &hasher,
        AdminPassword::Configured("a configured passphrase".into()),
        &by("serve"),
    )
    .await
    .expect("made");
    assert_eq!(back.as_deref(), Some(FIRST_ADMIN_EMAIL));
    let admin = s
        .credentials(&admin.user_id)
        .await
        .expect("read")
        .expect("exists");
    assert!(!admin.disabled && !admin.must_change);
    assert_eq!(s.grants(&admin.user_id).await.expect("grants").len(), 1);
}

on_both_backends!(
    the_first_administrator_is_created_once,
    a_session_reads_the_account_with_every_grant,
    attempts_are_read_without_counting,
    a_password_is_set_reset_and_found_by_email,
    disabling_ends_sessions_and_enabling_restores_the_account,
    grants_are_added_once_removed_once_and_revoking_ends_sessions,
    the_schema_refuses_grants_the_policy_does_not_allow,
    only_an_enabled_real_admin_counts_as_one,
    removing_the_demo_removes_its_peoples_accounts
);
