//! Staff PIN: argon2 hash in the config, failures and lockout kept in the store.
//!
//! A PIN is never logged, printed or stored in clear; only its argon2id PHC string
//! goes into `config.toml`.

use super::kiosk::Kiosk;
use super::{Error, Result};
use crate::config::Config;
use crate::store::{Store, pin as store_pin};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use std::path::Path;

/// Wrong PINs in a row before the pad locks.
pub const MAX_FAILURES: u32 = 5;
/// How long the pad stays locked.
pub const LOCKOUT_SECONDS: i64 = 300;
/// Digits a staff PIN may have.
pub const PIN_DIGITS: std::ops::RangeInclusive<usize> = 4..=8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinCheck {
    Ok,
    /// Wrong PIN; this many tries remain before the lock.
    Wrong {
        remaining: u32,
    },
    /// Locked; seconds until the pad opens again.
    Locked {
        seconds_left: i64,
    },
    /// No staff PIN has been set (`jobfair-kiosk staff set-pin`).
    NotSet,
}

impl Kiosk {
    /// [`Kiosk::verify_staff_pin`] at a given time (tests inject the clock).
    ///
    /// While locked even the right PIN answers `Locked`. The fifth wrong PIN in a row
    /// locks the pad for [`LOCKOUT_SECONDS`]; a right PIN clears the count. The hash is
    /// read from `config.toml` now, so a PIN set (or changed) with `staff set-pin` while
    /// the kiosk runs counts at once.
    pub fn verify_staff_pin_at(&mut self, pin: &str, now: DateTime<Utc>) -> Result<PinCheck> {
        self.config.staff_pin_hash = Config::load_file(&self.data_dir)?.staff_pin_hash;
        let Some(hash) = self.config.staff_pin_hash.as_deref() else {
            return Ok(PinCheck::NotSet);
        };
        let tx = self.store.transaction()?;
        let check = check_pin(&tx, store_pin::STAFF, hash, pin, now)?;
        tx.commit()?;
        if check == PinCheck::Ok && needs_rehash(hash) {
            // A hash made before at other costs: hashed again now that the PIN is known.
            // The PIN was right either way; a failure here only leaves the old hash.
            let checked = hash.to_string();
            if let Err(e) = self.rehash_staff_pin(&checked, pin) {
                eprintln!("jobfair-kiosk: staff PIN: the old hash stays: {e}");
            }
        }
        Ok(check)
    }

    /// Replaces the staff PIN hash `checked` by one at today's costs, unless another
    /// process changed the PIN meanwhile.
    fn rehash_staff_pin(&mut self, checked: &str, pin: &str) -> Result<()> {
        let mut config = Config::load_file(&self.data_dir)?;
        if config.staff_pin_hash.as_deref() != Some(checked) {
            return Ok(());
        }
        config.staff_pin_hash = Some(hash_pin(pin)?);
        config.save(&self.data_dir)?;
        self.config.staff_pin_hash = config.staff_pin_hash;
        Ok(())
    }

    /// Sets a new staff PIN (see [`set_staff_pin`]) and uses it from now on.
    pub fn set_staff_pin(&mut self, pin: &str) -> Result<()> {
        set_staff_pin(&self.data_dir, pin)?;
        self.config.staff_pin_hash = Config::load_file(&self.data_dir)?.staff_pin_hash;
        Ok(())
    }
}

