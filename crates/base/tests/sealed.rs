//! Sign-ups with sealed numbers (issue 17), through a real base on both engines: kiosks
//! send the phone and resident ID masked and whole only in a box sealed to the base's key.
//! The base opens the box (current key, then the previous ones), stores and exports the
//! whole numbers as before, and refuses — one record at a time, storing nothing of it —
//! what it cannot open or what does not match its masks. Old sign-ups without `sealed`
//! work as before, and a base without a key file still starts.

mod support;

use calamine::{Data, Reader, Xlsx, open_workbook};
use jobfair_base::export::{Masking, Requester, export_xlsx};
use jobfair_base::ingest::CANNOT_UNSEAL;
use jobfair_base::seal_key::{BaseSealKeys, SEAL_KEY_FILE};
use jobfair_base::store::{ExportRow, ExportSink};
use jobfair_base::{BaseConfig, BaseServer, Engine};
use jobfair_domain::records::RegistrationRecord;
use jobfair_protocol::sealed::{OpenKey, SealKey, SealedBoxes};
use jobfair_protocol::{Record, RecordResult, RecordStatus as Status, RejectCode, masking};
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;
use support::*;

on_both_engines!(
    a_sealed_sign_up_is_stored_and_exported_with_its_whole_numbers,
    a_sign_up_sealed_to_the_previous_key_opens_after_a_rotation,
    sealed_sign_ups_the_base_cannot_open_or_that_do_not_match_are_refused_and_not_stored,
    an_old_sign_up_without_sealed_numbers_is_stored_as_sent,
    without_a_key_file_the_base_starts_and_refuses_sealed_sign_ups,
    a_key_file_others_can_read_stops_the_start,
    the_binary_warns_without_a_key_file_after_its_listening_line,
);

const AT: &str = "2027-02-15T01:00:00Z";
const CANNOT_OPEN: &str = "基地无法打开密封的号码";

/// Villager `n`'s sign-up with the whole numbers, as the villager typed them.
fn whole(n: u32) -> RegistrationRecord {
    registration("k1", n, AT, &[101])
}

/// What a kiosk seals: `{"phone":"…","resident_id":"…"}` (`resident_id` absent when none).
fn numbers_json(phone: &str, resident_id: Option<&str>) -> String {
    let mut m = serde_json::Map::new();
    m.insert("phone".into(), phone.into());
    if let Some(id) = resident_id {
        m.insert("resident_id".into(), id.into());
    }
    serde_json::Value::Object(m).to_string()
}

fn staff() -> SealKey {
    OpenKey::generate().seal_key()
}

/// Villager `n`'s sign-up as a kiosk since issue 17 sends it: masked numbers, `boxes`.
fn sealed_with(id: u32, n: u32, boxes: SealedBoxes) -> Record {
    let mut r = whole(n);
    r.phone = masking::phone(&r.phone);
    r.resident_id = r.resident_id.map(|x| masking::resident_id(&x));
    r.sealed = Some(boxes.into());
    record(id, "registration", serde_json::to_string(&r).unwrap())
}

/// Boxes of villager `n`'s own numbers for the staff and (if given) `base`.
fn boxes_of(n: u32, base: Option<&SealKey>) -> SealedBoxes {
    let w = whole(n);
    let json = numbers_json(&w.phone, w.resident_id.as_deref());
    SealedBoxes::seal(json.as_bytes(), &staff(), base).unwrap()
}

/// Villager `n`'s sign-up, sealed to `base`.
fn sealed(id: u32, n: u32, base: &SealKey) -> Record {
    sealed_with(id, n, boxes_of(n, Some(base)))
}

/// A folder with a fresh key file in it: the folder, the file, the keys.
fn key_file() -> (tempfile::TempDir, PathBuf, BaseSealKeys) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(SEAL_KEY_FILE);
    let keys = BaseSealKeys::init(&path).unwrap();
    (dir, path, keys)
}

