//! How personal numbers are written where they need not be whole: the masking policy
//! of every export, on the kiosk and on the base (PIPL: minimum necessary).
//!
//! A resident ID keeps its region (6) and its last 4 characters:
//! `330784********123X`; a phone keeps 3 + 4 digits: `138****5678`. A value that does
//! not parse (an old record, a damaged row) is masked all the same, never shown whole.

use jobfair_domain::phone::Phone;
use jobfair_domain::resident_id::ResidentId;
use serde::{Deserialize, Serialize};

/// Whether an export writes phones and resident IDs whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Masking {
    /// The default: [`phone`] and [`resident_id`] masks.
    #[default]
    Masked,
    /// Full numbers: only after a credential is checked again, and audited.
    Unmasked,
}

impl Masking {
    /// `raw` phone as this policy writes it.
    pub fn phone(self, raw: &str) -> String {
        match self {
            Masking::Masked => phone(raw),
            Masking::Unmasked => raw.to_string(),
        }
    }

    /// `raw` resident ID as this policy writes it.
    pub fn resident_id(self, raw: &str) -> String {
        match self {
            Masking::Masked => resident_id(raw),
            Masking::Unmasked => raw.to_string(),
        }
    }

    /// The word for file names and reports: `masked` / `unmasked`.
    pub fn as_str(self) -> &'static str {
        match self {
            Masking::Masked => "masked",
            Masking::Unmasked => "unmasked",
        }
    }
}

/// `138****5678`; anything else keeps 3 + 4 characters only when at least 4 are masked.
pub fn phone(raw: &str) -> String {
    Phone::parse(raw).map_or_else(|_| other(raw, 3, 4), |p| p.masked())
}

/// `330784********123X`; anything else keeps 6 + 4 characters only when at least 4 are
/// masked.
pub fn resident_id(raw: &str) -> String {
    ResidentId::parse(raw).map_or_else(|_| other(raw, 6, 4), |r| r.masked())
}

/// Keeps `head` and `tail` characters when at least 4 others are masked; else stars only.
fn other(raw: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = raw.chars().collect();
    let n = chars.len();
    if n < head + tail + 4 {
        return "*".repeat(n);
    }
    let mut out: String = chars[..head].iter().collect();
    out.push_str(&"*".repeat(n - head - tail));
    out.extend(&chars[n - tail..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_numbers_keep_their_ends() {
        assert_eq!(phone("13800138000"), "138****8000");
        assert_eq!(resident_id("11010519491231002X"), "110105********002X");
    }

    #[test]
    fn unparseable_values_are_still_masked() {
        assert_eq!(phone("12345678901"), "123****8901");
        assert_eq!(phone("12345"), "*****");
        assert_eq!(resident_id("123456789012345678"), "123456********5678");
        assert_eq!(resident_id("1234567"), "*******");
        assert_eq!(phone(""), "");
    }

    #[test]
    fn unmasked_writes_the_value_whole() {
        assert_eq!(Masking::Unmasked.phone("13800138000"), "13800138000");
        assert_eq!(Masking::Masked.phone("13800138000"), "138****8000");
        assert_eq!(Masking::default(), Masking::Masked);
    }
}
