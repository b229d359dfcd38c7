//! Staff PIN: argon2 check, lockout after 5 wrong tries kept in the store across
//! restarts, and the pad opening again after 300 s (with an injected clock).

mod common;

use chrono::{DateTime, Duration, Utc};
use common::open_kiosk;
use jobfair_kiosk::app::pin::{LOCKOUT_SECONDS, MAX_FAILURES};
use jobfair_kiosk::app::{Error, PinCheck, set_staff_pin};
use jobfair_kiosk::config::Config;

const PIN: &str = "482916";
const WRONG: &str = "000000";

fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000, 0).unwrap()
}

#[test]
fn without_a_pin_the_pad_answers_not_set() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(dir.path());
    assert_eq!(kiosk.verify_staff_pin(PIN).unwrap(), PinCheck::NotSet);
}

/// `staff set-pin` from another process while the kiosk runs: the running kiosk reads the
/// hash at check time (it used to keep the one it read at start, answering "no PIN set").
#[test]
fn a_pin_set_from_the_command_line_while_the_kiosk_runs_counts_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = open_kiosk(dir.path());
    assert_eq!(kiosk.verify_staff_pin(PIN).unwrap(), PinCheck::NotSet);
    set_staff_pin(dir.path(), PIN).unwrap();
    assert_eq!(kiosk.verify_staff_pin(PIN).unwrap(), PinCheck::Ok);
    set_staff_pin(dir.path(), "7319").unwrap();
    assert!(matches!(
        kiosk.verify_staff_pin(PIN).unwrap(),
        PinCheck::Wrong { .. }
    ));
    assert_eq!(kiosk.verify_staff_pin("7319").unwrap(), PinCheck::Ok);
}

#[test]
fn only_4_to_8_digits_are_accepted_as_a_pin() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["123", "123456789", "12a4", "", " 1234"] {
        assert!(
            matches!(set_staff_pin(dir.path(), bad), Err(Error::BadPin)),
            "{bad:?}"
        );
    }
    set_staff_pin(dir.path(), "1234").unwrap();
    let hash = Config::load_file(dir.path())
        .unwrap()
        .staff_pin_hash
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "a PHC string, not the PIN");
    assert!(
        !std::fs::read_to_string(dir.path().join("config.toml"))
            .unwrap()
            .contains("\"1234\"")
    );
}

#[test]
fn the_right_pin_opens_and_a_wrong_one_counts_down() {
    let dir = tempfile::tempdir().unwrap();
    set_staff_pin(dir.path(), PIN).unwrap();
    let mut kiosk = open_kiosk(dir.path());
    assert_eq!(kiosk.verify_staff_pin_at(PIN, t0()).unwrap(), PinCheck::Ok);
    assert_eq!(
        kiosk.verify_staff_pin_at(WRONG, t0()).unwrap(),
        PinCheck::Wrong {
            remaining: MAX_FAILURES - 1
        }
    );
    assert_eq!(
        kiosk.verify_staff_pin_at(WRONG, t0()).unwrap(),
        PinCheck::Wrong {
            remaining: MAX_FAILURES - 2
        }
    );
}

#[test]
fn a_right_pin_resets_the_count_of_wrong_ones() {
    let dir = tempfile::tempdir().unwrap();
    set_staff_pin(dir.path(), PIN).unwrap();
    let mut kiosk = open_kiosk(dir.path());
    for _ in 0..MAX_FAILURES - 1 {
        kiosk.verify_staff_pin_at(WRONG, t0()).unwrap();
    }
    assert_eq!(kiosk.verify_staff_pin_at(PIN, t0()).unwrap(), PinCheck::Ok);
    assert_eq!(
        kiosk.verify_staff_pin_at(WRONG, t0()).unwrap(),
        PinCheck::Wrong {
            remaining: MAX_FAILURES - 1
        }
    );
}

#[test]
fn five_wrong_pins_lock_the_pad_even_against_the_right_pin_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    set_staff_pin(dir.path(), PIN).unwrap();
    let mut kiosk = open_kiosk(dir.path());
    for _ in 0..MAX_FAILURES - 1 {
        assert!(matches!(
            kiosk.verify_staff_pin_at(WRONG, t0()).unwrap(),
            PinCheck::Wrong { .. }
        ));
    }
    assert_eq!(
        kiosk.verify_staff_pin_at(WRONG, t0()).unwrap(),
        PinCheck::Locked {
            seconds_left: LOCKOUT_SECONDS
        }
    );
    assert_eq!(
        kiosk
            .verify_staff_pin_at(PIN, t0() + Duration::seconds(10))
            .unwrap(),
        PinCheck::Locked {
            seconds_left: LOCKOUT_SECONDS - 10
        }
    );
    drop(kiosk);

    let mut kiosk = open_kiosk(dir.path());
    assert_eq!(
        kiosk
            .verify_staff_pin_at(PIN, t0() + Duration::seconds(299))
            .unwrap(),
        PinCheck::Locked { seconds_left: 1 }
    );
    assert_eq!(
        kiosk
            .verify_staff_pin_at(PIN, t0() + Duration::seconds(LOCKOUT_SECONDS))
            .unwrap(),
        PinCheck::Ok
    );
}

