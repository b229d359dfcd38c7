//! The kiosk's keyring for personal numbers at rest (issue 17), with a narrow API:
//!
//! - [`Keyring`]: what lies on the disk (`keys/seal-keyring.json`, 0600). The staff export
//!   key's **public** half in clear, and — wrapped with a key derived from the staff
//!   passphrase (argon2id, parameters and salt in the file) under XChaCha20-Poly1305 — the
//!   **HMAC key** of the blind indexes and the staff export key's **secret** half. The public
//!   key is the wrap's associated data: a file whose public key was swapped for someone
//!   else's (so that new sign-ups would be sealed to them) does not unlock.
//! - [`Unlocked`]: the two secrets in memory after [`Keyring::unlock`] (zeroized on drop):
//!   blind indexes of phones and resident IDs, and opening what was sealed to the staff.
//! - [`Sealer`]: public keys only — seals a villager's numbers to the staff and the base.
//!   Sealing needs no unlock; reading back does.
//!
//! A stolen powered-off kiosk has the wrapped file and the sealed boxes: without the
//! passphrase it yields neither the HMAC key (so no confirming a guessed phone against an
//! index) nor the staff key (so no opening a box).

mod blind;
mod keyring;

pub use blind::{BlindIndex, BlindKind};
pub use keyring::{
    KEYRING_FILE, KEYS_DIR, Kdf, Keyring, MIN_PASSPHRASE_CHARS, Unlocked, keyring_path,
};

use crate::protocol::sealed::{SealError, SealKey, SealedBoxes};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Errors of the keyring and of sealing. Messages are for staff: Chinese first, then English.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "工作人员口令至少 {MIN_PASSPHRASE_CHARS} 个字 / the staff passphrase needs at least {MIN_PASSPHRASE_CHARS} characters"
    )]
    PassphraseTooShort,
    #[error("工作人员口令不对 / wrong staff passphrase")]
    WrongPassphrase,
    #[error(
        "还没有设置工作人员口令(jobfair-kiosk staff set-passphrase)/ no staff passphrase set yet (jobfair-kiosk staff set-passphrase)"
    )]
    NoKeyring,
    #[error(
        "{path}: 已有工作人员密钥,不会覆盖 / a staff keyring exists already and is not replaced"
    )]
    KeyringExists { path: std::path::PathBuf },
    #[error("{path}: 密钥文件无法读取 / the keyring cannot be read: {reason}")]
    BadKeyring {
        path: std::path::PathBuf,
        reason: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("系统随机数不可用 / the system's random number source failed: {0}")]
    Random(getrandom::Error),
    #[error(transparent)]
    Seal(#[from] SealError),
}

pub type Result<T> = std::result::Result<T, Error>;

/// Fresh random bytes from the operating system.
fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(Error::Random)?;
    Ok(bytes)
}

/// A villager's numbers as they are sealed: the only form in which they are written
/// anywhere. Zeroized when dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
pub struct Personal {
    pub phone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resident_id: Option<String>,
}

/// The public keys new sign-ups are sealed to: the staff export key (from the keyring) and,
/// when the kiosk knows it, the base's key (config `base_public_key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealer {
    pub staff: SealKey,
    pub base: Option<SealKey>,
}

impl Sealer {
    /// Seals `personal` to the staff and the base.
    pub fn seal(&self, personal: &Personal) -> Result<SealedBoxes> {
        let mut json = serde_json::to_vec(personal).expect("Personal serializes");
        let sealed = SealedBoxes::seal(&json, &self.staff, self.base.as_ref());
        json.zeroize();
        Ok(sealed?)
    }
}

impl Unlocked {
    /// Opens the staff's box of `sealed` (unmasked export).
    pub fn open(&self, sealed: &SealedBoxes) -> Result<Personal> {
        let mut json = sealed.open_staff(self.staff_key())?;
        let personal = serde_json::from_slice(&json).map_err(|_| SealError::CannotOpen);
        json.zeroize();
        Ok(personal?)
    }
}

#[cfg(test)]
mod tests;
