//! Helpers shared by the store, CLI and power-cut tests. Synthetic data only:
//! phones in the `139` range numbered by test, resident IDs made with
//! `resident_id::synthesize` on a province-level region code.
#![allow(dead_code)]

use chrono::NaiveDate;
use jobfair_kiosk::app::{Kiosk, KioskOptions};
use jobfair_kiosk::domain::phone::Phone;
use jobfair_kiosk::domain::registration::{Consent, Draft, HomePlace};
use jobfair_kiosk::domain::resident_id::{ResidentId, synthesize};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The `jobfair-base` program of the same build as the kiosk under test. `cargo test
/// --workspace` (the README's test command) builds it next to `jobfair-kiosk`; a
/// narrower `cargo test` may not have, and then this says how to build it.
pub fn base_bin() -> PathBuf {
    let kiosk = Path::new(env!("CARGO_BIN_EXE_jobfair-kiosk"));
    let base = kiosk.with_file_name("jobfair-base");
    assert!(
        base.is_file(),
        "{} is missing: run the tests with `cargo test --workspace`, or `cargo build -p jobfair-base` first",
        base.display()
    );
    base
}

/// Publishes the demo fair (the kiosk's default) on the SQLite base in `base_dir`: the
/// base accepts records only for fairs it publishes (unknown_fair otherwise).
pub fn publish_demo_fair(base_dir: &Path) {
    let fair = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/demo-fair.json"
    ))
    .unwrap();
    jobfair_base::publish_fair(base_dir, &fair).unwrap();
}

/// Opens a kiosk in `dir` with a fixed kiosk id.
pub fn open_kiosk(dir: &Path) -> Kiosk {
    let mut kiosk = Kiosk::open(&KioskOptions {
        data_dir: dir.to_path_buf(),
        kiosk_id: Some("kiosk-test0001".into()),
    })
    .expect("kiosk opens");
    unlock(&mut kiosk);
    kiosk
}

/// Gives the data dir `dir` a keyring for [`PASSPHRASE`] (cheap argon2 costs) unless it
/// has one: a binary run with `JOBFAIR_STAFF_PASSPHRASE` then unlocks with it.
pub fn ensure_keyring(dir: &Path) {
    use jobfair_kiosk::seal::{Kdf, Keyring, keyring_path};
    let path = keyring_path(dir);
    if path.exists() {
        return;
    }
    jobfair_kiosk::store::files::create_private_dir(path.parent().unwrap()).unwrap();
    jobfair_kiosk::store::files::create_private_dir(dir).unwrap();
    Keyring::create(&path, PASSPHRASE, Kdf::with_costs(8, 1).unwrap()).unwrap();
}

/// Makes the base's sealing key in `base_dir` (before the base starts: it reads the key at
/// start) and returns its public half (hex), for a kiosk's `base_seal_key`.
pub fn base_seal_key(base_dir: &Path) -> String {
    use jobfair_base::seal_key::{BaseSealKeys, SEAL_KEY_FILE};
    BaseSealKeys::init(&base_dir.join(SEAL_KEY_FILE))
        .unwrap()
        .public()
        .to_hex()
}

/// Writes `base_seal_key = key` into the config of the kiosk in `dir`: its sign-ups are
/// sealed to that base as well as to the staff.
pub fn seal_to_base(dir: &Path, key: &str) {
    let mut config = jobfair_kiosk::config::Config::load_file(dir).unwrap();
    config.base_seal_key = Some(key.to_string());
    config.save(dir).unwrap();
}

/// The staff passphrase of every test kiosk (synthetic, 13 characters).
pub const PASSPHRASE: &str = "测试用的工作人员口令一二三";

/// Unlocks `kiosk` with [`PASSPHRASE`], making its keyring first (cheap argon2 costs, so
/// tests stay quick) when it has none. Registering needs it (issue 17).
#[allow(dead_code)]
pub fn unlock(kiosk: &mut Kiosk) {
    use jobfair_kiosk::app::LockState;
    match kiosk.lock_state() {
        LockState::NoPassphrase => kiosk
            .create_passphrase_with(
                PASSPHRASE,
                jobfair_kiosk::seal::Kdf::with_costs(8, 1).unwrap(),
            )
            .map(|_| ()),
        LockState::Locked => kiosk.unlock(PASSPHRASE).map(|_| ()),
        LockState::Unlocked => Ok(()),
    }
    .expect("the test passphrase unlocks");
}

/// Synthetic phone number `n`.
pub fn phone(n: u32) -> Phone {
    Phone::parse(&format!("139{n:08}")).unwrap()
}

/// Synthetic resident ID `n` (born 1990 plus n days; odd n male).
pub fn resident_id(n: u32) -> ResidentId {
    let birth = NaiveDate::from_ymd_opt(1990, 3, 1).unwrap() + chrono::Days::new(u64::from(n));
    synthesize("520000", birth, (n % 1000) as u16)
}

/// The first `k` opening ids of the kiosk's fair.
pub fn openings(kiosk: &Kiosk, k: usize) -> Vec<u16> {
    kiosk.fair().openings.iter().take(k).map(|o| o.id).collect()
}

/// A complete draft for synthetic villager `n` with a resident ID, sharing the phone.
pub fn draft(kiosk: &Kiosk, n: u32) -> Draft {
    Draft {
        consent: Consent {
            personal_data: true,
            resident_id: true,
            share_phone: true,
        },
        phone: phone(n),
        resident_id: Some(resident_id(n)),
        name: "测试村民".into(),
        home: HomePlace {
            county: kiosk.fair().fair.county.clone(),
            township: kiosk.fair().fair.township.clone(),
            village: kiosk.fair().fair.village.clone(),
        },
        openings: openings(kiosk, 2),
    }
}

/// Permission bits of a file or directory.
pub fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

pub mod ui;
