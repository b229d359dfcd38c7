//! Per-fair keys in the data dir: `<data_dir>/keys/<fair_id>.key`, mode 0600 in a
//! 0700 directory, holding the 64 bytes of [`FairKeys::to_bytes`] as 128 hex digits
//! and a newline. Created on first use with fresh randomness, written atomically,
//! and never changed afterwards: tickets already printed must stay verifiable.

use super::{Error, Result};
use crate::domain::ticket::FairKeys;
use crate::store::files;
use std::io;
use std::path::{Path, PathBuf};

/// The directory of key files inside the data dir.
pub const KEYS_DIR: &str = "keys";

/// Where the keys of `fair_id` live. Fair ids are `[a-z0-9-]` (checked by the
/// fair file's validation), so they are safe as file names.
pub fn key_path(data_dir: &Path, fair_id: &str) -> PathBuf {
    data_dir.join(KEYS_DIR).join(format!("{fair_id}.key"))
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
    if text.len() != 128 {
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
    fn hex_round_trips() {
        let bytes: [u8; 64] = std::array::from_fn(|i| (i * 7) as u8);
        assert_eq!(decode(&encode(&bytes)), Some(bytes));
        assert_eq!(decode("zz"), None);
    }
}
