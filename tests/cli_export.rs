//! `jobfair-kiosk export`, run as the real binary on a data dir with three
//! sign-ups: masked by default; `--unmasked` refused with a wrong PIN, accepted
//! with the PIN from `JOBFAIR_STAFF_PIN` or from stdin, audited as `cli`, and the
//! PIN never printed.

mod common;

use common::{draft, open_kiosk, phone};
use jobfair_kiosk::store::audit;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const PIN: &str = "947361";

fn run(data_dir: &Path, args: &[&str], pin_env: Option<&str>, stdin: &str) -> Output {
    common::ensure_keyring(data_dir);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jobfair-kiosk"));
    cmd.env("JOBFAIR_STAFF_PASSPHRASE", common::PASSPHRASE)
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("JOBFAIR_DATA_DIR")
        .env_remove("JOBFAIR_STAFF_PIN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(pin) = pin_env {
        cmd.env("JOBFAIR_STAFF_PIN", pin);
    }
    let mut child = cmd.spawn().expect("the binary runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn the_cli_exports_masked_by_default_and_unmasked_only_with_the_pin() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut kiosk = open_kiosk(&data);
    kiosk.set_staff_pin(PIN).unwrap();
    for n in 1..=3 {
        kiosk.register(&draft(&kiosk, n)).unwrap();
    }
    drop(kiosk);
    let full_phone = phone(3).as_str().to_string();

    let masked = dir.path().join("masked.csv");
    let out = run(
        &data,
        &[
            "export",
            "--format",
            "csv",
            "--out",
            masked.to_str().unwrap(),
        ],
        None,
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&masked).unwrap();
    assert!(text.contains(&phone(3).masked()) && !text.contains(&full_phone));

    let full = dir.path().join("full.json");
    let args = [
        "export",
        "--format",
        "json",
        "--out",
        full.to_str().unwrap(),
        "--unmasked",
    ];
    let refused = run(&data, &args, Some("0000"), "");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("wrong staff PIN"));
    assert!(!full.exists());

    let from_env = run(&data, &args, Some(PIN), "");
    assert!(
        from_env.status.success(),
        "{}",
        String::from_utf8_lossy(&from_env.stderr)
    );
    assert!(
        std::fs::read_to_string(&full)
            .unwrap()
            .contains(&full_phone)
    );
    // An export never replaces a file: the second one needs the first out of the way.
    std::fs::remove_file(&full).unwrap();
    let from_stdin = run(&data, &args, None, &format!("{PIN}\n"));
    assert!(
        from_stdin.status.success(),
        "{}",
        String::from_utf8_lossy(&from_stdin.stderr)
    );
    for output in [&from_env, &from_stdin, &refused] {
        let printed = [&output.stdout[..], &output.stderr[..]].concat();
        assert!(
            !String::from_utf8_lossy(&printed).contains(PIN),
            "the PIN is never printed"
        );
    }

    let kiosk = open_kiosk(&data);
    let rows = audit::all(kiosk.store().conn()).unwrap();
    assert_eq!(rows.len(), 2, "two unmasked exports, the refused one not");
    assert!(
        rows.iter()
            .all(|r| r.actor == "cli" && r.action == "export_unmasked")
    );
}
