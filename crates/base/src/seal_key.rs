//! The base's sealing key (issue 17): the X25519 secret key that opens the phone and ID
//! numbers kiosks seal to the base (`jobfair_protocol::sealed`). It lives in a file of its
//! own, outside the database (SQLite or PostgreSQL), mode 0600: whoever can read `base.db`
//! or the PostgreSQL database does not get it.
//!
//! The server reads the file at every start (`serve --seal-key FILE`, default
//! `base-seal.key` in `--data-dir`; [`crate::BaseConfig::seal_key`]) and opens the base's
//! box of every sealed sign-up with it ([`crate::ingest::unseal`]). Without the file it
//! still serves (with a warning) but refuses each sealed sign-up; a file others can read,
//! or one that is not a key file, stops the start with the fix.
//!
//! Rotation keeps the old keys: `rotate` makes a new current key and moves the old one to
//! `previous`, so records sealed before the kiosks got the new public key still open.
//! The base tries the current key first, then each previous one, newest first. Rotating:
//! 1. `jobfair-base seal-key rotate` (prints the new public key; the old one stays);
//! 2. restart the base (`systemctl restart jobfair-base`): it reads the keys only at start;
//! 3. give the kiosks the new public key; until each has it, what it seals to the old key
//!    still opens.
//!
//! A key is retired only by editing the file once no pending record needs it: a sign-up
//! sealed to a key the base no longer holds is refused (`cannot_unseal`, "the base cannot
//! open the sealed numbers"): the kiosk keeps it pending and sends it again, so putting the
//! key back (or giving the kiosk the new public key, whose next unlock seals again) lets it in.
//!
//! The file: `{"current": "<64 hex>", "previous": ["<64 hex>", …]}` (secret keys, newest first).

use crate::fs::{FILE_MODE, write_private_atomic};
use jobfair_protocol::sealed::{OpenKey, SealError, SealKey, SealedBoxes, to_hex};
use serde::{Deserialize, Serialize};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The file name used in the base's data dir when no other is given.
pub const SEAL_KEY_FILE: &str = "base-seal.key";

#[derive(Debug, thiserror::Error)]
pub enum SealKeyError {
    #[error(
        "{0} exists already; `seal-key rotate` makes a new key and keeps this one\n{0} 已存在；要换新密钥请用 `seal-key rotate`（旧密钥会保留）"
    )]
    Exists(String),
    #[error(
        "{0} does not exist; make it with `seal-key init`\n{0} 不存在；请先用 `seal-key init` 生成"
    )]
    Missing(String),
    #[error(
        "{0} can be read by others (mode {1:o}); run chmod 600 {0}\n{0} 其他用户也能读取（权限 {1:o}）；请执行 chmod 600 {0}"
    )]
    TooOpen(String, u32),
    #[error("{0}: not a base sealing key file: {1}\n{0} 不是基地密钥文件：{1}")]
    Bad(String, String),
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
}

#[derive(Serialize, Deserialize)]
struct KeyFile {
    current: String,
    #[serde(default)]
    previous: Vec<String>,
}

/// The base's secret keys, current first. Never printed.
pub struct BaseSealKeys {
    keys: Vec<OpenKey>,
}

impl std::fmt::Debug for BaseSealKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "BaseSealKeys(current {}, {} previous)",
            self.public().to_hex(),
            self.keys.len() - 1
        )
    }
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

