//! The base server against real HTTP on 127.0.0.1 and a real `base.db`; the CLI through
//! the real binary. reqwest's blocking client runs on the test thread, the server on its own.

use calamine::{Data, Reader, Xlsx, open_workbook};
use chrono::NaiveDate;
use jobfair_base::auth::sha256_hex;
use jobfair_base::{self as base, BaseHandle, BaseServer};
use jobfair_domain::records::{CheckInRecord, RegistrationRecord, StageRecord};
use jobfair_domain::registration::{Consent, HomePlace};
use jobfair_domain::resident_id::synthesize;
use jobfair_protocol::{Record as RecordIn, RecordStatus as Status, RecordsAck as UploadAck};
use reqwest::blocking::{Client, Response};
use rusqlite::Connection;
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

const FAIR: &str = "qdn-congjiang-2027-02-15";

struct Base {
    server: BaseHandle,
    dir: tempfile::TempDir,
    http: Client,
}

impl Base {
    fn start() -> Base {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let dir = tempfile::tempdir().unwrap();
        let server = BaseServer::spawn_for_tests(dir.path()).unwrap();
        Base {
            server,
            dir,
            http: Client::new(),
        }
    }

    fn upload(&self, token: &str, records: &[RecordIn]) -> Response {
        let url = format!("{}/v1/records", self.server.url());
        let body = json!({ "records": records });
        self.http
            .post(url)
            .bearer_auth(token)
            .json(&body)
            .send()
            .unwrap()
    }

    /// Uploads and returns each record's status, checking the answer is a full ack.
    fn statuses(&self, token: &str, records: &[RecordIn]) -> Vec<Status> {
        let answer = self.upload(token, records);
        assert_eq!(answer.status(), 200);
        let ack: UploadAck = answer.json().unwrap();
        assert_eq!(ack.ack, "jobfair-base/1");
        let ids: Vec<&str> = ack.results.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            records.iter().map(|r| r.id.as_str()).collect::<Vec<_>>()
        );
        ack.results.into_iter().map(|r| r.status).collect()
    }

    fn openings(&self, token: &str, since: i64) -> Response {
        let url = format!(
            "{}/v1/openings?fair_id={FAIR}&since={since}",
            self.server.url()
        );
        self.http.get(url).bearer_auth(token).send().unwrap()
    }

    fn db(&self) -> Connection {
        Connection::open(self.dir.path().join("base.db")).unwrap()
    }

    fn count(&self, sql: &str) -> i64 {
        self.db().query_row(sql, [], |r| r.get(0)).unwrap()
    }
}

fn record(id: u32, kind: &str, payload: String) -> RecordIn {
    RecordIn {
        id: format!("0192f3a4-5b6c-7d8e-9f00-{id:012}"),
        kind: kind.into(),
        sha256: sha256_hex(payload.as_bytes()),
        payload,
    }
}

fn sign_up(id: u32, kiosk: &str, n: u32, at: &str, openings: &[u16]) -> RecordIn {
    let birth = NaiveDate::from_ymd_opt(1990, 3, 1).unwrap() + chrono::Days::new(u64::from(n));
    let r = RegistrationRecord {
        registration_id: format!("0192f3a4-0000-7000-8000-{n:012}"),
        fair_id: FAIR.into(),
        kiosk_id: kiosk.into(),
        short_code: "K7MX-4QPD".into(),
        at: at.into(),
        name: "测试村民".into(),
        phone: format!("139{n:08}"),
        resident_id: Some(synthesize("520000", birth, n as u16).as_str().to_string()),
        birth_date: Some(birth.to_string()),
        sex: Some("male".into()),
        home: HomePlace {
            county: "从江县".into(),
            township: "高增乡".into(),
            village: "小黄村".into(),
        },
        consent: Consent {
            personal_data: true,
            resident_id: true,
            share_phone: true,
        },
        consent_text_version: 1,
        openings: openings.to_vec(),
    };
    record(id, "registration", serde_json::to_string(&r).unwrap())
}

