//! The QR ticket: what a booth needs to know about a villager, signed and encrypted.
//!
//! A booth device may have no connection to the kiosk and may read the QR code with a
//! keyboard-wedge scanner that *types* the content, so the ticket is plain text in the
//! QR alphanumeric set: `JK2` followed by RFC 4648 base32 without padding (`A-Z2-7`).
//!
//! The base32 decodes to (all integers big-endian):
//!
//! | bytes | field                                                              |
//! |-------|--------------------------------------------------------------------|
//! | 1     | payload version, 2                                                 |
//! | 4     | fair tag: first 4 bytes of SHA-256 of the fair id                  |
//! | 16    | registration id (a UUID)                                           |
//! | 2     | ticket version: 1 for a sign-up's first ticket, + 1 per re-issue   |
//! | 10    | nonce, chosen by the caller                                        |
//! | n+16  | the card, ChaCha20-Poly1305 with the fair's card key, its 12-byte nonce the ticket version and the nonce; AAD = the 33 bytes above |
//! | 64    | Ed25519 signature of the fair over everything before it            |
//!
//! The ticket version is signed: a booth that has seen version 3 of a sign-up refuses
//! version 2 (a villager changed their openings and got a new ticket). Format 1
//! (`JK1`, payload version 1, a 12-byte nonce in place of version and nonce; printed
//! before the version existed) is still read, as ticket version 0: older than any
//! format-2 ticket of the same sign-up.
//!
//! The card (before encryption): a flags byte (bits 0–1 sex: 0 unknown, 1 male, 2 female;
//! bit 2 phone present; bits 3–5 number of openings, 1 to 5; bits 6–7 zero), the birth year
//! as an offset from 1900 (0 = unknown), the phone as a 5-byte integer if shared, the opening
//! ids as u16, then the display name and the home township, each a length byte and UTF-8.
//!
//! Budget: a QR code of version 10 at error correction M holds 311 alphanumeric characters
//! ([`MAX_TICKET_CHARS`]), that is 192 payload bytes, of which 113 are fixed overhead and at
//! most 19 are the card's fixed fields. That leaves [`TEXT_BUDGET_BYTES`] = 60 UTF-8 bytes
//! for the name and township together; [`issue`] cuts them at a character boundary, keeping
//! at least [`NAME_SHARE_BYTES`] (12 Chinese characters) of the name and [`TOWNSHIP_SHARE_BYTES`]
//! (8) of the township when both are long. A typical ticket (3-character name and township,
//! 2 openings, phone) is 234 characters, QR version 9; the smallest is version 8.
//!
//! Pure code: every random value (keys, nonce) is passed in by the caller.

mod base32;
mod card;
mod keys;
mod qr;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod tests;

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, KeyInit, Nonce};
use ed25519_dalek::{Signature, Signer};
use sha2::{Digest, Sha256};

use base32::{base32_decode, base32_encode};
use card::{decode_card, encode_card};

pub use card::Card;
pub use keys::{AT_REST_NONCE_LEN, BoothKeys, FairKeys};
pub use qr::{qr_matrix, qr_version};

/// Most opening ids a ticket carries.
pub const MAX_OPENINGS: usize = 5;
/// UTF-8 bytes shared by the display name and the township on a ticket.
pub const TEXT_BUDGET_BYTES: usize = 60;
/// Bytes of the name that are kept however long the township is.
pub const NAME_SHARE_BYTES: usize = 36;
/// Bytes of the township that are kept however long the name is.
pub const TOWNSHIP_SHARE_BYTES: usize = TEXT_BUDGET_BYTES - NAME_SHARE_BYTES;
/// Longest ticket text: the alphanumeric capacity of a version 10 QR code at level M.
pub const MAX_TICKET_CHARS: usize = 311;
/// Longer scanner input is rejected before any decoding work.
pub const MAX_SCANNED_BYTES: usize = 400;

const PREFIX: &[u8] = b"JK";
const FORMAT_VERSION: u8 = 2;
/// The format before tickets carried a version; read, never issued.
const LEGACY_FORMAT_VERSION: u8 = 1;
/// Random bytes of a format-2 nonce (after the 2-byte ticket version).
pub const NONCE_LEN: usize = 10;
const HEADER_LEN: usize = 1 + 4 + 16 + 2 + NONCE_LEN;
const AEAD_TAG_LEN: usize = 16;
const SIGNATURE_LEN: usize = 64;
const MIN_CARD_LEN: usize = 1 + 1 + 2 + 1 + 1;
const MAX_CARD_LEN: usize = 1 + 1 + 5 + 2 * MAX_OPENINGS + 1 + 1 + TEXT_BUDGET_BYTES;
const MAX_PAYLOAD_LEN: usize = HEADER_LEN + MAX_CARD_LEN + AEAD_TAG_LEN + SIGNATURE_LEN;
const _: () = assert!(PREFIX.len() + 1 + (MAX_PAYLOAD_LEN * 8).div_ceil(5) <= MAX_TICKET_CHARS);

