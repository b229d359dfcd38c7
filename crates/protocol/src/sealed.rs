//! Sealed personal numbers (issue 17): a villager's phone and resident ID leave the kiosk's
//! memory only as **sealed boxes** — libsodium's `crypto_box_seal` (an ephemeral X25519 key,
//! XSalsa20-Poly1305, nonce = BLAKE2b-192 of the two public keys), made with the pure-Rust
//! `crypto_box` crate. Whoever holds only the public key (a kiosk) can seal but never open;
//! the base and the staff open with their secret keys.
//!
//! The format is libsodium's, byte for byte, so a base operator or an auditor can open a box
//! with PyNaCl (`SealedBox(PrivateKey(sk)).decrypt(box)`) or `crypto_box_seal_open`:
//! `tests/sealed_interop.rs` checks both directions against PyNaCl.
//!
//! Keys travel as 64 lowercase hex digits (the 32 bytes of an X25519 key).

use crypto_box::aead::OsRng;
use crypto_box::{PublicKey, SecretKey};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Bytes a sealed box adds to its plaintext: the ephemeral public key (32) and the tag (16).
pub const SEAL_OVERHEAD: usize = 48;

/// A recipient's public key: anyone may seal to it.
#[derive(Clone, PartialEq, Eq)]
pub struct SealKey(PublicKey);

/// A recipient's secret key: opens what was sealed to its [`SealKey`]. Its bytes are
/// zeroized when it is dropped (by `crypto_box`), and it never prints.
#[derive(Clone)]
pub struct OpenKey(SecretKey);

/// Why a key or a box could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("密钥格式不对(应为 64 位十六进制)/ a key must be 64 hex digits")]
    BadKey,
    #[error(
        "密封数据不是本密钥可以打开的,或已被改动 / the sealed data is not for this key, or was changed"
    )]
    CannotOpen,
    #[error("系统随机数不可用 / the system's random number source failed")]
    Random,
}

impl SealKey {
    /// The key from its 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> SealKey {
        SealKey(PublicKey::from_bytes(bytes))
    }

    /// The key from 64 hex digits (surrounding white space ignored).
    pub fn from_hex(text: &str) -> Result<SealKey, SealError> {
        from_hex32(text).map(SealKey::from_bytes)
    }

    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// 64 lowercase hex digits.
    pub fn to_hex(&self) -> String {
        to_hex(self.0.as_bytes())
    }

    /// Seals `plaintext` to this key: a fresh ephemeral key per box, so sealing the same
    /// plaintext twice gives two unrelated boxes.
    pub fn seal(&self, plaintext: &[u8]) -> Result<Vec<u8>, SealError> {
        self.0
            .seal(&mut OsRng, plaintext)
            .map_err(|_| SealError::Random)
    }
}

impl fmt::Debug for SealKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SealKey({})", self.to_hex())
    }
}

impl OpenKey {
    /// A fresh random key pair.
    pub fn generate() -> OpenKey {
        OpenKey(SecretKey::generate(&mut OsRng))
    }

    /// The key from its 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> OpenKey {
        OpenKey(SecretKey::from_bytes(bytes))
    }

    /// The key from 64 hex digits (surrounding white space ignored).
    pub fn from_hex(text: &str) -> Result<OpenKey, SealError> {
        let mut bytes = from_hex32(text)?;
        let key = OpenKey::from_bytes(bytes);
        bytes.fill(0);
        Ok(key)
    }

    /// The 32 secret bytes (for wrapping them; the caller zeroizes its copy).
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// The public half, to seal to.
    pub fn seal_key(&self) -> SealKey {
        SealKey(self.0.public_key())
    }

    /// Opens a box sealed to [`OpenKey::seal_key`].
    pub fn open(&self, sealed: &[u8]) -> Result<Vec<u8>, SealError> {
        if sealed.len() < SEAL_OVERHEAD {
            return Err(SealError::CannotOpen);
        }
        self.0.unseal(sealed).map_err(|_| SealError::CannotOpen)
    }
}

impl fmt::Debug for OpenKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "OpenKey(for {}, secret hidden)",
            self.seal_key().to_hex()
        )
    }
}

/// Lowercase hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

/// Bytes of an even-length hex string (either case); `None` for anything else.
pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim().as_bytes();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    text.chunks(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

fn from_hex32(text: &str) -> Result<[u8; 32], SealError> {
    from_hex(text)
        .and_then(|v| <[u8; 32]>::try_from(v).ok())
        .ok_or(SealError::BadKey)
}

/// A plaintext sealed to several recipients at once (the base and the staff): one box per
/// recipient, hex-encoded, so each opens its own with its own key and nobody needs the other's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedBoxes {
    /// Box for the staff export key.
    pub staff: String,
    /// Box for the base's key; absent when the kiosk knows no base key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
}

