//! Mainland mobile phone numbers (11 digits, `1[3-9]…`).
//!
//! Privacy: the `Display` form of a [`Phone`] is the **masked** number (`138****5678`),
//! so formatting one into a log line never leaks it. Use [`Phone::as_str`] where the
//! full number is really needed.

use std::fmt;
use std::str::FromStr;

/// Digits in a mainland mobile number.
pub const DIGITS: usize = 11;
/// Longer input is rejected before any other work is done.
const MAX_INPUT_CHARS: usize = 32;

/// Why a typed phone number was refused. One variant per cause, so the GUI can show a
/// translated message for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("the phone number is empty")]
    Empty,
    #[error("'{ch}' is not allowed in a phone number")]
    InvalidCharacter { ch: char },
    /// `digits` counts the digits left after a country prefix is removed.
    #[error("a mobile number has 11 digits, this one has {digits}")]
    WrongLength { digits: usize },
    #[error("not a mainland mobile number (it must start with 13 to 19)")]
    NotMobile,
    #[error("the phone number is far too long")]
    TooLong,
}

/// A validated mainland mobile number, normalized to 11 ASCII digits.
/// `Display` shows the masked form (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    /// Parses a typed number. Accepts spaces, hyphens, fullwidth digits (０-９) and a
    /// leading country prefix `+86`, `0086` or `86`. Without a `+`, `0086` and `86` are
    /// only taken as a prefix when exactly 11 digits remain (15 or 13 digits in all).
    /// Input over 32 characters is refused as [`PhoneError::TooLong`] before anything else.
    pub fn parse(s: &str) -> Result<Self, PhoneError> {
        if s.chars().nth(MAX_INPUT_CHARS).is_some() {
            return Err(PhoneError::TooLong);
        }
        let (plus, digits) = collect_digits(s.trim())?;
        if digits.is_empty() {
            return Err(PhoneError::Empty);
        }
        let national = if plus {
            // An international number other than +86 is not a mainland mobile.
            digits.strip_prefix("86").ok_or(PhoneError::NotMobile)?
        } else if digits.len() == DIGITS + 4 && digits.starts_with("0086") {
            &digits[4..]
        } else if digits.len() == DIGITS + 2 && digits.starts_with("86") {
            &digits[2..]
        } else {
            &digits[..]
        };
        if national.len() != DIGITS {
            return Err(PhoneError::WrongLength {
                digits: national.len(),
            });
        }
        let bytes = national.as_bytes();
        if bytes[0] != b'1' || !(b'3'..=b'9').contains(&bytes[1]) {
            return Err(PhoneError::NotMobile);
        }
        Ok(Phone(national.to_owned()))
    }

    /// The full 11 digits. Handle with care.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The last four digits (what staff read out to find a ticket).
    pub fn last4(&self) -> &str {
        &self.0[DIGITS - 4..]
    }

    /// First three digits, four `*`, last four: `138****5678`.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], self.last4())
    }
}

/// Shows the **masked** number, never the full one.
impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.masked())
    }
}

impl FromStr for Phone {
    type Err = PhoneError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Splits trimmed input into "had a leading plus" and its ASCII digits, skipping
/// spaces and hyphens. A plus anywhere but first is an invalid character.
fn collect_digits(s: &str) -> Result<(bool, String), PhoneError> {
    let mut plus = false;
    let mut digits = String::with_capacity(MAX_INPUT_CHARS);
    for (i, ch) in s.chars().enumerate() {
        match ch {
            '0'..='9' => digits.push(ch),
            '０'..='９' => digits.push(char::from(b'0' + (ch as u32 - '０' as u32) as u8)),
            '+' | '＋' if i == 0 => plus = true,
            '-' | '－' => {}
            c if c.is_whitespace() => {}
            _ => return Err(PhoneError::InvalidCharacter { ch }),
        }
    }
    Ok((plus, digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(s: &str) -> Result<String, PhoneError> {
        Phone::parse(s).map(|p| p.as_str().to_owned())
    }

    #[test]
    fn plain_number_is_accepted() {
        assert_eq!(parsed("13800138000").as_deref(), Ok("13800138000"));
        assert_eq!(parsed("19912345678").as_deref(), Ok("19912345678"));
    }

    #[test]
    fn spaced_number_is_normalized() {
        assert_eq!(parsed(" 138 0013 8000 ").as_deref(), Ok("13800138000"));
    }

    #[test]
    fn plus_86_with_hyphens_is_normalized() {
        assert_eq!(parsed("+86 138-0013-8000").as_deref(), Ok("13800138000"));
        assert_eq!(parsed("＋86 13800138000").as_deref(), Ok("13800138000"));
    }

    #[test]
    fn double_zero_86_prefix_is_removed() {
        assert_eq!(parsed("008613800138000").as_deref(), Ok("13800138000"));
    }

    #[test]
    fn bare_86_prefix_is_removed_only_at_thirteen_digits() {
        assert_eq!(parsed("8613800138000").as_deref(), Ok("13800138000"));
        assert_eq!(
            parsed("861380013800"),
            Err(PhoneError::WrongLength { digits: 12 })
        );
    }

    #[test]
    fn ten_and_twelve_digits_are_wrong_length() {
        assert_eq!(
            parsed("1380013800"),
            Err(PhoneError::WrongLength { digits: 10 })
        );
        assert_eq!(
            parsed("138001380001"),
            Err(PhoneError::WrongLength { digits: 12 })
        );
        assert_eq!(
            parsed("+86 1380013800"),
            Err(PhoneError::WrongLength { digits: 10 })
        );
    }

    #[test]
    fn letters_are_invalid_characters() {
        assert_eq!(
            parsed("138OO138000"),
            Err(PhoneError::InvalidCharacter { ch: 'O' })
        );
        assert_eq!(
            parsed("138a0138000"),
            Err(PhoneError::InvalidCharacter { ch: 'a' })
        );
    }

    #[test]
    fn plus_after_the_start_is_an_invalid_character() {
        assert_eq!(
            parsed("138+00138000"),
            Err(PhoneError::InvalidCharacter { ch: '+' })
        );
    }

    #[test]
    fn numbers_not_starting_13_to_19_are_not_mobile() {
        assert_eq!(parsed("12345678901"), Err(PhoneError::NotMobile));
        assert_eq!(parsed("23800138000"), Err(PhoneError::NotMobile));
        assert_eq!(parsed("+1 2025550123"), Err(PhoneError::NotMobile));
    }

    #[test]
    fn empty_input_is_empty() {
        assert_eq!(parsed(""), Err(PhoneError::Empty));
        assert_eq!(parsed("  - "), Err(PhoneError::Empty));
        assert_eq!(parsed("+"), Err(PhoneError::Empty));
    }

    #[test]
    fn fullwidth_digits_are_normalized() {
        assert_eq!(
            parsed("１３８００１３８０００").as_deref(),
            Ok("13800138000")
        );
    }

    #[test]
    fn input_over_32_characters_is_too_long() {
        assert_eq!(parsed(&"1".repeat(33)), Err(PhoneError::TooLong));
        assert_eq!(parsed(&" ".repeat(100_000)), Err(PhoneError::TooLong));
    }

    #[test]
    fn last4_and_masked_show_only_the_ends() {
        let phone = Phone::parse("13812345678").unwrap();
        assert_eq!(phone.last4(), "5678");
        assert_eq!(phone.masked(), "138****5678");
    }

    #[test]
    fn display_shows_only_the_masked_form() {
        let phone = Phone::parse("13812345678").unwrap();
        assert_eq!(phone.to_string(), "138****5678");
    }
}
