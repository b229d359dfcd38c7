//! `staff set-passphrase` and `staff change-passphrase` on the real binary: the keyring that
//! seals personal numbers (issue 17) is made once, 0600, without the passphrase or a secret
//! in it, and only the right old passphrase re-wraps it.

use jobfair_kiosk::seal::{BlindKind, Keyring, keyring_path};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Output, Stdio};

const PASS: &str = "村口老槐树下见面 2026";
const NEW: &str = "换一个更长的工作人员口令";

fn staff(dir: &std::path::Path, cmd: &str, stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jobfair-kiosk"))
        .arg("--data-dir")
        .arg(dir)
        .args(["staff", cmd])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn all_output(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn staff_make_the_keyring_once_and_change_its_passphrase_with_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = keyring_path(dir.path());

    let short = staff(dir.path(), "set-passphrase", "太短的口令\n");
    assert!(!short.status.success());
    assert!(
        all_output(&short).contains("工作人员口令至少 12 个字"),
        "{}",
        all_output(&short)
    );
    assert!(!path.exists());

    let made = staff(dir.path(), "set-passphrase", &format!("{PASS}\n"));
    assert!(made.status.success(), "{}", all_output(&made));
    let keyring = Keyring::load(&path).unwrap();
    let public = keyring.staff_key().unwrap().to_hex();
    assert!(all_output(&made).contains(&public));
    assert!(!all_output(&made).contains(PASS));
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(!std::fs::read_to_string(&path).unwrap().contains(PASS));
    let index = keyring
        .unlock(PASS)
        .unwrap()
        .blind(BlindKind::Phone, "13912345678");

    let again = staff(dir.path(), "set-passphrase", &format!("{PASS}\n"));
    assert!(!again.status.success());
    assert!(
        all_output(&again).contains("不会覆盖"),
        "{}",
        all_output(&again)
    );
    assert_eq!(Keyring::load(&path).unwrap(), keyring);

    let wrong = staff(
        dir.path(),
        "change-passphrase",
        &format!("不是这个口令啊啊啊啊啊\n{NEW}\n"),
    );
    assert!(!wrong.status.success());
    assert!(
        all_output(&wrong).contains("工作人员口令不对"),
        "{}",
        all_output(&wrong)
    );

    let changed = staff(dir.path(), "change-passphrase", &format!("{PASS}\n{NEW}\n"));
    assert!(changed.status.success(), "{}", all_output(&changed));
    let after = Keyring::load(&path).unwrap();
    assert!(after.unlock(PASS).is_err());
    let unlocked = after.unlock(NEW).unwrap();
    assert_eq!(unlocked.blind(BlindKind::Phone, "13912345678"), index);
    assert_eq!(after.staff_key().unwrap().to_hex(), public);
}
