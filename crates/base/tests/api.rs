//! The kiosk API (`jobfair-base/1`) over real HTTP on 127.0.0.1, on both engines:
//! tokens, ingest, idempotency, conflicts, validation, openings.

mod support;

use jobfair_base::Engine;
use jobfair_protocol::{RecordStatus as Status, RejectCode};
use serde_json::Value;
use support::*;

on_both_engines!(
    healthz_answers_without_a_token_and_readyz_reaches_the_database,
    requests_without_a_token_or_with_a_wrong_one_get_401_and_store_nothing,
    a_resend_is_a_duplicate_and_another_payload_under_the_same_id_is_kept_aside,
    a_batch_repeating_an_id_stores_it_once_and_keeps_the_other_version_aside,
    a_kiosk_writing_as_another_or_a_wrong_hash_is_rejected_with_its_code,
    a_malformed_body_gets_400_and_more_than_1000_records_get_413,
    two_kiosks_records_are_merged_and_a_shared_id_is_stored_once,
    a_kill_or_a_restart_keeps_everything,
    the_openings_feed_sends_the_fair_only_when_its_revision_is_newer_than_since,
    records_breaking_the_domain_rules_are_rejected_one_by_one,
    records_for_a_fair_not_published_here_are_rejected_until_it_is,
    many_kiosks_sending_overlapping_batches_at_once_store_each_record_once,
);

fn healthz_answers_without_a_token_and_readyz_reaches_the_database(engine: Engine) {
    let base = Base::start(engine);
    for (path, body) in [("/healthz", "ok"), ("/readyz", "ready")] {
        let answer = base.http.get(base.url(path)).send().unwrap();
        assert_eq!(
            (answer.status().as_u16(), answer.text().unwrap()),
            (200, body.into())
        );
    }
}

fn requests_without_a_token_or_with_a_wrong_one_get_401_and_store_nothing(engine: Engine) {
    let base = Base::start(engine);
    let r = [sign_up(1, "k1", 1, "2027-02-15T01:00:00Z", &[101])];
    let bare = base
        .http
        .post(base.url("/v1/records"))
        .json(&serde_json::json!({ "records": r }))
        .send()
        .unwrap();
    assert_eq!(bare.status(), 401);
    assert!(bare.json::<Value>().unwrap()["error"].is_string());
    let wrong = wrong(&base.token);
    assert_eq!(base.upload(&wrong, &r).status(), 401);
    assert_eq!(base.openings(&wrong, FAIR, 0).status(), 401);
    assert_eq!(base.counts().sign_ups, 0);
}

fn a_resend_is_a_duplicate_and_another_payload_under_the_same_id_is_kept_aside(engine: Engine) {
    let base = Base::start(engine);
    let first = sign_up(1, "k1", 1, "2027-02-15T01:00:00Z", &[101]);
    let forged = sign_up(1, "k1", 1, "2027-02-15T01:00:00Z", &[102]);
    let t = &base.token;
    assert_eq!(
        base.statuses(t, std::slice::from_ref(&first)),
        [Status::Accepted]
    );
    assert_eq!(
        base.statuses(t, std::slice::from_ref(&first)),
        [Status::Duplicate]
    );
    let conflict = &base.results(t, std::slice::from_ref(&forged))[0];
    assert_eq!(
        (conflict.status, conflict.code),
        (Status::Conflict, Some(RejectCode::Conflict))
    );
    let rows = exported(&base.db);
    assert_eq!(
        rows.sign_ups,
        [first.payload],
        "the conflict did not overwrite"
    );
    assert_eq!(rows.conflicts, [forged.payload]);
}

fn a_batch_repeating_an_id_stores_it_once_and_keeps_the_other_version_aside(engine: Engine) {
    let base = Base::start(engine);
    let a = check_in(1, "k1", 1);
    let mut b = check_in(1, "k1", 2);
    b.id = a.id.clone();
    let statuses = base.statuses(&base.token, &[a.clone(), a.clone(), b]);
    assert_eq!(
        statuses,
        [Status::Accepted, Status::Duplicate, Status::Conflict]
    );
    let c = base.counts();
    assert_eq!((c.check_ins, c.conflicts), (1, 1));
    assert_eq!(exported(&base.db).check_ins, [a.payload]);
}

