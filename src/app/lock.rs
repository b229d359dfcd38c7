//! The kiosk's lock (issue 17): phones and resident IDs are stored sealed, and finding a
//! sign-up by them needs the keyring's HMAC key, which exists in clear only in memory
//! after the staff passphrase unlocked it. A kiosk therefore opens **locked** after every
//! start ("工作人员请解锁"): browsing, booths and check-in work, registering does not.
//!
//! - [`Kiosk::create_passphrase`]: the first start of a kiosk without a keyring (or
//!   `staff set-passphrase`) makes one and leaves the kiosk unlocked.
//! - [`Kiosk::unlock`]: the staff passphrase; wrong ones are refused ([`Error::Seal`]).
//! - Both then seal what is still in clear ([`Kiosk::seal_at_rest`]): sign-ups stored
//!   before schema 10, the outbox records that carry their numbers, and boxes for a base
//!   key configured since. Then the journal is wiped and the WAL truncated, so the old
//!   plaintext is nowhere in the data dir.

use super::kiosk::Kiosk;
use super::{Error, Result};
use crate::domain::phone::Phone;
use crate::domain::records::RegistrationRecord;
use crate::domain::resident_id::ResidentId;
use crate::protocol::masking;
use crate::protocol::sealed::SealKey;
use crate::seal::{self, BlindKind, Kdf, Keyring, Personal, Sealer, Unlocked, keyring_path};
use crate::store::registrations::{self, Numbers, SealedRow};
use crate::store::{self, outbox};

/// Where the kiosk's keyring stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockState {
    /// No keyring yet: the staff must choose a passphrase before the first sign-up.
    NoPassphrase,
    /// Started, not yet unlocked today.
    Locked,
    Unlocked,
}

/// What an unlock sealed that was still in clear.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Unlocking {
    /// Sign-ups stored before schema 10, now sealed.
    pub sealed_signups: usize,
    /// Sign-ups sealed again to include the base's key (configured since they were stored).
    pub resealed_signups: usize,
    /// Outbox records rewritten with sealed numbers (or with the base's box).
    pub sealed_records: usize,
}

/// One kiosk's unlock handed to another on the same data dir ([`Kiosk::shared_unlock`]).
/// Its secrets are zeroized when the last copy is dropped.
#[derive(Clone)]
pub struct SharedUnlock(Keyring, Unlocked);

impl std::fmt::Debug for SharedUnlock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedUnlock(secrets hidden)")
    }
}

/// The keyring as the kiosk holds it.
pub(crate) enum Lock {
    NoKeyring,
    Locked(Keyring),
    Unlocked(Keyring, Unlocked),
}

impl Lock {
    /// The lock of the kiosk in `data_dir`: locked if it has a keyring.
    pub(crate) fn load(data_dir: &std::path::Path) -> Result<Lock> {
        match Keyring::load(&keyring_path(data_dir)) {
            Ok(keyring) => Ok(Lock::Locked(keyring)),
            Err(seal::Error::NoKeyring) => Ok(Lock::NoKeyring),
            Err(e) => Err(e.into()),
        }
    }
}

impl Kiosk {
    /// Whether the kiosk has a keyring, and whether it is unlocked.
    pub fn lock_state(&self) -> LockState {
        match &self.lock {
            Lock::NoKeyring => LockState::NoPassphrase,
            Lock::Locked(_) => LockState::Locked,
            Lock::Unlocked(..) => LockState::Unlocked,
        }
    }

    /// Unlocks with the staff passphrase, then seals what is still in clear.
    pub fn unlock(&mut self, passphrase: &str) -> Result<Unlocking> {
        let keyring = match std::mem::replace(&mut self.lock, Lock::NoKeyring) {
            Lock::NoKeyring => return Err(seal::Error::NoKeyring.into()),
            Lock::Locked(k) | Lock::Unlocked(k, _) => k,
        };
        match keyring.unlock(passphrase) {
            Ok(secrets) => self.lock = Lock::Unlocked(keyring, secrets),
            Err(e) => {
                self.lock = Lock::Locked(keyring);
                return Err(e.into());
            }
        }
        self.seal_at_rest()
    }

    /// Makes the keyring (the first start): `passphrase` of 12 characters or more, the
    /// default argon2 costs. Leaves the kiosk unlocked.
    pub fn create_passphrase(&mut self, passphrase: &str) -> Result<Unlocking> {
        self.create_passphrase_with(passphrase, Kdf::new()?)
    }

