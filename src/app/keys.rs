//! Per-fair keys in the data dir: `<data_dir>/keys/<fair_id>.key`, mode 0600 in a
//! 0700 directory, holding the 64 bytes of [`FairKeys::to_bytes`] as 128 hex digits
//! and a newline. Created on first use with fresh randomness, written atomically,
//! and never changed afterwards: tickets already printed must stay verifiable.
//!
//! A booth-only device (set up from a booth kit) has `<fair_id>.booth-key` instead: the
//! 64 bytes of [`BoothKeys::to_bytes`], same encoding. It reads tickets but cannot issue
//! them, and no signing key is ever made next to it.

use super::{Error, Result};
use crate::domain::ticket::{BoothKeys, FairKeys};
use crate::store::files;
use std::io;
use std::path::{Path, PathBuf};

/// The directory of key files inside the data dir.
pub const KEYS_DIR: &str = crate::seal::KEYS_DIR;

/// Where the keys of `fair_id` live. Fair ids are `[a-z0-9-]` (checked by the
/// fair file's validation), so they are safe as file names.
pub fn key_path(data_dir: &Path, fair_id: &str) -> PathBuf {
    data_dir.join(KEYS_DIR).join(format!("{fair_id}.key"))
}

/// Where a booth-only device keeps the verifying and card keys of `fair_id`.
pub fn booth_key_path(data_dir: &Path, fair_id: &str) -> PathBuf {
    data_dir.join(KEYS_DIR).join(format!("{fair_id}.booth-key"))
}

/// The keys a device holds for its current fair.
#[derive(Debug, Clone)]
pub enum DeviceKeys {
    /// A registration kiosk: issues and reads tickets.
    Fair(FairKeys),
    /// A booth-only device: reads tickets only.
    Booth(BoothKeys),
}

impl DeviceKeys {
    /// What reading a ticket needs.
    pub fn verifier(&self) -> BoothKeys {
        match self {
            DeviceKeys::Fair(k) => k.verifier(),
            DeviceKeys::Booth(k) => k.clone(),
        }
    }

    /// The signing keys, unless this is a booth-only device.
    pub fn signing(&self) -> Option<&FairKeys> {
        match self {
            DeviceKeys::Fair(k) => Some(k),
            DeviceKeys::Booth(_) => None,
        }
    }
}

/// The device's keys for `fair_id`: the fair's keys if present, else the booth keys of a
/// booth-only device, else fresh fair keys (first use on a kiosk).
pub fn load(data_dir: &Path, fair_id: &str) -> Result<DeviceKeys> {
    if !key_path(data_dir, fair_id).exists() {
        let path = booth_key_path(data_dir, fair_id);
        match read_hex(&path) {
            Ok(bytes) => {
                return BoothKeys::from_bytes(&bytes)
                    .map(DeviceKeys::Booth)
                    .map_err(|e| Error::Keys {
                        path,
                        source: io::Error::new(io::ErrorKind::InvalidData, e),
                    });
            }
            Err(Error::Keys { source, .. }) if source.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    load_or_create(data_dir, fair_id).map(DeviceKeys::Fair)
}

fn read_hex(path: &Path) -> Result<[u8; 64]> {
    let err = |source| Error::Keys {
        path: path.to_path_buf(),
        source,
    };
    let text = std::fs::read_to_string(path).map_err(err)?;
    decode(&text).ok_or_else(|| {
        err(io::Error::new(
            io::ErrorKind::InvalidData,
            "not 128 hex digits; restore the file from the backup",
        ))
    })
}

/// Stores keys received in a kit. Refuses to replace different keys already on the
/// device (tickets issued with them must stay readable); the same keys again are fine.
pub fn install(data_dir: &Path, fair_id: &str, keys: &DeviceKeys) -> Result<()> {
    let (path, bytes) = match keys {
        DeviceKeys::Fair(k) => (key_path(data_dir, fair_id), k.to_bytes()),
        DeviceKeys::Booth(k) => (booth_key_path(data_dir, fair_id), k.to_bytes()),
    };
    let err = |source| Error::Keys {
        path: path.clone(),
        source,
    };
    let has_any =
        key_path(data_dir, fair_id).exists() || booth_key_path(data_dir, fair_id).exists();
    if has_any {
        let have = load(data_dir, fair_id)?;
        if have.verifier() != keys.verifier() {
            return Err(err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "this device already has different keys for this fair",
            )));
        }
        // Booth keys add nothing to keys already here; fair keys upgrade a booth device.
        if matches!(keys, DeviceKeys::Booth(_)) || have.signing().is_some() {
            return Ok(());
        }
    }
    files::create_private_dir(&data_dir.join(KEYS_DIR)).map_err(err)?;
    files::write_private_atomic(&path, encode(&bytes).as_bytes()).map_err(err)
}

/// The stored form of 64 key bytes (kits use it too).
pub fn to_hex(bytes: &[u8; 64]) -> String {
    encode(bytes).trim_end().to_string()
}

/// Reads [`to_hex`] text.
pub fn from_hex(text: &str) -> Option<[u8; 64]> {
    decode(text)
}

/// Loads the keys of `fair_id`, creating them on first use.
pub fn load_or_create(data_dir: &Path, fair_id: &str) -> Result<FairKeys> {
    let path = key_path(data_dir, fair_id);
    let err = |source| Error::Keys {
        path: path.clone(),
        source,
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => decode(&text)
            .map(|b| FairKeys::from_bytes(&b))
            .ok_or_else(|| {
                err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "not 128 hex digits; restore the file from the backup",
                ))
            }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let mut random = [0u8; 64];
            getrandom::fill(&mut random).map_err(|e| err(io::Error::other(e)))?;
            let keys = FairKeys::generate(&random);
            let dir = data_dir.join(KEYS_DIR);
            files::create_private_dir(&dir).map_err(err)?;
            files::write_private_atomic(&path, encode(&keys.to_bytes()).as_bytes()).map_err(err)?;
            Ok(keys)
        }
        Err(e) => Err(err(e)),
    }
}

fn encode(bytes: &[u8; 64]) -> String {
    let mut s: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    s.push('\n');
    s
}

fn decode(text: &str) -> Option<[u8; 64]> {
    let text = text.trim().as_bytes();
    // Hex digits only: `from_str_radix` alone would also take a pair like "+f".
    if text.len() != 128 || !text.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let mut out = [0u8; 64];
    for (byte, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        let pair = std::str::from_utf8(pair).ok()?;
        *byte = u8::from_str_radix(pair, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_hex_with_a_sign_in_it_is_refused() {
        let good = "0f".repeat(64);
        assert_eq!(from_hex(&good), Some([0x0f; 64]));
        let signed = format!("+f{}", &good[2..]);
        assert_eq!(signed.len(), 128);
        assert_eq!(from_hex(&signed), None);
        assert_eq!(from_hex(&format!("-0{}", &good[2..])), None);
    }

    #[test]
    fn hex_round_trips() {
        let bytes: [u8; 64] = std::array::from_fn(|i| (i * 7) as u8);
        assert_eq!(decode(&encode(&bytes)), Some(bytes));
        assert_eq!(decode("zz"), None);
    }
}