#[test]
fn after_the_lock_ends_a_wrong_pin_starts_a_fresh_count() {
    let dir = tempfile::tempdir().unwrap();
    set_staff_pin(dir.path(), PIN).unwrap();
    let mut kiosk = open_kiosk(dir.path());
    for _ in 0..MAX_FAILURES {
        kiosk.verify_staff_pin_at(WRONG, t0()).unwrap();
    }
    let later = t0() + Duration::seconds(LOCKOUT_SECONDS + 1);
    assert_eq!(
        kiosk.verify_staff_pin_at(WRONG, later).unwrap(),
        PinCheck::Wrong {
            remaining: MAX_FAILURES - 1
        }
    );
}

#[test]
fn setting_a_new_pin_clears_a_lock() {
    let dir = tempfile::tempdir().unwrap();
    set_staff_pin(dir.path(), PIN).unwrap();
    let mut kiosk = open_kiosk(dir.path());
    for _ in 0..MAX_FAILURES {
        kiosk.verify_staff_pin_at(WRONG, t0()).unwrap();
    }
    kiosk.set_staff_pin("2468").unwrap();
    assert_eq!(
        kiosk.verify_staff_pin_at("2468", t0()).unwrap(),
        PinCheck::Ok
    );
}

/// New PINs are hashed at 7 MiB × 5 passes (the keyring's costs; a check then takes 7 MiB, not
/// the crate default's 19 MiB); a PIN hashed before at 19 MiB × 2 still opens the pad, and the
/// right PIN hashes it again at today's costs (staff and booth PINs alike).
#[test]
fn new_pin_hashes_cost_7_mib_and_older_19_mib_hashes_verify_and_are_hashed_again() {
    use argon2::password_hash::PasswordHasher;
    let dir = tempfile::tempdir().unwrap();
    set_staff_pin(dir.path(), PIN).unwrap();
    let hash = Config::load(dir.path()).unwrap().staff_pin_hash.unwrap();
    assert!(hash.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"), "{hash}");
    let old = argon2::Argon2::default()
        .hash_password(PIN.as_bytes())
        .unwrap()
        .to_string();
    assert!(old.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{old}");
    let config = dir.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains(&hash));
    std::fs::write(&config, text.replace(&hash, &old)).unwrap();
    let mut kiosk = open_kiosk(dir.path());
    assert!(matches!(
        kiosk.verify_staff_pin(WRONG).unwrap(),
        PinCheck::Wrong { .. }
    ));
    let stored = || Config::load(dir.path()).unwrap().staff_pin_hash.unwrap();
    assert_eq!(stored(), old, "a wrong PIN changes nothing");
    assert_eq!(kiosk.verify_staff_pin(PIN).unwrap(), PinCheck::Ok);
    // The right PIN was hashed again at today's costs, and still opens.
    let rehashed = stored();
    assert!(
        rehashed.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"),
        "{rehashed}"
    );
    assert_eq!(kiosk.verify_staff_pin(PIN).unwrap(), PinCheck::Ok);
    assert_eq!(stored(), rehashed, "hashed again once");
    assert!(matches!(
        kiosk.verify_staff_pin(WRONG).unwrap(),
        PinCheck::Wrong { .. }
    ));

    // A booth's PIN hashed before at 19 MiB × 2: the right login hashes it again too.
    let employer = kiosk.fair().openings[0].employer.clone();
    let booth = kiosk.add_booth(&employer).unwrap();
    let old_booth = argon2::Argon2::default()
        .hash_password(booth.pin.as_bytes())
        .unwrap()
        .to_string();
    let db = || rusqlite::Connection::open(dir.path().join("kiosk.db")).unwrap();
    let booth_hash = || -> String {
        db().query_row(
            "SELECT pin_hash FROM booths WHERE id = ?1",
            [booth.booth.id],
            |r| r.get(0),
        )
        .unwrap()
    };
    db().execute(
        "UPDATE booths SET pin_hash = ?1 WHERE id = ?2",
        rusqlite::params![old_booth, booth.booth.id],
    )
    .unwrap();
    assert!(matches!(
        kiosk.booth_login(booth.booth.id, "000000").unwrap(),
        PinCheck::Wrong { .. }
    ));
    assert_eq!(booth_hash(), old_booth);
    assert_eq!(
        kiosk.booth_login(booth.booth.id, &booth.pin).unwrap(),
        PinCheck::Ok
    );
    assert!(booth_hash().starts_with("$argon2id$v=19$m=7168,t=5,p=1$"));
    assert_eq!(
        kiosk.booth_login(booth.booth.id, &booth.pin).unwrap(),
        PinCheck::Ok
    );
}
