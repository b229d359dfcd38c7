//! The QR ticket: what a booth needs to know about a villager, signed and encrypted.
//!
//! A booth device may have no connection to the kiosk and may read the QR code with a
//! keyboard-wedge scanner that *types* the content, so the ticket is plain text in the
//! QR alphanumeric set: `JK1` followed by RFC 4648 base32 without padding (`A-Z2-7`).
//!
//! The base32 decodes to (all integers big-endian):
//!
//! | bytes | field                                                              |
//! |-------|--------------------------------------------------------------------|
//! | 1     | payload version, 1                                                 |
//! | 4     | fair tag: first 4 bytes of SHA-256 of the fair id                  |
//! | 16    | registration id (a UUID)                                           |
//! | 12    | nonce, chosen by the caller                                        |
//! | n+16  | the card, ChaCha20-Poly1305 with the fair's card key; AAD = the 33 bytes above |
//! | 64    | Ed25519 signature of the fair over everything before it            |
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

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, KeyInit, Nonce};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use qrcode::bits::Bits;
use qrcode::{Color, EcLevel, QrCode, Version};
use sha2::{Digest, Sha256};

use super::sex::Sex;

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
const FORMAT_VERSION: u8 = 1;
const HEADER_LEN: usize = 1 + 4 + 16 + 12;
const AEAD_TAG_LEN: usize = 16;
const SIGNATURE_LEN: usize = 64;
const MIN_CARD_LEN: usize = 1 + 1 + 2 + 1 + 1;
const MAX_CARD_LEN: usize = 1 + 1 + 5 + 2 * MAX_OPENINGS + 1 + 1 + TEXT_BUDGET_BYTES;
const MAX_PAYLOAD_LEN: usize = HEADER_LEN + MAX_CARD_LEN + AEAD_TAG_LEN + SIGNATURE_LEN;
const _: () = assert!(PREFIX.len() + 1 + (MAX_PAYLOAD_LEN * 8).div_ceil(5) <= MAX_TICKET_CHARS);

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const QR_ALPHANUMERIC: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
const MAX_PHONE: u64 = 99_999_999_999;

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
    /// The 64 key bytes do not hold a valid Ed25519 verifying key.
    #[error("invalid booth key")]
    InvalidKey,
    /// The text does not fit in any QR code at error correction M.
    #[error("text too long for a QR code")]
    QrTooLarge,
}

/// Shorthand for this module's results.
pub type Result<T> = std::result::Result<T, TicketError>;

/// A fair's secrets, held by its kiosks: the Ed25519 signing key and the card key.
#[derive(Clone)]
pub struct FairKeys {
    signing: SigningKey,
    card_key: [u8; 32],
}

impl FairKeys {
    /// Keys from their stored form: 32-byte Ed25519 seed, then 32-byte card key.
    pub fn from_bytes(bytes: &[u8; 64]) -> FairKeys {
        let (seed, card) = split_64(bytes);
        FairKeys {
            signing: SigningKey::from_bytes(&seed),
            card_key: card,
        }
    }

    /// The stored form read by [`FairKeys::from_bytes`].
    pub fn to_bytes(&self) -> [u8; 64] {
        join_64(&self.signing.to_bytes(), &self.card_key)
    }

    /// New keys from 64 bytes of the caller's cryptographic randomness.
    pub fn generate(random: &[u8; 64]) -> FairKeys {
        FairKeys::from_bytes(random)
    }

    /// What a booth device needs to read tickets (it cannot issue them).
    pub fn verifier(&self) -> BoothKeys {
        BoothKeys {
            verifying: self.signing.verifying_key(),
            card_key: self.card_key,
        }
    }
}

impl std::fmt::Debug for FairKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FairKeys")
            .field("verifying", &self.signing.verifying_key())
            .finish_non_exhaustive()
    }
}

/// What a booth device holds: the fair's Ed25519 verifying key and the card key.
#[derive(Clone, PartialEq, Eq)]
pub struct BoothKeys {
    verifying: VerifyingKey,
    card_key: [u8; 32],
}

