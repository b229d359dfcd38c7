//! Mainland resident identity card number (公民身份号码, GB 11643-1999).
//!
//! The 18 characters are: a 6-digit address code, the birth date `YYYYMMDD`, a 3-digit
//! sequence number (odd for men, even for women) and a check character computed with
//! ISO 7064 MOD 11-2 (`X` stands for 10).
//!
//! Privacy: the `Display` form of a [`ResidentId`] is the **masked** number
//! (`330784********123X`), so formatting one into a log line or a message never leaks
//! it. Use [`ResidentId::as_str`] where the full number is really needed (the store).

#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

use super::birth_date::{self, BirthDateError};
use super::sex::Sex;

/// Characters in a resident ID number.
pub const LEN: usize = 18;
/// Longer input is rejected before any other work is done.
const MAX_INPUT_CHARS: usize = 64;
/// Earliest birth year accepted ([`birth_date::EARLIEST`]).
const MIN_BIRTH_YEAR: i32 = 1900;
const _: () = assert!(MIN_BIRTH_YEAR == 1900);
/// ISO 7064 MOD 11-2 weights of the first 17 digits.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each remainder of the weighted sum modulo 11.
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
/// Province-level region codes (first two digits), as inclusive ranges.
const PROVINCES: [(u8, u8); 10] = [
    (11, 15),
    (21, 23),
    (31, 37),
    (41, 46),
    (50, 54),
    (61, 65),
    (71, 71),
    (81, 81),
    (82, 82),
    (83, 83),
];

/// Why a typed resident ID number was refused. One variant per cause, so the GUI can
/// show a translated message for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ResidentIdError {
    #[error("the resident ID number is empty")]
    Empty,
    /// `len` counts characters after spaces are removed; for input over 64 characters
    /// counting stops early and `len` is 65.
    #[error("a resident ID number has 18 characters, this one has {len}")]
    WrongLength { len: usize },
    /// `position` is 1-based, counted after spaces are removed.
    #[error("character {position} is not allowed: only digits, and X as the last character")]
    InvalidCharacter { position: usize },
    #[error("the first two digits are not a province-level region code")]
    UnknownRegion,
    #[error("digits 7 to 14 are not a valid birth date")]
    InvalidBirthDate,
    /// After the fair's date ([`birth_date::check`]).
    #[error("the birth date lies after the day of the fair")]
    BirthDateInFuture,
    #[error("the check character does not match; a digit may be mistyped")]
    WrongCheckDigit,
}

/// A validated, normalized resident ID number: 18 ASCII characters, digits and a
/// final upper-case `X`. `Display` shows the masked form (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResidentId(String);

impl ResidentId {
    /// Parses a typed number. Surrounding and inner whitespace is removed, fullwidth
    /// digits and a lower-case or fullwidth `x` are accepted. Checks run in this order:
    /// empty, length, characters, region, birth date, check character.
    pub fn parse(s: &str) -> Result<Self, ResidentIdError> {
        parse_inner(s, None)
    }

    /// As [`ResidentId::parse`], and also applies the birth-date rule of every entry path
    /// ([`birth_date::check`]) for a fair held on `fair_date`: a birth date after it is
    /// [`ResidentIdError::BirthDateInFuture`] (checked right after the birth date itself,
    /// before the check character). Use this wherever an ID comes in to be stored.
    pub fn parse_at(s: &str, fair_date: NaiveDate) -> Result<Self, ResidentIdError> {
        parse_inner(s, Some(fair_date))
    }

    /// The full, unmasked number. Handle with care.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The birth date encoded in digits 7 to 14.
    pub fn birth_date(&self) -> NaiveDate {
        birth_date_of(&self.0).expect("a parsed ResidentId holds a valid birth date")
    }

    /// Sex from the 17th digit: odd is male, even is female.
    pub fn sex(&self) -> Sex {
        if self.0.as_bytes()[16] % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// Completed years of age on `today` (0 if `today` is before the birth date).
    /// Someone born on 29 February turns a year older on 1 March in common years.
    pub fn age_on(&self, today: NaiveDate) -> u32 {
        let birth = self.birth_date();
        let mut years = today.year() - birth.year();
        if (today.month(), today.day()) < (birth.month(), birth.day()) {
            years -= 1;
        }
        u32::try_from(years).unwrap_or(0)
    }

    /// The number with the birth date and sequence hidden: first 6, eight `*`, last 4.
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.0[..6], &self.0[14..])
    }
}