fn a_kiosk_writing_as_another_or_a_wrong_hash_is_rejected_with_its_code(engine: Engine) {
    let base = Base::start(engine);
    let mut tampered = sign_up(2, "k1", 2, "2027-02-15T01:00:00Z", &[101]);
    tampered.payload = tampered.payload.replace("测试村民", "别人");
    let records = [
        sign_up(1, "k2", 1, "2027-02-15T01:00:00Z", &[101]),
        tampered,
    ];
    let answers: Vec<_> = base
        .results(&base.token, &records)
        .into_iter()
        .map(|r| (r.status, r.code, r.reason))
        .collect();
    assert_eq!(
        answers,
        [
            (
                Status::Rejected,
                Some(RejectCode::KioskMismatch),
                Some("kiosk mismatch".into())
            ),
            (
                Status::Rejected,
                Some(RejectCode::HashMismatch),
                Some("hash mismatch".into())
            )
        ]
    );
    assert_eq!(base.counts().sign_ups, 0);
}

fn a_malformed_body_gets_400_and_more_than_1000_records_get_413(engine: Engine) {
    let base = Base::start(engine);
    let bad = base
        .http
        .post(base.url("/v1/records"))
        .bearer_auth(&base.token)
        .body("<html>")
        .send()
        .unwrap();
    assert_eq!(bad.status(), 400);
    let many: Vec<_> = (0..1001).map(|i| check_in(i, "k1", i)).collect();
    assert_eq!(base.upload(&base.token, &many).status(), 413);
    assert_eq!(base.counts().check_ins, 0);
    let statuses = base.statuses(&base.token, &many[..1000]);
    assert!(statuses.iter().all(|s| *s == Status::Accepted));
    assert_eq!(base.counts().check_ins, 1000);
}

fn two_kiosks_records_are_merged_and_a_shared_id_is_stored_once(engine: Engine) {
    let base = Base::start(engine);
    let t2 = base.db.add_kiosk("k2");
    let from_k1: Vec<_> = (1..=3)
        .map(|n| sign_up(n, "k1", n, "2027-02-15T01:00:00Z", &[101]))
        .collect();
    let from_k2: Vec<_> = (4..=6)
        .map(|n| sign_up(n, "k2", n, "2027-02-15T01:00:00Z", &[101]))
        .collect();
    base.statuses(&base.token, &from_k1);
    base.statuses(&t2, &from_k2);
    // k2 reuses an id k1 already stored: idempotency is per id across all kiosks.
    let clash = sign_up(1, "k2", 9, "2027-02-15T01:00:00Z", &[101]);
    assert_eq!(base.statuses(&t2, &[clash]), [Status::Conflict]);
    let rows = exported(&base.db);
    let per_kiosk = |k: &str| {
        rows.sign_ups
            .iter()
            .filter(|p| p.contains(&format!("\"kiosk_id\":\"{k}\"")))
            .count()
    };
    assert_eq!((per_kiosk("k1"), per_kiosk("k2")), (3, 3));
}

fn a_kill_or_a_restart_keeps_everything(engine: Engine) {
    let base = Base::start(engine);
    let records: Vec<_> = (1..=5).map(|n| check_in(n, "k1", n)).collect();
    base.statuses(&base.token, &records);
    let Base {
        server,
        db,
        http,
        token,
    } = base;
    let addr = server.addr();
    server.kill().unwrap();
    let mut config = jobfair_base::BaseConfig::new(db.database.clone(), addr.to_string());
    config.body_wait = std::time::Duration::from_secs(1);
    let after_kill = jobfair_base::BaseServer::spawn_with(config).unwrap();
    let base = Base {
        server: after_kill.restart().unwrap(),
        db,
        http,
        token,
    };
    assert_eq!(base.server.addr(), addr);
    let again = base.statuses(&base.token, &records);
    assert!(again.iter().all(|s| *s == Status::Duplicate));
    assert_eq!(base.counts().check_ins, 5);
}

