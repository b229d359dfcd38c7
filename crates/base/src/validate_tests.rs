//! The domain's rules, applied by the base to every record (issue 13, point 7).

use super::*;
use jobfair_domain::registration::{Consent, HomePlace};
use jobfair_domain::resident_id::synthesize;

fn fair() -> FairRules {
    FairRules {
        id: "qdn-congjiang-2027-02-15".into(),
        revision: 1,
        date: NaiveDate::from_ymd_opt(2027, 2, 15).unwrap(),
        openings: [(101, "baichuan".to_string()), (104, "bocheng".to_string())].into(),
        employers: ["baichuan".to_string(), "bocheng".to_string()].into(),
        departures: [("yk-1".to_string(), 45), ("train-1".to_string(), 800)].into(),
    }
}

/// A valid sign-up of a man born 1990-03-02.
fn sign_up() -> RegistrationRecord {
    let birth = NaiveDate::from_ymd_opt(1990, 3, 2).unwrap();
    RegistrationRecord {
        registration_id: "0192f3a4-0000-7000-8000-000000000001".into(),
        fair_id: "qdn-congjiang-2027-02-15".into(),
        kiosk_id: "k1".into(),
        short_code: "K7MX-4QPD".into(),
        at: "2027-02-15T01:00:00.000Z".into(),
        name: "测试村民".into(),
        phone: "13900000001".into(),
        resident_id: Some(synthesize("520000", birth, 1).as_str().to_string()),
        birth_date: Some("1990-03-02".into()),
        sex: Some("male".into()),
        home: HomePlace {
            county: "从江县".into(),
            township: "高增乡".into(),
            village: "小黄村".into(),
        },
        consent: Consent {
            personal_data: true,
            resident_id: true,
            share_phone: true,
        },
        consent_text_version: 1,
        openings: vec![101],
        sealed: None,
    }
}

fn why(r: RegistrationRecord) -> String {
    record(&Payload::Registration(r), &fair()).expect_err("refused")
}

fn stage(employer: &str, opening_id: u16, stage: &str) -> Result<(), String> {
    let s = StageRecord {
        registration_id: "0192f3a4-0000-7000-8000-000000000001".into(),
        fair_id: "qdn-congjiang-2027-02-15".into(),
        kiosk_id: "k1".into(),
        employer: employer.into(),
        opening_id,
        stage: stage.into(),
        note: "会焊接".into(),
        at: "2027-02-15T04:00:00Z".into(),
    };
    record(&Payload::Stage(s), &fair())
}

#[test]
fn a_valid_sign_up_passes() {
    assert_eq!(record(&Payload::Registration(sign_up()), &fair()), Ok(()));
    let without_id = RegistrationRecord {
        resident_id: None,
        birth_date: None,
        sex: None,
        ..sign_up()
    };
    assert_eq!(record(&Payload::Registration(without_id), &fair()), Ok(()));
}

#[test]
fn a_phone_that_is_not_a_mobile_number_is_refused() {
    let r = RegistrationRecord {
        phone: "12345".into(),
        ..sign_up()
    };
    assert!(why(r).starts_with("phone:"));
}

#[test]
fn a_resident_id_with_a_wrong_check_character_is_refused() {
    let mut id = sign_up().resident_id.unwrap();
    let last = if id.ends_with('1') { "2" } else { "1" };
    id.replace_range(17.., last);
    let r = RegistrationRecord {
        resident_id: Some(id),
        ..sign_up()
    };
    assert!(why(r).contains("check character"));
}

