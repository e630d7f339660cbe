//! Background verifications of the audit chain as rows every server shares, on both backends:
//! one running per person (asking again follows it), a cap on how many run at once (also when
//! asked concurrently), a stopped server's verification frees its place once its lease runs
//! out, and finished ones are read back and forgotten after a while.

use crate::on_both_backends;
use crate::support::TestDb;
use app::ports::{VerificationStart, VerificationStore};
use chrono::{TimeDelta, Utc};

async fn one_running_per_person_and_two_at_once(t: &TestDb) {
    let db = &t.db;
    let now = Utc::now();
    let lease = now + TimeDelta::minutes(2);
    let long_ago = now - TimeDelta::days(1);
    let start = |owner: &'static str| db.start_verification(owner, now, lease, 2, long_ago);
    let VerificationStart::Started(ada) = start("ada").await.expect("start") else {
        panic!("ada starts one");
    };
    assert_eq!(
        start("ada").await.expect("again"),
        VerificationStart::Running(ada),
        "asking again follows the running one"
    );
    let VerificationStart::Started(bo) = start("bo").await.expect("start") else {
        panic!("bo starts one");
    };
    assert_eq!(start("cy").await.expect("busy"), VerificationStart::Busy);

    db.verification_progress(ada, 5_000, lease)
        .await
        .expect("progress");
    let v = db.verification(ada).await.expect("read").expect("found");
    assert_eq!(
        (v.owner.as_str(), v.checked, v.finished.clone()),
        ("ada", 5_000, None)
    );
    db.finish_verification(ada, 7_500, true, "The chain is intact.", now)
        .await
        .expect("finish");
    let v = db.verification(ada).await.expect("read").expect("found");
    assert_eq!(v.checked, 7_500);
    assert_eq!(v.finished, Some((true, "The chain is intact.".to_string())));
    // A finished verification frees its place.
    assert!(matches!(
        start("cy").await.expect("room"),
        VerificationStart::Started(_)
    ));

    // bo's server stopped: once the lease ran out, the place is free again.
    let later = lease + TimeDelta::seconds(1);
    let again = db
        .start_verification("dee", later, later + TimeDelta::minutes(2), 3, long_ago)
        .await
        .expect("start");
    assert!(matches!(again, VerificationStart::Started(_)), "{again:?}");
    let stale = db.verification(bo).await.expect("read").expect("found");
    assert!(stale.finished.is_none() && stale.lease_until < later);

    // Finished ones older than the cut are forgotten at the next start.
    let next_day = now + TimeDelta::days(2);
    db.start_verification(
        "eve",
        next_day,
        next_day + TimeDelta::minutes(2),
        2,
        now + TimeDelta::seconds(1),
    )
    .await
    .expect("start");
    assert_eq!(db.verification(ada).await.expect("read"), None);
}

async fn concurrent_starts_never_pass_the_limit(t: &TestDb) {
    let now = Utc::now();
    let lease = now + TimeDelta::minutes(2);
    let starts: Vec<_> = (0..12)
        .map(|n| {
            let db = t.db.clone();
            tokio::spawn(async move {
                db.start_verification(&format!("person {n}"), now, lease, 2, now)
                    .await
                    .expect("start")
            })
        })
        .collect();
    let mut started = 0;
    for s in starts {
        if matches!(s.await.expect("task"), VerificationStart::Started(_)) {
            started += 1;
        }
    }
    assert_eq!(started, 2, "exactly the limit starts");
}

on_both_backends!(
    one_running_per_person_and_two_at_once,
    concurrent_starts_never_pass_the_limit
);
