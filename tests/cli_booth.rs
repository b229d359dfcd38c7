//! `booth add`, `fair kit` and `fair install`, run as the real binary.

mod common;

use common::{draft, mode, open_kiosk};
use jobfair_kiosk::app::booth::ScanOutcome;
use jobfair_kiosk::app::{Kiosk, KioskOptions, PinCheck};
use std::path::Path;
use std::process::{Command, Output};

fn run(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jobfair-kiosk"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("JOBFAIR_DATA_DIR")
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn booth_add_prints_a_six_digit_pin_once_that_opens_the_booth() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["booth", "add", "--employer", "baichuan"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    let pin = text
        .lines()
        .find_map(|l| l.strip_prefix("PIN: "))
        .expect("the PIN is printed")
        .trim()
        .to_string();
    assert!(
        pin.len() == 6 && pin.bytes().all(|b| b.is_ascii_digit()),
        "{pin}"
    );
    assert!(text.contains("永康市柏川园林机械有限公司"));

    let again = run(dir.path(), &["booth", "add", "--employer", "baichuan"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already has booth"));
    let unknown = run(dir.path(), &["booth", "add", "--employer", "没有这家公司"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no employer"));

    let mut kiosk = Kiosk::open(&KioskOptions::new(dir.path())).unwrap();
    let booth = kiosk.booths().unwrap()[0].id;
    assert_eq!(kiosk.booth_login(booth, &pin).unwrap(), PinCheck::Ok);
    let conn = rusqlite::Connection::open(dir.path().join("kiosk.db")).unwrap();
    let hash: String = conn
        .query_row("SELECT pin_hash FROM booths", [], |r| r.get(0))
        .unwrap();
    assert!(
        hash.starts_with("$argon2id$"),
        "only the argon2 hash is stored"
    );
}

#[test]
fn a_booth_kit_installed_on_a_fresh_device_reads_the_kiosks_tickets() {
    let kiosk_dir = tempfile::tempdir().unwrap();
    let ticket = {
        let mut kiosk = open_kiosk(kiosk_dir.path());
        let villager = draft(&kiosk, 3);
        kiosk.register(&villager).unwrap().ticket
    };
    let kits = tempfile::tempdir().unwrap();
    let kit = kits.path().join("booth-kit.json");
    let out = run(
        kiosk_dir.path(),
        &[
            "fair",
            "kit",
            "--role",
            "booth",
            "--out",
            kit.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(mode(&kit), 0o600);

    let device = tempfile::tempdir().unwrap();
    let out = run(device.path(), &["fair", "install", kit.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout(&out).contains("booth-only device"));
    let show = stdout(&run(device.path(), &["fair", "show"]));
    assert!(show.contains("booth only"), "{show}");
    let refused = run(
        device.path(),
        &[
            "fair",
            "kit",
            "--role",
            "kiosk",
            "--out",
            kits.path().join("k.json").to_str().unwrap(),
        ],
    );
    assert!(
        !refused.status.success(),
        "a booth device has no signing key to pass on"
    );
    assert!(
        run(device.path(), &["booth", "add", "--employer", "baichuan"])
            .status
            .success()
    );

    let mut booth_device = Kiosk::open(&KioskOptions::new(device.path())).unwrap();
    let key_files: Vec<_> = std::fs::read_dir(device.path().join("keys"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(key_files.len(), 1);
    assert_eq!(mode(&key_files[0]), 0o600);
    let booth = booth_device.booths().unwrap()[0].id;
    assert!(matches!(
        booth_device.booth_scan(booth, &ticket).unwrap(),
        ScanOutcome::Candidate(_)
    ));
}

#[test]
fn a_damaged_kit_changes_nothing() {
    let device = tempfile::tempdir().unwrap();
    let kit = device.path().join("bad.json");
    std::fs::write(
        &kit,
        r#"{"kit": 1, "role": "booth", "fair": {}, "keys": "00"}"#,
    )
    .unwrap();
    let out = run(
        &device.path().join("data"),
        &["fair", "install", kit.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(!device.path().join("data").join("keys").exists());
}
