//! The kiosk: one data dir, one store, the current fair and its keys.

use super::keys::DeviceKeys;
use super::{PinCheck, Result, keys};
use crate::config::Config;
use crate::domain::fair::FairFile;
use crate::domain::phone::Phone;
use crate::domain::registration::HomePlace;
use crate::domain::ticket::FairKeys;
use crate::store::{self, Store, fairs};
use chrono::Utc;
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// The fair installed on first run, so a fresh kiosk has something to show.
pub const DEMO_FAIR_JSON: &str = include_str!("../../assets/demo-fair.json");

#[derive(Debug, Clone)]
pub struct KioskOptions {
    /// Where the store, keys and config live (created 0700 if missing).
    pub data_dir: PathBuf,
    /// Overrides the config's kiosk id for this run (tests, several kiosks on one machine).
    pub kiosk_id: Option<String>,
}

impl KioskOptions {
    /// Options for `data_dir` with everything else from the config.
    pub fn new(data_dir: impl Into<PathBuf>) -> KioskOptions {
        KioskOptions {
            data_dir: data_dir.into(),
            kiosk_id: None,
        }
    }
}

/// A sign-up already on file for the same phone or resident ID at this fair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    pub registration_id: Uuid,
    /// Whether the phone number matched, or only the resident ID.
    pub found_by: FoundBy,
    /// Last 4 digits of the phone on file, for the confirmation step (never shown).
    pub phone_last4: String,
    /// The phone on file, masked (`138****5678`), for the review.
    pub phone_masked: String,
    /// The resident ID on file, masked (`520000********001X`), if one was recorded.
    pub resident_id_masked: Option<String>,
    pub home: HomePlace,
    /// Whether the villager let the chosen employers see the phone.
    pub share_phone: bool,
    /// Openings chosen last time, in order.
    pub openings: Vec<u16>,
    pub name: String,
}

/// How an earlier sign-up was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoundBy {
    Phone,
    ResidentId,
}

/// What proves that the villager at the kiosk owns an earlier sign-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proof {
    /// The last 4 digits of the phone on file (wrong tries counted, then locked).
    Last4(String),
    /// The full phone on file, typed in this same session.
    FullPhone(Phone),
}

impl From<&str> for Proof {
    fn from(last4: &str) -> Proof {
        Proof::Last4(last4.to_string())
    }
}

/// The outcome of a registration: what the ticket page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub registration_id: Uuid,
    /// Eight characters from an alphabet without look-alikes, shown as `ABCD-EFGH`.
    pub short_code: String,
    /// The QR content (see README, "Ticket format").
    pub ticket: String,
    /// False when an existing sign-up was updated (duplicate path) or only shown again.
    pub created: bool,
}

pub struct Kiosk {
    pub(crate) config: Config,
    pub(crate) fair: FairFile,
    pub(crate) store: Store,
    pub(crate) keys: DeviceKeys,
    pub(crate) data_dir: PathBuf,
    /// The keyring: locked after every start (issue 17, [`super::lock`]).
    pub(crate) lock: super::lock::Lock,
    /// The numbers of the sign-up in progress, sealed ahead ([`super::lock::Prepared`]).
    pub(crate) prepared: std::cell::RefCell<Option<super::lock::Prepared>>,
}

impl std::fmt::Debug for Kiosk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kiosk")
            .field("data_dir", &self.data_dir)
            .field("kiosk_id", &self.config.kiosk_id)
            .field("fair", &self.fair.fair.id)
            .finish_non_exhaustive()
    }
}

impl Kiosk {
    /// Opens the kiosk in `opts.data_dir`: config (a kiosk id is made and saved on
    /// first run), store (migrated), the current fair (the embedded demo fair is
    /// installed when there is none) and that fair's keys (made on first use).
    pub fn open(opts: &KioskOptions) -> Result<Kiosk> {
        let data_dir = opts.data_dir.clone();
        store::files::create_private_dir(&data_dir).map_err(|source| store::Error::Io {
            path: data_dir.clone(),
            source,
        })?;
        let mut config = Config::load(&data_dir)?;
        if let Some(id) = &opts.kiosk_id {
            config.kiosk_id = id.clone();
            config.check()?;
        }
        let mut store = Store::open(&data_dir)?;
        let fair = match fairs::current(store.conn())? {
            Some(fair) => fair,
            None => {
                let demo = demo_fair()?;
                let tx = store.transaction()?;
                fairs::install(&tx, &demo, Utc::now())?;
                fairs::set_current(&tx, &demo.fair.id)?;
                tx.commit()?;
                demo
            }
        };
        let keys = keys::load(&data_dir, &fair.fair.id)?;
        let lock = super::lock::Lock::load(&data_dir)?;
        let mut kiosk = Kiosk {
            lock,
            prepared: std::cell::RefCell::new(None),
            config,
            fair,
            store,
            keys,
            data_dir,
        };
        kiosk.seal_plain_cards()?;
        Ok(kiosk)
    }

    /// The current fair.
    pub fn fair(&self) -> &FairFile {
        &self.fair
    }

    /// The effective config (file and environment).
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The data dir this kiosk was opened in.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The current fair's keys (booths get `keys().verifier()`).
    pub fn keys(&self) -> &DeviceKeys {
        &self.keys
    }

    /// True on a booth-only device (set up from a booth kit): it reads tickets but
    /// cannot register anyone.
    pub fn is_booth_only(&self) -> bool {
        self.keys.signing().is_none()
    }

    /// The keys that issue tickets; a booth-only device has none.
    pub(crate) fn signing_keys(&self) -> Result<&FairKeys> {
        self.keys.signing().ok_or(super::Error::BoothOnlyDevice)
    }

    /// The store, for checks and tools (integrity check, tests).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Checks a staff PIN against the config, counting failures in the store.
    pub fn verify_staff_pin(&mut self, pin: &str) -> Result<PinCheck> {
        self.verify_staff_pin_at(pin, Utc::now())
    }

    /// Count of sign-ups at the current fair (staff page).
    pub fn registration_count(&self) -> Result<u64> {
        Ok(store::registrations::count(
            self.store.conn(),
            &self.fair.fair.id,
        )?)
    }

    /// Makes `fair` the current fair in memory and loads its keys (after an import).
    pub(crate) fn switch_to(&mut self, fair: FairFile) -> Result<()> {
        let other = fair.fair.id != self.fair.fair.id;
        if other {
            self.keys = keys::load(&self.data_dir, &fair.fair.id)?;
        }
        self.fair = fair;
        if other {
            self.seal_plain_cards()?;
        }
        Ok(())
    }

    /// Re-reads the current fair from the store (after the upload worker applied
    /// newer openings pulled from the base). Returns whether it changed.
    pub fn reload_fair(&mut self) -> Result<bool> {
        match crate::store::fairs::current(self.store.conn())? {
            Some(fair) if fair != self.fair => {
                self.switch_to(fair)?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }
}

/// The embedded demo fair, parsed and validated.
pub fn demo_fair() -> Result<FairFile> {
    FairFile::from_json(DEMO_FAIR_JSON)
        .map_err(|e| super::Error::Invalid(format!("embedded demo fair: {e}")))
}
