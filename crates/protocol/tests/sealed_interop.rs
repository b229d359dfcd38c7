//! Sealed boxes are libsodium's `crypto_box_seal`, byte for byte: checked against PyNaCl
//! (libsodium's Python binding) in both directions, and against a vector PyNaCl made once
//! (`tests/fixtures/pynacl_vector.json`, from `pynacl_seal.py vector`).
//!
//! The live test needs `python3` with PyNaCl (`pip install pynacl`); without it the test
//! fails and says so, it does not pass silently.

use jobfair_protocol::sealed::{OpenKey, SealKey, from_hex, to_hex};
use std::path::PathBuf;
use std::process::Command;

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pynacl_seal.py")
}

fn pynacl(args: &[&str]) -> String {
    let out = Command::new("python3")
        .arg(script())
        .args(args)
        .output()
        .expect("python3 runs (the interop test needs python3 with PyNaCl: pip install pynacl)");
    assert!(
        out.status.success(),
        "PyNaCl failed (pip install pynacl?): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn a_box_sealed_by_pynacl_opens_here_and_one_sealed_here_opens_in_pynacl() {
    let plaintext = r#"{"phone":"13912345678","resident_id":"52000019840205155X"}"#;

    // PyNaCl seals to our key; we open.
    let ours = OpenKey::generate();
    let sealed = pynacl(&["seal", &ours.seal_key().to_hex(), plaintext]);
    let opened = ours.open(&from_hex(&sealed).unwrap()).unwrap();
    assert_eq!(String::from_utf8(opened).unwrap(), plaintext);

    // We seal to a key; PyNaCl opens with its secret half.
    let theirs = OpenKey::generate();
    let sealed = theirs.seal_key().seal(plaintext.as_bytes()).unwrap();
    let secret = to_hex(&theirs.to_bytes());
    assert_eq!(pynacl(&["open", &secret, &to_hex(&sealed)]), plaintext);

    // A box for another key is refused by libsodium too.
    let other = to_hex(&OpenKey::generate().to_bytes());
    let refused = Command::new("python3")
        .arg(script())
        .args(["open", &other, &to_hex(&sealed)])
        .output()
        .unwrap();
    assert!(!refused.status.success());
}

#[test]
fn the_vector_pynacl_made_opens_with_its_key() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pynacl_vector.json");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let text = |k: &str| v[k].as_str().unwrap().to_string();
    let key = OpenKey::from_hex(&text("secret")).unwrap();
    assert_eq!(key.seal_key(), SealKey::from_hex(&text("public")).unwrap());
    let opened = key.open(&from_hex(&text("sealed")).unwrap()).unwrap();
    assert_eq!(String::from_utf8(opened).unwrap(), text("plaintext"));
}
