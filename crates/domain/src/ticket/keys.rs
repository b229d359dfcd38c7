//! The fair's keys (kiosks issue tickets) and the booth's keys (booths read them).

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, KeyInit, Nonce};
use ed25519_dalek::{SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use super::{Result, TicketError};

/// Domain separation of the key that seals what a booth keeps of a card at rest
/// ([`BoothKeys::seal_at_rest`]) from the card key that seals tickets.
const AT_REST_CONTEXT: &[u8] = b"jobfair-kiosk: booth card at rest, v1";
/// Bytes of the nonce in front of a card sealed at rest.
pub const AT_REST_NONCE_LEN: usize = 12;

/// A fair's secrets, held by its kiosks: the Ed25519 signing key and the card key.
#[derive(Clone)]
pub struct FairKeys {
    pub(super) signing: SigningKey,
    pub(super) card_key: [u8; 32],
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

    /// Ed25519 signature of the fair over `message` (kits; callers put a context of
    /// their own in front of their messages, tickets start with their format byte).
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        use ed25519_dalek::Signer;
        self.signing.sign(message).to_bytes()
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
    pub(super) verifying: VerifyingKey,
    pub(super) card_key: [u8; 32],
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

    /// Whether `signature` is the fair's over `message` ([`FairKeys::sign`]; strict).
    pub fn verify(&self, message: &[u8], signature: &[u8; 64]) -> bool {
        let signature = ed25519_dalek::Signature::from_bytes(signature);
        self.verifying.verify_strict(message, &signature).is_ok()
    }

    /// `plaintext` sealed for the device's own disk (a booth's copy of a card): ChaCha20-Poly1305
    /// under a key derived from the card key (SHA-256 of a context string and the card key, so
    /// it never seals under the tickets' key), `aad` bound to it. Returns the nonce, then the
    /// ciphertext and tag. `nonce` must never repeat: pass fresh random bytes.
    pub fn seal_at_rest(
        &self,
        nonce: [u8; AT_REST_NONCE_LEN],
        aad: &[u8],
        plaintext: &[u8],
    ) -> Vec<u8> {
        let cipher = self.at_rest_cipher();
        let sealed = cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            .expect("ChaCha20-Poly1305 seals any length a card has");
        let mut out = Vec::with_capacity(AT_REST_NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// Opens what [`BoothKeys::seal_at_rest`] sealed with the same `aad`;
    /// [`TicketError::Undecryptable`] when the key, the `aad` or a byte differs.
    pub fn open_at_rest(&self, aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>> {
        if sealed.len() < AT_REST_NONCE_LEN {
            return Err(TicketError::Malformed);
        }
        let (nonce, body) = sealed.split_at(AT_REST_NONCE_LEN);
        let nonce = Nonce::try_from(nonce).map_err(|_| TicketError::Malformed)?;
        self.at_rest_cipher()
            .decrypt(&nonce, Payload { msg: body, aad })
            .map_err(|_| TicketError::Undecryptable)
    }

    fn at_rest_cipher(&self) -> ChaCha20Poly1305 {
        let mut hash = Sha256::new();
        hash.update(AT_REST_CONTEXT);
        hash.update(self.card_key);
        let key: [u8; 32] = hash.finalize().into();
        ChaCha20Poly1305::new(&Key::from(key))
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
