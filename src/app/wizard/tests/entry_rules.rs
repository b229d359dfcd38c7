//! Every rule of the entry steps, and errors that go away as soon as the input changes.

use super::*;
use crate::app::Error;
use crate::app::wizard::{Field, FieldError};
use crate::domain::phone::Phone;
use crate::domain::registration::{Consent, Draft, HomePlace, PlaceField};

fn at_phone(k: &mut Kiosk) -> Wizard {
    let mut w = Wizard::start(k.fair(), None);
    w.accept_consent(k, true, false);
    w
}

#[test]
fn the_phone_keypad_takes_at_most_11_digits() {
    let (mut k, _dir) = kiosk();
    let mut w = at_phone(&mut k);
    keypad_phone(&mut w, &mut k, "1390000000");
    assert_eq!(w.step(), Step::Phone, "10 digits: still typing, no error");
    assert_eq!(w.error(Field::Phone), None);
    let mut w = at_phone(&mut k);
    keypad_phone(&mut w, &mut k, "12345678901999999");
    assert_eq!(w.entries().phone, "12345678901", "capped at 11 digits");
}

#[test]
fn eleven_digits_that_are_not_a_mobile_number_show_the_reason_at_once() {
    let (mut k, _dir) = kiosk();
    let mut w = at_phone(&mut k);
    assert_eq!(keypad_phone(&mut w, &mut k, "12345678901"), Step::Phone);
    assert_eq!(w.error(Field::Phone), Some(FieldError::NotMobile));
    w.key_phone(&mut k, Key::Backspace);
    assert_eq!(
        w.error(Field::Phone),
        None,
        "the stale error goes with the change"
    );
}

#[test]
fn a_short_phone_is_refused_on_next_and_the_error_clears_on_the_next_digit() {
    let (mut k, _dir) = kiosk();
    let mut w = at_phone(&mut k);
    keypad_phone(&mut w, &mut k, "139000");
    assert_eq!(w.submit_phone(&mut k), Step::Phone);
    assert_eq!(w.error(Field::Phone), Some(FieldError::TooShort));
    w.key_phone(&mut k, Key::Char('1'));
    assert_eq!(w.error(Field::Phone), None);
}

#[test]
fn a_phone_with_a_country_prefix_from_a_text_form_is_taken_whole() {
    let (mut k, _dir) = kiosk();
    let mut w = at_phone(&mut k);
    assert_eq!(w.type_phone(&mut k, "+86 139 0000 0012"), Step::ResidentId);
    assert_eq!(w.entries().phone, "13900000012");
}

#[test]
fn a_wrong_last_character_of_the_id_is_explained_and_cleared_by_editing() {
    let (mut k, _dir) = kiosk();
    let mut w = at_phone(&mut k);
    keypad_phone(&mut w, &mut k, &phone(20));
    let good = rid(20);
    let last = good.as_str().chars().last().unwrap();
    let bad = format!(
        "{}{}",
        &good.as_str()[..17],
        if last == '1' { '2' } else { '1' }
    );
    keypad_id(&mut w, &bad);
    assert_eq!(w.error(Field::ResidentId), Some(FieldError::CheckDigit));
    assert!(!w.id_confirming());
    w.key_id(Key::Backspace);
    assert_eq!(w.error(Field::ResidentId), None);
    w.key_id(Key::Char(last));
    assert!(w.id_confirming(), "the fixed ID is shown back at once");
    assert_eq!(w.id_display(), good.masked(), "shown masked");
}

#[test]
fn an_x_in_the_middle_of_the_id_is_named_as_such() {
    let (mut k, _dir) = kiosk();
    let mut w = at_phone(&mut k);
    keypad_phone(&mut w, &mut k, &phone(21));
    keypad_id(&mut w, "52000019900301X001");
    assert_eq!(w.error(Field::ResidentId), Some(FieldError::XNotLast));
}

#[test]
fn the_birth_date_rule_uses_the_fairs_date_not_the_clock() {
    let (mut k, _dir) = kiosk();
    let fair_date = k.fair().fair.date;
    let mut w = at_phone(&mut k);
    keypad_phone(&mut w, &mut k, &phone(22));
    let born_after_fair = synthesize("520000", fair_date + chrono::Days::new(1), 7);
    keypad_id(&mut w, born_after_fair.as_str());
    assert_eq!(w.error(Field::ResidentId), Some(FieldError::FutureDate));
    w.edit_id();
    let born_on_fair_day = synthesize("520000", fair_date, 7);
    keypad_id(&mut w, born_on_fair_day.as_str());
    assert!(w.id_confirming());
}

