//! Issue 16, kiosk → base over real HTTP on 127.0.0.1: seat requests (asked, moved,
//! cancelled) and boardings leave the kiosk's outbox, the base counts them as the kiosk
//! does, and a resend after lost acknowledgements is a duplicate that changes no figure.

mod common;

use common::draft;
use jobfair_base::store::TransportCount;
use jobfair_base::{self as base, BaseServer};
use jobfair_kiosk::app::transport::{BoardOutcome, Source};
use jobfair_kiosk::app::{Kiosk, KioskOptions};
use jobfair_kiosk::store::{Store, outbox};
use jobfair_kiosk::sync::{HttpTransport, Timeouts, upload_pending};
use std::path::Path;

fn upload(dir: &Path, t: &HttpTransport) -> jobfair_kiosk::sync::Tally {
    let mut store = Store::open(dir).unwrap();
    let pass = upload_pending(&mut store, t, 500, |_| true);
    assert!(pass.failure.is_none(), "{:?}", pass.failure);
    pass.tally
}

fn base_counts(base_dir: &Path) -> Vec<TransportCount> {
    base::block_on(async {
        let store = base::Database::Sqlite {
            data_dir: base_dir.to_path_buf(),
        }
        .open()
        .await
        .unwrap();
        store.transport_counts().await.unwrap()
    })
}

#[test]
fn seats_and_boardings_reach_the_base_and_are_counted_as_the_kiosk_counts_them() {
    let base_dir = tempfile::tempdir().unwrap();
    let token = base::add_kiosk(base_dir.path(), "kiosk-door").unwrap();
    common::publish_demo_fair(base_dir.path());
    let seal_key = common::base_seal_key(base_dir.path());
    let server = BaseServer::spawn_for_tests(base_dir.path()).unwrap();
    let t = HttpTransport::new(&server.url(), &token, Timeouts::default()).unwrap();

    let dir = tempfile::tempdir().unwrap();
    common::seal_to_base(dir.path(), &seal_key);
    let mut kiosk = Kiosk::open(&KioskOptions {
        data_dir: dir.path().to_path_buf(),
        kiosk_id: Some("kiosk-door".into()),
    })
    .unwrap();
    common::unlock(&mut kiosk);
    let (bus, other) = ("bus-jiabang-1", "bus-gaozeng-1");
    let employer = kiosk.fair().employers[0].id.clone();
    let mut people = Vec::new();
    for n in 1..=5 {
        let issued = kiosk.register(&draft(&kiosk, n)).unwrap();
        people.push((issued.registration_id, issued.ticket));
    }
    for (i, (id, _)) in people.iter().enumerate() {
        let source = if i == 0 {
            Source::Booth(1)
        } else {
            Source::Kiosk
        };
        let named = (i == 0).then_some(employer.as_str());
        kiosk.request_seat(*id, bus, named, source).unwrap();
    }
    kiosk.move_seat(people[3].0, other).unwrap();
    kiosk.cancel_seat(people[4].0, Source::Staff).unwrap();
    for (id, ticket) in &people[..2] {
        let boarded = kiosk.board(bus, ticket).unwrap();
        assert!(
            matches!(&boarded, BoardOutcome::Boarded { passenger, first: true, .. } if passenger.registration_id == *id),
            "{boarded:?}"
        );
    }

    let tally = upload(dir.path(), &t);
    // 5 sign-ups, 5 requests, 1 move, 1 cancellation, 2 boardings.
    assert_eq!((tally.accepted, tally.rejected, tally.conflict), (14, 0, 0));
    let status = kiosk.transport_status().unwrap();
    let on = |d: &str| status.iter().find(|s| s.departure == d).unwrap().clone();
    let counted = base_counts(base_dir.path());
    let fair = kiosk.fair().fair.id.clone();
    let row = |dep: &str, emp: Option<&str>, n: [u64; 4]| TransportCount {
        fair_id: fair.clone(),
        departure_id: Some(dep.into()),
        employer: emp.map(Into::into),
        requested: n[0],
        assigned: n[1],
        waitlisted: n[2],
        boarded: n[3],
    };
    assert_eq!(
        counted,
        [
            row(other, None, [1, 1, 0, 0]),
            row(bus, None, [2, 2, 0, 1]),
            row(bus, Some(&employer), [1, 1, 0, 1]),
        ]
    );
    for dep in [bus, other] {
        let (assigned, boarded): (u64, u64) = counted
            .iter()
            .filter(|c| c.departure_id.as_deref() == Some(dep))
            .fold((0, 0), |(a, b), c| (a + c.assigned, b + c.boarded));
        assert_eq!(
            (assigned, boarded),
            (u64::from(on(dep).assigned), u64::from(on(dep).boarded)),
            "{dep}: the base counts what the kiosk shows"
        );
    }

    // Acknowledgements lost: everything is sent again and answered duplicate.
    Store::open(dir.path())
        .unwrap()
        .conn()
        .execute(
            "UPDATE outbox SET state = 'pending', outcome = NULL, sent_at = NULL",
            [],
        )
        .unwrap();
    let again = upload(dir.path(), &t);
    assert_eq!((again.accepted, again.duplicate), (0, 14));
    assert_eq!(base_counts(base_dir.path()), counted);
    let c = outbox::counts(Store::open(dir.path()).unwrap().conn()).unwrap();
    assert_eq!((c.sent, c.pending, c.parked), (14, 0, 0));
}