fn check_in(id: u32, kiosk: &str, n: u32) -> RecordIn {
    let r = CheckInRecord {
        registration_id: format!("0192f3a4-0000-7000-8000-{n:012}"),
        fair_id: FAIR.into(),
        kiosk_id: kiosk.into(),
        at: "2027-02-15T02:00:00Z".into(),
    };
    record(id, "check_in", serde_json::to_string(&r).unwrap())
}

fn bin(data_dir: &Path, args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_jobfair-base"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn healthz_answers_ok_without_a_token() {
    let base = Base::start();
    let answer = base
        .http
        .get(format!("{}/healthz", base.server.url()))
        .send()
        .unwrap();
    assert_eq!(
        (answer.status().as_u16(), answer.text().unwrap()),
        (200, "ok".into())
    );
}

#[test]
fn requests_without_a_token_or_with_a_wrong_one_get_401_and_store_nothing() {
    let base = Base::start();
    let token = base::add_kiosk(base.dir.path(), "k1").unwrap();
    let r = [sign_up(1, "k1", 1, "2027-02-15T01:00:00Z", &[101])];
    let url = format!("{}/v1/records", base.server.url());
    let bare = base
        .http
        .post(url)
        .json(&json!({ "records": r }))
        .send()
        .unwrap();
    assert_eq!(bare.status(), 401);
    assert!(bare.json::<Value>().unwrap()["error"].is_string());
    // The token with its last hex digit changed (never equal to the real one).
    let last = if token.ends_with('0') { '1' } else { '0' };
    let wrong = format!("{}{last}", &token[..63]);
    assert_eq!(base.upload(&wrong, &r).status(), 401);
    assert_eq!(base.openings(&wrong, 0).status(), 401);
    assert_eq!(base.count("SELECT count(*) FROM records"), 0);
}

