//! "I signed up already / 我已报过名": today's sign-ups first, then the lists; confirm or
//! correct the list record.

use super::*;
use crate::app::wizard::{Field, FieldError};
use crate::domain::lists::ListKind;
use crate::domain::lists::ticket::qr_text;

/// Imports a list of two: 黄小梅 (phone 71, ID 71, full place) and 石大山 (phone 72, no
/// ID, no village). `returning`: both return to the fair's first employer.
fn import(k: &mut Kiosk, dir: &std::path::Path, returning: bool) {
    let (t, v) = first_place(k);
    let county = k.fair().fair.county.clone();
    let file = dir.join("list.csv");
    let csv = format!(
        "姓名,手机,身份证号,县,乡镇,村\n黄小梅,{},{},{county},{t},{v}\n石大山,{},,{county},{t},\n",
        phone(71),
        rid(71).as_str(),
        phone(72)
    );
    std::fs::write(&file, csv).unwrap();
    let (kind, employer) = if returning {
        (
            ListKind::Returning,
            Some(k.fair().employers[0].name.clone()),
        )
    } else {
        (ListKind::Willing, None)
    };
    k.import_list(&file, kind, employer.as_deref()).unwrap();
}

fn look_up(k: &mut Kiosk, typed: &str) -> Wizard {
    let mut w = Wizard::start_lookup(k.fair());
    w.type_lookup(typed);
    w.submit_lookup(k);
    w
}

#[test]
fn a_list_person_confirms_and_only_chooses_openings() {
    let (mut k, dir) = kiosk();
    import(&mut k, dir.path(), true);
    let fair = k.fair().clone();
    let mut w = look_up(&mut k, &phone(71));
    assert_eq!(w.step(), Step::ListFound);
    let person = w.list_person().unwrap();
    assert_eq!(person.name, "黄小梅");
    assert_eq!(person.phone_masked, "139****0071");
    assert_eq!(
        person.employer.as_deref(),
        Some(fair.employers[0].id.as_str())
    );
    assert_eq!(
        w.confirm_listed(&fair),
        Step::Consent,
        "consent is asked again"
    );
    assert_eq!(w.accept_consent(&mut k, true, true), Step::Choose);
    let employer_openings: Vec<u16> = fair
        .openings
        .iter()
        .filter(|o| o.employer == fair.employers[0].id)
        .map(|o| o.id)
        .take(5)
        .collect();
    assert_eq!(
        w.chosen(),
        &employer_openings[..],
        "their employer's openings"
    );
    to_review(&mut w);
    assert_eq!(w.review().resident_id_masked, Some(rid(71).masked()));
    assert_eq!(w.confirm(&mut k), Step::Ticket);
    let reg = w.ticket().unwrap().issued.registration_id.to_string();
    let linked: Option<String> = k
        .store()
        .conn()
        .query_row(
            "SELECT registration_id FROM list_people WHERE name = '黄小梅'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        linked,
        Some(reg),
        "the list person is linked to the sign-up"
    );
}

