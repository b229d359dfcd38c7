//! Fair kits: what another device of the same fair needs, in one JSON file (mode 0600).
//!
//! ```json
//! { "kit": 1, "role": "kiosk" | "booth", "fair": { …the fair file… }, "keys": "<128 hex digits>" }
//! ```
//!
//! A kiosk kit carries the fair's signing key and card key ([`FairKeys`]): the device can
//! register villagers and issue tickets. A booth kit carries only the verifying key and the
//! card key ([`BoothKeys`]): the device reads tickets, checks villagers in and runs booths.

use super::keys::{self, DeviceKeys};
use super::kiosk::Kiosk;
use super::{Error, Result};
use crate::domain::fair::FairFile;
use crate::domain::ticket::{BoothKeys, FairKeys};
use crate::store::{Store, fairs, files};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The kit format this build writes and reads.
pub const KIT_FORMAT: u32 = 1;

/// Which device a kit sets up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KitRole {
    Kiosk,
    Booth,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KitFile {
    kit: u32,
    role: KitRole,
    fair: serde_json::Value,
    keys: String,
}

/// What `fair install` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    pub fair_id: String,
    pub role: KitRole,
}

impl Kiosk {
    /// Writes a kit for `role` to `out` (mode 0600). A kiosk kit needs the signing key,
    /// so a booth-only device can only pass on booth kits.
    pub fn write_kit(&self, role: KitRole, out: &Path) -> Result<()> {
        let keys = match role {
            KitRole::Kiosk => self.signing_keys()?.to_bytes(),
            KitRole::Booth => self.keys.verifier().to_bytes(),
        };
        let kit = KitFile {
            kit: KIT_FORMAT,
            role,
            fair: serde_json::to_value(&self.fair).map_err(|e| Error::Kit(e.to_string()))?,
            keys: keys::to_hex(&keys),
        };
        let json = serde_json::to_string_pretty(&kit).map_err(|e| Error::Kit(e.to_string()))?;
        files::write_private_atomic(out, json.as_bytes()).map_err(|source| Error::Keys {
            path: out.to_path_buf(),
            source,
        })
    }
}

/// Sets up the device in `data_dir` from the kit `file`: the fair is installed and made
/// current, and its keys are stored (0600). Nothing is changed if the kit is damaged or
/// the device already holds different keys for that fair.
pub fn install_kit(data_dir: &Path, file: &Path) -> Result<Installed> {
    let text = std::fs::read_to_string(file).map_err(|source| Error::Keys {
        path: file.to_path_buf(),
        source,
    })?;
    let kit: KitFile = serde_json::from_str(&text).map_err(|e| Error::Kit(e.to_string()))?;
    if kit.kit != KIT_FORMAT {
        return Err(Error::Kit(format!(
            "kit format {} is not supported (this build reads {KIT_FORMAT})",
            kit.kit
        )));
    }
    let fair = FairFile::from_json(&kit.fair.to_string()).map_err(|e| Error::Kit(e.to_string()))?;
    let bytes =
        keys::from_hex(&kit.keys).ok_or_else(|| Error::Kit("keys: not 128 hex digits".into()))?;
    let device_keys = match kit.role {
        KitRole::Kiosk => DeviceKeys::Fair(FairKeys::from_bytes(&bytes)),
        KitRole::Booth => DeviceKeys::Booth(
            BoothKeys::from_bytes(&bytes).map_err(|e| Error::Kit(format!("keys: {e}")))?,
        ),
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
    })
}
