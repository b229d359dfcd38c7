//! The card inside a ticket, past the signature: the fuzzer writes the decrypted card
//! bytes, the target seals and signs them with the fuzz fair's keys exactly as `issue`
//! does, and `verify` must either refuse the card as `Malformed` or return one that
//! re-issues to the very same ticket (so the card layout has one encoding per card).
//!
//! Input: 16 bytes registration id, 12 bytes nonce, then the plaintext card.
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
    let (registration_id, nonce): ([u8; 16], [u8; 12]) = (
        head[..16].try_into().unwrap(),
        head[16..].try_into().unwrap(),
    );
    let text = seal(registration_id, nonce, plain);
    match verify(booth_keys(), FAIR_ID, &text) {
        Ok(ticket) => {
            assert_eq!(ticket.registration_id, registration_id);
            // A card over the text budget decodes (only the fair's key can sign one), but
            // `issue` would cut it: the round trip holds for cards the kiosk can issue.
            if ticket.card.fitted() != ticket.card {
                return;
            }
            let again = issue(fair_keys(), FAIR_ID, registration_id, &ticket.card, nonce);
            assert_eq!(again.as_deref(), Ok(text.as_str()), "{:?}", ticket.card);
        }
        Err(e) => assert_eq!(e, TicketError::Malformed, "{plain:?}"),
    }
});

/// The ticket text for a given card plaintext, laid out as the `ticket` module documents.
fn seal(registration_id: [u8; 16], nonce: [u8; 12], plain: &[u8]) -> String {
    let keys = fair_keys().to_bytes();
    let mut bytes = vec![1u8];
    bytes.extend_from_slice(&Sha256::digest(FAIR_ID.as_bytes())[..4]);
    bytes.extend_from_slice(&registration_id);
    bytes.extend_from_slice(&nonce);
    let key: [u8; 32] = keys[32..].try_into().unwrap();
    let sealed = ChaCha20Poly1305::new(&Key::from(key))
        .encrypt(
            &Nonce::from(nonce),
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
    format!("JK1{}", base32(&bytes))
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
