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