/// Shows the **masked** number, never the full one.
impl fmt::Display for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.masked())
    }
}

impl FromStr for ResidentId {
    type Err = ResidentIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// The check character for the first 17 digits, or `None` unless `first17` is exactly
/// 17 ASCII digits.
pub fn check_digit(first17: &str) -> Option<char> {
    let bytes = first17.as_bytes();
    if bytes.len() != 17 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = bytes
        .iter()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(CHECK_CHARS[(sum % 11) as usize])
}

/// Builds a valid number from a 6-digit address code, a birth date and a sequence
/// number `0..=999` (digits 15 to 17; odd for male). **Synthetic test data only**: for
/// tests, demo data and benches, never to stand for a real person. Prefer a
/// province-level code such as `"520000"`, which is not given to individuals.
///
/// # Panics
/// If `region` is not 6 digits starting with a known province code, the birth year is
/// before 1900 or after 9999, or `seq` is over 999.
pub fn synthesize(region: &str, birth: NaiveDate, seq: u16) -> ResidentId {
    assert!(
        region.len() == 6 && region.bytes().all(|b| b.is_ascii_digit()),
        "region must be 6 digits"
    );
    assert!(
        is_known_province(&region[..2]),
        "unknown province code {region}"
    );
    assert!(
        (MIN_BIRTH_YEAR..=9999).contains(&birth.year()),
        "birth year out of range"
    );
    assert!(seq <= 999, "seq must be 0..=999");
    let mut number = format!("{region}{}{seq:03}", birth.format("%Y%m%d"));
    let check = check_digit(&number).expect("17 digits were just built");
    number.push(check);
    ResidentId(number)
}

fn parse_inner(s: &str, fair_date: Option<NaiveDate>) -> Result<ResidentId, ResidentIdError> {
    if s.chars().nth(MAX_INPUT_CHARS).is_some() {
        return Err(ResidentIdError::WrongLength {
            len: MAX_INPUT_CHARS + 1,
        });
    }
    let number: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(normalize_char)
        .collect();
    let len = number.chars().count();
    if len == 0 {
        return Err(ResidentIdError::Empty);
    }
    if len != LEN {
        return Err(ResidentIdError::WrongLength { len });
    }
    for (i, ch) in number.chars().enumerate() {
        if !(ch.is_ascii_digit() || (ch == 'X' && i == LEN - 1)) {
            return Err(ResidentIdError::InvalidCharacter { position: i + 1 });
        }
    }
    // From here on `number` is 18 ASCII characters, so byte slicing is safe.
    if !is_known_province(&number[..2]) {
        return Err(ResidentIdError::UnknownRegion);
    }
    let birth = birth_date_of(&number).ok_or(ResidentIdError::InvalidBirthDate)?;
    if let Some(fair_date) = fair_date {
        match birth_date::check(birth, fair_date) {
            Ok(()) => {}
            Err(BirthDateError::AfterFair) => return Err(ResidentIdError::BirthDateInFuture),
            Err(BirthDateError::BeforeEarliest) => return Err(ResidentIdError::InvalidBirthDate),
        }
    }
    if check_digit(&number[..17]) != number.chars().last() {
        return Err(ResidentIdError::WrongCheckDigit);
    }
    Ok(ResidentId(number))
}

/// Maps fullwidth digits to ASCII and every form of `x` to `X`.
fn normalize_char(ch: char) -> char {
    match ch {
        '０'..='９' => char::from(b'0' + (ch as u32 - '０' as u32) as u8),
        'x' | 'Ｘ' | 'ｘ' => 'X',
        _ => ch,
    }
}

fn is_known_province(two_digits: &str) -> bool {
    two_digits
        .parse::<u8>()
        .is_ok_and(|code| PROVINCES.iter().any(|&(lo, hi)| (lo..=hi).contains(&code)))
}

/// The birth date in characters 7 to 14 of an 18-character ASCII number.
fn birth_date_of(number: &str) -> Option<NaiveDate> {
    let year: i32 = number.get(6..10)?.parse().ok()?;
    let month: u32 = number.get(10..12)?.parse().ok()?;
    let day: u32 = number.get(12..14)?.parse().ok()?;
    if year < MIN_BIRTH_YEAR {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}