impl BoothKeys {
    /// Keys from their stored form: 32-byte verifying key, then 32-byte card key.
    pub fn from_bytes(bytes: &[u8; 64]) -> Result<BoothKeys> {
        let (public, card) = split_64(bytes);
        let verifying = VerifyingKey::from_bytes(&public).map_err(|_| TicketError::InvalidKey)?;
        if verifying.is_weak() {
            return Err(TicketError::InvalidKey);
        }
        Ok(BoothKeys {
            verifying,
            card_key: card,
        })
    }

    /// The stored form read by [`BoothKeys::from_bytes`].
    pub fn to_bytes(&self) -> [u8; 64] {
        join_64(&self.verifying.to_bytes(), &self.card_key)
    }
}

impl std::fmt::Debug for BoothKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BoothKeys")
            .field("verifying", &self.verifying)
            .finish_non_exhaustive()
    }
}

fn split_64(bytes: &[u8; 64]) -> ([u8; 32], [u8; 32]) {
    let (mut a, mut b) = ([0; 32], [0; 32]);
    a.copy_from_slice(&bytes[..32]);
    b.copy_from_slice(&bytes[32..]);
    (a, b)
}

fn join_64(a: &[u8; 32], b: &[u8; 32]) -> [u8; 64] {
    let mut out = [0; 64];
    out[..32].copy_from_slice(a);
    out[32..].copy_from_slice(b);
    out
}

/// What the ticket tells a booth about the villager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub name: String,
    pub birth_year: Option<u16>,
    pub sex: Option<Sex>,
    pub township: String,
    /// Chosen opening ids, 1 to [`MAX_OPENINGS`] of them, each non-zero.
    pub openings: Vec<u16>,
    /// 11 digits, present only if the villager consented to share it.
    pub phone: Option<String>,
}

impl Card {
    /// The card as a ticket carries it: name and township cut at a character boundary to
    /// [`TEXT_BUDGET_BYTES`] together (see the module documentation).
    pub fn fitted(&self) -> Card {
        let name_cap = NAME_SHARE_BYTES.max(TEXT_BUDGET_BYTES.saturating_sub(self.township.len()));
        let name = cut(&self.name, name_cap);
        let township = cut(&self.township, TEXT_BUDGET_BYTES - name.len());
        Card {
            name: name.to_owned(),
            township: township.to_owned(),
            ..self.clone()
        }
    }
}

/// The longest prefix of `s` of at most `max` bytes that ends at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A ticket whose signature and encryption checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedTicket {
    pub registration_id: [u8; 16],
    pub card: Card,
}

/// Issues the ticket text for `card` (fitted to the budget first, see [`Card::fitted`]).
/// `nonce` must never repeat under the same keys: pass fresh random bytes.
pub fn issue(
    keys: &FairKeys,
    fair_id: &str,
    registration_id: [u8; 16],
    card: &Card,
    nonce: [u8; 12],
) -> Result<String> {
    let plain = encode_card(&card.fitted())?;
    let mut bytes = Vec::with_capacity(MAX_PAYLOAD_LEN);
    bytes.push(FORMAT_VERSION);
    bytes.extend_from_slice(&fair_tag(fair_id));
    bytes.extend_from_slice(&registration_id);
    bytes.extend_from_slice(&nonce);
    let cipher = ChaCha20Poly1305::new(&Key::from(keys.card_key));
    // Encryption fails only for messages of many gigabytes; the card is at most 79 bytes.
    let sealed = cipher
        .encrypt(
            &Nonce::from(nonce),
            Payload {
                msg: &plain,
                aad: &bytes,
            },
        )
        .map_err(|_| TicketError::Malformed)?;
    bytes.extend_from_slice(&sealed);
    let signature = keys.signing.sign(&bytes);
    bytes.extend_from_slice(&signature.to_bytes());
    let mut text = String::from("JK1");
    text.push_str(&base32_encode(&bytes));
    Ok(text)
}

