//! The booth session: a right PIN opens it; stages only for the candidate on screen and
//! the booth's own employer; notes over 60 characters refused; the age on the fair's day.

use super::{Age, ScanOutcome, Session};
use crate::app::{Error, Kiosk, KioskOptions, PinCheck};
use crate::domain::phone::Phone;
use crate::domain::registration::{Consent, Draft, HomePlace};
use crate::domain::resident_id::synthesize;
use crate::domain::stage::Stage;
use chrono::{Datelike, NaiveDate};

/// A kiosk, a booth of the first employer (its PIN), and a ticket of a villager who chose
/// that employer's first opening and another employer's, born the day after the fair's
/// date 30 years earlier (so the fair's year alone would make them a year too old).
fn setup() -> (Kiosk, tempfile::TempDir, i64, String, String, [u16; 2]) {
    let dir = tempfile::tempdir().unwrap();
    let mut k = Kiosk::open(&KioskOptions::new(dir.path())).unwrap();
    k.unlock_for_tests();
    let fair = k.fair().clone();
    let employer = fair.employers[0].id.clone();
    let mine = fair
        .openings
        .iter()
        .find(|o| o.employer == employer)
        .unwrap()
        .id;
    let other = fair
        .openings
        .iter()
        .find(|o| o.employer != employer)
        .unwrap()
        .id;
    let day = fair.fair.date;
    let birth = NaiveDate::from_ymd_opt(day.year() - 30, day.month(), day.day()).unwrap()
        + chrono::Days::new(1);
    let draft = Draft {
        consent: Consent {
            personal_data: true,
            resident_id: true,
            share_phone: false,
        },
        phone: Phone::parse("13900000501").unwrap(),
        resident_id: Some(synthesize("520000", birth, 11)),
        name: "张伟".into(),
        home: HomePlace {
            county: fair.fair.county.clone(),
            township: fair.fair.township.clone(),
            village: fair.fair.village.clone(),
        },
        openings: vec![mine, other],
    };
    let ticket = k.register(&draft).unwrap().ticket;
    let new = k.add_booth(&employer).unwrap();
    (k, dir, new.booth.id, new.pin, ticket, [mine, other])
}

fn wrong(pin: &str) -> String {
    pin.chars()
        .map(|c| {
            if c == '9' {
                '0'
            } else {
                char::from(c as u8 + 1)
            }
        })
        .collect()
}

#[test]
fn only_the_right_pin_opens_a_session() {
    let (mut k, _dir, booth, pin, _, _) = setup();
    let refused = Session::open(&mut k, booth, &wrong(&pin)).unwrap();
    assert!(matches!(refused, Err(PinCheck::Wrong { .. })));
    let s = Session::open(&mut k, booth, &pin).unwrap().unwrap();
    assert_eq!(s.booth().id, booth);
    assert_eq!(s.candidate(), None);
    assert!(matches!(
        Session::open(&mut k, booth + 100, &pin),
        Err(Error::UnknownBooth(_))
    ));
}

#[test]
fn a_stage_is_refused_for_anyone_but_the_candidate_on_screen() {
    let (mut k, _dir, booth, pin, ticket, [mine, _]) = setup();
    let mut s = Session::open(&mut k, booth, &pin).unwrap().unwrap();
    let ScanOutcome::Candidate(c) = s.scan(&mut k, &ticket).unwrap() else {
        panic!("card expected");
    };
    let reg = c.registration_id;
    s.leave_candidate();
    assert!(matches!(
        s.record_stage(&mut k, reg, mine, Stage::Interested, ""),
        Err(Error::NotThisCandidate)
    ));
    assert!(matches!(
        s.record_stage(&mut k, uuid::Uuid::now_v7(), mine, Stage::Interested, ""),
        Err(Error::NotThisCandidate)
    ));
    s.open_candidate(&k, reg).unwrap();
    let after = s
        .record_stage(&mut k, reg, mine, Stage::Interested, "")
        .unwrap();
    assert_eq!(after.openings[0].stage, Some(Stage::Interested));
}

#[test]
fn a_stage_is_refused_for_an_opening_of_another_employer() {
    let (mut k, _dir, booth, pin, ticket, [_, other]) = setup();
    let mut s = Session::open(&mut k, booth, &pin).unwrap().unwrap();
    let ScanOutcome::Candidate(c) = s.scan(&mut k, &ticket).unwrap() else {
        panic!("card expected");
    };
    assert!(matches!(
        s.record_stage(&mut k, c.registration_id, other, Stage::Hired, ""),
        Err(Error::NotThisEmployer)
    ));
    let events: i64 = k
        .store()
        .conn()
        .query_row("SELECT count(*) FROM stage_events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(events, 0);
}

#[test]
fn a_note_over_60_characters_is_refused_not_cut() {
    let (mut k, _dir, booth, pin, ticket, [mine, _]) = setup();
    let mut s = Session::open(&mut k, booth, &pin).unwrap().unwrap();
    let ScanOutcome::Candidate(c) = s.scan(&mut k, &ticket).unwrap() else {
        panic!("card expected");
    };
    let reg = c.registration_id;
    let long = "长".repeat(61);
    assert!(matches!(
        s.record_stage(&mut k, reg, mine, Stage::Interviewed, &long),
        Err(Error::NoteTooLong { max: 60 })
    ));
    let kept = "长".repeat(60);
    let after = s
        .record_stage(&mut k, reg, mine, Stage::Interviewed, &kept)
        .unwrap();
    assert_eq!(after.openings[0].note, kept);
}

#[test]
fn the_age_is_the_age_on_the_fairs_day() {
    let (mut k, _dir, booth, pin, ticket, _) = setup();
    let mut s = Session::open(&mut k, booth, &pin).unwrap().unwrap();
    let ScanOutcome::Candidate(c) = s.scan(&mut k, &ticket).unwrap() else {
        panic!("card expected");
    };
    assert_eq!(
        c.age,
        Some(Age { low: 29, high: 29 }),
        "born a day after the fair's date 30 years before: still 29 on the fair's day"
    );
}