    /// [`Kiosk::create_passphrase`] with other argon2 costs (tests use cheap ones).
    pub fn create_passphrase_with(&mut self, passphrase: &str, kdf: Kdf) -> Result<Unlocking> {
        let (keyring, secrets) = Keyring::create(&keyring_path(&self.data_dir), passphrase, kdf)?;
        self.lock = Lock::Unlocked(keyring, secrets);
        self.seal_at_rest()
    }

    /// A second kiosk on the same data dir that shares this one's unlock (the phone
    /// form's writer thread): it can register only if this one could.
    pub fn reopen(&self) -> Result<Kiosk> {
        let mut other = Kiosk::open(&super::KioskOptions {
            data_dir: self.data_dir.clone(),
            kiosk_id: Some(self.config.kiosk_id.clone()),
        })?;
        if let Some(shared) = self.shared_unlock() {
            other.adopt_unlock(shared);
        }
        Ok(other)
    }

    /// This kiosk's unlock, to hand to another kiosk on the same data dir opened on a
    /// worker thread (the staff's export); `None` while locked.
    pub fn shared_unlock(&self) -> Option<SharedUnlock> {
        match &self.lock {
            Lock::Unlocked(keyring, secrets) => {
                Some(SharedUnlock(keyring.clone(), secrets.clone()))
            }
            _ => None,
        }
    }

    /// Takes another kiosk's unlock ([`Kiosk::shared_unlock`]) when it is for this kiosk's
    /// keyring (the same staff key); else leaves this one as it is.
    pub fn adopt_unlock(&mut self, shared: SharedUnlock) {
        let same = match &self.lock {
            Lock::Locked(k) | Lock::Unlocked(k, _) => k == &shared.0,
            Lock::NoKeyring => false,
        };
        if same {
            self.lock = Lock::Unlocked(shared.0, shared.1);
        }
    }

    /// Forgets the secrets (the staff's "lock" action; a restart does the same).
    pub fn lock(&mut self) {
        self.lock = match std::mem::replace(&mut self.lock, Lock::NoKeyring) {
            Lock::Unlocked(k, _) | Lock::Locked(k) => Lock::Locked(k),
            Lock::NoKeyring => Lock::NoKeyring,
        };
    }

    /// The secrets, or [`Error::Locked`].
    pub(crate) fn secrets(&self) -> Result<&Unlocked> {
        match &self.lock {
            Lock::Unlocked(_, secrets) => Ok(secrets),
            _ => Err(Error::Locked),
        }
    }

    /// The public keys new numbers are sealed to.
    pub(crate) fn sealer(&self) -> Result<Sealer> {
        let keyring = match &self.lock {
            Lock::Unlocked(k, _) | Lock::Locked(k) => k,
            Lock::NoKeyring => return Err(Error::Locked),
        };
        let base = self
            .config
            .base_seal_key
            .as_deref()
            .map(SealKey::from_hex)
            .transpose()
            .map_err(seal::Error::from)?;
        Ok(keyring.sealer(base)?)
    }

    /// A villager's phone and resident ID as the store keeps them: masks, blind indexes,
    /// sealed boxes. Needs the kiosk unlocked.
    pub(crate) fn seal_numbers(
        &self,
        phone: &Phone,
        resident_id: Option<&ResidentId>,
    ) -> Result<Numbers> {
        let personal = Personal {
            phone: phone.as_str().to_string(),
            resident_id: resident_id.map(|r| r.as_str().to_string()),
        };
        self.seal_personal(&personal)
    }

    fn seal_personal(&self, personal: &Personal) -> Result<Numbers> {
        let secrets = self.secrets()?;
        let sealed = self.sealer()?.seal(personal)?;
        Ok(Numbers::Sealed(SealedRow {
            phone_masked: masking::phone(&personal.phone),
            phone_blind: secrets.blind(BlindKind::Phone, &personal.phone).to_hex(),
            resident_id_masked: personal.resident_id.as_deref().map(masking::resident_id),
            resident_id_blind: personal
                .resident_id
                .as_deref()
                .map(|r| secrets.blind(BlindKind::ResidentId, r).to_hex()),
            sealed: sealed.into(),
        }))
    }

    /// The whole numbers of `numbers` (unmasked export, the ticket's shared phone). Needs
    /// the kiosk unlocked: the staff key opens them.
    pub(crate) fn open_numbers(&self, numbers: &Numbers) -> Result<Personal> {
        match numbers {
            Numbers::Legacy { phone, resident_id } => Ok(Personal {
                phone: phone.clone(),
                resident_id: resident_id.clone(),
            }),
            Numbers::Sealed(s) => Ok(self.secrets()?.open(&s.sealed.clone().into())?),
        }
    }

