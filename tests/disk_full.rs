//! Disk full during registration, on a real small filesystem: the test mounts a
//! tmpfs of a few MiB, puts the kiosk's data dir on it and fills the rest with a
//! file. Registering then fails with `DiskFull` (the villager sees "storage is
//! full"), nothing is half-written, the kiosk keeps running, and once the file is
//! deleted the same villager registers.
//!
//! Mounting needs root (or CAP_SYS_ADMIN). Running as root (CI does), a refused mount
//! FAILS the tests: they must not pass having tested nothing. Not root, they write
//! `skipped: …` with the reason straight to stderr (shown even when the harness
//! captures output); the app-layer test then runs the same scenario on SQLite's page
//! cap (`PRAGMA max_page_count`, which answers `SQLITE_FULL` like a full disk), and the
//! UI test has nothing to run on.

mod common;

use common::ui::Ui;
use common::{draft, open_kiosk};
use i_slint_backend_testing::AccessibleRole;
use jobfair_kiosk::app::{Error, Kiosk};
use jobfair_kiosk::gui::{Page, RegisterAdapter};
use jobfair_kiosk::store::{Store, registrations};
use slint::ComponentHandle;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use uuid::Uuid;

/// Size of the test filesystem: room for the store with the demo fair, then the filler.
const FS_SIZE: &str = "8m";
/// The full-disk message of the review step (zh_CN, the kiosk's default language).
const FULL_MESSAGE: &str = "本机存储已满，信息没有保存。请找工作人员。";

/// A tmpfs mounted on a fresh temp dir; unmounted on drop.
struct SmallFs {
    mount: tempfile::TempDir,
}

impl SmallFs {
    fn mount() -> Result<SmallFs, String> {
        let mount = tempfile::tempdir().map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o"])
            .arg(format!("size={FS_SIZE},mode=0700"))
            .arg("jobfair-test")
            .arg(mount.path())
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "mount -t tmpfs failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(SmallFs { mount })
    }

    fn path(&self) -> &Path {
        self.mount.path()
    }

    fn filler(&self) -> PathBuf {
        self.path().join("filler")
    }

    /// Writes the filler file until the filesystem answers ENOSPC.
    fn fill(&self) {
        let mut f = std::fs::File::create(self.filler()).unwrap();
        let chunk = vec![0xA5u8; 4096];
        loop {
            match f.write_all(&chunk) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::StorageFull => break,
                Err(e) => panic!("filling the test filesystem: {e}"),
            }
        }
    }

    /// Gives the space back.
    fn free(&self) {
        std::fs::remove_file(self.filler()).unwrap();
    }
}

/// The tmpfs; or, when it cannot be mounted: a failure as root, else `None` after a
/// visible `skipped: …` line.
fn small_fs_or_skip(what: &str) -> Option<SmallFs> {
    match SmallFs::mount() {
        Ok(fs) => Some(fs),
        Err(reason) => {
            // SAFETY: geteuid has no preconditions and cannot fail.
            let root = unsafe { libc::geteuid() } == 0;
            assert!(
                !root,
                "running as root but the test tmpfs cannot be mounted ({reason}): this test \
                 must run for real here (CI runs as root; give the container CAP_SYS_ADMIN)"
            );
            // Straight to the process's stderr: libtest captures `eprintln!`, not this.
            let _ = writeln!(
                std::io::stderr(),
                "skipped: {what}: {reason} (mounting a tmpfs needs root)"
            );
            None
        }
    }
}

impl Drop for SmallFs {
    fn drop(&mut self) {
        // Lazy, so an assertion that failed while a file was open still unmounts.
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.mount.path())
            .status();
    }
}

/// Registers synthetic villagers from `first` until the store answers an error.
fn register_until_full(kiosk: &mut Kiosk, first: u32, saved: &mut Vec<Uuid>) -> (u32, Error) {
    for n in first..first + 20_000 {
        match kiosk.register(&draft(kiosk, n)) {
            Ok(issued) => saved.push(issued.registration_id),
            Err(e) => return (n, e),
        }
    }
    panic!("20,000 sign-ups and the store never filled");
}

/// No sign-up without its openings and outbox row, no outbox row without its
/// sign-up, and the file passes `PRAGMA integrity_check`.
fn assert_nothing_half_written(store: &Store, ctx: &str) {
    assert_eq!(store.integrity_check().unwrap(), "ok", "{ctx}");
    let counts: (i64, i64, i64) = store
        .conn()
        .query_row(
            "SELECT
               (SELECT count(*) FROM registrations r WHERE NOT EXISTS
                  (SELECT 1 FROM outbox o WHERE o.kind = 'registration'
                     AND json_extract(o.payload, '$.registration_id') = r.id)),
               (SELECT count(*) FROM outbox o WHERE o.kind = 'registration' AND NOT EXISTS
                  (SELECT 1 FROM registrations r
                     WHERE r.id = json_extract(o.payload, '$.registration_id'))),
               (SELECT count(*) FROM registrations r WHERE NOT EXISTS
                  (SELECT 1 FROM registration_openings ro WHERE ro.registration_id = r.id))",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        counts,
        (0, 0, 0),
        "{ctx}: (sign-ups without outbox row, outbox rows without sign-up, sign-ups without openings)"
    );
}

