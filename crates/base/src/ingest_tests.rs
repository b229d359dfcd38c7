//! The ingest rules, without HTTP and (but for the last test) without SQL.

use super::*;
use crate::auth::sha256_hex;

const ID: &str = "0192f3a4-5b6c-7d8e-9f00-112233445566";

fn check_in(kiosk: &str, at: &str) -> Record {
    let payload = serde_json::to_string(&CheckInRecord {
        registration_id: "0192f3a4-0000-7000-8000-000000000001".into(),
        fair_id: "fair-one".into(),
        kiosk_id: kiosk.into(),
        at: at.into(),
    })
    .unwrap();
    Record {
        id: ID.into(),
        kind: "check_in".into(),
        sha256: sha256_hex(payload.as_bytes()),
        payload,
    }
}

fn stored(r: &Record) -> Stored {
    Stored {
        kind: r.kind.clone(),
        sha256: r.sha256.clone(),
    }
}

fn rejected(d: Decision) -> String {
    match d {
        Decision::Reject(_, why) => why,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[test]
fn a_new_valid_record_is_stored_under_its_fair() {
    let r = check_in("k1", "2027-02-15T09:00:00Z");
    assert_eq!(
        classify(&r, "k1", None),
        Decision::Store {
            kind: RecordKind::CheckIn,
            fair_id: "fair-one".into()
        }
    );
}

#[test]
fn the_same_record_again_is_a_duplicate() {
    let r = check_in("k1", "2027-02-15T09:00:00Z");
    assert_eq!(classify(&r, "k1", Some(&stored(&r))), Decision::Duplicate);
}

#[test]
fn the_same_id_with_another_payload_is_a_conflict() {
    let first = check_in("k1", "2027-02-15T09:00:00Z");
    let second = check_in("k1", "2027-02-15T10:00:00Z");
    assert_eq!(
        classify(&second, "k1", Some(&stored(&first))),
        Decision::Conflict
    );
}

#[test]
fn a_payload_that_does_not_match_its_hash_is_rejected() {
    let mut r = check_in("k1", "2027-02-15T09:00:00Z");
    r.payload = r.payload.replace("09:00", "09:01");
    assert_eq!(rejected(classify(&r, "k1", None)), "hash mismatch");
}

#[test]
fn a_kiosk_cannot_write_as_another() {
    let r = check_in("k2", "2027-02-15T09:00:00Z");
    assert_eq!(rejected(classify(&r, "k1", None)), "kiosk mismatch");
}

#[test]
fn a_payload_of_the_wrong_shape_is_rejected() {
    let mut r = check_in("k1", "2027-02-15T09:00:00Z");
    r.kind = "registration".into();
    assert!(rejected(classify(&r, "k1", None)).starts_with("payload is not a registration record"));
}

#[test]
fn an_unknown_kind_or_a_non_uuid_id_is_rejected() {
    let mut r = check_in("k1", "2027-02-15T09:00:00Z");
    r.kind = "ticket".into();
    assert!(rejected(classify(&r, "k1", None)).contains("unknown kind"));
    let mut r = check_in("k1", "2027-02-15T09:00:00Z");
    r.id = "seven".into();
    assert_eq!(rejected(classify(&r, "k1", None)), "id is not a UUID");
}

#[test]
fn a_batch_repeating_an_id_stores_it_once_and_parks_the_other_version() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = crate::db::open(dir.path()).unwrap();
    let a = check_in("k1", "2027-02-15T09:00:00Z");
    let b = check_in("k1", "2027-02-15T10:00:00Z");
    let batch = [a.clone(), a.clone(), b];
    let statuses: Vec<RecordStatus> = ingest(&mut conn, "k1", &batch, "now")
        .unwrap()
        .into_iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(
        statuses,
        [
            RecordStatus::Accepted,
            RecordStatus::Duplicate,
            RecordStatus::Conflict
        ]
    );
    let count = |table: &str| -> i64 {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!((count("records"), count("conflicts")), (1, 1));
    let kept: String = conn
        .query_row("SELECT payload FROM records", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, a.payload, "a conflict never overwrites");
}
