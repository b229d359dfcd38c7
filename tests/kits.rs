//! Kits through the real binary: a kit is signed by the fair's key, so an edited or
//! relabelled one is refused at `fair install` with a message saying so, and nothing
//! is installed; `fair kit` and `fair install` print the same key fingerprint.

mod common;

use common::open_kiosk;
use std::path::Path;
use std::process::{Command, Output};

fn run(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jobfair-kiosk"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Writes a kit of `role` with the CLI and returns its path and what `fair kit` said.
fn kit(kiosk_dir: &Path, out_dir: &Path, role: &str) -> (std::path::PathBuf, String) {
    let path = out_dir.join(format!("{role}-kit.json"));
    let out = run(
        kiosk_dir,
        &[
            "fair",
            "kit",
            "--role",
            role,
            "--out",
            path.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    (path, text(&out.stderr))
}

/// Edits the kit's JSON the way someone with a text editor would: wherever the role and
/// the fair sit (at the top, or inside a signed body kept as a string).
fn edit(path: &Path, change: impl Fn(&mut serde_json::Value)) {
    let mut kit: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    match kit.get("body").and_then(|b| b.as_str()) {
        Some(body) => {
            let mut body: serde_json::Value = serde_json::from_str(body).unwrap();
            change(&mut body);
            kit["body"] = body.to_string().into();
        }
        None => change(&mut kit),
    }
    std::fs::write(path, serde_json::to_string_pretty(&kit).unwrap()).unwrap();
}

fn assert_refused(device: &Path, kit: &Path, why: &str) {
    let out = run(device, &["fair", "install", kit.to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert!(!out.status.success(), "installed:\n{}", text(&out.stdout));
    assert!(stderr.contains(why), "{why:?} not in:\n{stderr}");
    assert!(stderr.contains("nothing was installed"), "{stderr}");
    assert!(!device.join("keys").exists(), "no keys stored");
}

#[test]
fn a_booth_kit_relabelled_as_a_kiosk_kit_is_refused_at_install() {
    let kiosk_dir = tempfile::tempdir().unwrap();
    open_kiosk(kiosk_dir.path());
    let out_dir = tempfile::tempdir().unwrap();
    let (path, _) = kit(kiosk_dir.path(), out_dir.path(), "booth");
    edit(&path, |k| k["role"] = "kiosk".into());
    let device = tempfile::tempdir().unwrap();
    assert_refused(
        &device.path().join("data"),
        &path,
        "the kit was changed after it was written",
    );
}

#[test]
fn a_kit_whose_fair_was_edited_is_refused_at_install() {
    let kiosk_dir = tempfile::tempdir().unwrap();
    open_kiosk(kiosk_dir.path());
    let out_dir = tempfile::tempdir().unwrap();
    let (path, _) = kit(kiosk_dir.path(), out_dir.path(), "kiosk");
    edit(&path, |k| {
        k["fair"]["fair"]["venue"] = "别处 somewhere else".into()
    });
    let device = tempfile::tempdir().unwrap();
    assert_refused(
        &device.path().join("data"),
        &path,
        "its signature does not match the fair's key",
    );
}

#[test]
fn an_unsigned_kit_of_the_old_format_says_to_write_a_new_one() {
    let device = tempfile::tempdir().unwrap();
    let path = device.path().join("old-kit.json");
    std::fs::write(
        &path,
        r#"{"kit": 1, "role": "booth", "fair": {}, "keys": "00"}"#,
    )
    .unwrap();
    assert_refused(&device.path().join("data"), &path, "write a new kit");
}

#[test]
fn fair_kit_and_fair_install_print_the_same_key_fingerprint() {
    let kiosk_dir = tempfile::tempdir().unwrap();
    open_kiosk(kiosk_dir.path());
    let out_dir = tempfile::tempdir().unwrap();
    let (path, said) = kit(kiosk_dir.path(), out_dir.path(), "kiosk");
    let fingerprint = |s: &str| -> String {
        s.split("fingerprint: ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("no fingerprint in {s}"))
            .to_string()
    };
    let written = fingerprint(&said);
    assert_eq!(written.len(), 9, "ABCD-EFGH: {written}");
    let device = tempfile::tempdir().unwrap();
    let out = run(device.path(), &["fair", "install", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("registration kiosk"), "{stdout}");
    assert_eq!(fingerprint(&stdout), written);
    let show = text(&run(device.path(), &["fair", "show"]).stdout);
    assert!(show.contains(&written), "{show}");
}