#[test]
fn an_id_card_reader_fills_the_id_step_in_one_burst() {
    let (mut k, _dir) = kiosk();
    let mut w = at_phone(&mut k);
    keypad_phone(&mut w, &mut k, &phone(23));
    keypad_id(&mut w, "5200");
    // The reader types the whole number: it replaces what was half typed.
    w.type_id(&format!("{}\n", rid(23).as_str().to_lowercase()));
    assert!(w.id_confirming());
    assert_eq!(w.resident_id(), Some(&rid(23)));
    assert_eq!(w.confirm_id(&mut k), Step::Name);
}

#[test]
fn a_bad_name_is_refused_and_the_error_clears_when_retyped() {
    let (mut k, _dir) = kiosk();
    let mut w = at_phone(&mut k);
    keypad_phone(&mut w, &mut k, &phone(24));
    w.skip_id();
    w.type_name("·张伟");
    assert_eq!(w.submit_name(), Step::Name);
    assert_eq!(w.error(Field::Name), Some(FieldError::NameDot));
    w.type_name("张伟");
    assert_eq!(w.error(Field::Name), None);
    w.type_name("张伟😀");
    w.submit_name();
    assert_eq!(w.error(Field::Name), Some(FieldError::BadChar));
    w.type_name("  阿依古丽 · 买买提 ");
    assert_eq!(w.submit_name(), Step::Place);
    assert_eq!(
        w.entries().name,
        "阿依古丽·买买提",
        "stored in canonical form"
    );
}

#[test]
fn every_part_of_the_home_place_is_required_and_picking_clears_the_error() {
    let (mut k, _dir) = kiosk();
    let mut w = at_phone(&mut k);
    keypad_phone(&mut w, &mut k, &phone(25));
    w.skip_id();
    w.type_name("张伟");
    w.submit_name();
    let (township, village) = first_place(&k);
    w.pick_township(&township);
    assert_eq!(w.submit_place(), Step::Place);
    assert_eq!(
        w.place_error(),
        Some((PlaceField::Village, FieldError::Empty))
    );
    w.type_place(PlaceField::Village, &"村".repeat(41));
    assert_eq!(w.place_error(), None, "typing clears it");
    w.submit_place();
    assert_eq!(
        w.place_error(),
        Some((PlaceField::Village, FieldError::TooLong))
    );
    assert_eq!(w.pick_village(&village), Step::Choose);
    assert_eq!(w.place_error(), None, "the chip replaced the long text");
}

#[test]
fn picking_another_county_or_township_starts_the_parts_below_over() {
    let (mut k, _dir) = kiosk();
    let fair = k.fair().clone();
    let mut w = at_phone(&mut k);
    keypad_phone(&mut w, &mut k, &phone(28));
    w.skip_id();
    w.type_name("张伟");
    w.submit_name();
    let (township, village) = first_place(&k);
    w.pick_township(&township);
    w.type_place(PlaceField::Village, &village);
    let [counties, townships, villages] = w.place_options(&fair);
    assert!(counties.contains(&fair.fair.county.as_str()));
    assert!(townships.contains(&township.as_str()));
    assert!(villages.contains(&village.as_str()));
    w.pick_county(&fair.places[0].name);
    assert_eq!(w.entries().home.township, "");
    assert_eq!(w.entries().home.village, "");
}

