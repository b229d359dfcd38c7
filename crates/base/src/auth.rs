//! Kiosk tokens: 32 random bytes from the OS (`getrandom`), shown once as hex, stored
//! only as their SHA-256. A presented token is hashed and compared with every stored
//! hash in constant time, so neither the answer nor its timing tells how close a guess was.

use super::{Error, Result};
use sha2::{Digest, Sha256};

/// Random bytes in a token.
pub const TOKEN_BYTES: usize = 32;

/// A fresh token: 64 lowercase hex digits.
pub fn new_token() -> Result<String> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| Error::Random(e.to_string()))?;
    Ok(hex(&bytes))
}

/// Lowercase hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0x0f)] as char);
    }
    out
}

/// Byte strings equal, in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// The token out of an `Authorization: Bearer <token>` header value.
pub fn bearer(header: Option<&str>) -> Option<&str> {
    let value = header?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The kiosk whose token this is among `kiosks` (name, token hash), looking at every
/// kiosk (no early exit).
pub fn kiosk_among(kiosks: &[(String, String)], token: &str) -> Option<String> {
    let presented = sha256_hex(token.as_bytes());
    let mut found = None;
    for (name, stored) in kiosks {
        if constant_time_eq(presented.as_bytes(), stored.as_bytes()) {
            found = Some(name.clone());
        }
    }
    found
}

/// Whether `name` is a valid kiosk name: the kiosk's `kiosk_id`, 1 to 40 of
/// a-z, A-Z, 0-9, '-' and '_'.
pub fn valid_kiosk_name(name: &str) -> bool {
    (1..=40).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_64_hex_digits_and_differ() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn constant_time_eq_compares_whole_strings() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }

    #[test]
    fn bearer_takes_the_token_after_the_scheme() {
        assert_eq!(bearer(Some("Bearer t0k")), Some("t0k"));
        assert_eq!(bearer(Some("bearer  t0k ")), Some("t0k"));
        assert_eq!(bearer(Some("Basic t0k")), None);
        assert_eq!(bearer(Some("Bearer ")), None);
        assert_eq!(bearer(None), None);
    }

    #[test]
    fn sha256_hex_matches_the_known_digest_of_abc() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn kiosk_names_follow_the_kiosk_id_rule() {
        assert!(valid_kiosk_name("kiosk-01_a"));
        assert!(!valid_kiosk_name(""));
        assert!(!valid_kiosk_name("a b"));
        assert!(!valid_kiosk_name(&"x".repeat(41)));
    }
}