#[test]
fn a_resend_is_a_duplicate_and_another_payload_under_the_same_id_is_kept_aside() {
    let base = Base::start();
    let token = base::add_kiosk(base.dir.path(), "k1").unwrap();
    let first = sign_up(1, "k1", 1, "2027-02-15T01:00:00Z", &[101]);
    let forged = sign_up(1, "k1", 1, "2027-02-15T01:00:00Z", &[102]);
    assert_eq!(
        base.statuses(&token, std::slice::from_ref(&first)),
        [Status::Accepted]
    );
    assert_eq!(
        base.statuses(&token, std::slice::from_ref(&first)),
        [Status::Duplicate]
    );
    assert_eq!(
        base.statuses(&token, std::slice::from_ref(&forged)),
        [Status::Conflict]
    );
    let kept: String = base
        .db()
        .query_row("SELECT payload FROM records", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, first.payload, "the conflict did not overwrite");
    let aside: String = base
        .db()
        .query_row("SELECT payload FROM conflicts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(aside, forged.payload);
}

#[test]
fn a_kiosk_writing_as_another_or_a_wrong_hash_is_rejected_with_its_reason() {
    let base = Base::start();
    let token = base::add_kiosk(base.dir.path(), "k1").unwrap();
    let mut tampered = sign_up(2, "k1", 2, "2027-02-15T01:00:00Z", &[101]);
    tampered.payload = tampered.payload.replace("测试村民", "别人");
    let records = [
        sign_up(1, "k2", 1, "2027-02-15T01:00:00Z", &[101]),
        tampered,
    ];
    let ack: UploadAck = base.upload(&token, &records).json().unwrap();
    let reasons: Vec<_> = ack
        .results
        .iter()
        .map(|r| (r.status, r.reason.as_deref()))
        .collect();
    assert_eq!(
        reasons,
        [
            (Status::Rejected, Some("kiosk mismatch")),
            (Status::Rejected, Some("hash mismatch"))
        ]
    );
    assert_eq!(base.count("SELECT count(*) FROM records"), 0);
}

#[test]
fn a_malformed_body_gets_400_and_more_than_1000_records_get_413() {
    let base = Base::start();
    let token = base::add_kiosk(base.dir.path(), "k1").unwrap();
    let url = format!("{}/v1/records", base.server.url());
    let bad = base
        .http
        .post(url)
        .bearer_auth(&token)
        .body("<html>")
        .send()
        .unwrap();
    assert_eq!(bad.status(), 400);
    let many: Vec<RecordIn> = (0..1001).map(|i| check_in(i, "k1", i)).collect();
    assert_eq!(base.upload(&token, &many).status(), 413);
    assert_eq!(base.count("SELECT count(*) FROM records"), 0);
    assert!(
        base.statuses(&token, &many[..1000])
            .iter()
            .all(|s| *s == Status::Accepted)
    );
    assert_eq!(base.count("SELECT count(*) FROM records"), 1000);
}

#[test]
fn two_kiosks_records_are_merged_and_a_shared_id_is_stored_once() {
    let base = Base::start();
    let t1 = base::add_kiosk(base.dir.path(), "k1").unwrap();
    let t2 = base::add_kiosk(base.dir.path(), "k2").unwrap();
    let from_k1: Vec<_> = (1..=3)
        .map(|n| sign_up(n, "k1", n, "2027-02-15T01:00:00Z", &[101]))
        .collect();
    let from_k2: Vec<_> = (4..=6)
        .map(|n| sign_up(n, "k2", n, "2027-02-15T01:00:00Z", &[101]))
        .collect();
    base.statuses(&t1, &from_k1);
    base.statuses(&t2, &from_k2);
    // k2 reuses an id k1 already stored: idempotency is per id across all kiosks.
    let clash = sign_up(1, "k2", 9, "2027-02-15T01:00:00Z", &[101]);
    assert_eq!(base.statuses(&t2, &[clash]), [Status::Conflict]);
    let per_kiosk =
        |k: &str| base.count(&format!("SELECT count(*) FROM records WHERE kiosk = '{k}'"));
    assert_eq!((per_kiosk("k1"), per_kiosk("k2")), (3, 3));
}

#[test]
fn a_kill_or_a_restart_on_the_same_data_dir_and_port_keeps_everything() {
    let base = Base::start();
    let token = base::add_kiosk(base.dir.path(), "k1").unwrap();
    let records: Vec<_> = (1..=5).map(|n| check_in(n, "k1", n)).collect();
    base.statuses(&token, &records);
    let Base { server, dir, http } = base;
    let addr = server.addr();
    server.kill().unwrap();
    let after_kill = BaseServer::spawn(addr, dir.path()).unwrap();
    let base = Base {
        server: after_kill.restart().unwrap(),
        dir,
        http,
    };
    assert_eq!(base.server.addr(), addr);
    let again = base.statuses(&token, &records);
    assert!(again.iter().all(|s| *s == Status::Duplicate));
    assert_eq!(base.count("SELECT count(*) FROM records"), 5);
}

#[test]
fn the_openings_feed_sends_the_fair_only_when_its_revision_is_newer_than_since() {
    let base = Base::start();
    let token = base::add_kiosk(base.dir.path(), "k1").unwrap();
    assert_eq!(base.openings(&token, 0).status(), 404);
    let fair_file = concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/demo-fair.json");
    let out = bin(base.dir.path(), &["fair", "publish", fair_file]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("revision 1"));
    let first: Value = base.openings(&token, 0).json().unwrap();
    assert_eq!(
        (first["ack"].as_str(), first["revision"].as_i64()),
        (Some("jobfair-base/1"), Some(1))
    );
    assert_eq!(first["fair"]["fair"]["id"], FAIR);
    assert!(first["fair"]["openings"].as_array().unwrap().len() > 100);
    let unchanged: Value = base.openings(&token, 1).json().unwrap();
    assert_eq!(
        (unchanged["revision"].as_i64(), unchanged["fair"].is_null()),
        (Some(1), true)
    );
    bin(base.dir.path(), &["fair", "publish", fair_file]);
    let newer: Value = base.openings(&token, 1).json().unwrap();
    assert_eq!(
        (newer["revision"].as_i64(), newer["fair"].is_object()),
        (Some(2), true)
    );
}

fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    book.worksheet_range(name)
        .unwrap()
        .rows()
        .map(|r| r.to_vec())
        .collect()
}

