use super::*;
use crate::protocol::sealed::{OpenKey, to_hex};
use std::os::unix::fs::PermissionsExt;

const PASS: &str = "山里的杜鹃花开了 2026";

/// Small argon2 costs: the tests check the wrapping, not the cost.
fn quick() -> Kdf {
    Kdf::with_costs(64, 1).unwrap()
}

fn fresh() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = keyring_path(dir.path());
    (dir, path)
}

#[test]
fn a_keyring_unlocks_with_its_passphrase_and_gives_the_same_secrets_again() {
    let (_dir, path) = fresh();
    let (_, made) = Keyring::create(&path, PASS, quick()).unwrap();
    let again = Keyring::load(&path).unwrap().unlock(PASS).unwrap();
    assert_eq!(
        made.blind(BlindKind::Phone, "13912345678"),
        again.blind(BlindKind::Phone, "13912345678")
    );
    let sealer = Keyring::load(&path).unwrap().sealer(None).unwrap();
    let personal = Personal {
        phone: "13912345678".into(),
        resident_id: Some("52000019840205155X".into()),
    };
    let boxes = sealer.seal(&personal).unwrap();
    assert_eq!(again.open(&boxes).unwrap(), personal);
}

#[test]
fn a_wrong_passphrase_unlocks_nothing() {
    let (_dir, path) = fresh();
    Keyring::create(&path, PASS, quick()).unwrap();
    let keyring = Keyring::load(&path).unwrap();
    for wrong in ["山里的杜鹃花开了 2025", "", "山里的杜鹃花开了 2026 "] {
        assert!(
            matches!(keyring.unlock(wrong), Err(Error::WrongPassphrase)),
            "{wrong:?}"
        );
    }
}

#[test]
fn a_short_passphrase_is_refused_with_a_message_in_chinese_then_english() {
    let (_dir, path) = fresh();
    let err = Keyring::create(&path, "12345678901", quick()).unwrap_err();
    assert!(matches!(err, Error::PassphraseTooShort));
    let text = err.to_string();
    assert!(text.starts_with("工作人员口令至少 12 个字"), "{text}");
    assert!(text.contains("at least 12 characters"), "{text}");
    assert!(!path.exists());
    // Twelve Chinese characters are enough.
    Keyring::create(&path, "一二三四五六七八九十百千", quick()).unwrap();
}

#[test]
fn an_existing_keyring_is_never_replaced() {
    let (_dir, path) = fresh();
    Keyring::create(&path, PASS, quick()).unwrap();
    let before = std::fs::read(&path).unwrap();
    assert!(matches!(
        Keyring::create(&path, PASS, quick()),
        Err(Error::KeyringExists { .. })
    ));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn no_keyring_says_how_to_make_one() {
    let (_dir, path) = fresh();
    let err = Keyring::load(&path).unwrap_err();
    assert!(matches!(err, Error::NoKeyring));
    assert!(err.to_string().contains("staff set-passphrase"));
}

#[test]
fn the_file_is_0600_and_holds_neither_secret_nor_the_passphrase() {
    let (dir, path) = fresh();
    let (_, unlocked) = Keyring::create(&path, PASS, quick()).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let dir_mode = std::fs::metadata(path.parent().unwrap())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(dir_mode, 0o700);
    let bytes = std::fs::read(&path).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    let secret = unlocked.staff_key().to_bytes();
    let hmac = unlocked.hmac_key.as_ref();
    for needle in [
        secret.as_slice(),
        hmac,
        to_hex(&secret).as_bytes(),
        to_hex(hmac).as_bytes(),
        PASS.as_bytes(),
    ] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "the keyring holds a secret in clear: {text}"
        );
    }
    drop(dir);
}