    /// The whole phone and resident ID of sign-up `id`, opened with the staff key (needs
    /// the unlock). For the staff's tools and tests; the screens show masks.
    pub fn numbers_of(&self, id: uuid::Uuid) -> Result<Personal> {
        let row =
            registrations::get(self.store.conn(), id)?.ok_or(Error::UnknownRegistration(id))?;
        self.open_numbers(&row.numbers)
    }

    /// The blind index of a phone, to look it up (needs the kiosk unlocked).
    pub(crate) fn phone_blind(&self, phone: &Phone) -> Result<String> {
        Ok(self
            .secrets()?
            .blind(BlindKind::Phone, phone.as_str())
            .to_hex())
    }

    /// The blind index of a resident ID, to look it up (needs the kiosk unlocked).
    pub(crate) fn resident_id_blind(&self, resident_id: &ResidentId) -> Result<String> {
        Ok(self
            .secrets()?
            .blind(BlindKind::ResidentId, resident_id.as_str())
            .to_hex())
    }

    /// Seals what is still in clear (see the module's header) in one transaction, then
    /// leaves no copy of the old plaintext beside the database.
    fn seal_at_rest(&mut self) -> Result<Unlocking> {
        let base_known = self.sealer()?.base.is_some();
        let conn = self.store.conn();
        let legacy = registrations::legacy_ids(conn)?;
        let reseal = if base_known {
            registrations::without_base_box(conn)?
        } else {
            Vec::new()
        };
        let records = outbox::registrations_to_seal(conn, base_known)?;
        let mut done = Unlocking::default();
        if legacy.is_empty() && reseal.is_empty() && records.is_empty() {
            return Ok(done);
        }
        // The journal may hold legacy sign-ups in clear: make them durable in SQLite
        // first, so that they are sealed below and the journal can be wiped.
        self.store.retire_signup_journal()?;
        let mut sealed_rows = Vec::new();
        for id in legacy.iter().chain(&reseal) {
            let conn = self.store.conn();
            let Some(row) = registrations::get(conn, *id)? else {
                continue;
            };
            let personal = self.open_numbers(&row.numbers)?;
            sealed_rows.push((*id, self.seal_personal(&personal)?));
        }
        let mut sealed_records = Vec::new();
        for (seq, payload) in records {
            let mut record: RegistrationRecord = serde_json::from_str(&payload)
                .map_err(|e| Error::Invalid(format!("outbox record {seq}: {e}")))?;
            let personal = match &record.sealed {
                Some(sealed) => self.secrets()?.open(&sealed.clone().into())?,
                None => Personal {
                    phone: record.phone.clone(),
                    resident_id: record.resident_id.clone(),
                },
            };
            let Numbers::Sealed(s) = self.seal_personal(&personal)? else {
                unreachable!("seal_personal seals");
            };
            record.phone = s.phone_masked;
            record.resident_id = s.resident_id_masked;
            record.sealed = Some(s.sealed);
            sealed_records.push((seq, record));
        }
        let tx = self.store.transaction()?;
        for (id, numbers) in &sealed_rows {
            registrations::replace_numbers(&tx, *id, numbers)?;
        }
        for (seq, record) in &sealed_records {
            outbox::replace_payload(&tx, *seq, record)?;
        }
        tx.commit()?;
        done.sealed_signups = legacy.len();
        done.resealed_signups = reseal.len();
        done.sealed_records = sealed_records.len();
        self.scrub_after_sealing()?;
        Ok(done)
    }

    /// Wipes the journal and truncates the WAL (retried once: a reader may hold the WAL).
    fn scrub_after_sealing(&mut self) -> Result<()> {
        match self.store.scrub() {
            Err(store::Error::WalNotEmptied { .. }) => {
                std::thread::sleep(std::time::Duration::from_millis(100));
                Ok(self.store.scrub()?)
            }
            other => Ok(other?),
        }
    }
}

#[cfg(test)]
impl Kiosk {
    /// The passphrase of the crate's unit-test kiosks.
    pub(crate) const TEST_PASSPHRASE: &'static str = "测试用的工作人员口令一二三";

    /// Unlocks with [`Self::TEST_PASSPHRASE`], making a cheap keyring on first use.
    pub(crate) fn unlock_for_tests(&mut self) {
        match self.lock_state() {
            LockState::NoPassphrase => self
                .create_passphrase_with(Self::TEST_PASSPHRASE, Kdf::with_costs(8, 1).unwrap())
                .map(|_| ()),
            LockState::Locked => self.unlock(Self::TEST_PASSPHRASE).map(|_| ()),
            LockState::Unlocked => Ok(()),
        }
        .expect("the test passphrase unlocks");
    }
}
