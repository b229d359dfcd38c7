//! Registering, duplicates, the re-issue path, tickets and key files, against real
//! SQLite files in temporary directories.

mod common;

use common::{draft, mode, open_kiosk, openings, phone, resident_id};
use jobfair_kiosk::app::{Error, FoundBy, keys};
use jobfair_kiosk::domain::sex::Sex;
use jobfair_kiosk::domain::ticket;
use jobfair_kiosk::store::registrations;

#[test]
fn registering_stores_every_field_in_a_private_file() {
    let parent = tempfile::tempdir().unwrap();
    let data_dir = parent.path().join("new").join("data");
    let mut kiosk = open_kiosk(&data_dir);
    let d = draft(&kiosk, 7);
    let issued = kiosk.register(&d).unwrap();
    assert!(issued.created);
    assert_eq!(issued.registration_id.get_version_num(), 7, "UUID v7");
    assert_eq!(issued.short_code.len(), 8);

    let row = registrations::get(kiosk.store().conn(), issued.registration_id)
        .unwrap()
        .expect("row present");
    assert_eq!(row.fair_id, kiosk.fair().fair.id);
    assert_eq!(row.short_code, issued.short_code);
    assert_eq!(row.kiosk_id, "kiosk-test0001");
    assert_eq!(row.created_at, row.updated_at);
    assert!((chrono::Utc::now() - row.created_at).num_seconds().abs() < 60);
    assert_eq!(row.name, "测试村民");
    let sealed = row.numbers.sealed().expect("sealed");
    assert_eq!(sealed.phone_masked, d.phone.masked());
    assert_eq!(sealed.resident_id_masked, Some(resident_id(7).masked()));
    assert_eq!(sealed.phone_blind.len(), 32);
    let whole = kiosk.numbers_of(issued.registration_id).unwrap();
    assert_eq!(whole.phone, d.phone.as_str());
    assert_eq!(whole.resident_id.as_deref(), Some(resident_id(7).as_str()));
    assert_eq!(row.birth_date, Some(resident_id(7).birth_date()));
    assert_eq!(row.sex, Some(Sex::Male), "sequence 007 is odd");
    assert_eq!(row.home, d.home);
    assert_eq!(row.consent, d.consent);
    assert_eq!(row.consent_text_version, 1);
    assert_eq!(row.ticket, issued.ticket);
    assert_eq!(row.openings, d.openings);
    assert_eq!(kiosk.registration_count().unwrap(), 1);

    assert_eq!(mode(&data_dir), 0o700, "a new data dir is private");
    assert_eq!(mode(kiosk.store().path()), 0o600);
    let wal = data_dir.join("kiosk.db-wal");
    assert!(wal.exists(), "WAL mode keeps a -wal file while open");
    assert_eq!(mode(&wal), 0o600);
    assert_eq!(mode(&data_dir.join("kiosk.db-shm")), 0o600);
    assert_eq!(mode(&data_dir.join("config.toml")), 0o600);
}

#[test]
fn the_same_phone_twice_is_already_registered_and_never_a_second_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(dir.path());
    let first = kiosk.register(&draft(&kiosk, 1)).unwrap();
    let mut again = draft(&kiosk, 2);
    again.phone = phone(1);
    match kiosk.register(&again) {
        Err(Error::AlreadyRegistered(existing)) => {
            assert_eq!(existing.registration_id, first.registration_id);
            assert_eq!(existing.phone_last4, &phone(1).as_str()[7..]);
            assert_eq!(existing.openings, openings(&kiosk, 2));
        }
        other => panic!("expected AlreadyRegistered, got {other:?}"),
    }
    assert_eq!(kiosk.registration_count().unwrap(), 1);
}

#[test]
fn the_same_resident_id_with_another_phone_is_already_registered() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(dir.path());
    let first = kiosk.register(&draft(&kiosk, 1)).unwrap();
    let mut again = draft(&kiosk, 2);
    again.resident_id = Some(resident_id(1));
    let err = kiosk.register(&again).unwrap_err();
    assert!(
        matches!(&err, Error::AlreadyRegistered(e) if e.registration_id == first.registration_id),
        "{err:?}"
    );
    assert_eq!(kiosk.registration_count().unwrap(), 1);
}

#[test]
fn lookup_finds_a_sign_up_by_phone_or_by_resident_id() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(dir.path());
    let issued = kiosk.register(&draft(&kiosk, 3)).unwrap();
    let by_phone = kiosk.lookup_existing(&phone(3), None).unwrap().unwrap();
    let by_id = kiosk
        .lookup_existing(&phone(99), Some(&resident_id(3)))
        .unwrap()
        .unwrap();
    assert_eq!(by_phone.registration_id, issued.registration_id);
    assert_eq!(by_id.registration_id, by_phone.registration_id);
    assert_eq!(
        (by_phone.found_by, by_id.found_by),
        (FoundBy::Phone, FoundBy::ResidentId)
    );
    assert_eq!(by_id.resident_id_masked, Some(resident_id(3).masked()));
    assert_eq!(
        kiosk
            .lookup_existing(&phone(4), Some(&resident_id(4)))
            .unwrap(),
        None
    );
}

