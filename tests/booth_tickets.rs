//! Booths reading tickets: tampering, other fairs, consent, stages and their history, the
//! booth PIN lockout, kits for other devices, and check-in at the kiosk's home screen.

mod common;

use chrono::{Duration, Local, TimeZone, Utc};
use common::{draft, open_kiosk};
use jobfair_kiosk::app::booth::ScanOutcome;
use jobfair_kiosk::app::check_in::CheckIn;
use jobfair_kiosk::app::kit::{KitRole, install_kit};
use jobfair_kiosk::app::{Error, Kiosk, KioskOptions, PinCheck};
use jobfair_kiosk::domain::stage::Stage;
use jobfair_kiosk::domain::ticket::{self, TicketError};
use rusqlite::Connection;

/// A kiosk with one sign-up (openings 101 and 102 of employer "baichuan") and its ticket.
fn kiosk_with_ticket(dir: &std::path::Path) -> (Kiosk, String) {
    let mut kiosk = open_kiosk(dir);
    let issued = kiosk.register(&draft(&kiosk, 1)).unwrap();
    (kiosk, issued.ticket)
}

fn db(dir: &std::path::Path) -> Connection {
    Connection::open(dir.join("kiosk.db")).unwrap()
}

fn count(dir: &std::path::Path, sql: &str) -> i64 {
    db(dir).query_row(sql, [], |r| r.get(0)).unwrap()
}

/// xorshift64: a small deterministic PRNG, enough to pick positions and bytes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn ten_thousand_single_byte_mutations_of_a_valid_ticket_are_all_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let (kiosk, valid) = kiosk_with_ticket(dir.path());
    let keys = kiosk.keys().verifier();
    let fair_id = kiosk.fair().fair.id.clone();
    assert!(ticket::verify(&keys, &fair_id, &valid).is_ok());
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let mut tried = 0;
    while tried < 10_000 {
        let mut bytes = valid.clone().into_bytes();
        let at = (rng.next() % bytes.len() as u64) as usize;
        let new = (rng.next() % 256) as u8;
        if new == bytes[at] {
            continue;
        }
        bytes[at] = new;
        let mutated = String::from_utf8_lossy(&bytes).into_owned();
        // Letter case is not part of a ticket (scanners may send lower case): 'A' → 'a' is
        // the same ticket, not a mutation.
        if mutated.to_ascii_uppercase() == valid {
            continue;
        }
        tried += 1;
        let result = ticket::verify(&keys, &fair_id, &mutated);
        assert!(result.is_err(), "mutation at {at} to {new:#04x} accepted");
    }
}

#[test]
fn a_tampered_ticket_is_invalid_at_the_booth_and_at_check_in() {
    let dir = tempfile::tempdir().unwrap();
    let (mut kiosk, valid) = kiosk_with_ticket(dir.path());
    let booth = kiosk.add_booth("baichuan").unwrap().booth.id;
    let mut tampered = valid.into_bytes();
    let last = tampered.len() - 10;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    assert_eq!(
        kiosk.booth_scan(booth, &tampered).unwrap(),
        ScanOutcome::Invalid
    );
    assert_eq!(
        kiosk.booth_scan(booth, "hello").unwrap(),
        ScanOutcome::Invalid
    );
    assert_eq!(kiosk.check_in(&tampered).unwrap(), CheckIn::Invalid);
    assert_eq!(
        count(dir.path(), "SELECT count(*) FROM booth_candidates"),
        0
    );
    assert_eq!(count(dir.path(), "SELECT count(*) FROM check_ins"), 0);
}

#[test]
fn a_valid_ticket_of_another_fair_says_so() {
    let other_dir = tempfile::tempdir().unwrap();
    let mut other = open_kiosk(other_dir.path());
    let mut json: serde_json::Value =
        serde_json::from_str(jobfair_kiosk::app::kiosk::DEMO_FAIR_JSON).unwrap();
    json["fair"]["id"] = "another-fair-2027".into();
    let file = other_dir.path().join("other.json");
    std::fs::write(&file, json.to_string()).unwrap();
    other.import_openings(&file).unwrap();
    assert_eq!(other.fair().fair.id, "another-fair-2027");
    let foreign = other.register(&draft(&other, 2)).unwrap().ticket;

    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(dir.path());
    let booth = kiosk.add_booth("baichuan").unwrap().booth.id;
    assert_eq!(
        ticket::verify(&kiosk.keys().verifier(), &kiosk.fair().fair.id, &foreign),
        Err(TicketError::OtherFair)
    );
    assert_eq!(
        kiosk.booth_scan(booth, &foreign).unwrap(),
        ScanOutcome::OtherFair
    );
    assert_eq!(kiosk.check_in(&foreign).unwrap(), CheckIn::OtherFair);
}