/// Why a ticket could not be issued, read or drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TicketError {
    /// The scanned text is not a job-fair ticket at all.
    #[error("not a job-fair ticket")]
    NotATicket,
    /// A ticket of a newer format than this program reads.
    #[error("ticket format not supported by this version")]
    UnsupportedVersion,
    /// The ticket text or its content is damaged.
    #[error("damaged ticket")]
    Malformed,
    /// A valid-looking ticket of a different fair.
    #[error("ticket of another fair")]
    OtherFair,
    /// The fair's signature does not match: forged, altered or wrong keys.
    #[error("ticket signature invalid")]
    BadSignature,
    /// Signed by the fair but the card key does not open it.
    #[error("ticket card cannot be decrypted with this key")]
    Undecryptable,
    /// More than [`MAX_OPENINGS`] openings chosen.
    #[error("too many openings for one ticket")]
    TooManyOpenings,
    /// No opening chosen.
    #[error("no opening chosen")]
    NoOpenings,
    /// Opening id 0 (ids are 1 to 65535).
    #[error("invalid opening id")]
    BadOpeningId,
    /// The phone is not exactly 11 ASCII digits.
    #[error("phone must be 11 digits")]
    BadPhone,
    /// The birth year is outside 1901..=2155.
    #[error("birth year out of range")]
    BadBirthYear,
    /// Ticket version 0 (versions of issued tickets start at 1).
    #[error("ticket versions start at 1")]
    BadVersion,
    /// The 64 key bytes do not hold a valid Ed25519 verifying key.
    #[error("invalid booth key")]
    InvalidKey,
    /// The text does not fit in any QR code at error correction M.
    #[error("text too long for a QR code")]
    QrTooLarge,
}

/// Shorthand for this module's results.
pub type Result<T> = std::result::Result<T, TicketError>;

/// A ticket whose signature and encryption checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedTicket {
    pub registration_id: [u8; 16],
    /// The ticket version: 1, 2, … per re-issue; 0 for a format-1 ticket.
    pub version: u16,
    pub card: Card,
}

/// Issues version `version` (1 for a sign-up's first ticket, one more per re-issue) of
/// the ticket text for `card` (fitted to the budget first, see [`Card::fitted`]).
/// `nonce` must never repeat under the same keys and version: pass fresh random bytes.
pub fn issue(
    keys: &FairKeys,
    fair_id: &str,
    registration_id: [u8; 16],
    version: u16,
    card: &Card,
    nonce: [u8; NONCE_LEN],
) -> Result<String> {
    if version == 0 {
        return Err(TicketError::BadVersion);
    }
    let plain = encode_card(&card.fitted())?;
    let mut bytes = Vec::with_capacity(MAX_PAYLOAD_LEN);
    bytes.push(FORMAT_VERSION);
    bytes.extend_from_slice(&fair_tag(fair_id));
    bytes.extend_from_slice(&registration_id);
    bytes.extend_from_slice(&version.to_be_bytes());
    bytes.extend_from_slice(&nonce);
    let cipher = ChaCha20Poly1305::new(&Key::from(keys.card_key));
    let nonce = Nonce::try_from(&bytes[21..HEADER_LEN]).map_err(|_| TicketError::Malformed)?;
    // Encryption fails only for messages of many gigabytes; the card is at most 79 bytes.
    let sealed = cipher
        .encrypt(
            &nonce,
            Payload {
                msg: &plain,
                aad: &bytes,
            },
        )
        .map_err(|_| TicketError::Malformed)?;
    bytes.extend_from_slice(&sealed);
    let signature = keys.signing.sign(&bytes);
    bytes.extend_from_slice(&signature.to_bytes());
    let mut text = String::from("JK2");
    text.push_str(&base32_encode(&bytes));
    Ok(text)
}

/// Reads a scanned ticket of format 2 or 1. Tolerates surrounding whitespace and any
/// letter case; nothing else.
pub fn verify(keys: &BoothKeys, fair_id: &str, scanned: &str) -> Result<VerifiedTicket> {
    if scanned.len() > MAX_SCANNED_BYTES {
        return Err(TicketError::NotATicket);
    }
    let text = scanned.trim_ascii().to_ascii_uppercase().into_bytes();
    let (format, body) = match text.strip_prefix(PREFIX) {
        Some([b'1', body @ ..]) => (LEGACY_FORMAT_VERSION, body),
        Some([b'2', body @ ..]) => (FORMAT_VERSION, body),
        Some([b'3'..=b'9', ..]) => return Err(TicketError::UnsupportedVersion),
        _ => return Err(TicketError::NotATicket),
    };
    let bytes = base32_decode(body).ok_or(TicketError::Malformed)?;
    if bytes.len() < HEADER_LEN + MIN_CARD_LEN + AEAD_TAG_LEN + SIGNATURE_LEN || bytes[0] != format
    {
        return Err(TicketError::Malformed);
    }
    let (signed, signature) = bytes.split_at(bytes.len() - SIGNATURE_LEN);
    let (header, sealed) = signed.split_at(HEADER_LEN);
    if header[1..5] != fair_tag(fair_id) {
        return Err(TicketError::OtherFair);
    }
    let signature = Signature::from_slice(signature).map_err(|_| TicketError::BadSignature)?;
    keys.verifying
        .verify_strict(signed, &signature)
        .map_err(|_| TicketError::BadSignature)?;
    let cipher = ChaCha20Poly1305::new(&Key::from(keys.card_key));
    let nonce = Nonce::try_from(&header[21..]).map_err(|_| TicketError::Malformed)?;
    let plain = cipher
        .decrypt(
            &nonce,
            Payload {
                msg: sealed,
                aad: header,
            },
        )
        .map_err(|_| TicketError::Undecryptable)?;
    let card = decode_card(&plain).ok_or(TicketError::Malformed)?;
    let mut registration_id = [0; 16];
    registration_id.copy_from_slice(&header[5..21]);
    let version = match format {
        LEGACY_FORMAT_VERSION => 0,
        _ => match u16::from_be_bytes([header[21], header[22]]) {
            0 => return Err(TicketError::Malformed),
            v => v,
        },
    };
    Ok(VerifiedTicket {
        registration_id,
        version,
        card,
    })
}

fn fair_tag(fair_id: &str) -> [u8; 4] {
    let digest = Sha256::digest(fair_id.as_bytes());
    [digest[0], digest[1], digest[2], digest[3]]
}