#[test]
fn a_sign_up_without_a_resident_id_needs_no_id_consent() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(dir.path());
    let mut d = draft(&kiosk, 5);
    d.consent.resident_id = false;
    d.resident_id = None;
    let issued = kiosk.register(&d).unwrap();
    let row = registrations::get(kiosk.store().conn(), issued.registration_id)
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.numbers.resident_id_masked(), row.birth_date, row.sex),
        (None, None, None)
    );
}

#[test]
fn bad_drafts_are_refused_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(dir.path());
    let mut no_consent = draft(&kiosk, 1);
    no_consent.consent.personal_data = false;
    assert!(matches!(
        kiosk.register(&no_consent),
        Err(Error::ConsentRequired)
    ));
    let mut id_without_consent = draft(&kiosk, 1);
    id_without_consent.consent.resident_id = false;
    assert!(matches!(
        kiosk.register(&id_without_consent),
        Err(Error::ResidentIdWithoutConsent)
    ));
    for bad in [vec![], openings(&kiosk, 6), vec![65_000], {
        let o = openings(&kiosk, 1)[0];
        vec![o, o]
    }] {
        let mut d = draft(&kiosk, 1);
        d.openings = bad;
        assert!(matches!(kiosk.register(&d), Err(Error::BadOpenings)));
    }
    assert_eq!(kiosk.registration_count().unwrap(), 0);
}

#[test]
fn reissue_with_the_wrong_last4_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(dir.path());
    let issued = kiosk.register(&draft(&kiosk, 1234)).unwrap(); // phone ends in 1234
    let err = kiosk
        .reissue(issued.registration_id, "4321", &openings(&kiosk, 1))
        .unwrap_err();
    assert!(matches!(err, Error::WrongLast4), "{err:?}");
    assert_eq!(
        kiosk.ticket_for(issued.registration_id).unwrap().ticket,
        issued.ticket
    );
    let row = registrations::get(kiosk.store().conn(), issued.registration_id)
        .unwrap()
        .unwrap();
    assert_eq!(row.openings, openings(&kiosk, 2));
}

#[test]
fn five_wrong_last4_tries_lock_the_sign_up_for_30_minutes_even_across_a_restart() {
    use jobfair_kiosk::app::{LAST4_LOCKOUT_MINUTES, MAX_LAST4_FAILURES};
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let mut kiosk = open_kiosk(dir.path());
        let id = kiosk
            .register(&draft(&kiosk, 5678))
            .unwrap()
            .registration_id;
        let now = chrono::Utc::now();
        for _ in 1..MAX_LAST4_FAILURES {
            let err = kiosk.check_last4_at(id, "0000", now).unwrap_err();
            assert!(matches!(err, Error::WrongLast4), "{err:?}");
        }
        let err = kiosk.check_last4_at(id, "0000", now).unwrap_err();
        assert!(
            matches!(err, Error::TooManyTries),
            "the fifth wrong try locks: {err:?}"
        );
        id
    };
    let mut kiosk = open_kiosk(dir.path());
    let now = chrono::Utc::now();
    let err = kiosk.check_last4_at(id, "5678", now).unwrap_err();
    assert!(
        matches!(err, Error::TooManyTries),
        "locked even for the right digits after a restart"
    );
    let err = kiosk.reissue(id, "5678", &openings(&kiosk, 1)).unwrap_err();
    assert!(
        matches!(err, Error::TooManyTries),
        "reissue is locked too: {err:?}"
    );
    let later = now + chrono::Duration::minutes(LAST4_LOCKOUT_MINUTES + 1);
    kiosk
        .check_last4_at(id, "5678", later)
        .expect("unlocked after 30 minutes");
}