impl SealedBoxes {
    /// Seals `plaintext` to `staff` and, if given, to `base`.
    pub fn seal(
        plaintext: &[u8],
        staff: &SealKey,
        base: Option<&SealKey>,
    ) -> Result<SealedBoxes, SealError> {
        Ok(SealedBoxes {
            staff: to_hex(&staff.seal(plaintext)?),
            base: base
                .map(|b| b.seal(plaintext).map(|s| to_hex(&s)))
                .transpose()?,
        })
    }

    /// Opens the staff's box.
    pub fn open_staff(&self, key: &OpenKey) -> Result<Vec<u8>, SealError> {
        key.open(&from_hex(&self.staff).ok_or(SealError::CannotOpen)?)
    }

    /// Opens the base's box.
    pub fn open_base(&self, key: &OpenKey) -> Result<Vec<u8>, SealError> {
        let sealed = self.base.as_deref().ok_or(SealError::CannotOpen)?;
        key.open(&from_hex(sealed).ok_or(SealError::CannotOpen)?)
    }
}

/// The wire form of [`SealedBoxes`] (`jobfair_domain::records::SealedNumbers`, the
/// `sealed` field of a registration record).
impl From<SealedBoxes> for jobfair_domain::records::SealedNumbers {
    fn from(b: SealedBoxes) -> Self {
        jobfair_domain::records::SealedNumbers {
            staff: b.staff,
            base: b.base,
        }
    }
}

impl From<jobfair_domain::records::SealedNumbers> for SealedBoxes {
    fn from(n: jobfair_domain::records::SealedNumbers) -> Self {
        SealedBoxes {
            staff: n.staff,
            base: n.base,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_box_opens_with_its_secret_key_only() {
        let alice = OpenKey::generate();
        let mallory = OpenKey::generate();
        let sealed = alice.seal_key().seal(b"13800138000").unwrap();
        assert_eq!(sealed.len(), 11 + SEAL_OVERHEAD);
        assert_eq!(alice.open(&sealed).unwrap(), b"13800138000");
        assert_eq!(mallory.open(&sealed), Err(SealError::CannotOpen));
    }

    #[test]
    fn sealing_the_same_number_twice_gives_unrelated_boxes() {
        let key = OpenKey::generate().seal_key();
        let a = key.seal(b"13800138000").unwrap();
        let b = key.seal(b"13800138000").unwrap();
        assert_ne!(a, b);
        assert_ne!(a[..32], b[..32], "each box has its own ephemeral key");
    }

    #[test]
    fn every_changed_byte_or_a_cut_box_is_refused() {
        let key = OpenKey::generate();
        let sealed = key.seal_key().seal(b"110101198402051550").unwrap();
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x01;
            assert_eq!(key.open(&bad), Err(SealError::CannotOpen), "byte {i}");
        }
        for len in 0..sealed.len() {
            assert_eq!(key.open(&sealed[..len]), Err(SealError::CannotOpen));
        }
    }

    #[test]
    fn keys_round_trip_through_hex_and_bad_hex_is_refused() {
        let key = OpenKey::generate();
        let again = OpenKey::from_hex(&to_hex(&key.to_bytes())).unwrap();
        assert_eq!(again.seal_key(), key.seal_key());
        let public = SealKey::from_hex(&key.seal_key().to_hex().to_uppercase()).unwrap();
        assert_eq!(public, key.seal_key());
        for bad in ["", "00", &"g".repeat(64), &"0".repeat(63), &"0".repeat(66)] {
            assert_eq!(SealKey::from_hex(bad), Err(SealError::BadKey), "{bad:?}");
        }
    }

    #[test]
    fn a_secret_key_never_prints() {
        let key = OpenKey::generate();
        let shown = format!("{key:?}");
        assert!(!shown.contains(&to_hex(&key.to_bytes())), "{shown}");
        assert!(shown.contains(&key.seal_key().to_hex()));
    }

    #[test]
    fn boxes_for_staff_and_base_each_open_with_their_own_key() {
        let staff = OpenKey::generate();
        let base = OpenKey::generate();
        let boxes = SealedBoxes::seal(b"{}", &staff.seal_key(), Some(&base.seal_key())).unwrap();
        assert_eq!(boxes.open_staff(&staff).unwrap(), b"{}");
        assert_eq!(boxes.open_base(&base).unwrap(), b"{}");
        assert_eq!(boxes.open_staff(&base), Err(SealError::CannotOpen));
        assert_eq!(boxes.open_base(&staff), Err(SealError::CannotOpen));
        let staff_only = SealedBoxes::seal(b"{}", &staff.seal_key(), None).unwrap();
        assert_eq!(staff_only.open_base(&base), Err(SealError::CannotOpen));
        let json = serde_json::to_string(&staff_only).unwrap();
        assert!(!json.contains("base"), "{json}");
    }
}