/// A running base (kiosk k1, demo fair) that reads its keys from `key`.
fn base_with_key(engine: Engine, key: &Path) -> Base {
    Base::start_with(engine, |c| c.seal_key = Some(key.to_path_buf()))
}

/// The stored payload of every sign-up (the latest of each), through the export stream.
fn stored_payloads(base: &Base) -> Vec<String> {
    struct Rows(Vec<String>);
    impl ExportSink for Rows {
        fn row(&mut self, row: ExportRow<'_>) -> Result<(), String> {
            if let ExportRow::SignUp(p) = row {
                self.0.push(p.to_string());
            }
            Ok(())
        }
    }
    let store = base.db.store();
    let mut rows = Rows(Vec::new());
    jobfair_base::block_on(async { store.export(&mut rows).await }).unwrap();
    rows.0
}

/// [`stored_payloads`], parsed.
fn stored_sign_ups(base: &Base) -> Vec<RegistrationRecord> {
    stored_payloads(base)
        .iter()
        .map(|p| serde_json::from_str(p).unwrap())
        .collect()
}

/// The base's XLSX export (`masking`): the sign-up rows, headers left out.
fn exported(base: &Base, masking: Masking) -> Vec<Vec<String>> {
    let out = base
        .db
        .dir
        .path()
        .join(format!("{}.xlsx", masking.as_str()));
    let store = base.db.store();
    let who = Requester {
        operator: "test".into(),
        os_user: "test".into(),
    };
    jobfair_base::block_on(async { export_xlsx(store.as_ref(), &out, masking, &who).await })
        .unwrap();
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    book.worksheet_range("报名 Sign-ups")
        .unwrap()
        .rows()
        .skip(1)
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => panic!("expected a text cell, got {other:?}"),
                })
                .collect()
        })
        .collect()
}

/// The exported row of villager `n`.
fn row_of(rows: &[Vec<String>], n: u32) -> &[String] {
    let id = whole(n).registration_id;
    rows.iter()
        .find(|r| r[1] == id)
        .unwrap_or_else(|| panic!("villager {n} is not exported: {rows:?}"))
}

fn assert_whole_numbers_exported(rows: &[Vec<String>], n: u32) {
    let w = whole(n);
    let row = row_of(rows, n);
    assert_eq!(row[6], w.phone, "phone of villager {n}");
    assert_eq!(Some(&row[7]), w.resident_id.as_ref(), "ID of villager {n}");
}

fn assert_refused(result: &RecordResult, code: RejectCode, says: &[&str]) {
    assert_eq!(result.status, Status::Rejected, "{result:?}");
    assert_eq!(result.code, Some(code), "{result:?}");
    let reason = result.reason.as_deref().unwrap_or_default();
    for s in says {
        assert!(reason.contains(s), "{s:?} not in {reason:?}");
    }
}