fn the_openings_feed_sends_the_fair_only_when_its_revision_is_newer_than_since(engine: Engine) {
    let base = Base::start(engine);
    assert_eq!(base.openings(&base.token, "no-such-fair", 0).status(), 404);
    let first: Value = base.openings(&base.token, FAIR, 0).json().unwrap();
    assert_eq!(
        (first["ack"].as_str(), first["revision"].as_i64()),
        (Some("jobfair-base/1"), Some(1))
    );
    assert_eq!(first["fair"]["fair"]["id"], FAIR);
    assert!(first["fair"]["openings"].as_array().unwrap().len() > 100);
    let unchanged: Value = base.openings(&base.token, FAIR, 1).json().unwrap();
    assert_eq!(
        (unchanged["revision"].as_i64(), unchanged["fair"].is_null()),
        (Some(1), true)
    );
    let out = base.db.bin(&["fair", "publish", DEMO_FAIR]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("revision 2"));
    let newer: Value = base.openings(&base.token, FAIR, 1).json().unwrap();
    assert_eq!(
        (newer["revision"].as_i64(), newer["fair"].is_object()),
        (Some(2), true)
    );
}

/// Issue 13, point 7: each of these was "accepted" and exported by the first base.
fn records_breaking_the_domain_rules_are_rejected_one_by_one(engine: Engine) {
    let base = Base::start(engine);
    let good = registration("k1", 1, "2027-02-15T01:00:00Z", &[101]);
    let born = |y, m, d| {
        jobfair_domain::resident_id::synthesize(
            "520000",
            chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap(),
            3,
        )
        .as_str()
        .to_string()
    };
    let mut bad_check = good.resident_id.clone().unwrap();
    let last = if bad_check.ends_with('1') { "2" } else { "1" };
    bad_check.replace_range(17.., last);
    type R = jobfair_domain::records::RegistrationRecord;
    let variants: Vec<(&str, R)> = vec![
        (
            "phone",
            R {
                phone: "12345".into(),
                ..good.clone()
            },
        ),
        (
            "check character",
            R {
                resident_id: Some(bad_check),
                ..good.clone()
            },
        ),
        (
            "born 2099",
            R {
                resident_id: Some(born(2099, 1, 1)),
                birth_date: None,
                ..good.clone()
            },
        ),
        (
            "birth date contradicts",
            R {
                birth_date: Some("1980-01-01".into()),
                ..good.clone()
            },
        ),
        (
            "sex contradicts",
            R {
                sex: Some("female".into()),
                ..good.clone()
            },
        ),
        (
            "long name",
            R {
                name: "张".repeat(2000),
                ..good.clone()
            },
        ),
        (
            "opening 0",
            R {
                openings: vec![0],
                ..good.clone()
            },
        ),
    ];
    let mut records: Vec<_> = variants
        .iter()
        .enumerate()
        .map(|(i, (_, r))| {
            record(
                i as u32 + 1,
                "registration",
                serde_json::to_string(r).unwrap(),
            )
        })
        .collect();
    records.push(record(
        100,
        "registration",
        serde_json::to_string(&good).unwrap(),
    ));
    records.push(stage(101, "k1", 1, 104, "baichuan"));
    let results = base.results(&base.token, &records);
    for ((what, _), r) in variants.iter().zip(&results) {
        assert_eq!(
            (r.status, r.code),
            (Status::Rejected, Some(RejectCode::Invalid)),
            "{what}: {:?}",
            r.reason
        );
    }
    let stage_answer = &results[variants.len() + 1];
    assert_eq!(stage_answer.code, Some(RejectCode::Invalid));
    assert!(
        stage_answer
            .reason
            .as_deref()
            .unwrap()
            .contains("opening_id")
    );
    assert_eq!(results[variants.len()].status, Status::Accepted);
    let c = base.counts();
    assert_eq!(
        (c.sign_ups, c.stages),
        (1, 0),
        "only the valid sign-up is stored"
    );
}