#[test]
fn a_list_person_without_id_consent_keeps_no_id() {
    let (mut k, dir) = kiosk();
    import(&mut k, dir.path(), false);
    let fair = k.fair().clone();
    let mut w = look_up(&mut k, rid(71).as_str());
    w.confirm_listed(&fair);
    assert_eq!(w.accept_consent(&mut k, false, false), Step::Choose);
    w.toggle_opening(&fair, fair.openings[0].id);
    to_review(&mut w);
    assert_eq!(w.review().resident_id_masked, None);
    w.confirm(&mut k);
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
fn a_list_person_without_a_village_is_asked_for_the_place_only() {
    let (mut k, dir) = kiosk();
    import(&mut k, dir.path(), false);
    let fair = k.fair().clone();
    let mut w = look_up(&mut k, &phone(72));
    w.confirm_listed(&fair);
    assert_eq!(w.accept_consent(&mut k, false, false), Step::Place);
    assert_eq!(w.entries().home.township, first_place(&k).0, "prefilled");
    assert_eq!(w.pick_village(&first_place(&k).1), Step::Choose);
    assert_eq!(w.back(), Step::Place);
    assert_eq!(w.back(), Step::Consent);
    assert_eq!(w.back(), Step::ListFound);
    assert_eq!(w.back(), Step::ListLookup);
    assert_eq!(w.list_person(), None, "the record is forgotten");
    assert_eq!(w.back(), Step::Idle);
}

#[test]
fn correcting_walks_every_step_prefilled_and_shows_the_phone_masked() {
    let (mut k, dir) = kiosk();
    import(&mut k, dir.path(), false);
    let fair = k.fair().clone();
    let mut w = look_up(&mut k, rid(71).as_str());
    assert_eq!(w.correct_listed(&fair), Step::Consent);
    assert_eq!(w.accept_consent(&mut k, true, false), Step::Phone);
    assert_eq!(w.phone_display(), "139****0071", "not shown in full");
    // The villager types a new number: the first key replaces the prefilled one.
    assert_eq!(keypad_phone(&mut w, &mut k, &phone(73)), Step::ResidentId);
    assert!(w.id_confirming(), "the list's ID is shown back to confirm");
    assert_eq!(w.confirm_id(&mut k), Step::Name);
    assert_eq!(w.entries().name, "黄小梅");
    w.type_name("黄晓梅");
    assert_eq!(w.submit_name(), Step::Place);
    assert_eq!(w.submit_place(), Step::Choose);
    w.toggle_opening(&fair, fair.openings[1].id);
    to_review(&mut w);
    let r = w.review();
    assert_eq!(
        (r.name.as_str(), r.phone_masked.as_str()),
        ("黄晓梅", "139****0073")
    );
    assert_eq!(w.confirm(&mut k), Step::Ticket);
}

#[test]
fn todays_sign_up_is_found_by_phone_without_the_last_4_digits() {
    let (mut k, _dir) = kiosk();
    let openings = first_openings(&k, 2);
    register(&mut k, 74, true, &openings);
    let w = look_up(&mut k, &phone(74));
    assert_eq!(w.step(), Step::Choose, "found among today's sign-ups");
    assert!(w.returning());
    assert_eq!(w.chosen(), &openings[..]);
}

#[test]
fn todays_sign_up_found_by_id_asks_the_last_4_digits() {
    let (mut k, _dir) = kiosk();
    let openings = first_openings(&k, 1);
    register(&mut k, 75, true, &openings);
    let mut w = look_up(&mut k, rid(75).as_str());
    assert_eq!(w.step(), Step::Duplicate);
    assert_eq!(w.type_last4(&mut k, "0075"), Step::Choose);
    assert_eq!(w.back(), Step::Duplicate);
    assert_eq!(w.back(), Step::ListLookup);
}

#[test]
fn a_number_on_no_list_and_no_sign_up_is_explained_and_cleared_by_typing() {
    let (mut k, _dir) = kiosk();
    let mut w = look_up(&mut k, &phone(76));
    assert_eq!(w.step(), Step::ListLookup);
    assert_eq!(w.error(Field::Lookup), Some(FieldError::NotFound));
    w.key_lookup(Key::Char('5'));
    assert_eq!(w.error(Field::Lookup), None);
    let mut w = look_up(&mut k, "12345");
    assert_eq!(w.error(Field::Lookup), Some(FieldError::NotPhoneOrId));
    w.type_lookup("");
    w.submit_lookup(&mut k);
    assert_eq!(w.error(Field::Lookup), Some(FieldError::Empty));
}

#[test]
fn a_scanned_list_ticket_finds_the_record() {
    let (mut k, dir) = kiosk();
    import(&mut k, dir.path(), false);
    let code: String = k
        .store()
        .conn()
        .query_row(
            "SELECT code FROM list_people WHERE name = '黄小梅'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let w = Wizard::scanned_list_ticket(&mut k, &format!("{}\n", qr_text(&code)));
    assert_eq!(w.step(), Step::ListFound);
    assert_eq!(w.list_person().unwrap().name, "黄小梅");
}