/// A sealed sign-up is opened with the base's key: the database, the unmasked export and
/// the masked one are exactly as for a sign-up sent whole before issue 17. A resend (the
/// same frozen payload) is a duplicate: the hash is checked on the payload as sent.
fn a_sealed_sign_up_is_stored_and_exported_with_its_whole_numbers(engine: Engine) {
    let (_keys_dir, path, keys) = key_file();
    let base = base_with_key(engine, &path);
    let with_id = sealed(1, 1, &keys.public());
    let mut without_id_whole = whole(2);
    without_id_whole.resident_id = None;
    without_id_whole.consent.resident_id = false;
    let without_id = {
        let json = numbers_json(&without_id_whole.phone, None);
        let boxes = SealedBoxes::seal(json.as_bytes(), &staff(), Some(&keys.public())).unwrap();
        let mut r = without_id_whole.clone();
        r.phone = masking::phone(&r.phone);
        r.sealed = Some(boxes.into());
        record(2, "registration", serde_json::to_string(&r).unwrap())
    };
    assert!(!with_id.payload.contains(&whole(1).phone), "sent masked");
    assert_eq!(
        base.statuses(&base.token, &[with_id.clone(), without_id.clone()]),
        [Status::Accepted, Status::Accepted]
    );
    assert_eq!(base.counts().sign_ups, 2);

    let stored = stored_sign_ups(&base);
    let one = stored
        .iter()
        .find(|r| r.registration_id == whole(1).registration_id)
        .unwrap();
    assert_eq!(
        *one,
        whole(1),
        "stored as a whole sign-up, without `sealed`"
    );
    let two = stored
        .iter()
        .find(|r| r.registration_id == without_id_whole.registration_id)
        .unwrap();
    assert_eq!(*two, without_id_whole);
    assert!(stored_payloads(&base).iter().all(|p| !p.contains("sealed")));

    let rows = exported(&base, Masking::Unmasked);
    assert_whole_numbers_exported(&rows, 1);
    let row = row_of(&rows, 2);
    assert_eq!((row[6].as_str(), row[7].as_str()), (&*whole(2).phone, ""));
    let masked = exported(&base, Masking::Masked);
    assert_eq!(row_of(&masked, 1)[6], masking::phone(&whole(1).phone));

    assert_eq!(
        base.statuses(&base.token, &[with_id, without_id]),
        [Status::Duplicate, Status::Duplicate]
    );
    assert_eq!(base.counts().sign_ups, 2);
}

/// After `seal-key rotate` and a restart, a sign-up a kiosk still seals to the old public
/// key opens with the previous key, and one sealed to the new key with the current one.
fn a_sign_up_sealed_to_the_previous_key_opens_after_a_rotation(engine: Engine) {
    let (_keys_dir, path, first) = key_file();
    let base = base_with_key(engine, &path);
    let old = first.public();
    assert_eq!(
        base.statuses(&base.token, &[sealed(1, 1, &old)]),
        [Status::Accepted]
    );

    let rotated = BaseSealKeys::rotate(&path).unwrap();
    assert_eq!(rotated.previous_public(), vec![old.clone()]);
    let Base {
        server,
        db,
        http,
        token,
    } = base;
    let base = Base {
        server: server.restart().unwrap(),
        db,
        http,
        token,
    };
    let late = sealed(2, 2, &old);
    let fresh = sealed(3, 3, &rotated.public());
    assert_eq!(
        base.statuses(&base.token, &[late, fresh]),
        [Status::Accepted, Status::Accepted]
    );
    let rows = exported(&base, Masking::Unmasked);
    for n in 1..=3 {
        assert_whole_numbers_exported(&rows, n);
    }
}