#[test]
fn the_kiosk_refuses_a_draft_with_an_empty_village_even_without_the_wizard() {
    let (mut k, _dir) = kiosk();
    let draft = Draft {
        consent: Consent {
            personal_data: true,
            resident_id: false,
            share_phone: false,
        },
        phone: Phone::parse(&phone(26)).unwrap(),
        resident_id: None,
        name: "张伟".into(),
        home: HomePlace {
            county: k.fair().fair.county.clone(),
            township: first_place(&k).0,
            village: " ".into(),
        },
        openings: first_openings(&k, 1),
    };
    let err = k.register(&draft).unwrap_err();
    assert!(matches!(err, Error::BadHomePlace(e) if e.field == PlaceField::Village));
    let mut with_tab = draft.clone();
    with_tab.home.village = "小\t黄村".into();
    assert!(matches!(k.register(&with_tab), Err(Error::BadHomePlace(_))));
    let mut born_later = draft.clone();
    born_later.consent.resident_id = true;
    born_later.home.village = "小黄村".into();
    born_later.resident_id = Some(synthesize(
        "520000",
        k.fair().fair.date + chrono::Days::new(30),
        3,
    ));
    assert!(matches!(
        k.register(&born_later),
        Err(Error::BirthDate(
            crate::domain::birth_date::BirthDateError::AfterFair
        ))
    ));
    assert_eq!(count_rows(&k), 0);
}

#[test]
fn at_most_five_openings_are_kept_in_the_order_tapped() {
    let (mut k, _dir) = kiosk();
    let fair = k.fair().clone();
    let mut w = Wizard::start(&fair, None);
    walk_to_choose(&mut w, &mut k, 29, false, "张伟");
    let ids: Vec<u16> = fair.openings.iter().map(|o| o.id).collect();
    for &i in &[ids[9], ids[2], ids[7], ids[0], ids[4]] {
        w.toggle_opening(&fair, i);
    }
    w.toggle_opening(&fair, ids[1]);
    assert_eq!(w.error(Field::Openings), Some(FieldError::TooManyOpenings));
    assert_eq!(w.chosen(), &[ids[9], ids[2], ids[7], ids[0], ids[4]]);
    w.toggle_opening(&fair, ids[2]);
    assert_eq!(w.error(Field::Openings), None, "un-choosing one clears it");
    w.toggle_opening(&fair, ids[1]);
    assert_eq!(w.chosen(), &[ids[9], ids[7], ids[0], ids[4], ids[1]]);
}

#[test]
fn the_choose_list_never_moves_when_an_opening_is_tapped() {
    let (mut k, _dir) = kiosk();
    let fair = k.fair().clone();
    let mut w = Wizard::start(&fair, None);
    walk_to_choose(&mut w, &mut k, 40, false, "张伟");
    let before = w.choices(&fair);
    w.toggle_opening(&fair, before[6]);
    w.toggle_opening(&fair, before[3]);
    assert_eq!(w.choices(&fair), before, "same order after taps");
    assert!(w.is_chosen(before[6]) && w.is_chosen(before[3]));
    let welding = crate::domain::fair::Trade::Welding;
    w.filter_trade(Some(welding));
    assert!(
        w.choices(&fair)
            .iter()
            .all(|id| fair.opening(*id).unwrap().trade == welding)
    );
    assert_eq!(w.chosen().len(), 2, "the filter hides no choice");
}

#[test]
fn review_needs_at_least_one_opening() {
    let (mut k, _dir) = kiosk();
    let fair = k.fair().clone();
    let mut w = Wizard::start(&fair, None);
    walk_to_choose(&mut w, &mut k, 27, false, "张伟");
    assert_eq!(w.submit_choices(), Step::Choose);
    assert_eq!(w.error(Field::Openings), Some(FieldError::NoOpenings));
    w.toggle_opening(&fair, fair.openings[0].id);
    assert_eq!(w.error(Field::Openings), None);
}

#[test]
fn a_double_tap_or_a_late_key_acts_only_on_the_step_it_was_meant_for() {
    let (mut k, _dir) = kiosk();
    let fair = k.fair().clone();
    let mut w = Wizard::start(&fair, None);
    assert_eq!(w.accept_consent(&mut k, false, false), Step::Phone);
    assert_eq!(
        w.accept_consent(&mut k, true, true),
        Step::Phone,
        "second tap ignored"
    );
    assert!(!w.consent().resident_id);
    keypad_phone(&mut w, &mut k, &phone(41));
    assert_eq!(w.step(), Step::Name);
    assert_eq!(
        w.key_phone(&mut k, Key::Backspace),
        Step::Name,
        "a late key does nothing"
    );
    assert_eq!(w.entries().phone, phone(41));
    assert_eq!(w.submit_choices(), Step::Name);
}