/// Checks `pin` against the argon2 `hash`, counting failures under `scope` in the store
/// (the staff pad, or `booth:<id>`). While locked even the right PIN answers `Locked`; the
/// fifth wrong PIN in a row locks for [`LOCKOUT_SECONDS`]; a right PIN clears the count.
/// Run it in a transaction and commit afterwards.
pub(crate) fn check_pin(
    conn: &rusqlite::Connection,
    scope: &str,
    hash: &str,
    pin: &str,
    now: DateTime<Utc>,
) -> Result<PinCheck> {
    let hash = PasswordHash::new(hash).map_err(|_| Error::PinHash)?;
    let mut state = store_pin::get(conn, scope)?;
    if let Some(mut until) = state.locked_until {
        let longest = now + Duration::seconds(LOCKOUT_SECONDS);
        if until > longest {
            // The clock went back since the lock was taken (or was ahead when it was):
            // the lock ends LOCKOUT_SECONDS from now, not days or a year from now.
            until = longest;
            state.locked_until = Some(until);
            store_pin::set(conn, scope, &state)?;
        }
        if until > now {
            return Ok(PinCheck::Locked {
                seconds_left: (until - now).num_seconds().max(1),
            });
        }
        state = store_pin::PinFailures::default();
    }
    let right = Argon2::default()
        .verify_password(pin.as_bytes(), &hash)
        .is_ok();
    give_back_argon2_memory();
    if right {
        store_pin::reset(conn, scope)?;
        return Ok(PinCheck::Ok);
    }
    state.failures += 1;
    let check = if state.failures >= MAX_FAILURES {
        state = store_pin::PinFailures {
            failures: 0,
            locked_until: Some(now + Duration::seconds(LOCKOUT_SECONDS)),
        };
        PinCheck::Locked {
            seconds_left: LOCKOUT_SECONDS,
        }
    } else {
        PinCheck::Wrong {
            remaining: MAX_FAILURES - state.failures,
        }
    };
    store_pin::set(conn, scope, &state)?;
    Ok(check)
}

/// Gives the heap's free memory back to the system after a PIN's argon2 work. The crate takes
/// its 7 MiB (older hashes: 19 MiB) from the heap; after the first check glibc serves the next
/// ones from its heap too and keeps the pages: the kiosk stayed ~7 MB larger after every staff
/// panel or booth login (`cargo bench --bench seal`, "PIN check").
fn give_back_argon2_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free heap pages; no pointer is touched.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Whether `hash` was made at other costs than [`hash_pin`]'s today (the crate default's
/// 19 MiB × 2 before): a right PIN is then hashed again, so that later checks take 7 MiB.
pub(crate) fn needs_rehash(hash: &str) -> bool {
    let today = format!(
        "$argon2id$v=19$m={},t={},p=1$",
        crate::seal::Kdf::MEMORY_KIB,
        crate::seal::Kdf::ITERATIONS
    );
    !hash.starts_with(&today)
}

/// The argon2id PHC string of `pin`, at the staff keyring's costs (7 MiB × 5 passes,
/// [`crate::seal::Kdf`]) rather than the crate's default 19 MiB × 2 (OWASP lists both as
/// equal): every PIN check at the staff panel or a booth otherwise took 19 MiB on top of the
/// kiosk's memory. Hashes made before keep their costs (they are in the PHC string).
pub(crate) fn hash_pin(pin: &str) -> Result<String> {
    let params = argon2::Params::new(
        crate::seal::Kdf::MEMORY_KIB,
        crate::seal::Kdf::ITERATIONS,
        1,
        None,
    )
    .map_err(|e| Error::Invalid(format!("argon2 parameters: {e}")))?;
    let hashed = Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password(pin.as_bytes())
        .map_err(|e| Error::Invalid(format!("hashing the PIN failed: {e}")));
    give_back_argon2_memory();
    Ok(hashed?.to_string())
}

/// Checks that `pin` has 4 to 8 ASCII digits, saves its argon2id hash in
/// `<data_dir>/config.toml` and clears any failures and lockout.
pub fn set_staff_pin(data_dir: &Path, pin: &str) -> Result<()> {
    if !PIN_DIGITS.contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::BadPin);
    }
    let hash = hash_pin(pin)?;
    let mut config = Config::load_file(data_dir)?;
    config.staff_pin_hash = Some(hash);
    config.save(data_dir)?;
    let mut store = Store::open(data_dir)?;
    let tx = store.transaction()?;
    store_pin::reset(&tx, store_pin::STAFF)?;
    tx.commit()?;
    Ok(())
}
