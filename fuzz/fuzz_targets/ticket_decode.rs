//! Scanned ticket text → verified against the fuzz fair's keys.
//!
//! The fuzzer cannot forge a signature, so `Ok` comes only from (variants of) the seed
//! tickets; for those, the fields must round-trip: re-issuing the verified card with the
//! same registration id, version and nonce gives back exactly the scanned text (Ed25519
//! and ChaCha20-Poly1305 are deterministic, and `verify_strict` admits one signature
//! only). Format-1 tickets (version 0) are read but no longer issued.
#![no_main]

use jobfair_kiosk_fuzz::domain::ticket::{MAX_SCANNED_BYTES, TicketError, issue, verify};
use jobfair_kiosk_fuzz::support::{FAIR_ID, base32_bytes, booth_keys, fair_keys};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let result = verify(booth_keys(), FAIR_ID, &text);
    // Another fair's booth never accepts it.
    if let Ok(other) = verify(booth_keys(), "another-fair", &text) {
        panic!("verified for the wrong fair: {other:?}");
    }
    let Ok(ticket) = result else {
        if text.len() > MAX_SCANNED_BYTES {
            assert_eq!(result, Err(TicketError::NotATicket));
        }
        return;
    };
    let canonical = text.trim_ascii().to_ascii_uppercase();
    let payload = base32_bytes(&canonical[3..]).expect("a verified ticket is base32");
    let card = &ticket.card;
    assert_eq!(&card.fitted(), card, "a verified card is within the budget");
    assert!((1..=5).contains(&card.openings.len()));
    assert!(!card.openings.contains(&0));
    if canonical.starts_with("JK1") {
        assert_eq!(ticket.version, 0, "format 1 is version 0");
        return;
    }
    assert_eq!(ticket.version, u16::from_be_bytes([payload[21], payload[22]]));
    assert_ne!(ticket.version, 0);
    let nonce: [u8; 10] = payload[23..33].try_into().unwrap();
    let again = issue(
        fair_keys(),
        FAIR_ID,
        ticket.registration_id,
        ticket.version,
        card,
        nonce,
    )
    .unwrap();
    assert_eq!(again, canonical);
});