#[test]
fn a_booth_of_an_employer_not_chosen_sees_no_personal_details() {
    let dir = tempfile::tempdir().unwrap();
    let (mut kiosk, ticket) = kiosk_with_ticket(dir.path());
    let chosen = kiosk.add_booth("baichuan").unwrap().booth.id;
    let other = kiosk.add_booth("bocheng").unwrap().booth.id;
    assert_eq!(
        kiosk.booth_scan(other, &ticket).unwrap(),
        ScanOutcome::NotShared
    );
    assert_eq!(
        count(dir.path(), "SELECT count(*) FROM booth_candidates"),
        0,
        "nothing about the villager is kept for that booth"
    );
    let ScanOutcome::Candidate(c) = kiosk.booth_scan(chosen, &ticket).unwrap() else {
        panic!("the chosen employer's booth reads the card");
    };
    assert_eq!(c.card.name, "测试村民");
    assert_eq!(
        c.card.phone.as_deref(),
        Some("13900000001"),
        "shared by consent"
    );
    let ids: Vec<u16> = c.openings.iter().map(|o| o.opening_id).collect();
    assert_eq!(ids, vec![101, 102]);
    assert!(c.openings.iter().all(|o| o.stage.is_none()));
}

#[test]
fn stages_are_idempotent_and_every_change_is_a_history_row_and_an_outbox_record() {
    let dir = tempfile::tempdir().unwrap();
    let (mut kiosk, ticket) = kiosk_with_ticket(dir.path());
    let booth = kiosk
        .add_booth("永康市柏川园林机械有限公司")
        .unwrap()
        .booth
        .id;
    let ScanOutcome::Candidate(c) = kiosk.booth_scan(booth, &ticket).unwrap() else {
        panic!("card expected");
    };
    let reg = c.registration_id;
    let outbox_before = count(
        dir.path(),
        "SELECT count(*) FROM outbox WHERE kind = 'stage'",
    );
    assert_eq!(outbox_before, 0);
    assert!(
        kiosk
            .record_stage(booth, reg, 101, Stage::Interested, "")
            .unwrap()
    );
    assert!(
        !kiosk
            .record_stage(booth, reg, 101, Stage::Interested, "")
            .unwrap(),
        "same stage again: no-op"
    );
    assert!(
        kiosk
            .record_stage(booth, reg, 101, Stage::Interviewed, "会电焊")
            .unwrap()
    );
    assert!(
        !kiosk
            .record_stage(booth, reg, 101, Stage::Interviewed, "会电焊")
            .unwrap()
    );
    assert!(
        matches!(
            kiosk.record_stage(booth, reg, 102, Stage::Declined, &"长".repeat(61)),
            Err(Error::NoteTooLong { max: 60 })
        ),
        "a note over 60 characters is refused, not cut"
    );
    assert!(
        kiosk
            .record_stage(booth, reg, 102, Stage::Declined, &"长".repeat(60))
            .unwrap()
    );
    assert!(
        matches!(
            kiosk.record_stage(booth, reg, 104, Stage::Hired, ""),
            Err(Error::BadOpenings)
        ),
        "an opening of another employer is refused"
    );
    assert_eq!(count(dir.path(), "SELECT count(*) FROM stage_events"), 3);
    assert_eq!(
        count(
            dir.path(),
            "SELECT count(*) FROM outbox WHERE kind = 'stage'"
        ),
        3
    );
    assert_eq!(
        count(
            dir.path(),
            "SELECT count(*) FROM outbox o JOIN stage_events s ON s.id = o.id"
        ),
        3,
        "each history row has its outbox record under the same id"
    );
    let note: String = db(dir.path())
        .query_row(
            "SELECT note FROM stage_events WHERE opening_id = 102",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(note.chars().count(), 60);
    let payload: String = db(dir.path())
        .query_row(
            "SELECT payload FROM outbox WHERE kind = 'stage' ORDER BY seq LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let record: serde_json::Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(record["stage"], "interested");
    assert_eq!(record["employer"], "baichuan");
    assert_eq!(record["registration_id"], reg.to_string());

    // Scanning again shows the current stages.
    let ScanOutcome::Candidate(again) = kiosk.booth_scan(booth, &ticket).unwrap() else {
        panic!("card expected");
    };
    let stages: Vec<_> = again
        .openings
        .iter()
        .map(|o| (o.opening_id, o.stage))
        .collect();
    assert_eq!(
        stages,
        vec![
            (101, Some(Stage::Interviewed)),
            (102, Some(Stage::Declined))
        ]
    );
    let today = kiosk.booth_candidates_today(booth).unwrap();
    assert_eq!(today.len(), 1);
    assert_eq!(today[0].openings[0].note, "会电焊");
}

#[test]
fn todays_candidates_are_listed_latest_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(dir.path());
    let booth = kiosk.add_booth("baichuan").unwrap().booth.id;
    // An injected clock: one scan a second, all on one local day (no sleeping).
    let morning = Local
        .with_ymd_and_hms(2027, 2, 15, 9, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    let mut names = Vec::new();
    for n in 1..=3 {
        let mut d = draft(&kiosk, n);
        d.name = format!("村民{}", ["甲", "乙", "丙"][n as usize - 1]);
        let t = kiosk.register(&d).unwrap().ticket;
        let at = morning + Duration::seconds(i64::from(n));
        kiosk.booth_scan_at(booth, &t, at).unwrap();
        names.push(d.name);
    }
    let listed: Vec<_> = kiosk
        .booth_candidates_on_day_of(booth, morning + Duration::minutes(1))
        .unwrap()
        .into_iter()
        .map(|c| c.card.name)
        .collect();
    names.reverse();
    assert_eq!(listed, names);
}

#[test]
fn five_wrong_booth_pins_lock_the_booth_for_five_minutes_even_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(dir.path());
    let added = kiosk.add_booth("baichuan").unwrap();
    let (booth, pin) = (added.booth.id, added.pin);
    assert_eq!(pin.len(), 6);
    assert!(pin.bytes().all(|b| b.is_ascii_digit()));
    let wrong = if pin == "000000" { "111111" } else { "000000" };
    let t0 = Utc::now();
    assert_eq!(kiosk.booth_login_at(booth, &pin, t0).unwrap(), PinCheck::Ok);
    for remaining in (1..=4).rev() {
        assert_eq!(
            kiosk.booth_login_at(booth, wrong, t0).unwrap(),
            PinCheck::Wrong { remaining }
        );
    }
    assert!(matches!(
        kiosk.booth_login_at(booth, wrong, t0).unwrap(),
        PinCheck::Locked { .. }
    ));
    drop(kiosk);
    let mut kiosk = open_kiosk(dir.path());
    assert!(
        matches!(
            kiosk
                .booth_login_at(booth, &pin, t0 + Duration::seconds(299))
                .unwrap(),
            PinCheck::Locked { .. }
        ),
        "the right PIN is refused while locked, after a restart too"
    );
    assert_eq!(
        kiosk
            .booth_login_at(booth, &pin, t0 + Duration::seconds(301))
            .unwrap(),
        PinCheck::Ok
    );
    let stored: String = db(dir.path())
        .query_row("SELECT pin_hash FROM booths WHERE id = ?1", [booth], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(stored.starts_with("$argon2") && !stored.contains(&pin));
}

#[test]
fn a_booth_needs_an_employer_of_the_fair_and_only_one_per_employer() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(dir.path());
    assert!(matches!(
        kiosk.add_booth("no-such-company"),
        Err(Error::UnknownEmployer(_))
    ));
    kiosk.add_booth("baichuan").unwrap();
    assert!(matches!(
        kiosk.add_booth("baichuan"),
        Err(Error::BoothExists { .. })
    ));
    assert_eq!(kiosk.booths().unwrap().len(), 1);
}

#[test]
fn a_booth_kit_sets_up_a_device_that_reads_the_kiosks_tickets_but_cannot_register() {
    let dir = tempfile::tempdir().unwrap();
    let (mut kiosk, ticket) = kiosk_with_ticket(dir.path());
    kiosk.add_booth("baichuan").unwrap();
    let kits = tempfile::tempdir().unwrap();
    let booth_kit = kits.path().join("booth.json");
    let kiosk_kit = kits.path().join("kiosk.json");
    kiosk.write_kit(KitRole::Booth, &booth_kit).unwrap();
    kiosk.write_kit(KitRole::Kiosk, &kiosk_kit).unwrap();
    assert_eq!(common::mode(&booth_kit), 0o600);
    assert_eq!(common::mode(&kiosk_kit), 0o600);
    let signing_hex: String = kiosk.keys().signing().unwrap().to_bytes()[..32]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(
        !std::fs::read_to_string(&booth_kit)
            .unwrap()
            .contains(&signing_hex)
    );
    assert!(
        std::fs::read_to_string(&kiosk_kit)
            .unwrap()
            .contains(&signing_hex)
    );

    // A fresh booth device.
    let device = tempfile::tempdir().unwrap();
    install_kit(device.path(), &booth_kit).unwrap();
    let mut booth_dev = Kiosk::open(&KioskOptions::new(device.path())).unwrap();
    assert!(booth_dev.is_booth_only());
    assert_eq!(booth_dev.fair().fair.id, kiosk.fair().fair.id);
    assert!(
        !device
            .path()
            .join("keys")
            .join(format!("{}.key", kiosk.fair().fair.id))
            .exists()
    );
    assert!(matches!(
        booth_dev.register(&draft(&booth_dev, 9)),
        Err(Error::BoothOnlyDevice)
    ));
    assert!(matches!(
        booth_dev.write_kit(KitRole::Kiosk, &kits.path().join("x.json")),
        Err(Error::BoothOnlyDevice)
    ));
    let booth = booth_dev.add_booth("baichuan").unwrap().booth.id;
    let ScanOutcome::Candidate(c) = booth_dev.booth_scan(booth, &ticket).unwrap() else {
        panic!("the booth device reads the kiosk's ticket");
    };
    assert_eq!(c.card.name, "测试村民");
    assert!(!booth_dev.booth_short_codes_available());
    assert!(matches!(
        booth_dev.check_in(&ticket).unwrap(),
        CheckIn::Done { .. }
    ));

    // A second registration kiosk issues tickets the first one reads.
    let second = tempfile::tempdir().unwrap();
    install_kit(second.path(), &kiosk_kit).unwrap();
    let mut kiosk2 = open_kiosk(second.path());
    assert!(!kiosk2.is_booth_only());
    let t2 = kiosk2.register(&draft(&kiosk2, 5)).unwrap().ticket;
    let first_booth = kiosk.booths().unwrap()[0].id;
    assert!(matches!(
        kiosk.booth_scan(first_booth, &t2).unwrap(),
        ScanOutcome::Candidate(_)
    ));

    // A kit of other keys for the same fair is refused: printed tickets must stay readable.
    let stranger = tempfile::tempdir().unwrap();
    let stranger_kiosk = open_kiosk(stranger.path());
    let wrong_kit = kits.path().join("wrong.json");
    stranger_kiosk
        .write_kit(KitRole::Kiosk, &wrong_kit)
        .unwrap();
    assert!(install_kit(device.path(), &wrong_kit).is_err());
    assert!(
        install_kit(device.path(), &booth_kit).is_ok(),
        "the same kit again is fine"
    );
}

#[test]
fn a_ticket_checks_the_villager_in_once_and_then_says_already() {
    let dir = tempfile::tempdir().unwrap();
    let (mut kiosk, ticket) = kiosk_with_ticket(dir.path());
    let t0 = Utc::now();
    let CheckIn::Done { name, at } = kiosk.check_in_at(&ticket, t0).unwrap() else {
        panic!("first scan checks in");
    };
    assert_eq!((name.as_str(), at), ("测试村民", t0));
    let later = t0 + Duration::minutes(30);
    let CheckIn::AlreadyCheckedIn { at, .. } =
        kiosk.check_in_at(&ticket.to_lowercase(), later).unwrap()
    else {
        panic!("second scan is a no-op");
    };
    assert_eq!(
        at.timestamp_millis(),
        t0.timestamp_millis(),
        "the first time is kept"
    );
    assert_eq!(count(dir.path(), "SELECT count(*) FROM check_ins"), 1);
    assert_eq!(
        count(
            dir.path(),
            "SELECT count(*) FROM outbox WHERE kind = 'check_in'"
        ),
        1
    );
    assert_eq!(
        count(
            dir.path(),
            "SELECT count(*) FROM outbox o JOIN check_ins c ON c.id = o.id"
        ),
        1
    );
    assert_eq!(kiosk.check_in_count().unwrap(), 1);
}