#[test]
fn a_resident_id_born_after_the_fair_or_before_1900_is_refused() {
    let first17 = "52000018991231001";
    let born_1899 = format!(
        "{first17}{}",
        jobfair_domain::resident_id::check_digit(first17).unwrap()
    );
    let ids = [
        synthesize("520000", NaiveDate::from_ymd_opt(2099, 1, 1).unwrap(), 1),
        synthesize("520000", NaiveDate::from_ymd_opt(2027, 2, 16).unwrap(), 1),
    ]
    .map(|id| id.as_str().to_string());
    for id in ids.into_iter().chain([born_1899]) {
        let r = RegistrationRecord {
            resident_id: Some(id.clone()),
            birth_date: None,
            ..sign_up()
        };
        assert!(why(r).starts_with("resident_id:"), "{id}");
    }
    let on_the_day = RegistrationRecord {
        resident_id: Some(
            synthesize("520000", NaiveDate::from_ymd_opt(2027, 2, 15).unwrap(), 1)
                .as_str()
                .to_string(),
        ),
        birth_date: None,
        ..sign_up()
    };
    assert_eq!(record(&Payload::Registration(on_the_day), &fair()), Ok(()));
}

#[test]
fn a_birth_date_or_sex_that_contradicts_the_resident_id_is_refused() {
    let r = RegistrationRecord {
        birth_date: Some("1991-03-02".into()),
        ..sign_up()
    };
    assert_eq!(why(r), "birth_date: does not match the resident ID");
    let r = RegistrationRecord {
        sex: Some("female".into()),
        ..sign_up()
    };
    assert_eq!(why(r), "sex: does not match the resident ID");
    let r = RegistrationRecord {
        sex: Some("x".into()),
        ..sign_up()
    };
    assert_eq!(why(r), "sex: neither male nor female");
}

#[test]
fn a_birth_date_without_resident_id_is_still_bounded() {
    let r = RegistrationRecord {
        resident_id: None,
        birth_date: Some("2099-01-01".into()),
        sex: None,
        ..sign_up()
    };
    assert_eq!(why(r), "birth_date: before 1900 or after the fair's date");
}

#[test]
fn a_2000_character_name_or_a_name_with_digits_is_refused() {
    let r = RegistrationRecord {
        name: "张".repeat(2000),
        ..sign_up()
    };
    assert!(why(r).starts_with("name:"));
    let r = RegistrationRecord {
        name: "张3".into(),
        ..sign_up()
    };
    assert!(why(r).starts_with("name:"));
}

#[test]
fn openings_must_be_of_the_fair_and_not_repeated() {
    let r = RegistrationRecord {
        openings: vec![0],
        ..sign_up()
    };
    assert_eq!(why(r), "openings: 0 is not an opening of the fair");
    let r = RegistrationRecord {
        openings: vec![101, 101],
        ..sign_up()
    };
    assert_eq!(why(r), "openings: 101 twice");
}

#[test]
fn a_resident_id_without_consent_to_it_is_refused() {
    let r = RegistrationRecord {
        consent: Consent {
            resident_id: false,
            ..sign_up().consent
        },
        ..sign_up()
    };
    assert_eq!(why(r), "resident_id: sent without consent to it");
}

#[test]
fn home_place_texts_are_bounded() {
    let r = RegistrationRecord {
        home: HomePlace {
            village: "村".repeat(41),
            ..sign_up().home
        },
        ..sign_up()
    };
    assert_eq!(why(r), "home.village: more than 40 characters");
}

#[test]
fn a_stage_names_an_opening_of_its_employer_and_a_known_stage() {
    assert_eq!(stage("baichuan", 101, "interviewed"), Ok(()));
    assert!(
        stage("baichuan", 104, "interviewed")
            .unwrap_err()
            .contains("this employer")
    );
    assert!(
        stage("baichuan", 7, "hired")
            .unwrap_err()
            .contains("not an opening")
    );
    assert!(
        stage("nobody", 101, "hired")
            .unwrap_err()
            .starts_with("employer:")
    );
    assert_eq!(
        stage("baichuan", 101, "promoted"),
        Err("stage: not a known stage".into())
    );
}

#[test]
fn a_fair_id_is_printed_short_and_without_control_characters() {
    assert_eq!(printable("../../etc/passwd\n"), "../../etc/passwd?");
    assert_eq!(printable(&"x".repeat(100)).len(), 40);
}