/// Reads a scanned ticket. Tolerates surrounding whitespace and any letter case; nothing else.
pub fn verify(keys: &BoothKeys, fair_id: &str, scanned: &str) -> Result<VerifiedTicket> {
    if scanned.len() > MAX_SCANNED_BYTES {
        return Err(TicketError::NotATicket);
    }
    let text = scanned.trim_ascii().to_ascii_uppercase().into_bytes();
    let body = match text.strip_prefix(PREFIX) {
        Some([b'1', body @ ..]) => body,
        Some([b'2'..=b'9', ..]) => return Err(TicketError::UnsupportedVersion),
        _ => return Err(TicketError::NotATicket),
    };
    let bytes = base32_decode(body).ok_or(TicketError::Malformed)?;
    if bytes.len() < HEADER_LEN + MIN_CARD_LEN + AEAD_TAG_LEN + SIGNATURE_LEN
        || bytes[0] != FORMAT_VERSION
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
    Ok(VerifiedTicket {
        registration_id,
        card,
    })
}

fn fair_tag(fair_id: &str) -> [u8; 4] {
    let digest = Sha256::digest(fair_id.as_bytes());
    [digest[0], digest[1], digest[2], digest[3]]
}

fn encode_card(card: &Card) -> Result<Vec<u8>> {
    let count = card.openings.len();
    match count {
        0 => return Err(TicketError::NoOpenings),
        n if n > MAX_OPENINGS => return Err(TicketError::TooManyOpenings),
        _ => {}
    }
    if card.openings.contains(&0) {
        return Err(TicketError::BadOpeningId);
    }
    let phone = card.phone.as_deref().map(parse_phone).transpose()?;
    let year = match card.birth_year {
        None => Some(0),
        Some(y) => y
            .checked_sub(1900)
            .and_then(|o| u8::try_from(o).ok())
            .filter(|&o| o > 0),
    }
    .ok_or(TicketError::BadBirthYear)?;
    let sex = match card.sex {
        None => 0,
        Some(Sex::Male) => 1,
        Some(Sex::Female) => 2,
    };
    // `count` is 1..=5 here, so the cast is exact.
    let mut out = vec![
        sex | (u8::from(phone.is_some()) << 2) | ((count as u8) << 3),
        year,
    ];
    if let Some(phone) = phone {
        out.extend_from_slice(&phone.to_be_bytes()[3..]);
    }
    for id in &card.openings {
        out.extend_from_slice(&id.to_be_bytes());
    }
    for text in [&card.name, &card.township] {
        // Fitted texts are at most TEXT_BUDGET_BYTES long.
        out.push(u8::try_from(text.len()).map_err(|_| TicketError::Malformed)?);
        out.extend_from_slice(text.as_bytes());
    }
    Ok(out)
}

fn parse_phone(phone: &str) -> Result<u64> {
    if phone.len() != 11 || !phone.bytes().all(|b| b.is_ascii_digit()) {
        return Err(TicketError::BadPhone);
    }
    phone.parse().map_err(|_| TicketError::BadPhone)
}

/// Parses a decrypted card; `None` for any deviation from the layout.
fn decode_card(bytes: &[u8]) -> Option<Card> {
    let mut rest = bytes;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, tail) = rest.split_at_checked(n)?;
        rest = tail;
        Some(head)
    };
    let (flags, year) = match take(2)? {
        &[flags, year] => (flags, year),
        _ => return None,
    };
    let sex = match flags & 0b11 {
        0 => None,
        1 => Some(Sex::Male),
        2 => Some(Sex::Female),
        _ => return None,
    };
    let count = usize::from((flags >> 3) & 0b111);
    if flags >> 6 != 0 || !(1..=MAX_OPENINGS).contains(&count) {
        return None;
    }
    let phone = if flags & 0b100 != 0 {
        let n = take(5)?
            .iter()
            .fold(0u64, |acc, &b| acc << 8 | u64::from(b));
        Some(format!("{:011}", Some(n).filter(|&n| n <= MAX_PHONE)?))
    } else {
        None
    };
    let openings: Vec<u16> = take(2 * count)?
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    if openings.contains(&0) {
        return None;
    }
    let mut text = || -> Option<String> {
        let len = usize::from(*take(1)?.first()?);
        String::from_utf8(take(len)?.to_vec()).ok()
    };
    let (name, township) = (text()?, text()?);
    if !rest.is_empty() {
        return None;
    }
    let birth_year = (year != 0).then(|| 1900 + u16::from(year));
    Some(Card {
        name,
        birth_year,
        sex,
        township,
        openings,
        phone,
    })
}

