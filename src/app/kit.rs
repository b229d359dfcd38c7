//! Fair kits: what another device of the same fair needs, in one signed JSON file
//! (mode 0600). The format and its checks are [`crate::domain::kit`]; here the file is
//! written and installed.
//!
//! A kiosk kit carries the fair's signing key and card key: the device can register
//! villagers and issue tickets. A booth kit carries only the verifying key and the card
//! key: the device reads tickets, checks villagers in and runs booths. Only a device
//! holding the signing key (a registration kiosk) can write a kit, since it signs it.

use super::keys::{self, DeviceKeys};
use super::kiosk::Kiosk;
use super::{Error, Result};
use crate::domain::fair::FairFile;
use crate::domain::kit::{self, KitKeys};
use crate::store::{Store, fairs, files};
use chrono::Utc;
use std::path::Path;

pub use crate::domain::kit::{KIT_FORMAT, KitRole, fingerprint};

/// What `fair install` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    pub fair_id: String,
    pub role: KitRole,
    /// [`fingerprint`] of the fair's key, to compare with the one `fair kit` printed.
    pub fingerprint: String,
}

impl Kiosk {
    /// Writes a kit for `role` to `out` (mode 0600), signed with the fair's key; a
    /// booth-only device has none and writes no kit ([`Error::BoothOnlyDevice`]).
    pub fn write_kit(&self, role: KitRole, out: &Path) -> Result<()> {
        let keys = self.signing_keys()?;
        let fair = serde_json::to_value(&self.fair).map_err(|e| Error::Kit(e.to_string()))?;
        let text = kit::write(role, fair, keys);
        files::write_private_atomic(out, text.as_bytes()).map_err(|source| Error::Keys {
            path: out.to_path_buf(),
            source,
        })
    }

    /// [`fingerprint`] of this device's fair key.
    pub fn key_fingerprint(&self) -> String {
        fingerprint(&self.keys.verifier())
    }
}

/// Sets up the device in `data_dir` from the kit `file`: the fair is installed and made
/// current, and its keys are stored (0600). Nothing is changed if the kit is damaged,
/// edited, relabelled, or the device already holds different keys for that fair.
pub fn install_kit(data_dir: &Path, file: &Path) -> Result<Installed> {
    let text = std::fs::read_to_string(file).map_err(|source| Error::Keys {
        path: file.to_path_buf(),
        source,
    })?;
    let kit = kit::read(&text)?;
    let fair = FairFile::from_json(&kit.fair.to_string()).map_err(|e| Error::Kit(e.to_string()))?;
    let fingerprint = fingerprint(&kit.verifier());
    let device_keys = match kit.keys {
        KitKeys::Kiosk(k) => DeviceKeys::Fair(k),
        KitKeys::Booth(k) => DeviceKeys::Booth(k),
    };
    files::create_private_dir(data_dir).map_err(|source| Error::Keys {
        path: data_dir.to_path_buf(),
        source,
    })?;
    let mut store = Store::open(data_dir)?;
    keys::install(data_dir, &fair.fair.id, &device_keys)?;
    let tx = store.transaction()?;
    fairs::install(&tx, &fair, Utc::now())?;
    fairs::set_current(&tx, &fair.fair.id)?;
    tx.commit()?;
    Ok(Installed {
        fair_id: fair.fair.id,
        role: kit.role,
        fingerprint,
    })
}
