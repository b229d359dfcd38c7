//! `jobfair-base seal-key`: the base's sealing key file, outside the database (issue 17).
//! Made once (0600), rotated without losing the old key, and what a kiosk seals to the
//! printed public key opens with the file, before and after a rotation.

use jobfair_base::seal_key::BaseSealKeys;
use jobfair_protocol::sealed::{OpenKey, SealKey, SealedBoxes};
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Output};

fn seal_key(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jobfair-base"))
        .arg("seal-key")
        .args(args)
        .output()
        .unwrap()
}

fn printed_key(out: &Output) -> SealKey {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    SealKey::from_hex(&String::from_utf8_lossy(&out.stdout)).unwrap()
}

#[test]
fn the_base_key_is_made_once_rotated_and_opens_records_sealed_to_either_key() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_str().unwrap();
    let first = printed_key(&seal_key(&["init", "--data-dir", data_dir]));
    let path = dir.path().join("base-seal.key");
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let again = seal_key(&["init", "--data-dir", data_dir]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("seal-key rotate"));
    assert_eq!(
        printed_key(&seal_key(&["show", "--file", path.to_str().unwrap()])),
        first
    );

    let staff = OpenKey::generate().seal_key();
    let old = SealedBoxes::seal(b"13912345678", &staff, Some(&first)).unwrap();
    let second = printed_key(&seal_key(&["rotate", "--data-dir", data_dir]));
    assert_ne!(second, first);
    let new = SealedBoxes::seal(b"52000019840205155X", &staff, Some(&second)).unwrap();
    let keys = BaseSealKeys::load(&path).unwrap();
    assert_eq!(keys.open(&old).unwrap(), b"13912345678");
    assert_eq!(keys.open(&new).unwrap(), b"52000019840205155X");
    let shown = seal_key(&["show", "--data-dir", data_dir]);
    assert_eq!(printed_key(&shown), second);
    assert!(String::from_utf8_lossy(&shown.stderr).contains(&first.to_hex()));
}
