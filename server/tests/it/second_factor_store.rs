//! The second factor on both backends: an enrolment replaced until it is confirmed, codes and
//! recovery codes accepted once each (also when two requests race), a reset password that
//! removes it, the setting that requires it, and the audit event of each change.

use crate::on_both_backends;
use crate::support::{by, TestDb};
use app::domain::UserId;
use app::ports::{PasswordKind, SharedStore, StoreError};
use app::service::totp::recovery_code_digest;
use std::sync::Arc;

fn store(t: &TestDb) -> SharedStore {
    Arc::new(t.db.clone())
}

async fn ada(s: &SharedStore) -> UserId {
    let ada = s
        .create_user("Ada", "ada@example.org", false, &by("x"))
        .await
        .expect("user");
    s.set_password(&ada.id, "$argon2id$x", PasswordKind::Chosen, &by("x"))
        .await
        .expect("password");
    ada.id
}

async fn epoch(s: &SharedStore, user: &UserId) -> i64 {
    s.credentials(user)
        .await
        .expect("read")
        .expect("exists")
        .session_epoch
}

/// The actions of the newest `n` events, oldest first.
async fn last_actions(s: &SharedStore, n: u32) -> Vec<String> {
    let mut events = s.recent_events(n).await.expect("events");
    events.reverse();
    events.into_iter().map(|e| e.action).collect()
}

fn digests(codes: &[&str]) -> Vec<String> {
    codes.iter().map(|c| recovery_code_digest(c)).collect()
}

async fn an_enrolment_is_replaced_until_confirmed_and_then_asks_at_sign_in(t: &TestDb) {
    let s = store(t);
    let user = ada(&s).await;
    assert!(s.second_factor(&user).await.expect("read").is_none());
    assert!(s
        .start_second_factor(&user, "FIRSTSECRETAAAAAAAAAAAAAAAAAAAAA", &by("ada"))
        .await
        .expect("start"));
    assert!(s
        .start_second_factor(&user, "SECONDSECRETAAAAAAAAAAAAAAAAAAAA", &by("ada"))
        .await
        .expect("restart"));
    let pending = s
        .second_factor(&user)
        .await
        .expect("read")
        .expect("pending");
    assert_eq!(pending.secret, "SECONDSECRETAAAAAAAAAAAAAAAAAAAA");
    assert!(!pending.confirmed);
    let credentials = s.credentials(&user).await.expect("read").expect("exists");
    assert!(
        !credentials.second_factor,
        "an unfinished set-up asks nothing at sign-in"
    );

    // Confirming the replaced secret (another window's) finds nothing to confirm.
    let stale = s
        .confirm_second_factor(
            &user,
            "FIRSTSECRETAAAAAAAAAAAAAAAAAAAAA",
            7,
            &[],
            &by("ada"),
        )
        .await;
    assert!(matches!(stale, Err(StoreError::NotFound)), "{stale:?}");

    let before = epoch(&s, &user).await;
    let codes = digests(&["aaaa-bbbb-cccc-dddd", "eeee-ffff-gggg-hhhh"]);
    let after = s
        .confirm_second_factor(
            &user,
            "SECONDSECRETAAAAAAAAAAAAAAAAAAAA",
            7,
            &codes,
            &by("ada"),
        )
        .await
        .expect("confirm");
    assert_eq!(after, before + 1, "other sessions end");
    let factor = s.second_factor(&user).await.expect("read").expect("on");
    assert!(factor.confirmed);
    assert_eq!((factor.last_step, factor.recovery_codes_left), (Some(7), 2));
    assert!(
        s.credentials(&user)
            .await
            .expect("read")
            .expect("exists")
            .second_factor
    );
    assert!(
        !s.start_second_factor(&user, "THIRDSECRETAAAAAAAAAAAAAAAAAAAAA", &by("ada"))
            .await
            .expect("start"),
        "a confirmed factor is never replaced by a new set-up"
    );
    assert_eq!(
        s.second_factor(&user)
            .await
            .expect("read")
            .expect("on")
            .secret,
        "SECONDSECRETAAAAAAAAAAAAAAAAAAAA"
    );
    assert_eq!(
        last_actions(&s, 3).await,
        [
            "user.second_factor_started",
            "user.second_factor_started",
            "user.second_factor_enabled"
        ]
    );
}

