//! The fair file (JSON) and the fair kit around it (`fair install FILE`).
//!
//! The kit envelope below mirrors `KitFile` and the steps of `install_kit` in
//! `src/app/kit.rs` up to the store (that module needs the store, so it is not included):
//! envelope → format check → `FairFile::from_json` of the `fair` value → keys.
#![no_main]

use jobfair_kiosk_fuzz::domain::fair::{FairFile, FairFileError};
use jobfair_kiosk_fuzz::domain::ticket::{BoothKeys, FairKeys};
use libfuzzer_sys::fuzz_target;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KitFile {
    kit: u32,
    role: KitRole,
    fair: serde_json::Value,
    keys: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum KitRole {
    Kiosk,
    Booth,
}

fuzz_target!(|data: &[u8]| {
    // The kiosk reads both files with `read_to_string`: not UTF-8 never reaches a parser.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    fair_file(text);
    if let Ok(kit) = serde_json::from_str::<KitFile>(text)
        && kit.kit == 1
    {
        fair_file(&kit.fair.to_string());
        if let Some(bytes) = hex64(&kit.keys) {
            match kit.role {
                KitRole::Kiosk => assert_eq!(FairKeys::from_bytes(&bytes).to_bytes(), bytes),
                KitRole::Booth => {
                    if let Ok(keys) = BoothKeys::from_bytes(&bytes) {
                        assert_eq!(keys.to_bytes(), bytes);
                    }
                }
            }
        }
    }
});

/// Reads a fair file; an accepted one breaks no rule and survives a JSON round trip.
fn fair_file(text: &str) {
    match FairFile::from_json(text) {
        Ok(fair) => {
            assert!(fair.validate().is_empty());
            let json = serde_json::to_string(&fair).expect("a fair file serializes");
            assert_eq!(FairFile::from_json(&json).as_ref(), Ok(&fair));
            for opening in &fair.openings {
                assert!(fair.employer(&opening.employer).is_some());
                assert_eq!(fair.opening(opening.id).map(|o| o.id), Some(opening.id));
            }
        }
        Err(FairFileError::Syntax { line, column, .. }) => {
            assert!(line >= 1 && column <= text.len() + 1)
        }
        Err(FairFileError::Invalid(violations)) => assert!(!violations.is_empty()),
        Err(FairFileError::Type { .. }) => {}
    }
}

/// `keys::from_hex` of `src/app/keys.rs`: 128 hex digits, surrounding whitespace allowed.
fn hex64(text: &str) -> Option<[u8; 64]> {
    let text = text.trim().as_bytes();
    if text.len() != 128 {
        return None;
    }
    let mut out = [0u8; 64];
    for (byte, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        *byte = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(out)
}
