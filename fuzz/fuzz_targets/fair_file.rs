//! The fair file (JSON) and the fair kit around it (`fair install FILE`): the kit goes
//! through the kiosk's own `domain::kit::read` (envelope, format, signature, role and
//! keys), then its fair through `FairFile::from_json`, as `install_kit` does before the
//! store. The fuzzer cannot sign: a kit that reads comes from (variants of) the seed
//! kits, signed with the fuzz fair's key, and must carry keys that round-trip.
#![no_main]

use jobfair_kiosk_fuzz::domain::fair::{FairFile, FairFileError};
use jobfair_kiosk_fuzz::domain::kit::{self, KitKeys, KitRole};
use jobfair_kiosk_fuzz::support::fair_keys;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The kiosk reads both files with `read_to_string`: not UTF-8 never reaches a parser.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    fair_file(text);
    if let Ok(kit) = kit::read(text) {
        fair_file(&kit.fair.to_string());
        assert_eq!(kit.verifier(), fair_keys().verifier(), "only the fuzz fair signs");
        match (kit.role, &kit.keys) {
            (KitRole::Kiosk, KitKeys::Kiosk(k)) => {
                assert_eq!(k.to_bytes(), fair_keys().to_bytes())
            }
            (KitRole::Booth, KitKeys::Booth(_)) => {}
            (role, _) => panic!("a {role:?} kit with the other role's keys"),
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