fn text(cell: &Data) -> &str {
    match cell {
        Data::String(s) => s,
        other => panic!("expected a text cell, got {other:?}"),
    }
}

/// The sign-up row of synthetic villager 1 (rows are sorted by time, not by villager).
fn villager_1(rows: &[Vec<Data>]) -> &[Data] {
    rows.iter()
        .find(|r| text(&r[1]).ends_with("000000000001"))
        .expect("villager 1 is exported")
}

#[test]
fn base_export_merges_kiosks_keeps_the_latest_sign_up_and_masks_by_default() {
    let base = Base::start();
    let (t1, t2) = (
        base::add_kiosk(base.dir.path(), "k1").unwrap(),
        base::add_kiosk(base.dir.path(), "k2").unwrap(),
    );
    let old = sign_up(1, "k1", 1, "2027-02-15T01:00:00Z", &[101]);
    let changed = sign_up(2, "k1", 1, "2027-02-15T03:00:00Z", &[101, 102]);
    let stage = StageRecord {
        registration_id: "0192f3a4-0000-7000-8000-000000000001".into(),
        fair_id: FAIR.into(),
        kiosk_id: "k2".into(),
        employer: "e01".into(),
        opening_id: 101,
        stage: "interviewed".into(),
        note: "会焊接".into(),
        at: "2027-02-15T04:00:00Z".into(),
    };
    base.statuses(&t1, &[changed, old]);
    base.statuses(
        &t2,
        &[
            sign_up(3, "k2", 2, "2027-02-15T02:00:00Z", &[103]),
            check_in(4, "k2", 1),
        ],
    );
    base.statuses(
        &t2,
        &[record(5, "stage", serde_json::to_string(&stage).unwrap())],
    );
    let masked = base.dir.path().join("masked.xlsx");
    let out = bin(
        base.dir.path(),
        &["export", "--out", masked.to_str().unwrap()],
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 sign-ups, 1 stages, 1 check-ins"));
    let rows = sheet(&masked, "报名 Sign-ups");
    assert_eq!(rows.len(), 3, "header + one row per registration id");
    let first = villager_1(&rows);
    assert_eq!(
        (text(&first[3]), text(&first[5]), text(&first[13])),
        ("k1", "测试村民", "101;102")
    );
    assert_eq!(text(&first[6]), "139****0001");
    assert!(text(&first[7]).starts_with("520000********"));
    assert_eq!(
        text(&sheet(&masked, "摊位进度 Booth stages")[1][6]),
        "会焊接"
    );
    assert_eq!(text(&sheet(&masked, "签到 Check-ins")[1][2]), "k2");

    let full = base.dir.path().join("full.xlsx");
    bin(
        base.dir.path(),
        &["export", "--out", full.to_str().unwrap(), "--unmasked"],
    );
    let rows = sheet(&full, "报名 Sign-ups");
    let first = villager_1(&rows);
    assert_eq!(text(&first[6]), "13900000001");
    let birth = NaiveDate::from_ymd_opt(1990, 3, 2).unwrap();
    assert_eq!(
        text(&first[7]),
        synthesize("520000", birth, 1).as_str(),
        "18 digits intact as text"
    );
}

#[test]
fn a_kiosk_added_by_the_cli_gets_a_working_token_and_the_db_holds_only_its_hash() {
    let base = Base::start();
    let out = bin(base.dir.path(), &["kiosk", "add", "kiosk-07"]);
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert_eq!(token.len(), 64);
    assert_eq!(
        base.statuses(&token, &[check_in(1, "kiosk-07", 1)]),
        [Status::Accepted]
    );
    let stored: String = base
        .db()
        .query_row("SELECT token_sha256 FROM kiosks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, sha256_hex(token.as_bytes()));
    for file in ["base.db", "base.db-wal"] {
        let path = base.dir.path().join(file);
        if let Ok(bytes) = std::fs::read(&path) {
            assert!(
                !String::from_utf8_lossy(&bytes).contains(&token),
                "{file} holds the token"
            );
        }
    }
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(base.dir.path().join("base.db"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}
