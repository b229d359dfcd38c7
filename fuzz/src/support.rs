//! Fixed keys, the fair id and small helpers the targets and the seed writer share.

use std::sync::OnceLock;

use crate::domain::lists::EmployerRef;
use crate::domain::ticket::{BoothKeys, FairKeys};

/// The fair every fuzzed ticket belongs to (synthetic).
pub const FAIR_ID: &str = "fuzz-fair-2027-02-18";

/// The fuzz fair's keys: fixed, so seeds written once stay valid tickets.
pub fn fair_keys() -> &'static FairKeys {
    static KEYS: OnceLock<FairKeys> = OnceLock::new();
    KEYS.get_or_init(|| FairKeys::generate(&[0x5a; 64]))
}

/// What a booth of the fuzz fair holds.
pub fn booth_keys() -> &'static BoothKeys {
    static KEYS: OnceLock<BoothKeys> = OnceLock::new();
    KEYS.get_or_init(|| fair_keys().verifier())
}

/// The employers a list is checked against (ids as the openings CSV import makes them).
pub fn employers() -> [EmployerRef<'static>; 2] {
    [
        EmployerRef {
            id: "e1",
            name: "永康五金厂",
            name_en: Some("Yongkang Hardware"),
        },
        EmployerRef {
            id: "e2",
            name: "东莞电子厂",
            name_en: None,
        },
    ]
}

/// RFC 4648 base32 (upper case, no padding) to bytes; `None` on any other character.
/// Only to read a ticket's nonce back in the targets; the kiosk's own decoder is private.
pub fn base32_bytes(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        acc = (acc << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Hex digits to bytes, as a kit's `keys` field is read; `None` unless even-length hex.
pub fn hex_bytes(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}
