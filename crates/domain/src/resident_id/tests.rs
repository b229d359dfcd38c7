use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A 17-digit body with the region, date and sequence given, plus its check character.
fn with_check(first17: &str) -> String {
    format!("{first17}{}", check_digit(first17).unwrap())
}

#[test]
fn synthesized_numbers_parse_back_to_themselves() {
    for (region, birth, seq) in [
        ("520000", date(1990, 1, 1), 1),
        ("110000", date(2000, 2, 29), 2),
        ("650000", date(1900, 1, 1), 0),
        ("830000", date(2024, 12, 31), 999),
    ] {
        let id = synthesize(region, birth, seq);
        assert_eq!(ResidentId::parse(id.as_str()), Ok(id.clone()));
        assert_eq!(id.birth_date(), birth);
    }
}

#[test]
fn hand_computed_numbers_are_accepted() {
    // Check characters worked out by hand with the MOD 11-2 weights.
    for number in [
        "52000019900101001X",
        "110000200002290024",
        "33000019850615123X",
    ] {
        assert_eq!(ResidentId::parse(number).unwrap().as_str(), number);
    }
    assert_eq!(check_digit("65000019761111004"), Some('2'));
}

#[test]
fn wrong_check_digit_is_rejected() {
    assert_eq!(
        ResidentId::parse("520000199001010018"),
        Err(ResidentIdError::WrongCheckDigit)
    );
    assert_eq!(
        ResidentId::parse("110000200002290025"),
        Err(ResidentIdError::WrongCheckDigit)
    );
}

#[test]
fn thirtieth_of_february_is_rejected() {
    let number = with_check("52000019990230001");
    assert_eq!(
        ResidentId::parse(&number),
        Err(ResidentIdError::InvalidBirthDate)
    );
}

#[test]
fn twenty_ninth_of_february_is_valid_only_in_leap_years() {
    for year in [1904, 2000, 2024] {
        let number = with_check(&format!("520000{year}0229001"));
        assert!(ResidentId::parse(&number).is_ok(), "{year}");
    }
    for year in [1900, 1999, 2023] {
        let number = with_check(&format!("520000{year}0229001"));
        assert_eq!(
            ResidentId::parse(&number),
            Err(ResidentIdError::InvalidBirthDate),
            "{year}"
        );
    }
}

#[test]
fn month_thirteen_and_years_before_1900_are_rejected() {
    for body in [
        "52000019901301001",
        "52000018991231001",
        "52000019900100001",
    ] {
        let number = with_check(body);
        assert_eq!(
            ResidentId::parse(&number),
            Err(ResidentIdError::InvalidBirthDate)
        );
    }
}

#[test]
fn lower_case_x_is_accepted_and_normalized() {
    let id = ResidentId::parse("52000019900101001x").unwrap();
    assert_eq!(id.as_str(), "52000019900101001X");
}

#[test]
fn spaces_and_fullwidth_digits_are_normalized() {
    let id = ResidentId::parse("  520000 19900101 001X\t").unwrap();
    assert_eq!(id.as_str(), "52000019900101001X");
    let id = ResidentId::parse("５２００００１９９００１０１００１ｘ").unwrap();
    assert_eq!(id.as_str(), "52000019900101001X");
}

#[test]
fn seventeen_and_nineteen_characters_are_wrong_length() {
    assert_eq!(
        ResidentId::parse("52000019900101001"),
        Err(ResidentIdError::WrongLength { len: 17 })
    );
    assert_eq!(
        ResidentId::parse("52000019900101001X1"),
        Err(ResidentIdError::WrongLength { len: 19 })
    );
}

#[test]
fn letters_in_the_middle_are_rejected_with_their_position() {
    assert_eq!(
        ResidentId::parse("5200001990A101001X"),
        Err(ResidentIdError::InvalidCharacter { position: 11 })
    );
}