#[test]
fn reissue_with_the_right_last4_replaces_the_openings_and_the_ticket() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(dir.path());
    let issued = kiosk.register(&draft(&kiosk, 1234)).unwrap();
    let chosen: Vec<u16> = openings(&kiosk, 5).into_iter().rev().take(3).collect();
    let again = kiosk
        .reissue(issued.registration_id, "1234", &chosen)
        .unwrap();
    assert!(!again.created);
    assert_eq!(again.registration_id, issued.registration_id);
    assert_eq!(again.short_code, issued.short_code);
    assert_ne!(again.ticket, issued.ticket);
    let row = registrations::get(kiosk.store().conn(), issued.registration_id)
        .unwrap()
        .unwrap();
    assert_eq!(row.openings, chosen);
    assert_eq!(row.ticket, again.ticket);
    assert!(row.updated_at >= row.created_at);
    assert_eq!(kiosk.ticket_for(issued.registration_id).unwrap(), again);
    let verified = ticket::verify(
        &kiosk.keys().verifier(),
        &kiosk.fair().fair.id,
        &again.ticket,
    )
    .unwrap();
    assert_eq!(verified.card.openings, chosen);
    assert_eq!(kiosk.registration_count().unwrap(), 1);
    // Each version of the sign-up is its own upload record, frozen with its hash.
    let records: Vec<(String, String, String)> = {
        let conn = kiosk.store().conn();
        let mut stmt = conn
            .prepare("SELECT kind, payload, sha256 FROM outbox ORDER BY seq")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(records.len(), 2, "the first sign-up and the change");
    for (kind, payload, sha) in &records {
        assert_eq!(kind, "registration");
        assert_eq!(sha, &jobfair_kiosk::store::outbox::payload_sha256(payload));
        let v: serde_json::Value = serde_json::from_str(payload).unwrap();
        assert_eq!(v["registration_id"], issued.registration_id.to_string());
    }
    let last: serde_json::Value = serde_json::from_str(&records[1].1).unwrap();
    let last_openings: Vec<u16> = serde_json::from_value(last["openings"].clone()).unwrap();
    assert_eq!(last_openings, chosen, "the change carries the new openings");
}

#[test]
fn the_ticket_verifies_with_the_fair_keys_and_carries_the_phone_only_when_shared() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(dir.path());
    let shared = kiosk.register(&draft(&kiosk, 1)).unwrap();
    let mut private = draft(&kiosk, 2);
    private.consent.share_phone = false;
    let private = kiosk.register(&private).unwrap();
    let booth = kiosk.keys().verifier();
    let fair_id = kiosk.fair().fair.id.clone();

    let card = ticket::verify(&booth, &fair_id, &shared.ticket).unwrap();
    assert_eq!(card.registration_id, *shared.registration_id.as_bytes());
    assert_eq!(card.card.phone.as_deref(), Some(phone(1).as_str()));
    assert_eq!(card.card.name, "测试村民");
    assert_eq!(card.card.birth_year, Some(1990));
    assert_eq!(card.card.openings, openings(&kiosk, 2));
    let card = ticket::verify(&booth, &fair_id, &private.ticket).unwrap();
    assert_eq!(card.card.phone, None);
    assert_eq!(card.card.sex, Some(Sex::Female), "sequence 002 is even");
}

#[test]
fn the_keys_file_is_private_and_stable_across_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(dir.path());
    let fair_id = kiosk.fair().fair.id.clone();
    let issued = kiosk.register(&draft(&kiosk, 1)).unwrap();
    let path = keys::key_path(dir.path(), &fair_id);
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    drop(kiosk);

    let kiosk = open_kiosk(dir.path());
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    assert!(ticket::verify(&kiosk.keys().verifier(), &fair_id, &issued.ticket).is_ok());
    assert_eq!(
        kiosk.ticket_for(issued.registration_id).unwrap().ticket,
        issued.ticket
    );
}

#[test]
fn a_full_disk_is_reported_and_leaves_no_half_written_sign_up() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(dir.path());
    kiosk.store().limit_pages(1).unwrap(); // capped at the current size
    let mut saved = 0;
    let err = loop {
        match kiosk.register(&draft(&kiosk, saved)) {
            Ok(_) => saved += 1,
            Err(e) => break e,
        }
        assert!(saved < 10_000, "the page cap never filled");
    };
    assert!(matches!(err, Error::DiskFull), "{err:?}");
    assert_eq!(kiosk.registration_count().unwrap(), u64::from(saved));
    let orphans: i64 = kiosk
        .store()
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM registration_openings
             WHERE registration_id NOT IN (SELECT id FROM registrations)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0);
    let queued: i64 = kiosk
        .store()
        .conn()
        .query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        queued,
        i64::from(saved),
        "no upload record without its sign-up"
    );
    assert_eq!(kiosk.store().integrity_check().unwrap(), "ok");
}

/// The birth-date rule of every entry path holds in the use case itself, whatever
/// screen or form made the draft: born after the day of the fair is refused.
#[test]
fn a_sign_up_with_an_id_born_after_the_day_of_the_fair_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(dir.path());
    let fair_date = kiosk.fair().fair.date;
    let mut d = draft(&kiosk, 40);
    d.resident_id = Some(jobfair_kiosk::domain::resident_id::synthesize(
        "520000",
        fair_date.succ_opt().unwrap(),
        40,
    ));
    let refused = kiosk.register(&d);
    assert!(refused.is_err(), "{refused:?}");
    assert!(
        refused
            .unwrap_err()
            .to_string()
            .contains("after the day of the fair"),
        "says why"
    );
    assert_eq!(kiosk.registration_count().unwrap(), 0);
    d.resident_id = Some(jobfair_kiosk::domain::resident_id::synthesize(
        "520000", fair_date, 40,
    ));
    assert!(
        kiosk.register(&d).is_ok(),
        "born on the day of the fair is fine"
    );
}
