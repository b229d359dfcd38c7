//! The main path: with and without the ID, Back from every step, walking away, a second
//! villager after the first.

use super::*;
use crate::app::wizard::{Field, FieldError};
use crate::domain::registration::HomePlace;

#[test]
fn a_villager_with_id_consent_registers_and_the_row_is_stored() {
    let (mut k, _dir) = kiosk();
    let openings = first_openings(&k, 2);
    let w = register(&mut k, 1, true, &openings);
    let t = w.ticket().unwrap();
    assert!(t.issued.created);
    assert_eq!(t.openings, openings);
    assert_eq!(t.name, "张伟");
    let (id, stored_id, village): (String, Option<String>, String) = k
        .store()
        .conn()
        .query_row(
            "SELECT id, resident_id_masked, home_village FROM registrations",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(stored_id, Some(rid(1).masked()), "masked on the row");
    let whole = k.numbers_of(id.parse().unwrap()).unwrap();
    assert_eq!(
        whole.resident_id.as_deref(),
        Some(rid(1).as_str()),
        "sealed whole"
    );
    assert_eq!(village, first_place(&k).1);
}

#[test]
fn without_id_consent_the_id_step_is_skipped_and_no_id_is_stored() {
    let (mut k, _dir) = kiosk();
    let openings = first_openings(&k, 1);
    let w = register(&mut k, 2, false, &openings);
    assert_eq!(w.step(), Step::Ticket);
    let stored: Option<String> = k
        .store()
        .conn()
        .query_row("SELECT resident_id_blind FROM registrations", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(stored, None);
}

#[test]
fn continuing_without_the_id_withdraws_its_consent() {
    let (mut k, _dir) = kiosk();
    let mut w = Wizard::start(k.fair(), None);
    w.accept_consent(&mut k, true, true);
    keypad_phone(&mut w, &mut k, &phone(3));
    keypad_id(&mut w, &rid(3).as_str()[..10]);
    assert_eq!(w.skip_id(), Step::Name);
    assert!(!w.consent().resident_id);
    assert_eq!(w.entries().resident_id, "");
    assert_eq!(
        w.back(),
        Step::Phone,
        "Back skips the ID step it no longer has"
    );
}

#[test]
fn back_from_every_step_returns_to_the_one_before_and_keeps_what_was_typed() {
    let (mut k, _dir) = kiosk();
    let fair = k.fair().clone();
    let mut w = Wizard::start(&fair, None);
    walk_to_choose(&mut w, &mut k, 4, true, "李娜");
    w.toggle_opening(&fair, fair.openings[0].id);
    assert_eq!(w.submit_choices(), Step::Ride);
    assert_eq!(w.decline_ride(), Step::Review);
    let expected = [
        Step::Ride,
        Step::Choose,
        Step::Place,
        Step::Name,
        Step::ResidentId,
        Step::Phone,
        Step::Consent,
        Step::Idle,
    ];
    for want in expected {
        assert_eq!(w.back(), want);
        if want == Step::Name {
            assert_eq!(w.entries().name, "李娜");
        }
        if want == Step::Phone {
            assert_eq!(w.entries().phone, phone(4));
        }
    }
    assert_eq!(
        w.entries(),
        &super::super::Entries::default(),
        "left the flow: forgotten"
    );
}

#[test]
fn going_back_and_forward_again_still_registers_once() {
    let (mut k, _dir) = kiosk();
    let fair = k.fair().clone();
    let mut w = Wizard::start(&fair, None);
    walk_to_choose(&mut w, &mut k, 5, false, "王芳");
    assert_eq!(w.back(), Step::Place);
    assert_eq!(w.back(), Step::Name);
    w.type_name("王芳芳");
    assert_eq!(w.submit_name(), Step::Place);
    assert_eq!(
        w.submit_place(),
        Step::Choose,
        "the place is still filled in"
    );
    w.toggle_opening(&fair, fair.openings[3].id);
    to_review(&mut w);
    assert_eq!(w.review().name, "王芳芳");
    assert_eq!(w.confirm(&mut k), Step::Ticket);
    assert_eq!(count_rows(&k), 1);
}

#[test]
fn a_villager_who_walks_away_leaves_nothing_behind() {
    let (mut k, _dir) = kiosk();
    let mut w = Wizard::start(k.fair(), None);
    w.accept_consent(&mut k, true, false);
    keypad_phone(&mut w, &mut k, "1380013");
    assert_eq!(w.reset(), Step::Idle);
    assert_eq!(w.entries(), &super::super::Entries::default());
    assert!(w.chosen().is_empty() && w.errors().is_empty());
    assert_eq!(count_rows(&k), 0);
}

#[test]
fn a_second_villager_after_the_first_starts_from_a_clean_form() {
    let (mut k, _dir) = kiosk();
    let openings = first_openings(&k, 1);
    let mut first = register(&mut k, 6, true, &openings);
    assert_eq!(first.back(), Step::Idle, "Done on the ticket ends the flow");
    let second = Wizard::start(k.fair(), None);
    assert_eq!(second.entries().phone, "");
    assert_eq!(second.entries().home.county, k.fair().fair.county);
    let w = register(&mut k, 7, false, &openings);
    assert!(w.ticket().unwrap().issued.created);
    assert_eq!(count_rows(&k), 2);
}

#[test]
fn an_opening_chosen_on_its_page_is_already_chosen() {
    let (k, _dir) = kiosk();
    let id = k.fair().openings[5].id;
    let w = Wizard::start(k.fair(), Some(id));
    assert_eq!(w.chosen(), &[id]);
    assert_eq!(w.step(), Step::Consent);
}

#[test]
fn the_review_shows_masked_phone_and_id_and_the_whole_home_place() {
    let (mut k, _dir) = kiosk();
    let fair = k.fair().clone();
    let mut w = Wizard::start(&fair, None);
    walk_to_choose(&mut w, &mut k, 8, true, "赵敏");
    w.toggle_opening(&fair, fair.openings[0].id);
    to_review(&mut w);
    let r = w.review();
    let (township, village) = first_place(&k);
    assert_eq!(r.phone_masked, "139****0008");
    assert_eq!(r.resident_id_masked, Some(rid(8).masked()));
    assert_eq!(
        r.home,
        HomePlace {
            county: fair.fair.county.clone(),
            township,
            village
        }
    );
    assert!(!r.returning);
}

#[test]
fn a_failed_save_shows_an_error_on_the_review_and_keeps_the_form() {
    let (mut k, dir) = kiosk();
    let fair = k.fair().clone();
    let mut w = Wizard::start(&fair, None);
    walk_to_choose(&mut w, &mut k, 9, false, "钱多");
    w.toggle_opening(&fair, fair.openings[0].id);
    to_review(&mut w);
    // The store refuses the insert (as a damaged database would): the save fails.
    k.store()
        .conn()
        .execute_batch(
            "CREATE TRIGGER refuse BEFORE INSERT ON registrations \
             BEGIN SELECT RAISE(ABORT, 'refused'); END;",
        )
        .unwrap();
    assert_eq!(w.confirm(&mut k), Step::Review);
    assert_eq!(w.error(Field::Confirm), Some(FieldError::SaveFailed));
    assert!(w.take_failure().is_some(), "the cause is kept for the log");
    assert_eq!(w.review().name, "钱多", "nothing typed is lost");
    k.store()
        .conn()
        .execute_batch("DROP TRIGGER refuse")
        .unwrap();
    assert_eq!(w.confirm(&mut k), Step::Ticket, "confirming again saves it");
    drop(dir);
}