fn records_for_a_fair_not_published_here_are_rejected_until_it_is(engine: Engine) {
    let base = Base::start(engine);
    let mut hostile = registration("k1", 1, "2027-02-15T01:00:00Z", &[101]);
    hostile.fair_id = "../../etc/passwd".into();
    let mut other = registration("k1", 2, "2027-02-15T01:00:00Z", &[101]);
    other.fair_id = "other-fair-2027".into();
    let records = [
        record(1, "registration", serde_json::to_string(&hostile).unwrap()),
        record(2, "registration", serde_json::to_string(&other).unwrap()),
    ];
    let results = base.results(&base.token, &records);
    for r in &results {
        assert_eq!(
            (r.status, r.code),
            (Status::Rejected, Some(RejectCode::UnknownFair))
        );
    }
    assert_eq!(base.counts().sign_ups, 0);
    // Once the operator publishes the fair, the kiosk's retry is accepted.
    let demo = std::fs::read_to_string(DEMO_FAIR).unwrap();
    base.db.publish(&demo.replace(FAIR, "other-fair-2027"));
    assert_eq!(
        base.statuses(&base.token, &records),
        [Status::Rejected, Status::Accepted]
    );
}

/// 12 kiosks' worth of threads send overlapping batches (each record in 3 of them, in
/// different orders) all at once: every record is answered `accepted` exactly once,
/// every other answer is `duplicate`, and the store holds each once.
fn many_kiosks_sending_overlapping_batches_at_once_store_each_record_once(engine: Engine) {
    let base = Base::start(engine);
    let records: Vec<_> = (1..=600).map(|n| check_in(n, "k1", n)).collect();
    let threads = 12;
    let accepted = std::sync::Mutex::new(std::collections::HashMap::<String, u32>::new());
    let start = std::sync::Barrier::new(threads);
    std::thread::scope(|s| {
        for t in 0..threads {
            let (base, records, accepted, start) = (&base, &records, &accepted, &start);
            s.spawn(move || {
                // Thread t sends the records of three windows of 200, shifted and rotated.
                let mut mine: Vec<_> = (0..records.len())
                    .filter(|i| (i / 50 + t) % 4 != 0)
                    .map(|i| records[i].clone())
                    .collect();
                let shift = t * 37 % mine.len();
                mine.rotate_left(shift);
                if t % 2 == 1 {
                    mine.reverse();
                }
                start.wait();
                for batch in mine.chunks(100) {
                    for r in base.results(&base.token, batch) {
                        assert!(
                            matches!(r.status, Status::Accepted | Status::Duplicate),
                            "{r:?}"
                        );
                        if r.status == Status::Accepted {
                            *accepted.lock().unwrap().entry(r.id).or_default() += 1;
                        }
                    }
                }
            });
        }
    });
    let accepted = accepted.into_inner().unwrap();
    assert_eq!(accepted.len(), records.len(), "every record accepted once");
    assert!(accepted.values().all(|n| *n == 1), "none accepted twice");
    let c = base.counts();
    assert_eq!((c.check_ins, c.conflicts), (600, 0));
}

/// The stored payloads, through the store's own export stream.
struct Rows {
    sign_ups: Vec<String>,
    check_ins: Vec<String>,
    conflicts: Vec<String>,
}

fn exported(db: &TestDb) -> Rows {
    use jobfair_base::store::{ExportRow, ExportSink};
    struct Collect(Rows);
    impl ExportSink for Collect {
        fn row(&mut self, row: ExportRow<'_>) -> Result<(), String> {
            match row {
                ExportRow::SignUp(p) => self.0.sign_ups.push(p.into()),
                ExportRow::CheckIn(p) => self.0.check_ins.push(p.into()),
                ExportRow::Conflict { payload, .. } => self.0.conflicts.push(payload.into()),
                ExportRow::Stage(_) => {}
            }
            Ok(())
        }
    }
    let store = db.store();
    let mut sink = Collect(Rows {
        sign_ups: vec![],
        check_ins: vec![],
        conflicts: vec![],
    });
    jobfair_base::block_on(async { store.export(&mut sink).await }).unwrap();
    sink.0
}