/// A sealed sign-up sealed to another key, without a box for the base, with a damaged
/// box, with a box that is not the numbers' JSON, or with whole numbers whose masks are
/// not the ones sent, is refused on its own with the reason; nothing of it is stored,
/// and the good sign-up of the same batch is.
fn sealed_sign_ups_the_base_cannot_open_or_that_do_not_match_are_refused_and_not_stored(
    engine: Engine,
) {
    let (_keys_dir, path, keys) = key_file();
    let base = base_with_key(engine, &path);
    let key = keys.public();

    let wrong_key = sealed(1, 1, &OpenKey::generate().seal_key());
    let no_base_box = sealed_with(2, 2, boxes_of(2, None));
    let damaged = {
        let mut boxes = boxes_of(3, Some(&key));
        let b = boxes.base.as_mut().unwrap();
        let i = b.len() / 2;
        let flipped = if &b[i..=i] == "0" { "1" } else { "0" };
        b.replace_range(i..=i, flipped);
        sealed_with(3, 3, boxes)
    };
    let not_json = sealed_with(
        4,
        4,
        SealedBoxes::seal(whole(4).phone.as_bytes(), &staff(), Some(&key)).unwrap(),
    );
    let no_phone = {
        let json = serde_json::json!({ "resident_id": whole(5).resident_id }).to_string();
        sealed_with(
            5,
            5,
            SealedBoxes::seal(json.as_bytes(), &staff(), Some(&key)).unwrap(),
        )
    };
    let other_phone = {
        let json = numbers_json("13700000006", whole(6).resident_id.as_deref());
        sealed_with(
            6,
            6,
            SealedBoxes::seal(json.as_bytes(), &staff(), Some(&key)).unwrap(),
        )
    };
    let other_id = {
        let json = numbers_json(&whole(7).phone, whole(8).resident_id.as_deref());
        sealed_with(
            7,
            7,
            SealedBoxes::seal(json.as_bytes(), &staff(), Some(&key)).unwrap(),
        )
    };
    let id_left_out = {
        let json = numbers_json(&whole(9).phone, None);
        sealed_with(
            9,
            9,
            SealedBoxes::seal(json.as_bytes(), &staff(), Some(&key)).unwrap(),
        )
    };
    let good = sealed(10, 10, &key);
    let batch = [
        wrong_key,
        no_base_box,
        damaged,
        not_json,
        no_phone,
        other_phone,
        other_id,
        id_left_out,
        good,
    ];
    let results = base.results(&base.token, &batch);

    let another_key = [CANNOT_OPEN, "sealed to another key than this base's"];
    assert_refused(&results[0], CANNOT_UNSEAL, &another_key);
    assert_refused(
        &results[1],
        CANNOT_UNSEAL,
        &[CANNOT_OPEN, "no box for the base"],
    );
    assert_refused(&results[2], CANNOT_UNSEAL, &another_key);
    let not_numbers = [CANNOT_OPEN, r#"not {"phone","resident_id"} JSON"#];
    assert_refused(&results[3], CANNOT_UNSEAL, &not_numbers);
    assert_refused(&results[4], CANNOT_UNSEAL, &not_numbers);
    let phone = ["手机号", "the sealed phone does not match the masked phone"];
    assert_refused(&results[5], RejectCode::Invalid, &phone);
    let id = ["身份证号", "the sealed resident ID does not match"];
    assert_refused(&results[6], RejectCode::Invalid, &id);
    assert_refused(&results[7], RejectCode::Invalid, &id);
    assert_eq!(results[8].status, Status::Accepted, "{:?}", results[8]);

    for r in &results {
        let reason = r.reason.as_deref().unwrap_or_default();
        for n in 1..=10 {
            let w = whole(n);
            assert!(!reason.contains(&w.phone), "{reason}");
            assert!(!reason.contains(&w.resident_id.unwrap()), "{reason}");
        }
    }
    let counts = base.counts();
    assert_eq!(
        (counts.sign_ups, counts.conflicts),
        (1, 0),
        "only the good one"
    );
    let stored = stored_sign_ups(&base);
    assert_eq!(stored, [whole(10)]);
}

/// A sign-up from a kiosk before issue 17 (whole numbers, no `sealed`) is stored exactly
/// as sent, with or without a key on the base, and exported as before.
fn an_old_sign_up_without_sealed_numbers_is_stored_as_sent(engine: Engine) {
    let (_keys_dir, path, _keys) = key_file();
    for base in [
        base_with_key(engine, &path),
        base_with_key(engine, &path.with_file_name("none.key")),
    ] {
        let old = sign_up(1, "k1", 1, AT, &[101]);
        assert!(!old.payload.contains("sealed"));
        assert_eq!(
            base.statuses(&base.token, std::slice::from_ref(&old)),
            [Status::Accepted]
        );
        assert_eq!(stored_payloads(&base), [old.payload]);
        assert_whole_numbers_exported(&exported(&base, Masking::Unmasked), 1);
    }
}

/// Without a key file (none where the config points, or no path at all) the base starts;
/// each sealed sign-up is refused with the fix, and the rest of the batch is stored.
fn without_a_key_file_the_base_starts_and_refuses_sealed_sign_ups(engine: Engine) {
    let keys_dir = tempfile::tempdir().unwrap();
    let missing = keys_dir.path().join(SEAL_KEY_FILE);
    let somebody = OpenKey::generate().seal_key();
    for path in [Some(missing), None] {
        let base = Base::start_with(engine, |c| c.seal_key = path.clone());
        let results = base.results(
            &base.token,
            &[
                sealed(1, 1, &somebody),
                sign_up(2, "k1", 2, AT, &[101]),
                check_in(3, "k1", 2),
            ],
        );
        assert_refused(
            &results[0],
            CANNOT_UNSEAL,
            &[CANNOT_OPEN, "base-seal.key", "seal-key init"],
        );
        assert_eq!(
            (results[1].status, results[2].status),
            (Status::Accepted, Status::Accepted)
        );
        let counts = base.counts();
        assert_eq!((counts.sign_ups, counts.check_ins), (1, 1));
        assert_eq!(stored_sign_ups(&base), [whole(2)]);
    }
}

/// A key file others can read, or one that is not a key file, stops the start (library
/// and binary) with the message that says the fix.
fn a_key_file_others_can_read_stops_the_start(engine: Engine) {
    let (_keys_dir, path, _keys) = key_file();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let db = TestDb::new(engine);
    let mut config = BaseConfig::for_tests(db.database.clone());
    config.seal_key = Some(path.clone());
    let err = BaseServer::spawn_with(config.clone())
        .err()
        .expect("a base with a key file others can read does not start");
    assert!(matches!(err, jobfair_base::Error::SealKey(_)), "{err:?}");
    assert!(err.to_string().contains("chmod 600"), "{err}");

    let out = db.run(
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--seal-key",
            path.to_str().unwrap(),
        ],
        "",
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("chmod 600"), "{stderr}");

    std::fs::write(&path, "not a key\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let err = BaseServer::spawn_with(config)
        .err()
        .expect("a base with a broken key file does not start");
    assert!(err.to_string().contains("不是基地密钥文件"), "{err}");
}

/// `jobfair-base serve` without a key file: the first line is still "listening on", and
/// the next one warns (Chinese first) that sealed sign-ups are refused.
fn the_binary_warns_without_a_key_file_after_its_listening_line(engine: Engine) {
    let db = TestDb::new(engine);
    db.add_kiosk("k1");
    let mut child = Command::new(env!("CARGO_BIN_EXE_jobfair-base"))
        .args(db.args())
        .args(["--log-format", "json", "serve", "--listen", "127.0.0.1:0"])
        .env_remove("JOBFAIR_BASE_SEAL_KEY_FILE")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let next = || {
        rx.recv_timeout(Duration::from_secs(30))
            .expect("a log line")
    };
    let (first, second) = (next(), next());
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.contains("listening on http://"), "{first}");
    let warning: serde_json::Value = serde_json::from_str(&second).unwrap();
    assert_eq!(warning["level"], "WARN", "{second}");
    let message = warning["message"].as_str().unwrap();
    assert!(
        message.starts_with("没有") && message.contains("sign-ups with sealed numbers are refused"),
        "{message}"
    );
}

/// What the kiosk's tests do: make the key in a SQLite base's data dir, start the base with
/// `BaseServer::spawn_for_tests(data_dir)`, and seal to the key's public half.
#[test]
fn a_key_made_in_the_data_dir_is_the_one_a_spawned_base_uses() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path();
    let keys = BaseSealKeys::init(&data_dir.join(SEAL_KEY_FILE)).unwrap();
    let token = jobfair_base::add_kiosk(data_dir, "k1").unwrap();
    jobfair_base::publish_fair(data_dir, &std::fs::read_to_string(DEMO_FAIR).unwrap()).unwrap();
    let server = BaseServer::spawn_for_tests(data_dir).unwrap();
    let ack: jobfair_protocol::RecordsAck = reqwest::blocking::Client::new()
        .post(format!("{}/v1/records", server.url()))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "records": [sealed(1, 1, &keys.public())] }))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(ack.results[0].status, Status::Accepted, "{ack:?}");
    server.shutdown().unwrap();
}
