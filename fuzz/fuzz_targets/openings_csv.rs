//! The openings CSV of `openings import FILE.csv`: bytes → employers and openings.
#![no_main]

use std::collections::HashSet;

use jobfair_kiosk_fuzz::domain::fair::{MAX_OPENINGS, validate_employer, validate_opening};
use jobfair_kiosk_fuzz::domain::fair_csv::{CsvImportError, parse_openings_csv};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse_openings_csv(data) {
        Ok((employers, openings)) => {
            assert!(!openings.is_empty() && openings.len() <= MAX_OPENINGS);
            for (i, e) in employers.iter().enumerate() {
                assert_eq!(e.id, format!("e{}", i + 1));
                assert!(validate_employer(e).is_empty(), "{e:?}");
            }
            let names: HashSet<&str> = employers.iter().map(|e| e.name.as_str()).collect();
            assert_eq!(names.len(), employers.len(), "one employer per name");
            let mut ids = HashSet::new();
            for o in &openings {
                assert!(validate_opening(o).is_empty(), "{o:?}");
                assert!(ids.insert(o.id), "opening id {} twice", o.id);
                assert!(employers.iter().any(|e| e.id == o.employer));
            }
            // Every employer is named by some opening.
            for e in &employers {
                assert!(openings.iter().any(|o| o.employer == e.id));
            }
        }
        Err(CsvImportError::NotUtf8) => {
            let body = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
            assert!(std::str::from_utf8(body).is_err());
        }
        Err(CsvImportError::Rows(errors)) => assert!(!errors.is_empty()),
        Err(CsvImportError::Header(_) | CsvImportError::NoOpenings) => {}
    }
});