async fn each_code_and_recovery_code_is_accepted_once_even_when_requests_race(t: &TestDb) {
    let s = store(t);
    let user = ada(&s).await;
    assert!(
        !s.use_code_step(&user, 5).await.expect("use"),
        "no factor, no code"
    );
    s.start_second_factor(&user, "SECRETAAAAAAAAAAAAAAAAAAAAAAAAAA", &by("ada"))
        .await
        .expect("start");
    assert!(
        !s.use_code_step(&user, 5).await.expect("use"),
        "an unconfirmed factor takes no code"
    );
    let codes = digests(&["aaaa-bbbb-cccc-dddd", "eeee-ffff-gggg-hhhh"]);
    s.confirm_second_factor(
        &user,
        "SECRETAAAAAAAAAAAAAAAAAAAAAAAAAA",
        10,
        &codes,
        &by("ada"),
    )
    .await
    .expect("confirm");
    assert!(
        !s.use_code_step(&user, 10).await.expect("use"),
        "the confirming code is spent"
    );
    assert!(!s.use_code_step(&user, 9).await.expect("use"));
    // Two sign-ins race with the same code: one wins.
    let (a, b) = tokio::join!(s.use_code_step(&user, 11), s.use_code_step(&user, 11));
    assert_eq!(
        [a.expect("a"), b.expect("b")]
            .iter()
            .filter(|x| **x)
            .count(),
        1
    );
    assert!(s.use_code_step(&user, 12).await.expect("use"));

    let digest = recovery_code_digest("AAAA BBBB CCCC DDDD");
    let actor = by("ada");
    let (a, b) = tokio::join!(
        s.use_recovery_code(&user, &digest, &actor),
        s.use_recovery_code(&user, &digest, &actor)
    );
    let mut spent = [a.expect("a"), b.expect("b")];
    spent.sort();
    assert_eq!(
        spent,
        [None, Some(1)],
        "one of the two spends it; one code left"
    );
    assert_eq!(
        s.use_recovery_code(
            &user,
            &recovery_code_digest("nope-nope-nope-nope"),
            &by("ada")
        )
        .await
        .expect("use"),
        None
    );
    assert_eq!(
        s.second_factor(&user)
            .await
            .expect("read")
            .expect("on")
            .recovery_codes_left,
        1
    );
    assert_eq!(last_actions(&s, 1).await, ["user.recovery_code_used"]);
}

async fn a_reset_password_or_turning_it_off_removes_it_and_ends_sessions(t: &TestDb) {
    let s = store(t);
    let user = ada(&s).await;
    let on = |s: SharedStore, user: UserId| async move {
        s.start_second_factor(&user, "SECRETAAAAAAAAAAAAAAAAAAAAAAAAAA", &by("ada"))
            .await
            .expect("start");
        let codes = digests(&["aaaa-bbbb-cccc-dddd"]);
        s.confirm_second_factor(
            &user,
            "SECRETAAAAAAAAAAAAAAAAAAAAAAAAAA",
            1,
            &codes,
            &by("ada"),
        )
        .await
        .expect("confirm");
    };
    on(s.clone(), user.clone()).await;
    // A password the person chose keeps it.
    s.set_password(&user, "$argon2id$y", PasswordKind::Chosen, &by("ada"))
        .await
        .expect("password");
    assert!(s.second_factor(&user).await.expect("read").is_some());
    // An admin's reset removes it, with its recovery codes.
    s.set_password(&user, "$argon2id$z", PasswordKind::Temporary, &by("admin"))
        .await
        .expect("reset");
    assert!(s.second_factor(&user).await.expect("read").is_none());
    let recovery = t.scalar("select count(*) from recovery_codes").await;
    assert_eq!(recovery, 0);
    let reset = s.recent_events(1).await.expect("events");
    assert_eq!(reset[0].action, "user.password_set");
    assert!(
        reset[0].details.contains("\"second_factor_removed\":true"),
        "{}",
        reset[0].details
    );

    on(s.clone(), user.clone()).await;
    let before = epoch(&s, &user).await;
    let after = s
        .remove_second_factor(&user, &by("ada"))
        .await
        .expect("remove");
    assert_eq!(after, before + 1);
    assert!(s.second_factor(&user).await.expect("read").is_none());
    assert!(
        !s.credentials(&user)
            .await
            .expect("read")
            .expect("exists")
            .second_factor
    );
    assert_eq!(last_actions(&s, 1).await, ["user.second_factor_removed"]);
    let nobody = UserId("00000000-0000-0000-0000-000000000000".into());
    assert!(matches!(
        s.remove_second_factor(&nobody, &by("x")).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.start_second_factor(&nobody, "SECRETAAAAAAAAAAAAAAAAAAAAAAAAAA", &by("x"))
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn the_required_setting_is_read_with_every_session_account(t: &TestDb) {
    let s = store(t);
    let user = ada(&s).await;
    assert!(!s.second_factor_required().await.expect("read"));
    let account = s
        .session_account(&user)
        .await
        .expect("read")
        .expect("exists");
    assert!(!account.second_factor_required);
    s.set_second_factor_required(true, &by("admin"))
        .await
        .expect("set");
    assert!(s.second_factor_required().await.expect("read"));
    let account = s
        .session_account(&user)
        .await
        .expect("read")
        .expect("exists");
    assert!(account.second_factor_required);
    assert!(s
        .all_accounts()
        .await
        .expect("read")
        .iter()
        .all(|a| a.second_factor_required));
    s.set_second_factor_required(false, &by("admin"))
        .await
        .expect("set");
    assert!(!s.second_factor_required().await.expect("read"));
    let events = s.recent_events(2).await.expect("events");
    assert!(events
        .iter()
        .all(|e| e.action == "setting.change" && e.entity == "second_factor_required"));
}

on_both_backends!(
    an_enrolment_is_replaced_until_confirmed_and_then_asks_at_sign_in,
    each_code_and_recovery_code_is_accepted_once_even_when_requests_race,
    a_reset_password_or_turning_it_off_removes_it_and_ends_sessions,
    the_required_setting_is_read_with_every_session_account
);