/// The app-layer scenario; `fill` makes the store full, `free` gives space back.
fn full_then_freed(dir: &Path, fill: impl FnOnce(&Kiosk), free: impl FnOnce(&Kiosk), ctx: &str) {
    let mut kiosk = open_kiosk(dir);
    let mut saved = Vec::new();
    // A few sign-ups with room to spare, so there is something that must survive.
    for n in 0..5 {
        saved.push(kiosk.register(&draft(&kiosk, n)).unwrap().registration_id);
    }
    fill(&kiosk);
    let (failed_n, err) = register_until_full(&mut kiosk, 5, &mut saved);
    assert!(matches!(err, Error::DiskFull), "{ctx}: {err:?}");
    // The message the villager sees comes from this error (FieldError::DiskFull).
    assert_eq!(kiosk.registration_count().unwrap(), saved.len() as u64);
    assert_nothing_half_written(kiosk.store(), ctx);

    // The kiosk keeps running: another try is refused the same way, and reads work.
    let again = kiosk.register(&draft(&kiosk, failed_n)).unwrap_err();
    assert!(matches!(again, Error::DiskFull), "{ctx}: {again:?}");
    assert!(
        kiosk
            .lookup_existing(&common::phone(0), None)
            .unwrap()
            .is_some()
    );

    // Space back: the villager who was refused registers (so nothing of theirs was
    // half-stored, or this would be "already registered"), and so does the next one.
    free(&kiosk);
    let issued = kiosk.register(&draft(&kiosk, failed_n)).unwrap();
    assert!(issued.created, "{ctx}");
    saved.push(issued.registration_id);
    saved.push(
        kiosk
            .register(&draft(&kiosk, failed_n + 1))
            .unwrap()
            .registration_id,
    );
    drop(kiosk);

    let store = Store::open(dir).unwrap();
    assert_nothing_half_written(&store, ctx);
    for id in &saved {
        assert!(
            registrations::get(store.conn(), *id).unwrap().is_some(),
            "{ctx}: acknowledged sign-up {id} lost"
        );
    }
    println!(
        "{ctx}: {} sign-ups saved, full after villager {failed_n}",
        saved.len()
    );
}

#[test]
fn a_full_disk_refuses_the_sign_up_cleanly_and_registering_works_once_space_is_back() {
    match small_fs_or_skip("the real small filesystem (SQLite's page cap instead)") {
        Some(fs) => {
            let dir = fs.path().join("data");
            full_then_freed(&dir, |_| fs.fill(), |_| fs.free(), "tmpfs");
        }
        None => {
            let dir = tempfile::tempdir().unwrap();
            full_then_freed(
                dir.path(),
                |k| {
                    k.store().limit_pages(1).unwrap(); // capped at the current size
                },
                |k| {
                    k.store().limit_pages(1 << 30).unwrap();
                },
                "page cap",
            );
        }
    }
}

/// Through the real UI: the villager confirms on a full disk, sees the message and
/// stays on the review page; after space is back the same tap gives the ticket.
#[test]
fn the_villager_sees_the_full_disk_message_and_gets_the_ticket_once_space_is_back() {
    let Some(fs) = small_fs_or_skip("the UI disk-full test") else {
        return;
    };
    static INIT: std::sync::Once = std::sync::Once::new();
    INIT.call_once(i_slint_backend_testing::init_integration_test_with_mock_time);
    let ui = Ui::start_in(tempfile::tempdir_in(fs.path()).unwrap());
    let phone = "13812340000";
    to_review(&ui, phone);

    // Another connection on the same store fills the disk and the WAL's slack.
    let mut other = open_kiosk(ui.dir.path());
    fs.fill();
    let (_, err) = register_until_full(&mut other, 100, &mut Vec::new());
    assert!(matches!(err, Error::DiskFull), "{err:?}");

    ui.tap("确认并领取凭证");
    assert_eq!(ui.page(), Page::Review, "no ticket without a saved sign-up");
    ui.find(FULL_MESSAGE, AccessibleRole::Text);
    let stored: i64 = ui
        .db()
        .query_row(
            "SELECT count(*) FROM registrations WHERE phone_masked = ?1",
            [jobfair_kiosk::protocol::masking::phone(phone)],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, 0, "nothing of the refused sign-up was stored");
    assert_nothing_half_written(other.store(), "ui, full");

    fs.free();
    ui.tap("确认并领取凭证");
    assert_eq!(ui.page(), Page::Ticket, "registered once space is back");
    let stored: i64 = ui
        .db()
        .query_row(
            "SELECT count(*) FROM registrations WHERE phone_masked = ?1",
            [jobfair_kiosk::protocol::masking::phone(phone)],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, 1);
    assert_nothing_half_written(other.store(), "ui, freed");
    drop(other);
    drop(ui);
}

/// Home → register → consent (no ID) → phone → name → place → openings → review.
fn to_review(ui: &Ui, phone: &str) {
    ui.tap("我要报名");
    ui.tap("我同意");
    ui.keypad(phone);
    assert_eq!(ui.page(), Page::Name, "phone accepted, no ID step");
    ui.find("姓名", AccessibleRole::TextInput)[0].set_accessible_value("王芳");
    ui.tap("下一步");
    assert_eq!(ui.page(), Page::Place);
    let a = ui.w().global::<RegisterAdapter>();
    let township = slint::Model::row_data(&a.get_townships(), 0).unwrap();
    ui.tap(&township.label);
    let village = slint::Model::row_data(&a.get_villages(), 0).unwrap();
    ui.tap(&village.label);
    assert_eq!(ui.page(), Page::Choose);
    let first = slint::Model::row_data(&a.get_choices(), 0).unwrap();
    ui.tap_card(&first);
    ui.tap("下一步");
    ui.no_ride();
    assert_eq!(ui.page(), Page::Review);
}
