//! The fair's keys (kiosks issue tickets) and the booth's keys (booths read them).

use ed25519_dalek::{SigningKey, VerifyingKey};

use super::{Result, TicketError};

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
