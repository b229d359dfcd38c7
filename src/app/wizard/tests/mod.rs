//! The wizard driven through every path without any UI, against a real kiosk (SQLite in
//! a temporary directory, the embedded demo fair). Synthetic data only.

mod duplicate;
mod entry_rules;
mod list_path;
mod paths;
mod ride;

use super::{Key, Step, Wizard};
use crate::app::{Kiosk, KioskOptions};
use crate::domain::resident_id::{ResidentId, synthesize};
use chrono::NaiveDate;

/// A kiosk on a fresh data dir (kept alive by the returned guard).
pub(super) fn kiosk() -> (Kiosk, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut kiosk = Kiosk::open(&KioskOptions {
        data_dir: dir.path().to_path_buf(),
        kiosk_id: Some("kiosk-wizard01".into()),
    })
    .unwrap();
    kiosk.unlock_for_tests();
    (kiosk, dir)
}

/// Synthetic phone `n` (11 digits, `139…`).
pub(super) fn phone(n: u32) -> String {
    format!("139{n:08}")
}

/// Synthetic resident ID `n`, born 1990-03-01 plus `n` days.
pub(super) fn rid(n: u32) -> ResidentId {
    let birth = NaiveDate::from_ymd_opt(1990, 3, 1).unwrap() + chrono::Days::new(u64::from(n));
    synthesize("520000", birth, (n % 900) as u16 + 1)
}

/// Types `text` key by key on the phone keypad.
pub(super) fn keypad_phone(w: &mut Wizard, k: &mut Kiosk, text: &str) -> Step {
    let mut step = w.step();
    for c in text.chars() {
        step = w.key_phone(k, Key::Char(c));
    }
    step
}

/// Types `text` key by key on the ID keypad.
pub(super) fn keypad_id(w: &mut Wizard, text: &str) -> Step {
    let mut step = w.step();
    for c in text.chars() {
        step = w.key_id(Key::Char(c));
    }
    step
}

/// The first township and village of the fair's county.
pub(super) fn first_place(k: &Kiosk) -> (String, String) {
    let t = &k.fair().places[0].townships[0];
    (t.name.clone(), t.villages[0].clone())
}

/// Consent (with or without the ID) to the choose step, by the keypads and pick lists.
pub(super) fn walk_to_choose(
    w: &mut Wizard,
    k: &mut Kiosk,
    n: u32,
    with_id: bool,
    name: &str,
) -> Step {
    assert_eq!(w.accept_consent(k, with_id, false), Step::Phone);
    let next = keypad_phone(w, k, &phone(n));
    if with_id {
        assert_eq!(next, Step::ResidentId, "11 digits go on by themselves");
        keypad_id(w, rid(n).as_str());
        assert!(w.id_confirming(), "18 characters are checked at once");
        assert_eq!(w.confirm_id(k), Step::Name);
    } else {
        assert_eq!(next, Step::Name, "no ID consent: the ID step is skipped");
    }
    w.type_name(name);
    assert_eq!(w.submit_name(), Step::Place);
    let (township, village) = first_place(k);
    w.pick_township(&township);
    let step = w.pick_village(&village);
    assert_eq!(
        step,
        Step::Choose,
        "a village picked from the list completes the place"
    );
    step
}

/// A whole registration; returns the wizard on the ticket step.
pub(super) fn register(k: &mut Kiosk, n: u32, with_id: bool, openings: &[u16]) -> Wizard {
    let mut w = Wizard::start(k.fair(), None);
    walk_to_choose(&mut w, k, n, with_id, "张伟");
    let fair = k.fair().clone();
    for &o in openings {
        w.toggle_opening(&fair, o);
    }
    to_review(&mut w);
    assert_eq!(w.confirm(k), Step::Ticket, "{:?}", w.take_failure());
    w
}

/// "Next" on the openings, then "No thanks" on the ride step (every demo employer is in
/// Yongkang, which has departures): the review.
pub(super) fn to_review(w: &mut Wizard) -> Step {
    assert_eq!(w.submit_choices(), Step::Ride);
    assert_eq!(w.decline_ride(), Step::Review);
    Step::Review
}

/// The first `n` opening ids of the fair.
pub(super) fn first_openings(k: &Kiosk, n: usize) -> Vec<u16> {
    k.fair().openings.iter().take(n).map(|o| o.id).collect()
}

pub(super) fn count_rows(k: &Kiosk) -> i64 {
    k.store()
        .conn()
        .query_row("SELECT count(*) FROM registrations", [], |r| r.get(0))
        .unwrap()
}
