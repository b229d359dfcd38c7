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
//!   key configured since, and the lists' people imported before schema 11. Then the
//!   journal is wiped and the WAL truncated, so the old
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
use crate::store::{self, list_people, outbox};

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
    /// People on the lists sealed (imported before schema 11, or again for the base).
    pub sealed_list_people: usize,
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

/// A villager's numbers sealed ahead of their sign-up: the lookup that finds no earlier
/// sign-up seals them while the villager goes on (name, home place, openings), so that the
/// commit after "Confirm" only stores them. Two sealed boxes cost about as much as the
/// durable commit itself (bench/RESULTS.md, "seal"). Kept in memory only, for one draft.
pub(crate) struct Prepared {
    phone: String,
    resident_id: Option<String>,
    numbers: Numbers,
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
        self.prepared.borrow_mut().take();
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

    /// Seals `phone` and `resident_id` ahead of a sign-up ([`Prepared`]); a failure is
    /// left for the sign-up itself to meet and report.
    pub(crate) fn prepare_numbers(&self, phone: &Phone, resident_id: Option<&ResidentId>) {
        if let Ok(numbers) = self.seal_numbers(phone, resident_id) {
            *self.prepared.borrow_mut() = Some(Prepared {
                phone: phone.as_str().to_string(),
                resident_id: resident_id.map(|r| r.as_str().to_string()),
                numbers,
            });
        }
    }

    /// The numbers sealed ahead for exactly this phone and ID, else sealed now.
    pub(crate) fn take_or_seal_numbers(
        &self,
        phone: &Phone,
        resident_id: Option<&ResidentId>,
    ) -> Result<Numbers> {
        let prepared = self.prepared.borrow_mut().take();
        match prepared {
            Some(p)
                if p.phone == phone.as_str()
                    && p.resident_id.as_deref() == resident_id.map(ResidentId::as_str) =>
            {
                Ok(p.numbers)
            }
            _ => self.seal_numbers(phone, resident_id),
        }
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
        let mut listed = list_people::legacy_ids(conn)?;
        if base_known {
            listed.extend(list_people::without_base_box(conn)?);
        }
        let mut done = Unlocking::default();
        if legacy.is_empty() && reseal.is_empty() && records.is_empty() && listed.is_empty() {
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
        let mut sealed_listed = Vec::new();
        for id in &listed {
            let Some(row) = list_people::get(self.store.conn(), *id)? else {
                continue;
            };
            let personal = self.open_numbers(&row.numbers)?;
            sealed_listed.push((*id, self.seal_personal(&personal)?));
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
        for (id, numbers) in &sealed_listed {
            list_people::replace_numbers(&tx, *id, numbers)?;
        }
        tx.commit()?;
        done.sealed_signups = legacy.len();
        done.resealed_signups = reseal.len();
        done.sealed_records = sealed_records.len();
        done.sealed_list_people = sealed_listed.len();
        self.scrub_after_sealing()?;
        Ok(done)
    }

    /// Wipes the journal and truncates the WAL (retried once: a reader may hold the WAL).
    pub(super) fn scrub_after_sealing(&mut self) -> Result<()> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::KioskOptions;
    use crate::domain::registration::{Consent, Draft, HomePlace};

    fn draft(kiosk: &Kiosk, phone: &str) -> Draft {
        let fair = &kiosk.fair().fair;
        Draft {
            consent: Consent {
                personal_data: true,
                resident_id: false,
                share_phone: false,
            },
            phone: Phone::parse(phone).unwrap(),
            resident_id: None,
            name: "测试村民".into(),
            home: HomePlace {
                county: fair.county.clone(),
                township: fair.township.clone(),
                village: fair.village.clone(),
            },
            openings: vec![kiosk.fair().openings[0].id],
        }
    }

    fn sealed_of(kiosk: &Kiosk, id: uuid::Uuid) -> Numbers {
        registrations::get(kiosk.store.conn(), id)
            .unwrap()
            .unwrap()
            .numbers
    }

    #[test]
    fn the_lookup_that_finds_nobody_seals_ahead_and_the_sign_up_stores_exactly_that() {
        let dir = tempfile::tempdir().unwrap();
        let mut k = Kiosk::open(&KioskOptions::new(dir.path())).unwrap();
        k.unlock_for_tests();
        let phone = Phone::parse("13900000001").unwrap();
        assert_eq!(k.lookup_existing(&phone, None).unwrap(), None);
        let ahead = k.prepared.borrow().as_ref().map(|p| p.numbers.clone());
        let ahead = ahead.expect("sealed ahead");
        let issued = k.register(&draft(&k, "13900000001")).unwrap();
        assert_eq!(
            sealed_of(&k, issued.registration_id),
            ahead,
            "stored as sealed ahead"
        );
        assert!(k.prepared.borrow().is_none(), "used once");

        // Another phone than the one looked up: sealed afresh, never the other's boxes.
        let other = Phone::parse("13900000002").unwrap();
        assert_eq!(k.lookup_existing(&other, None).unwrap(), None);
        let issued = k.register(&draft(&k, "13900000003")).unwrap();
        let whole = k.numbers_of(issued.registration_id).unwrap();
        assert_eq!(whole.phone, "13900000003");
        assert!(k.prepared.borrow().is_none());

        // Locking forgets what was sealed ahead.
        assert_eq!(k.lookup_existing(&other, None).unwrap(), None);
        k.lock();
        assert!(k.prepared.borrow().is_none());
    }
}
