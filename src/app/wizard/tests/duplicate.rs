//! The duplicate path: an earlier sign-up at this fair with the same phone or ID.

use super::*;
use crate::app::wizard::{Field, FieldError};
use crate::app::{LAST4_LOCKOUT_MINUTES, MAX_LAST4_FAILURES};

/// A second visit that reaches the phone step of a fresh wizard.
fn again(k: &mut Kiosk) -> Wizard {
    let mut w = Wizard::start(k.fair(), None);
    w.accept_consent(k, true, false);
    w
}

#[test]
fn the_same_phone_typed_in_full_needs_no_last_4_and_updates_the_sign_up() {
    let (mut k, _dir) = kiosk();
    let fair = k.fair().clone();
    let first = first_openings(&k, 2);
    register(&mut k, 30, true, &first);
    let mut w = again(&mut k);
    assert_eq!(
        keypad_phone(&mut w, &mut k, &phone(30)),
        Step::Choose,
        "the full number typed just now proves it: no last 4 digits asked"
    );
    assert!(w.returning());
    assert_eq!(w.chosen(), &first[..], "the earlier openings are chosen");
    w.toggle_opening(&fair, first[0]);
    w.toggle_opening(&fair, fair.openings[9].id);
    to_review(&mut w);
    let review = w.review();
    assert_eq!(review.name, "张伟");
    assert_eq!(
        review.resident_id_masked,
        Some(rid(30).masked()),
        "the stored ID, masked"
    );
    assert_eq!(
        review.home.village,
        first_place(&k).1,
        "the whole stored place"
    );
    assert_eq!(review.home.township, first_place(&k).0);
    assert_eq!(w.confirm(&mut k), Step::Ticket);
    let ticket = w.ticket().unwrap();
    assert!(!ticket.issued.created, "updated, not a second sign-up");
    assert_eq!(ticket.openings, vec![first[1], fair.openings[9].id]);
    assert_eq!(count_rows(&k), 1);
}

#[test]
fn the_same_id_with_another_phone_asks_the_last_4_digits_of_the_phone_on_file() {
    let (mut k, _dir) = kiosk();
    let openings = first_openings(&k, 1);
    register(&mut k, 31, true, &openings);
    let mut w = again(&mut k);
    keypad_phone(&mut w, &mut k, &phone(99));
    keypad_id(&mut w, rid(31).as_str());
    assert_eq!(w.confirm_id(&mut k), Step::Duplicate);
    assert_eq!(w.returning_name(), Some("张伟"));
    for c in "0000".chars() {
        w.type_last4(&mut k, &format!("{}{c}", w.entries().last4));
    }
    assert_eq!(w.step(), Step::Duplicate);
    assert_eq!(w.error(Field::Last4), Some(FieldError::WrongLast4));
    assert_eq!(w.entries().last4, "", "the wrong digits are cleared");
    w.type_last4(&mut k, "0");
    assert_eq!(
        w.error(Field::Last4),
        None,
        "typing again clears the message"
    );
    assert_eq!(
        w.type_last4(&mut k, "0031"),
        Step::Choose,
        "4 digits go on at once"
    );
    to_review(&mut w);
    assert_eq!(w.confirm(&mut k), Step::Ticket);
    assert!(!w.ticket().unwrap().issued.created);
    assert_eq!(count_rows(&k), 1);
}

#[test]
fn five_wrong_last_4_tries_lock_the_sign_up() {
    let (mut k, _dir) = kiosk();
    let openings = first_openings(&k, 1);
    register(&mut k, 32, true, &openings);
    let mut w = again(&mut k);
    keypad_phone(&mut w, &mut k, &phone(98));
    keypad_id(&mut w, rid(32).as_str());
    w.confirm_id(&mut k);
    for _ in 0..MAX_LAST4_FAILURES - 1 {
        w.type_last4(&mut k, "1111");
        assert_eq!(w.error(Field::Last4), Some(FieldError::WrongLast4));
    }
    w.type_last4(&mut k, "1111");
    assert_eq!(w.error(Field::Last4), Some(FieldError::TooManyTries));
    w.type_last4(&mut k, "0032");
    assert_eq!(
        w.step(),
        Step::Duplicate,
        "locked for {LAST4_LOCKOUT_MINUTES} minutes"
    );
    assert_eq!(w.error(Field::Last4), Some(FieldError::TooManyTries));
    // A fresh wizard (the villager walked away and came back) is locked too.
    let mut w = again(&mut k);
    keypad_phone(&mut w, &mut k, &phone(97));
    keypad_id(&mut w, rid(32).as_str());
    w.confirm_id(&mut k);
    w.type_last4(&mut k, "0032");
    assert_eq!(w.error(Field::Last4), Some(FieldError::TooManyTries));
}

#[test]
fn back_from_the_duplicate_page_forgets_the_earlier_sign_up() {
    let (mut k, _dir) = kiosk();
    let fair = k.fair().clone();
    let openings = first_openings(&k, 1);
    register(&mut k, 33, true, &openings);
    let preselected = fair.openings[20].id;
    let mut w = Wizard::start(&fair, Some(preselected));
    w.accept_consent(&mut k, true, false);
    keypad_phone(&mut w, &mut k, &phone(96));
    keypad_id(&mut w, rid(33).as_str());
    w.confirm_id(&mut k);
    assert_eq!(w.chosen(), &[fair.openings[0].id, preselected]);
    assert_eq!(w.back(), Step::ResidentId);
    assert!(!w.returning());
    assert_eq!(
        w.chosen(),
        &[preselected],
        "the openings chosen before come back"
    );
    assert_eq!(w.back(), Step::Phone);
}

#[test]
fn back_from_the_openings_of_a_returning_villager_goes_to_the_phone() {
    let (mut k, _dir) = kiosk();
    let openings = first_openings(&k, 1);
    register(&mut k, 34, false, &openings);
    let mut w = again(&mut k);
    keypad_phone(&mut w, &mut k, &phone(34));
    assert_eq!(w.step(), Step::Choose);
    assert_eq!(w.back(), Step::Phone);
    assert!(!w.returning());
    assert!(w.chosen().is_empty());
}

#[test]
fn a_sign_up_saved_elsewhere_meanwhile_turns_the_confirm_into_the_duplicate_path() {
    let (mut k, _dir) = kiosk();
    let fair = k.fair().clone();
    let mut w = Wizard::start(&fair, None);
    walk_to_choose(&mut w, &mut k, 35, false, "张伟");
    w.toggle_opening(&fair, fair.openings[2].id);
    to_review(&mut w);
    // The same villager finishes on another wizard (another front end) first.
    let openings = first_openings(&k, 1);
    register(&mut k, 35, false, &openings);
    assert_eq!(
        w.confirm(&mut k),
        Step::Choose,
        "their own phone: no last 4"
    );
    assert!(w.returning());
    to_review(&mut w);
    assert_eq!(w.confirm(&mut k), Step::Ticket);
    assert_eq!(count_rows(&k), 1);
}