fn seat_record() -> SeatRecord {
    SeatRecord {
        request_id: "0192f3a4-0000-7000-8000-0000000000aa".into(),
        registration_id: "0192f3a4-0000-7000-8000-000000000001".into(),
        fair_id: "qdn-congjiang-2027-02-15".into(),
        kiosk_id: "k1".into(),
        departure_id: Some("yk-1".into()),
        employer: Some("baichuan".into()),
        state: "assigned".into(),
        seat: Some(45),
        source: "kiosk".into(),
        at: "2027-02-15T04:00:00.000Z".into(),
    }
}

fn seat_why(r: SeatRecord) -> String {
    record(&Payload::Seat(r), &fair()).expect_err("refused")
}

/// Issue 16: a seat record names a departure of the fair, a seat on it exactly when
/// assigned, a known state and employer.
#[test]
fn seat_records_follow_the_fair_s_departures_and_the_seat_rules() {
    assert_eq!(record(&Payload::Seat(seat_record()), &fair()), Ok(()));
    let waiting = SeatRecord {
        state: "waitlisted".into(),
        seat: None,
        ..seat_record()
    };
    assert_eq!(record(&Payload::Seat(waiting.clone()), &fair()), Ok(()));
    for state in ["requested", "cancelled"] {
        let loose = SeatRecord {
            state: state.into(),
            seat: None,
            departure_id: None,
            employer: None,
            ..seat_record()
        };
        assert_eq!(record(&Payload::Seat(loose), &fair()), Ok(()), "{state}");
    }
    let why = seat_why(SeatRecord {
        departure_id: Some("yk-9".into()),
        ..seat_record()
    });
    assert!(why.starts_with("departure_id:"), "{why}");
    for seat in [0, 46] {
        let why = seat_why(SeatRecord {
            seat: Some(seat),
            ..seat_record()
        });
        assert!(why.starts_with("seat:"), "{seat}: {why}");
    }
    let why = seat_why(SeatRecord {
        seat: None,
        ..seat_record()
    });
    assert!(why.starts_with("seat:"), "{why}");
    let why = seat_why(SeatRecord {
        seat: Some(3),
        ..waiting.clone()
    });
    assert!(why.starts_with("seat:"), "{why}");
    let why = seat_why(SeatRecord {
        departure_id: None,
        ..waiting
    });
    assert!(why.starts_with("departure_id:"), "{why}");
    let why = seat_why(SeatRecord {
        state: "boarded".into(),
        ..seat_record()
    });
    assert!(why.starts_with("state:"), "{why}");
    let why = seat_why(SeatRecord {
        employer: Some("nobody".into()),
        ..seat_record()
    });
    assert!(why.starts_with("employer:"), "{why}");
    let why = seat_why(SeatRecord {
        request_id: "not-a-uuid".into(),
        ..seat_record()
    });
    assert!(why.starts_with("request_id:"), "{why}");
    let why = seat_why(SeatRecord {
        at: "yesterday".into(),
        ..seat_record()
    });
    assert!(why.starts_with("at:"), "{why}");
}

#[test]
fn boarding_records_name_a_departure_and_a_seat_of_the_fair() {
    let b = BoardingRecord {
        registration_id: "0192f3a4-0000-7000-8000-000000000001".into(),
        fair_id: "qdn-congjiang-2027-02-15".into(),
        kiosk_id: "door-1".into(),
        departure_id: "train-1".into(),
        seat: Some(800),
        employer: None,
        at: "2027-02-16T07:00:00.000Z".into(),
    };
    assert_eq!(record(&Payload::Boarding(b.clone()), &fair()), Ok(()));
    let bad = |b: BoardingRecord| record(&Payload::Boarding(b), &fair()).expect_err("refused");
    assert!(
        bad(BoardingRecord {
            departure_id: "bus-x".into(),
            ..b.clone()
        })
        .starts_with("departure_id:")
    );
    assert!(
        bad(BoardingRecord {
            seat: Some(801),
            ..b.clone()
        })
        .starts_with("seat:")
    );
    assert!(
        bad(BoardingRecord {
            employer: Some("nobody".into()),
            ..b.clone()
        })
        .starts_with("employer:")
    );
    assert!(
        bad(BoardingRecord {
            registration_id: String::new(),
            ..b
        })
        .starts_with("registration_id:")
    );
}