#[test]
fn x_anywhere_but_the_end_is_rejected() {
    assert_eq!(
        ResidentId::parse("52000019900101X012"),
        Err(ResidentIdError::InvalidCharacter { position: 15 })
    );
}

#[test]
fn unknown_region_is_rejected() {
    for body in [
        "00000019900101001",
        "16000019900101001",
        "99000019900101001",
    ] {
        let number = with_check(body);
        assert_eq!(
            ResidentId::parse(&number),
            Err(ResidentIdError::UnknownRegion),
            "{body}"
        );
    }
}

#[test]
fn every_province_range_edge_is_known() {
    for code in [
        "11", "15", "21", "23", "31", "37", "41", "46", "50", "54", "61", "65", "71", "81", "82",
        "83",
    ] {
        assert!(is_known_province(code), "{code}");
    }
    for code in [
        "10", "16", "20", "24", "30", "38", "40", "47", "49", "55", "60", "66", "70", "72", "80",
        "84",
    ] {
        assert!(!is_known_province(code), "{code}");
    }
}

#[test]
fn birth_date_after_today_is_rejected_by_parse_at() {
    let id = synthesize("520000", date(2030, 5, 1), 12);
    let today = date(2027, 2, 18);
    assert_eq!(
        ResidentId::parse_at(id.as_str(), today),
        Err(ResidentIdError::BirthDateInFuture)
    );
    assert!(ResidentId::parse(id.as_str()).is_ok());
    assert!(ResidentId::parse_at(id.as_str(), date(2030, 5, 1)).is_ok());
}

#[test]
fn empty_and_whitespace_only_input_is_empty() {
    assert_eq!(ResidentId::parse(""), Err(ResidentIdError::Empty));
    assert_eq!(
        ResidentId::parse(" \t\u{3000} "),
        Err(ResidentIdError::Empty)
    );
}

#[test]
fn very_long_input_is_wrong_length() {
    let long = "1".repeat(1_000_000);
    assert_eq!(
        ResidentId::parse(&long),
        Err(ResidentIdError::WrongLength { len: 65 })
    );
    let padded = format!("{}52000019900101001X", " ".repeat(60));
    assert_eq!(
        ResidentId::parse(&padded),
        Err(ResidentIdError::WrongLength { len: 65 })
    );
}

#[test]
fn birth_date_and_sex_are_derived() {
    let man = ResidentId::parse("52000019900101001X").unwrap();
    assert_eq!(man.birth_date(), date(1990, 1, 1));
    assert_eq!(man.sex(), Sex::Male);
    let woman = ResidentId::parse("110000200002290024").unwrap();
    assert_eq!(woman.birth_date(), date(2000, 2, 29));
    assert_eq!(woman.sex(), Sex::Female);
}

#[test]
fn age_counts_completed_years() {
    let id = synthesize("520000", date(2000, 2, 29), 3);
    assert_eq!(id.age_on(date(2018, 2, 28)), 17);
    assert_eq!(id.age_on(date(2018, 3, 1)), 18);
    assert_eq!(id.age_on(date(2024, 2, 29)), 24);
    assert_eq!(id.age_on(date(1999, 1, 1)), 0);
}

#[test]
fn masked_form_keeps_first_six_and_last_four() {
    let id = ResidentId::parse("33000019850615123X").unwrap();
    assert_eq!(id.masked(), "330000********123X");
}

#[test]
fn display_shows_only_the_masked_form() {
    let id = ResidentId::parse("33000019850615123X").unwrap();
    assert_eq!(id.to_string(), "330000********123X");
    assert!(!format!("{id}").contains("19850615"));
}

#[test]
fn check_digit_needs_exactly_seventeen_digits() {
    assert_eq!(check_digit("5200001990010100"), None);
    assert_eq!(check_digit("52000019900101001X"), None);
    assert_eq!(check_digit("5200001990010100a"), None);
    assert_eq!(check_digit("52000019900101001"), Some('X'));
}