#[test]
fn a_keyring_whose_public_key_was_swapped_does_not_unlock() {
    // Someone with the disk swaps in their own public key so that new sign-ups are sealed
    // to them: the wrap is bound to the public key, so staff notice at the next unlock.
    let (_dir, path) = fresh();
    let (keyring, _) = Keyring::create(&path, PASS, quick()).unwrap();
    let theirs = OpenKey::generate().seal_key().to_hex();
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace(&keyring.staff_key().unwrap().to_hex(), &theirs);
    std::fs::write(&path, text).unwrap();
    let swapped = Keyring::load(&path).unwrap();
    assert_eq!(swapped.staff_key().unwrap().to_hex(), theirs);
    assert!(matches!(swapped.unlock(PASS), Err(Error::WrongPassphrase)));
}

#[test]
fn a_changed_passphrase_keeps_the_secrets_and_the_old_one_stops_working() {
    let (_dir, path) = fresh();
    let (_, before) = Keyring::create(&path, PASS, quick()).unwrap();
    let boxes = Keyring::load(&path)
        .unwrap()
        .sealer(None)
        .unwrap()
        .seal(&Personal {
            phone: "13700001111".into(),
            resident_id: None,
        })
        .unwrap();
    let mut keyring = Keyring::load(&path).unwrap();
    assert!(matches!(
        keyring.change_passphrase("not the passphrase", "新的口令也要够长才行啊啊"),
        Err(Error::WrongPassphrase)
    ));
    assert!(matches!(
        keyring.change_passphrase(PASS, "太短"),
        Err(Error::PassphraseTooShort)
    ));
    keyring
        .change_passphrase(PASS, "新的口令也要够长才行啊啊")
        .unwrap();
    let reloaded = Keyring::load(&path).unwrap();
    assert!(matches!(reloaded.unlock(PASS), Err(Error::WrongPassphrase)));
    let after = reloaded.unlock("新的口令也要够长才行啊啊").unwrap();
    assert_eq!(after.open(&boxes).unwrap().phone, "13700001111");
    assert_eq!(
        before.blind(BlindKind::ResidentId, "52000019840205155X"),
        after.blind(BlindKind::ResidentId, "52000019840205155X")
    );
}

#[test]
fn blind_indexes_depend_on_the_key_the_kind_and_every_digit() {
    let (_dir, path) = fresh();
    let (_, a) = Keyring::create(&path, PASS, quick()).unwrap();
    let (_dir2, path2) = fresh();
    let (_, b) = Keyring::create(&path2, PASS, quick()).unwrap();
    let phone = "13912345678";
    assert_ne!(
        a.blind(BlindKind::Phone, phone),
        b.blind(BlindKind::Phone, phone)
    );
    assert_ne!(
        a.blind(BlindKind::Phone, phone),
        a.blind(BlindKind::ResidentId, phone)
    );
    assert_ne!(
        a.blind(BlindKind::Phone, phone),
        a.blind(BlindKind::Phone, "13912345679")
    );
    assert_eq!(a.blind(BlindKind::Phone, phone).to_hex().len(), 32);
    assert!(!format!("{a:?}").contains(&to_hex(a.hmac_key.as_ref())));
}

#[test]
fn sealed_numbers_open_for_the_base_and_the_staff_but_not_with_the_hmac_key_alone() {
    let (_dir, path) = fresh();
    let (keyring, unlocked) = Keyring::create(&path, PASS, quick()).unwrap();
    let base = OpenKey::generate();
    let sealer = keyring.sealer(Some(base.seal_key())).unwrap();
    let personal = Personal {
        phone: "13912345678".into(),
        resident_id: Some("52000019840205155X".into()),
    };
    let boxes = sealer.seal(&personal).unwrap();
    let json = serde_json::to_string(&boxes).unwrap();
    assert!(!json.contains("13912345678") && !json.contains("52000019840205155X"));
    assert_eq!(unlocked.open(&boxes).unwrap(), personal);
    let for_base: Personal = serde_json::from_slice(&boxes.open_base(&base).unwrap()).unwrap();
    assert_eq!(for_base, personal);
}
