//! Typed resident ID numbers (GB 11643): parse, and what a parsed number promises.
#![no_main]

use chrono::{Days, NaiveDate};
use jobfair_kiosk_fuzz::domain::resident_id::{LEN, ResidentId, ResidentIdError, check_digit};
use jobfair_kiosk_fuzz::domain::sex::Sex;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Any 17 characters: the check digit is defined only for 17 ASCII digits.
    if let Some(c) = check_digit(&text) {
        assert!(text.len() == 17 && text.bytes().all(|b| b.is_ascii_digit()));
        assert!(c.is_ascii_digit() || c == 'X');
    }
    match ResidentId::parse(&text) {
        Ok(id) => parsed(&text, &id),
        Err(ResidentIdError::WrongLength { len }) => assert_ne!(len, LEN),
        Err(ResidentIdError::InvalidCharacter { position }) => {
            assert!((1..=LEN).contains(&position))
        }
        Err(_) => {}
    }
});

fn parsed(text: &str, id: &ResidentId) {
    let s = id.as_str();
    // Normalized: 18 ASCII characters, digits and a final upper-case X at most.
    assert_eq!(s.len(), LEN);
    assert!(s[..17].bytes().all(|b| b.is_ascii_digit()), "{s:?}");
    assert_eq!(check_digit(&s[..17]), s.chars().last());
    // The normal form parses to itself (re-formatting gives the same string).
    assert_eq!(ResidentId::parse(s).as_ref(), Ok(id));
    // Only whitespace was dropped and digits/x normalized: same count of non-space chars.
    assert_eq!(text.chars().filter(|c| !c.is_whitespace()).count(), LEN);
    // Birth date, sex, age and masking never panic and agree with the digits.
    let birth = id.birth_date();
    assert_eq!(birth.format("%Y%m%d").to_string(), &s[6..14]);
    assert_eq!(id.sex() == Sex::Male, s.as_bytes()[16] % 2 == 1);
    let masked = id.masked();
    assert_eq!(masked, format!("{}********{}", &s[..6], &s[14..]));
    assert_eq!(id.to_string(), masked);
    assert_eq!(id.age_on(birth), 0);
    let _ = id.age_on(NaiveDate::MAX);
    let _ = id.age_on(NaiveDate::MIN);
    // parse_at refuses exactly the birth dates after `today`.
    assert_eq!(ResidentId::parse_at(s, birth).as_ref(), Ok(id));
    if let Some(day_before) = birth.checked_sub_days(Days::new(1)) {
        assert_eq!(
            ResidentId::parse_at(s, day_before),
            Err(ResidentIdError::BirthDateInFuture)
        );
    }
}