fn base32_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity((data.len() * 8).div_ceil(5));
    let (mut acc, mut bits) = (0u32, 0u32);
    for &byte in data {
        acc = (acc << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(BASE32[((acc >> bits) & 31) as usize]));
        }
        acc &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(char::from(BASE32[((acc << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Decodes upper-case unpadded base32; `None` unless `text` is the canonical encoding of
/// some bytes (valid length, only alphabet characters, zero trailing bits).
fn base32_decode(text: &[u8]) -> Option<Vec<u8>> {
    if matches!(text.len() % 8, 1 | 3 | 6) {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in text {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        acc = (acc << 5) | u32::from(value);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    (acc == 0).then_some(out)
}

/// The smallest QR encoding of `text` in alphanumeric mode at error correction M.
fn qr_bits(text: &str) -> Result<Bits> {
    if !text.bytes().all(|b| QR_ALPHANUMERIC.contains(&b)) {
        return Err(TicketError::NotATicket);
    }
    for version in 1..=40 {
        let mut bits = Bits::new(Version::Normal(version));
        if bits.push_alphanumeric_data(text.as_bytes()).is_ok()
            && bits.push_terminator(EcLevel::M).is_ok()
        {
            return Ok(bits);
        }
    }
    Err(TicketError::QrTooLarge)
}

/// The QR version (1 to 40) that [`qr_matrix`] uses for `text`, or `None` if it cannot.
pub fn qr_version(text: &str) -> Option<u8> {
    match qr_bits(text).ok()?.version() {
        Version::Normal(v) => u8::try_from(v).ok(),
        Version::Micro(_) => None,
    }
}

/// The QR code of `text` (alphanumeric mode, error correction M, smallest version):
/// its width in modules and the modules row by row, `true` = dark. No quiet zone.
/// Text outside the QR alphanumeric set gives [`TicketError::NotATicket`].
pub fn qr_matrix(text: &str) -> Result<(usize, Vec<bool>)> {
    let code =
        QrCode::with_bits(qr_bits(text)?, EcLevel::M).map_err(|_| TicketError::QrTooLarge)?;
    Ok((
        code.width(),
        code.to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAIR: &str = "test-fair-2027-02-18";
    const REG: [u8; 16] = [7; 16];
    const NONCE: [u8; 12] = [9; 12];

    fn keys(seed: u8) -> FairKeys {
        FairKeys::generate(&[seed; 64])
    }

    fn typical_card() -> Card {
        Card {
            name: "张测试".into(),
            birth_year: Some(1975),
            sex: Some(Sex::Male),
            township: "测试镇".into(),
            openings: vec![12, 345],
            phone: Some("13800000000".into()),
        }
    }

    fn full_card() -> Card {
        Card {
            name: "甲乙丙丁戊己庚辛壬癸".repeat(3),
            birth_year: Some(2155),
            sex: Some(Sex::Female),
            township: "某某自治县某某乡某某村第一村民小组".into(),
            openings: vec![65535, 65534, 65533, 65532, 65531],
            phone: Some("19999999999".into()),
        }
    }

    fn ticket(card: &Card) -> String {
        issue(&keys(1), FAIR, REG, card, NONCE).unwrap()
    }

    fn check(text: &str) -> Result<VerifiedTicket> {
        verify(&keys(1).verifier(), FAIR, text)
    }

    #[test]
    fn an_issued_ticket_verifies_to_the_same_card() {
        let card = typical_card();
        let verified = check(&ticket(&card)).unwrap();
        assert_eq!(
            verified,
            VerifiedTicket {
                registration_id: REG,
                card
            }
        );
        let bare = Card {
            birth_year: None,
            sex: None,
            name: String::new(),
            township: String::new(),
            ..typical_card()
        };
        assert_eq!(check(&ticket(&bare)).unwrap().card, bare);
    }

    #[test]
    fn a_full_size_card_fits_qr_version_10_with_its_texts_cut_at_char_boundaries() {
        let card = full_card();
        let text = ticket(&card);
        println!(
            "maximal ticket: {} chars, QR version {:?}",
            text.len(),
            qr_version(&text)
        );
        let typical = ticket(&typical_card());
        println!(
            "typical ticket: {} chars, QR version {:?}",
            typical.len(),
            qr_version(&typical)
        );
        assert!(text.len() <= MAX_TICKET_CHARS);
        assert!(qr_version(&text).unwrap() <= 10);
        let got = check(&text).unwrap().card;
        assert!(card.name.starts_with(&got.name) && card.township.starts_with(&got.township));
        assert_eq!(got.name.chars().count(), NAME_SHARE_BYTES / 3);
        assert_eq!(got.name.len() + got.township.len(), TEXT_BUDGET_BYTES);
        assert_eq!(got.openings, card.openings);
    }

    #[test]
    fn four_byte_characters_are_never_split() {
        let card = Card {
            name: "𠀀".repeat(30),
            township: "𠀁".repeat(30),
            ..full_card()
        };
        let got = check(&ticket(&card)).unwrap().card;
        assert_eq!((got.name, got.township), ("𠀀".repeat(9), "𠀁".repeat(6)));
    }

    #[test]
    fn a_short_township_leaves_its_room_to_the_name() {
        let card = Card {
            township: "乡".into(),
            ..full_card()
        };
        let fitted = card.fitted();
        assert_eq!(
            (fitted.name.chars().count(), fitted.township.as_str()),
            (19, "乡")
        );
        let short = typical_card();
        assert_eq!(short.fitted(), short);
    }

    #[test]
    fn every_card_shape_at_full_size_stays_within_qr_version_10() {
        for sex in [None, Some(Sex::Male)] {
            for phone in [None, Some("10000000000".to_string())] {
                for n in 1..=MAX_OPENINGS as u16 {
                    let card = Card {
                        sex,
                        phone: phone.clone(),
                        openings: (1..=n).collect(),
                        ..full_card()
                    };
                    assert!(qr_version(&ticket(&card)).unwrap() <= 10);
                }
            }
        }
    }

    #[test]
    fn every_single_character_change_is_rejected() {
        let text = ticket(&typical_card());
        let last = text.len() - 1;
        for (i, original) in text.char_indices() {
            // The last character also carries the zero padding bits: try the whole alphabet there.
            let substitutes: &[u8] = if i == last { BASE32 } else { b"AQ27" };
            for substitute in substitutes.iter().map(|&b| char::from(b)) {
                if substitute != original {
                    let mut changed = text.clone();
                    changed.replace_range(i..=i, &substitute.to_string());
                    assert!(
                        check(&changed).is_err(),
                        "position {i} changed to {substitute}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_truncation_of_a_ticket_is_rejected() {
        let text = ticket(&typical_card());
        for end in 0..text.len() {
            assert!(check(&text[..end]).is_err(), "cut at {end}");
        }
    }

    #[test]
    fn a_ticket_of_another_fair_is_reported_as_such() {
        let other = issue(&keys(2), "other-fair", REG, &typical_card(), NONCE).unwrap();
        assert_eq!(check(&other), Err(TicketError::OtherFair));
    }

    #[test]
    fn a_wrong_verifying_key_gives_bad_signature() {
        let mut bytes = keys(1).verifier().to_bytes();
        bytes[..32].copy_from_slice(&keys(2).verifier().to_bytes()[..32]);
        let booth = BoothKeys::from_bytes(&bytes).unwrap();
        assert_eq!(
            verify(&booth, FAIR, &ticket(&typical_card())),
            Err(TicketError::BadSignature)
        );
    }

    #[test]
    fn a_wrong_card_key_gives_undecryptable() {
        let mut bytes = keys(1).verifier().to_bytes();
        bytes[63] ^= 1;
        let booth = BoothKeys::from_bytes(&bytes).unwrap();
        assert_eq!(
            verify(&booth, FAIR, &ticket(&typical_card())),
            Err(TicketError::Undecryptable)
        );
    }

    #[test]
    fn lower_case_and_surrounding_whitespace_from_scanners_are_accepted() {
        let text = ticket(&typical_card());
        assert!(check(&format!("{}\r\n", text.to_ascii_lowercase())).is_ok());
        assert!(check(&format!(" \t{text}\n")).is_ok());
        let mut inner = text.clone();
        inner.insert(20, ' ');
        assert_eq!(check(&inner), Err(TicketError::Malformed));
        assert_eq!(check(&format!("{text}=")), Err(TicketError::Malformed));
    }

    #[test]
    fn garbage_empty_and_huge_input_give_errors_without_panicking() {
        let valid = ticket(&typical_card());
        for input in [
            "",
            " \r\n",
            "JK",
            "JK1",
            "JK1A",
            "hello",
            "JK1中文",
            "ＪＫ1AAAA",
            "JK1AAAAAAAA=",
        ] {
            assert!(check(input).is_err(), "{input:?}");
        }
        assert_eq!(check("JK2AAAA"), Err(TicketError::UnsupportedVersion));
        assert_eq!(check("https://example.com"), Err(TicketError::NotATicket));
        assert_eq!(
            check(&format!("JK1{}", "A".repeat(MAX_SCANNED_BYTES))),
            Err(TicketError::NotATicket)
        );
        assert_eq!(
            check(&format!("{valid}{}", "A".repeat(MAX_SCANNED_BYTES))),
            Err(TicketError::NotATicket)
        );
        assert!(check(&"\u{10FFFF}".repeat(1_000_000)).is_err());
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..2_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 350) as usize;
            let random: String = (0..len)
                .map(|i| char::from(BASE32[((state >> (i % 59)) & 31) as usize]))
                .collect();
            assert!(check(&format!("JK1{random}")).is_err());
            let bytes: Vec<u8> = (0..len % 90).map(|i| (state >> (i % 56)) as u8).collect();
            let _ = decode_card(&bytes);
        }
    }

    #[test]
    fn the_phone_is_absent_when_not_shared() {
        let card = Card {
            phone: None,
            ..typical_card()
        };
        let text = ticket(&card);
        assert_eq!(check(&text).unwrap().card.phone, None);
        assert!(text.len() < ticket(&typical_card()).len());
        let leading_zero = Card {
            phone: Some("01234567890".into()),
            ..typical_card()
        };
        assert_eq!(check(&ticket(&leading_zero)).unwrap().card, leading_zero);
    }

    #[test]
    fn the_ticket_bytes_show_no_personal_data_in_the_clear() {
        let card = typical_card();
        let bytes = base32_decode(&ticket(&card).as_bytes()[3..]).unwrap();
        let phone = 13_800_000_000u64.to_be_bytes();
        for needle in [card.name.as_bytes(), card.township.as_bytes(), &phone[3..]] {
            assert!(!bytes.windows(needle.len()).any(|w| w == needle));
        }
    }

    #[test]
    fn invalid_cards_are_refused_with_their_reason() {
        let with = |openings: Vec<u16>, phone: &str, birth_year| {
            let card = Card {
                openings,
                phone: Some(phone.into()),
                birth_year,
                ..typical_card()
            };
            issue(&keys(1), FAIR, REG, &card, NONCE)
        };
        let ok = "13800000000";
        assert_eq!(with(vec![], ok, None), Err(TicketError::NoOpenings));
        assert_eq!(
            with(vec![1; 6], ok, None),
            Err(TicketError::TooManyOpenings)
        );
        assert_eq!(with(vec![3, 0], ok, None), Err(TicketError::BadOpeningId));
        for phone in [
            "1380000000",
            "138000000000",
            "1380000000a",
            "+8613800000",
            "１３８００００００００",
        ] {
            assert_eq!(
                with(vec![1], phone, None),
                Err(TicketError::BadPhone),
                "{phone}"
            );
        }
        for year in [0, 1900, 2156] {
            assert_eq!(
                with(vec![1], ok, Some(year)),
                Err(TicketError::BadBirthYear),
                "{year}"
            );
        }
        assert!(with(vec![1], ok, Some(1901)).is_ok());
    }

    #[test]
    fn keys_survive_their_stored_form() {
        let fair = FairKeys::from_bytes(&[5; 64]);
        assert_eq!(fair.to_bytes(), [5; 64]);
        assert_eq!(
            FairKeys::from_bytes(&fair.to_bytes()).verifier(),
            fair.verifier()
        );
        let booth = fair.verifier();
        assert_eq!(BoothKeys::from_bytes(&booth.to_bytes()), Ok(booth.clone()));
        assert_eq!(booth.to_bytes()[32..], [5; 32]);
        assert!(!format!("{fair:?}{booth:?}").contains("5, 5, 5"));
    }

    #[test]
    fn booth_keys_refuse_invalid_and_weak_verifying_keys() {
        let mut bytes = [0; 64];
        bytes[0] = 2; // y = 2 is not on the curve
        assert_eq!(BoothKeys::from_bytes(&bytes), Err(TicketError::InvalidKey));
        bytes[0] = 1; // the identity point
        assert_eq!(BoothKeys::from_bytes(&bytes), Err(TicketError::InvalidKey));
    }

    #[test]
    fn base32_matches_rfc_4648_and_rejects_non_canonical_text() {
        let vectors = [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
        ];
        for (plain, encoded) in vectors
            .into_iter()
            .chain([("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI")])
        {
            assert_eq!(base32_encode(plain.as_bytes()), encoded);
            assert_eq!(base32_decode(encoded.as_bytes()).unwrap(), plain.as_bytes());
        }
        for bad in [
            "MZ",
            "M",
            "MZX",
            "MZXW6YTBO",
            "MZXW6YTBOJ",
            "MY======",
            "my",
        ] {
            assert_eq!(base32_decode(bad.as_bytes()), None, "{bad}");
        }
    }

    #[test]
    fn qr_matrix_rejects_what_alphanumeric_mode_cannot_hold() {
        assert_eq!(qr_matrix("jk1abc"), Err(TicketError::NotATicket));
        assert_eq!(qr_matrix(&"A".repeat(3392)), Err(TicketError::QrTooLarge));
        assert_eq!(qr_version(&"A".repeat(3391)), Some(40));
        assert_eq!(qr_version(&"A".repeat(311)), Some(10));
        assert_eq!(qr_version(&"A".repeat(312)), Some(11));
    }

    #[test]
    fn the_rendered_qr_code_decodes_to_the_ticket_text() {
        for card in [typical_card(), full_card()] {
            let text = ticket(&card);
            let (width, modules) = qr_matrix(&text).unwrap();
            assert_eq!(
                (width, modules.len()),
                (
                    17 + 4 * usize::from(qr_version(&text).unwrap()),
                    width * width
                )
            );
            let (scale, quiet) = (4, 4);
            let side = ((width + 2 * quiet) * scale) as u32;
            let image = image::GrayImage::from_fn(side, side, |x, y| {
                let (mx, my) = (
                    (x as usize / scale).wrapping_sub(quiet),
                    (y as usize / scale).wrapping_sub(quiet),
                );
                let dark = mx < width && my < width && modules[my * width + mx];
                image::Luma([if dark { 0 } else { 255 }])
            });
            let mut png = std::io::Cursor::new(Vec::new());
            image.write_to(&mut png, image::ImageFormat::Png).unwrap();
            let image = image::load_from_memory(png.get_ref()).unwrap().to_luma8();
            let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
                side as usize,
                side as usize,
                |x, y| image.get_pixel(x as u32, y as u32)[0],
            );
            let grids = prepared.detect_grids();
            assert_eq!(grids.len(), 1);
            let (meta, content) = grids[0].decode().unwrap();
            assert_eq!(
                (content, meta.ecc_level),
                (text, 0),
                "ecc_level 0 is M in the format bits"
            );
        }
    }
}