impl BaseSealKeys {
    /// Makes a fresh key file at `path` (0600, atomically); refuses to replace one.
    pub fn init(path: &Path) -> Result<BaseSealKeys, SealKeyError> {
        if path.exists() {
            return Err(SealKeyError::Exists(shown(path)));
        }
        // A fresh base's data dir may not exist yet: made private, as the database makes it.
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            use std::os::unix::fs::DirBuilderExt;
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(|e| SealKeyError::Io(shown(dir), e))?;
        }
        let keys = BaseSealKeys {
            keys: vec![OpenKey::generate()],
        };
        keys.save(path)?;
        Ok(keys)
    }

    /// Reads the key file; refuses one that others can read.
    pub fn load(path: &Path) -> Result<BaseSealKeys, SealKeyError> {
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(SealKeyError::Missing(shown(path)));
            }
            Err(e) => return Err(SealKeyError::Io(shown(path), e)),
        };
        let mode = meta.permissions().mode() & 0o777;
        if mode & !FILE_MODE != 0 {
            return Err(SealKeyError::TooOpen(shown(path), mode));
        }
        let text = std::fs::read_to_string(path).map_err(|e| SealKeyError::Io(shown(path), e))?;
        let file: KeyFile = serde_json::from_str(&text)
            .map_err(|e| SealKeyError::Bad(shown(path), e.to_string()))?;
        let keys = std::iter::once(&file.current)
            .chain(&file.previous)
            .map(|hex| OpenKey::from_hex(hex))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| SealKeyError::Bad(shown(path), e.to_string()))?;
        Ok(BaseSealKeys { keys })
    }

    /// A new current key; the old ones stay to open older records. Writes the file again.
    pub fn rotate(path: &Path) -> Result<BaseSealKeys, SealKeyError> {
        let mut keys = BaseSealKeys::load(path)?;
        keys.keys.insert(0, OpenKey::generate());
        keys.save(path)?;
        Ok(keys)
    }

    /// The public half of the current key: what kiosks seal to.
    pub fn public(&self) -> SealKey {
        self.keys[0].seal_key()
    }

    /// The public halves of the previous keys, newest first.
    pub fn previous_public(&self) -> Vec<SealKey> {
        self.keys[1..].iter().map(OpenKey::seal_key).collect()
    }

    /// Opens the base's box of `sealed` with the current key or, failing that, an older one.
    pub fn open(&self, sealed: &SealedBoxes) -> Result<Vec<u8>, SealError> {
        self.keys
            .iter()
            .find_map(|key| sealed.open_base(key).ok())
            .ok_or(SealError::CannotOpen)
    }

    fn save(&self, path: &Path) -> Result<(), SealKeyError> {
        let hex = |k: &OpenKey| to_hex(&k.to_bytes());
        let file = KeyFile {
            current: hex(&self.keys[0]),
            previous: self.keys[1..].iter().map(hex).collect(),
        };
        let mut text = serde_json::to_string_pretty(&file).expect("key file serializes");
        text.push('\n');
        write_private_atomic(path, text.as_bytes()).map_err(|e| SealKeyError::Io(shown(path), e))
    }
}

/// The key file's path: `--seal-key FILE`, else `base-seal.key` in the data dir.
pub fn seal_key_path(file: Option<&Path>, data_dir: Option<&Path>) -> Option<PathBuf> {
    file.map(Path::to_path_buf)
        .or_else(|| data_dir.map(|d| d.join(SEAL_KEY_FILE)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_file_is_made_once_0600_and_opens_what_was_sealed_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SEAL_KEY_FILE);
        let keys = BaseSealKeys::init(&path).unwrap();
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert!(matches!(
            BaseSealKeys::init(&path),
            Err(SealKeyError::Exists(_))
        ));
        let staff = OpenKey::generate();
        let boxes =
            SealedBoxes::seal(b"13912345678", &staff.seal_key(), Some(&keys.public())).unwrap();
        let loaded = BaseSealKeys::load(&path).unwrap();
        assert_eq!(loaded.public(), keys.public());
        assert_eq!(loaded.open(&boxes).unwrap(), b"13912345678");
        assert!(!format!("{loaded:?}").contains(&to_hex(&loaded.keys[0].to_bytes())));
    }

    #[test]
    fn after_a_rotation_old_and_new_records_both_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SEAL_KEY_FILE);
        let old = BaseSealKeys::init(&path).unwrap().public();
        let staff = OpenKey::generate().seal_key();
        let before = SealedBoxes::seal(b"old", &staff, Some(&old)).unwrap();
        let rotated = BaseSealKeys::rotate(&path).unwrap();
        assert_ne!(rotated.public(), old);
        assert_eq!(rotated.previous_public(), vec![old]);
        let after = SealedBoxes::seal(b"new", &staff, Some(&rotated.public())).unwrap();
        let loaded = BaseSealKeys::load(&path).unwrap();
        assert_eq!(loaded.open(&before).unwrap(), b"old");
        assert_eq!(loaded.open(&after).unwrap(), b"new");
        let foreign =
            SealedBoxes::seal(b"x", &staff, Some(&OpenKey::generate().seal_key())).unwrap();
        assert_eq!(loaded.open(&foreign), Err(SealError::CannotOpen));
    }

    #[test]
    fn a_key_file_others_can_read_or_a_missing_one_is_refused_with_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SEAL_KEY_FILE);
        let missing = BaseSealKeys::load(&path).unwrap_err();
        assert!(missing.to_string().contains("seal-key init"), "{missing}");
        BaseSealKeys::init(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let open = BaseSealKeys::load(&path).unwrap_err();
        assert!(matches!(open, SealKeyError::TooOpen(_, 0o644)));
        assert!(open.to_string().contains("chmod 600"), "{open}");
    }
}
