//! The card inside a ticket, past the signature: the fuzzer writes the decrypted card
//! bytes, the target seals and signs them with the fuzz fair's keys exactly as `issue`
//! does, and `verify` must either refuse the card as `Malformed` or return one that
//! re-issues to the very same ticket (so the card layout has one encoding per card).
//!
//! Input: 16 bytes registration id, 2 bytes ticket version, 10 bytes nonce, then the
//! plaintext card (format 2).
#![no_main]

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, KeyInit, Nonce};
use ed25519_dalek::{Signer, SigningKey};
use jobfair_kiosk_fuzz::domain::ticket::{MAX_SCANNED_BYTES, TicketError, issue, verify};
use jobfair_kiosk_fuzz::support::{FAIR_ID, booth_keys, fair_keys};
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};

/// Card bytes that still fit in [`MAX_SCANNED_BYTES`] characters of ticket text.
const MAX_PLAIN: usize = (MAX_SCANNED_BYTES - 3) * 5 / 8 - 113;

fuzz_target!(|data: &[u8]| {
    let Some((head, plain)) = data.split_at_checked(28) else {
        return;
    };
    // Longer cards make texts over MAX_SCANNED_BYTES, refused before any decoding.
    if plain.len() > MAX_PLAIN {
        return;
    }
    let registration_id: [u8; 16] = head[..16].try_into().unwrap();
    let version = u16::from_be_bytes([head[16], head[17]]);
    let nonce: [u8; 10] = head[18..].try_into().unwrap();
    let text = seal(registration_id, version, nonce, plain);
    match verify(booth_keys(), FAIR_ID, &text) {
        Ok(ticket) => {
            assert_eq!(ticket.registration_id, registration_id);
            assert_eq!(ticket.version, version);
            // A card over the text budget decodes (only the fair's key can sign one), but
            // `issue` would cut it: the round trip holds for cards the kiosk can issue.
            if ticket.card.fitted() != ticket.card {
                return;
            }
            let again = issue(
                fair_keys(),
                FAIR_ID,
                registration_id,
                version,
                &ticket.card,
                nonce,
            );
            assert_eq!(again.as_deref(), Ok(text.as_str()), "{:?}", ticket.card);
        }
        Err(e) => assert_eq!(e, TicketError::Malformed, "{plain:?}"),
    }
});

/// The ticket text for a given card plaintext, laid out as the `ticket` module documents
/// (format 2; version 0, which `issue` never makes, must be refused as malformed).
fn seal(registration_id: [u8; 16], version: u16, nonce: [u8; 10], plain: &[u8]) -> String {
    let keys = fair_keys().to_bytes();
    let mut bytes = vec![2u8];
    bytes.extend_from_slice(&Sha256::digest(FAIR_ID.as_bytes())[..4]);
    bytes.extend_from_slice(&registration_id);
    bytes.extend_from_slice(&version.to_be_bytes());
    bytes.extend_from_slice(&nonce);
    let key: [u8; 32] = keys[32..].try_into().unwrap();
    let chacha_nonce: [u8; 12] = bytes[21..33].try_into().unwrap();
    let sealed = ChaCha20Poly1305::new(&Key::from(key))
        .encrypt(
            &Nonce::from(chacha_nonce),
            Payload {
                msg: plain,
                aad: &bytes,
            },
        )
        .unwrap();
    bytes.extend_from_slice(&sealed);
    let seed: [u8; 32] = keys[..32].try_into().unwrap();
    let signature = SigningKey::from_bytes(&seed).sign(&bytes);
    bytes.extend_from_slice(&signature.to_bytes());
    format!("JK2{}", base32(&bytes))
}

fn base32(data: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for &byte in data {
        acc = (acc << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((acc >> bits) & 31) as usize]));
        }
        acc &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((acc << (5 - bits)) & 31) as usize]));
    }
    out
}
